#pragma once
/// \file
/// The settings of the engine's Monitor (monitor.hpp): the `monitor.*` keys of the
/// engine's configuration file (config.hpp), parsed by apply_monitor_key(). Secrets (a
/// webhook URL, a PagerDuty routing key, an SMTP password) are never in the file: it
/// names the environment variables that hold them.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cts/core/decimal.hpp"

namespace cts::engine {

/// A notification channel type the monitor can send to.
enum class AlertChannelType : std::uint8_t { log, webhook, slack, discord, pagerduty, email };

/// "log", "webhook", "slack", "discord", "pagerduty" or "email".
std::string_view to_string(AlertChannelType type) noexcept;

/// The monitor's settings. Keys of the configuration file in brackets.
struct MonitorConfig {
  /// [monitor] on (default) or off: off evaluates no rule and serves no alert history.
  bool enabled = true;
  /// [monitor.interval_ms] Time between two evaluations of the rules (default 5000).
  std::chrono::milliseconds interval{5'000};
  /// [monitor.for_ms] How long a condition must hold before its alert fires (default 30000; 0: at once).
  std::chrono::milliseconds for_{30'000};
  /// [monitor.group_wait_ms] Wait before the first notification of a new alert group,
  /// to collect alerts that fire together (default 10000).
  std::chrono::milliseconds group_wait{10'000};
  /// [monitor.group_interval_ms] Wait before notifying a group again after it changed (default 60000).
  std::chrono::milliseconds group_interval{60'000};
  /// [monitor.repeat_interval_ms] Re-notification of an unchanged firing group (default 4 h).
  std::chrono::milliseconds repeat_interval{4 * 3'600'000};
  /// [monitor.escalate_after_ms] A critical alert's incident not acknowledged this long
  /// pages again, every such period, three times at most (default 900000: 15 min).
  std::chrono::milliseconds escalate_after{900'000};
  /// [monitor.retention] How long the history is kept: `<n>d`, `<n>h` or `<n>m` (default 7d).
  std::chrono::seconds retention{7 * 24 * 3600};
  /// [monitor.max_size] Size of the history on disk (its file and write-ahead log),
  /// bytes (a k, M or G suffix: KiB, MiB, GiB); 0 (the default): no limit. From 80 % of
  /// it the oldest resolved history is pruned first (uptime samples, resolved alerts,
  /// expired silences, resolved or closed incidents; never a firing alert, an active
  /// silence or an open incident) down to 60 %; the MonitorHistorySize alert warns when
  /// that leaves 80 % or more.
  std::uint64_t max_size = 0;
  /// [monitor.db] Path of the history database (SQLite). Empty (the default):
  /// `<journal>.monitor.db`, beside the journal (the embedded simulator's temporary
  /// journal directory holds a temporary history).
  std::string db_path;
  /// [monitor.drawdown] PnL drawdown (quote currency, realized + unrealized, from its
  /// peak since start) that raises PnLDrawdown; 0 (the default) disables the rule.
  Decimal drawdown;
  /// [monitor.headroom_percent] Share of a rate-limit pool left (cts_rate_pool_used of
  /// cts_rate_pool_limit) at or below which RateLimitHeadroom warns (default 10; it
  /// clears above 1.5 times that; 0 disables the rule).
  std::uint32_t headroom_percent = 10;
  /// [monitor.clock_skew_ms] Clock offset against the venue that raises ClockSkew (default 1000).
  std::chrono::milliseconds clock_skew{1'000};
  /// [monitor.channels] Comma-separated channel types, each at most once: log, webhook,
  /// slack, discord, pagerduty, email (default: log).
  std::vector<AlertChannelType> channels{AlertChannelType::log};
  /// [monitor.webhook.url_env] Variable holding the webhook URL (default CTS_ALERT_WEBHOOK_URL).
  std::string webhook_url_env = "CTS_ALERT_WEBHOOK_URL";
  /// [monitor.slack.url_env] Variable holding the Slack incoming-webhook URL (default CTS_ALERT_SLACK_URL).
  std::string slack_url_env = "CTS_ALERT_SLACK_URL";
  /// [monitor.discord.url_env] Variable holding the Discord webhook URL (default CTS_ALERT_DISCORD_URL).
  std::string discord_url_env = "CTS_ALERT_DISCORD_URL";
  /// [monitor.pagerduty.routing_key_env] Variable holding the PagerDuty Events v2
  /// routing key (default CTS_ALERT_PAGERDUTY_KEY).
  std::string pagerduty_key_env = "CTS_ALERT_PAGERDUTY_KEY";
  /// [monitor.email.smtp] SMTP server HOST:PORT; [monitor.email.from] sender;
  /// [monitor.email.to] comma-separated recipients; [monitor.email.starttls] on/off
  /// (default on); [monitor.email.username] and [monitor.email.password_env] (the
  /// variable holding the password) for SMTP AUTH.
  std::string email_smtp;
  std::string email_from;                        ///< See email_smtp.
  std::vector<std::string> email_to;             ///< See email_smtp.
  bool email_starttls = true;                    ///< See email_smtp.
  std::string email_username;                    ///< See email_smtp.
  std::string email_password_env;               ///< See email_smtp.
  /// [monitor.rate_per_minute] Notifications per minute each channel may send (its
  /// pacing; bursts of 3). 0 (the default): each channel type's own pace (Slack 1/s,
  /// PagerDuty 2/s, others unpaced).
  std::uint32_t rate_per_minute = 0;
};

/// Applies the configuration key `key` (which starts with "monitor") to `config`.
/// Returns the error message (without the line number), or nothing when applied.
std::optional<std::string> apply_monitor_key(MonitorConfig& config, std::string_view key, std::string_view value);

}  // namespace cts::engine
