// ctsctl notify: sends one notification through the real delivery pipeline (render,
// send, retry with backoff that honours Retry-After) and exits 0 once the channel
// confirmed it, 1 with the reason when it gives up. Users run it to test a channel
// before trusting it with a real alert. The URL, routing key and SMTP password are
// secrets: they are never printed (the password is read from an environment variable,
// never from the command line).
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include <cts/core/clock.hpp>
#include <cts/health/email.hpp>
#include <cts/health/http_transport.hpp>
#include <cts/health/log_channel.hpp>
#include <cts/health/notifier.hpp>
#include <cts/health/smtp_transport.hpp>

#include "ctsctl/args.hpp"
#include "ctsctl/command.hpp"

namespace {

using namespace cts::health;

constexpr std::array<std::string_view, 13> kValued{"channel", "url",  "routing-key", "alertname", "severity",
                                                   "summary", "label", "deadline",    "smtp",      "from",
                                                   "to",      "username", "password-env"};
constexpr std::array<std::string_view, 2> kFlags{"resolve", "starttls"};
constexpr std::array<std::string_view, 2> kRepeated{"label", "to"};

constexpr std::string_view kUsage =
    "usage: ctsctl notify --channel <slack|discord|pagerduty|webhook> --url URL\n"
    "                     [--routing-key K] --alertname NAME\n"
    "                     [--severity critical|error|warning|info] [--summary TEXT]\n"
    "                     [--label k=v]... [--resolve] [--deadline SECONDS]\n"
    "       ctsctl notify --channel email --smtp HOST:PORT --from ADDR --to ADDR [--to ADDR]...\n"
    "                     [--starttls] [--username U --password-env VAR] --alertname NAME ...\n"
    "       ctsctl notify --channel log --alertname NAME ...\n"
    "\n"
    "Sends one notification (firing, or resolved with --resolve) and retries until the\n"
    "channel confirms it or the deadline (default 60 s, at most one day) passes: every\n"
    "attempt, connection included, ends by then. PagerDuty needs\n"
    "--routing-key; its --url defaults to https://events.pagerduty.com/v2/enqueue.\n"
    "Email speaks SMTP to HOST:PORT (STARTTLS with certificate verification when\n"
    "--starttls is given); the SMTP password is read from the environment variable\n"
    "named by --password-env. The log channel writes one JSON line to stdout.\n"
    "Exit status: 0 delivered, 1 not delivered (reason printed), 2 usage error.\n";

// Longest --deadline accepted: one day.
constexpr double kMaxDeadlineSeconds = 24 * 3600;

// Caps every attempt of the wrapped transport at what is left of the --deadline, so
// the whole command (however many retries) ends by then.
class DeadlineTransport final : public NotificationTransport {
 public:
  DeadlineTransport(NotificationTransport& inner, cts::SystemTime deadline) : inner_(&inner), deadline_(deadline) {}
  DeadlineTransport(std::unique_ptr<NotificationTransport> owned, cts::SystemTime deadline)
      : owned_(std::move(owned)), inner_(owned_.get()), deadline_(deadline) {}

  cts::Result<cts::HttpResponse> send(std::string_view origin, const cts::HttpRequest& request,
                                      cts::Nanos timeout) override {
    const cts::Nanos left = std::chrono::duration_cast<cts::Nanos>(deadline_ - cts::RealClock{}.system_now());
    if (left <= cts::Nanos::zero()) return cts::make_error(cts::ErrorCode::timeout, "the --deadline passed");
    return inner_->send(origin, request, std::min(timeout, left));
  }

 private:
  std::unique_ptr<NotificationTransport> owned_;
  NotificationTransport* inner_;
  cts::SystemTime deadline_;
};

int usage_error(std::string_view message) {
  fmt::print(stderr, "ctsctl notify: {}\n\n{}", message, kUsage);
  return 2;
}

cts::Result<std::unique_ptr<Channel>> make_email_channel(const ctsctl::Args& args, cts::SystemTime deadline) {
  EmailConfig config;
  config.from = args.get("from").value_or("");
  config.to = args.all("to");
  config.server = args.get("smtp").value_or("");
  config.send_resolved = true;
  if (config.server.empty()) return cts::make_error(cts::ErrorCode::invalid_argument, "--smtp HOST:PORT is required for email");
  if (auto v = config.validate(); !v) return v.error();
  SmtpOptions smtp;
  smtp.security = args.flag("starttls") ? SmtpSecurity::starttls : SmtpSecurity::plain;
  if (const auto user = args.get("username")) {
    const auto var = args.get("password-env");
    if (!var || var->empty()) return cts::make_error(cts::ErrorCode::invalid_argument, "--username needs --password-env VAR");
    const char* password = std::getenv(var->c_str());
    if (password == nullptr) {
      return cts::make_error(cts::ErrorCode::invalid_argument, "the environment variable named by --password-env is not set");
    }
    smtp.username = *user;
    smtp.password = password;
  }
  return std::unique_ptr<Channel>(std::make_unique<EmailChannel>(
      "email", std::move(config),
      std::make_unique<DeadlineTransport>(std::make_unique<SmtpTransport>(std::move(smtp)), deadline)));
}

cts::Result<std::unique_ptr<Channel>> make_channel(const ctsctl::Args& args, cts::SystemTime deadline) {
  const auto type = args.get("channel").value_or("");
  if (type == "email") return make_email_channel(args, deadline);
  if (type == "log") return std::unique_ptr<Channel>(std::make_unique<LogChannel>("log", file_log_sink(stdout)));
  const auto url_text = args.get("url").value_or(type == "pagerduty" ? "https://events.pagerduty.com/v2/enqueue" : "");
  if (url_text.empty()) return cts::make_error(cts::ErrorCode::invalid_argument, "--url is required");
  auto url = WebhookUrl::parse(url_text);
  if (!url) return url.error();
  if (type == "slack") return std::unique_ptr<Channel>(std::make_unique<SlackWebhook>("slack", *url, true));
  if (type == "discord") return std::unique_ptr<Channel>(std::make_unique<DiscordWebhook>("discord", *url, true));
  if (type == "webhook") return std::unique_ptr<Channel>(std::make_unique<WebhookV4>("webhook", *url, true));
  if (type == "pagerduty") {
    const auto key = args.get("routing-key");
    if (!key || key->empty()) return cts::make_error(cts::ErrorCode::invalid_argument, "--routing-key is required for pagerduty");
    return std::unique_ptr<Channel>(std::make_unique<PagerDutyV2>("pagerduty", *key, *url, "ctsctl"));
  }
  return cts::make_error(cts::ErrorCode::invalid_argument, "--channel must be slack, discord, pagerduty, webhook, email or log");
}

int run(std::span<const std::string_view> argv) {
  for (const auto a : argv) {
    if (a == "--help" || a == "-h") {
      fmt::print("{}", kUsage);
      return 0;
    }
  }
  auto parsed = ctsctl::Args::parse(argv, kValued, kFlags, kRepeated);
  if (!parsed) return usage_error(parsed.error().message);
  const auto& args = *parsed;
  const auto alertname = args.get("alertname");
  if (!alertname || alertname->empty()) return usage_error("--alertname is required");
  const auto severity = args.get("severity").value_or("error");
  if (severity != "critical" && severity != "error" && severity != "warning" && severity != "info") {
    return usage_error("--severity must be critical, error, warning or info");
  }
  double deadline_seconds = 60;
  if (const auto d = args.get("deadline")) {
    const cts::Result<double> seconds = ctsctl::parse_seconds("deadline", *d, kMaxDeadlineSeconds);
    if (!seconds) return usage_error(seconds.error().message);
    deadline_seconds = *seconds;
  }
  const cts::RealClock clock;
  const cts::SystemTime now = clock.system_now();
  const auto deadline = now + std::chrono::duration_cast<cts::Nanos>(std::chrono::duration<double>(deadline_seconds));
  auto channel = make_channel(args, deadline);
  if (!channel) return usage_error(channel.error().message);
  const std::string channel_name = (*channel)->name();
  const std::string origin = (*channel)->origin();

  Alert alert;
  alert.labels = LabelSet{{"alertname", *alertname}, {"severity", severity}};
  for (const auto& kv : args.all("label")) {
    const auto eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) return usage_error("--label takes k=v");
    if (!is_valid_label_name(kv.substr(0, eq))) return usage_error("invalid label name in --label " + kv.substr(0, eq));
    alert.labels.set(kv.substr(0, eq), kv.substr(eq + 1));
  }
  if (const auto s = args.get("summary")) alert.annotations.set("summary", *s);
  alert.starts_at = now;
  if (args.flag("resolve")) alert.ends_at = now;
  Notification n;
  n.receiver = "ctsctl";
  n.group_labels = LabelSet{{"alertname", *alertname}};
  n.group_key = "{}:" + n.group_labels.to_string();
  n.alerts = {alert};
  n.at = now;

  HttpNotificationTransport http_transport;
  DeadlineTransport transport(http_transport, deadline);
  Outbox outbox;
  NotificationLog log;
  Notifier notifier(transport, outbox, log);
  notifier.add_channel("ctsctl", std::move(*channel));
  const auto reason = args.flag("resolve") ? NotifyReason::all_alerts_resolved : NotifyReason::first_notification;
  if (auto r = notifier.send_now(n, reason); !r) {
    fmt::print(stderr, "ctsctl notify: {}\n", r.error().to_string());
    return 1;
  }
  // The log channel owns stdout; progress then goes to stderr.
  std::FILE* info = channel_name == "log" ? stderr : stdout;
  fmt::print(info, "sending {} notification for {} via {} ({})\n", args.flag("resolve") ? "resolved" : "firing",
             *alertname, channel_name, origin);
  for (;;) {
    const cts::SystemTime t = clock.system_now();
    notifier.pump(t);
    const auto stats = notifier.stats(channel_name);
    if (stats.delivered > 0) {
      fmt::print(info, "delivered after {} attempt(s)\n", stats.attempts);
      return 0;
    }
    if (stats.dropped > 0 || notifier.state(channel_name) == ChannelState::disabled) {
      fmt::print(stderr, "not delivered, giving up (the channel refuses this message): {}\n", stats.last_failure);
      return 1;
    }
    const auto next = notifier.next_wakeup();
    if (!next || *next >= deadline) {
      fmt::print(stderr, "not delivered within {} s after {} attempt(s); last failure: {}\n", deadline_seconds,
                 stats.attempts, stats.last_failure);
      return 1;
    }
    fmt::print(stderr, "attempt {} failed ({}); retrying\n", stats.attempts, stats.last_failure);
    std::this_thread::sleep_until(std::chrono::system_clock::time_point(*next));
  }
}

const ctsctl::RegisterCommand registered{
    {"notify", "send one alert notification through a channel (Slack, Discord, PagerDuty, webhook, email, log)", kUsage,
     &run}};

}  // namespace
