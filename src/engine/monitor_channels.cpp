// The monitor's channels from its configuration (declared in cts/engine/monitor_channels.hpp).
#include "cts/engine/monitor_channels.hpp"

#include <cstdlib>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "cts/health/email.hpp"
#include "cts/health/log_channel.hpp"
#include "cts/health/smtp_transport.hpp"

namespace cts::engine {

namespace {

/// Slack allows about one message per second per webhook (bursts of a few).
constexpr health::Pace kSlackPace{1.0, 3.0};
/// PagerDuty's Events API v2: about 2 per second per routing key.
constexpr health::Pace kPagerDutyPace{2.0, 3.0};

Result<std::string> secret_from(const std::string& variable, std::string_view key) {
  const char* value = std::getenv(variable.c_str());
  if (value == nullptr || *value == '\0') {
    return make_error(ErrorCode::invalid_argument,
                      fmt::format("monitor: the environment variable {} (named by {}) is not set", variable, key));
  }
  return std::string(value);
}

Result<health::WebhookUrl> url_from(const std::string& variable, std::string_view key) {
  Result<std::string> text = secret_from(variable, key);
  if (!text) return text.error();
  Result<health::WebhookUrl> url = health::WebhookUrl::parse(*text);
  if (!url) {
    return make_error(ErrorCode::invalid_argument,
                      fmt::format("monitor: the URL in {} is refused: {}", variable, url.error().message));
  }
  return url;
}

Result<std::unique_ptr<health::Channel>> make_email(const MonitorConfig& config) {
  health::EmailConfig email;
  email.from = config.email_from;
  email.to = config.email_to;
  email.server = config.email_smtp;
  email.send_resolved = true;
  if (email.server.empty() || email.from.empty() || email.to.empty()) {
    return make_error(ErrorCode::invalid_argument,
                      "monitor: the email channel needs monitor.email.smtp, monitor.email.from and monitor.email.to");
  }
  if (Result<void> valid = email.validate(); !valid) return valid.error();
  health::SmtpOptions smtp;
  smtp.security = config.email_starttls ? health::SmtpSecurity::starttls : health::SmtpSecurity::plain;
  if (!config.email_username.empty()) {
    if (config.email_password_env.empty()) {
      return make_error(ErrorCode::invalid_argument, "monitor: monitor.email.username needs monitor.email.password_env");
    }
    Result<std::string> password = secret_from(config.email_password_env, "monitor.email.password_env");
    if (!password) return password.error();
    smtp.username = config.email_username;
    smtp.password = std::move(*password);
  }
  return std::unique_ptr<health::Channel>(std::make_unique<health::EmailChannel>(
      "email", std::move(email), std::make_unique<health::SmtpTransport>(std::move(smtp))));
}

Result<std::unique_ptr<health::Channel>> make_channel(AlertChannelType type, const MonitorConfig& config,
                                                      const std::function<void(std::string_view)>& log_line) {
  using Made = std::unique_ptr<health::Channel>;
  switch (type) {
    case AlertChannelType::log:
      return Made(std::make_unique<health::LogChannel>("log", [log_line](std::string_view line) {
        if (log_line) log_line(line);
      }));
    case AlertChannelType::webhook: {
      Result<health::WebhookUrl> url = url_from(config.webhook_url_env, "monitor.webhook.url_env");
      if (!url) return url.error();
      return Made(std::make_unique<health::WebhookV4>("webhook", std::move(*url), true));
    }
    case AlertChannelType::slack: {
      Result<health::WebhookUrl> url = url_from(config.slack_url_env, "monitor.slack.url_env");
      if (!url) return url.error();
      return Made(std::make_unique<health::SlackWebhook>("slack", std::move(*url), true));
    }
    case AlertChannelType::discord: {
      Result<health::WebhookUrl> url = url_from(config.discord_url_env, "monitor.discord.url_env");
      if (!url) return url.error();
      return Made(std::make_unique<health::DiscordWebhook>("discord", std::move(*url), true));
    }
    case AlertChannelType::pagerduty: {
      Result<std::string> key = secret_from(config.pagerduty_key_env, "monitor.pagerduty.routing_key_env");
      if (!key) return key.error();
      Result<health::WebhookUrl> url = health::WebhookUrl::parse("https://events.pagerduty.com/v2/enqueue");
      if (!url) return url.error();
      return Made(std::make_unique<health::PagerDutyV2>("pagerduty", std::move(*key), std::move(*url), "cts-engine"));
    }
    case AlertChannelType::email: return make_email(config);
  }
  return make_error(ErrorCode::invalid_argument, "monitor: unknown channel type");
}

health::Pace pace_of(AlertChannelType type, const MonitorConfig& config) {
  if (config.rate_per_minute != 0) return health::Pace{config.rate_per_minute / 60.0, 3.0};
  if (type == AlertChannelType::slack) return kSlackPace;
  if (type == AlertChannelType::pagerduty) return kPagerDutyPace;
  return health::Pace{};
}

}  // namespace

Result<std::vector<MonitorChannel>> make_monitor_channels(const MonitorConfig& config,
                                                          std::function<void(std::string_view)> log_line) {
  std::vector<MonitorChannel> out;
  for (AlertChannelType type : config.channels) {
    Result<std::unique_ptr<health::Channel>> channel = make_channel(type, config, log_line);
    if (!channel) return channel.error();
    health::ChannelOptions options;
    options.pace = pace_of(type, config);
    out.push_back(MonitorChannel{std::move(*channel), options});
  }
  return out;
}

}  // namespace cts::engine
