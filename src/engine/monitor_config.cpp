// The monitor.* keys of the configuration file (declared in cts/engine/monitor_config.hpp).
#include "cts/engine/monitor_config.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "cts/core/detail/text.hpp"
#include "engine/config_values.hpp"

namespace cts::engine {

namespace {

constexpr AlertChannelType kChannelTypes[] = {AlertChannelType::log,     AlertChannelType::webhook,
                                              AlertChannelType::slack,   AlertChannelType::discord,
                                              AlertChannelType::pagerduty, AlertChannelType::email};

// The items of a comma-separated list, trimmed; an empty item is kept (and refused by the caller).
std::vector<std::string_view> split_list(std::string_view value) {
  std::vector<std::string_view> out;
  while (true) {
    const std::size_t comma = value.find(',');
    out.push_back(cts::detail::trim_spaces(value.substr(0, comma), " \t"));
    if (comma == std::string_view::npos) return out;
    value = value.substr(comma + 1);
  }
}

}  // namespace

std::string_view to_string(AlertChannelType type) noexcept {
  switch (type) {
    case AlertChannelType::log: return "log";
    case AlertChannelType::webhook: return "webhook";
    case AlertChannelType::slack: return "slack";
    case AlertChannelType::discord: return "discord";
    case AlertChannelType::pagerduty: return "pagerduty";
    case AlertChannelType::email: return "email";
  }
  return "invalid";
}

std::optional<std::string> apply_monitor_key(MonitorConfig& config, std::string_view key, std::string_view value) {
  // A duration in whole milliseconds, at most a day; zero refused when `positive`.
  auto milliseconds = [&](std::chrono::milliseconds& target, bool positive) -> std::optional<std::string> {
    Result<std::uint64_t> parsed = detail::parse_unsigned(value, 86'400'000);
    if (!parsed) return fmt::format("{}: {}", key, parsed.error().message);
    if (positive && *parsed == 0) return fmt::format("{}: must be positive", key);
    target = std::chrono::milliseconds(*parsed);
    return std::nullopt;
  };
  auto not_empty = [&](std::string& target) -> std::optional<std::string> {
    if (value.empty()) return fmt::format("{} must not be empty", key);
    target = std::string(value);
    return std::nullopt;
  };
  if (key == "monitor") {
    if (value != "on" && value != "off") return fmt::format("monitor must be on or off, not \"{}\"", value);
    config.enabled = value == "on";
  } else if (key == "monitor.interval_ms") {
    return milliseconds(config.interval, true);
  } else if (key == "monitor.for_ms") {
    return milliseconds(config.for_, false);
  } else if (key == "monitor.group_wait_ms") {
    return milliseconds(config.group_wait, false);
  } else if (key == "monitor.group_interval_ms") {
    return milliseconds(config.group_interval, true);
  } else if (key == "monitor.repeat_interval_ms") {
    return milliseconds(config.repeat_interval, true);
  } else if (key == "monitor.escalate_after_ms") {
    return milliseconds(config.escalate_after, true);
  } else if (key == "monitor.retention") {
    const std::optional<std::chrono::seconds> retention = detail::parse_retention(value);
    if (!retention) {
      return fmt::format("monitor.retention must be a positive whole number of days, hours or minutes (7d, 12h, 90m), "
                         "at most 3650d, not \"{}\"",
                         value);
    }
    config.retention = *retention;
  } else if (key == "monitor.max_size") {
    Result<std::uint64_t> size = detail::parse_size(value);
    if (!size) return fmt::format("monitor.max_size {}", size.error().message);
    config.max_size = *size;
  } else if (key == "monitor.db") {
    return not_empty(config.db_path);
  } else if (key == "monitor.drawdown") {
    Result<Decimal> drawdown = detail::parse_non_negative(value);
    if (!drawdown) return fmt::format("monitor.drawdown: {}", drawdown.error().message);
    config.drawdown = *drawdown;
  } else if (key == "monitor.headroom_percent") {
    Result<std::uint64_t> percent = detail::parse_unsigned(value, 60);
    if (!percent) return fmt::format("monitor.headroom_percent: {}", percent.error().message);
    config.headroom_percent = static_cast<std::uint32_t>(*percent);
  } else if (key == "monitor.clock_skew_ms") {
    return milliseconds(config.clock_skew, true);
  } else if (key == "monitor.channels") {
    std::vector<AlertChannelType> channels;
    for (const std::string_view item : split_list(value)) {
      const auto* type = std::find_if(std::begin(kChannelTypes), std::end(kChannelTypes),
                                      [&](AlertChannelType t) { return to_string(t) == item; });
      if (type == std::end(kChannelTypes)) {
        return fmt::format("monitor.channels: \"{}\" is not a channel (log, webhook, slack, discord, pagerduty, email)",
                           item);
      }
      if (std::find(channels.begin(), channels.end(), *type) != channels.end()) {
        return fmt::format("monitor.channels: {} is listed twice", item);
      }
      channels.push_back(*type);
    }
    config.channels = std::move(channels);
  } else if (key == "monitor.webhook.url_env") {
    return not_empty(config.webhook_url_env);
  } else if (key == "monitor.slack.url_env") {
    return not_empty(config.slack_url_env);
  } else if (key == "monitor.discord.url_env") {
    return not_empty(config.discord_url_env);
  } else if (key == "monitor.pagerduty.routing_key_env") {
    return not_empty(config.pagerduty_key_env);
  } else if (key == "monitor.email.smtp") {
    return not_empty(config.email_smtp);
  } else if (key == "monitor.email.from") {
    return not_empty(config.email_from);
  } else if (key == "monitor.email.to") {
    std::vector<std::string> to;
    for (const std::string_view item : split_list(value)) {
      if (item.empty()) return "monitor.email.to: an empty address";
      to.emplace_back(item);
    }
    config.email_to = std::move(to);
  } else if (key == "monitor.email.starttls") {
    if (value != "on" && value != "off") return fmt::format("monitor.email.starttls must be on or off, not \"{}\"", value);
    config.email_starttls = value == "on";
  } else if (key == "monitor.email.username") {
    return not_empty(config.email_username);
  } else if (key == "monitor.email.password_env") {
    return not_empty(config.email_password_env);
  } else if (key == "monitor.rate_per_minute") {
    Result<std::uint64_t> rate = detail::parse_unsigned(value, 6'000);
    if (!rate) return fmt::format("monitor.rate_per_minute: {}", rate.error().message);
    config.rate_per_minute = static_cast<std::uint32_t>(*rate);
  } else {
    return fmt::format("unknown key \"{}\"", key);
  }
  return std::nullopt;
}

}  // namespace cts::engine
