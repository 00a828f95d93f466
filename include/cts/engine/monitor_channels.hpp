#pragma once
/// \file
/// The notification channels a MonitorConfig names (`monitor.channels`), built with the
/// health library's channel classes and their secrets read from the environment
/// variables the configuration names. A secret (a webhook URL, a routing key, an SMTP
/// password) is never put into an error message.

#include <functional>
#include <string_view>
#include <vector>

#include "cts/core/result.hpp"
#include "cts/engine/monitor.hpp"
#include "cts/engine/monitor_config.hpp"

namespace cts::engine {

/// One channel per entry of `config.channels`, each named after its type ("webhook",
/// "slack", ...), paced by `monitor.rate_per_minute` (or its type's own pace). The log
/// channel writes each notification as one JSON line to `log_line`. Errors
/// (invalid_argument, naming the variable or key, never the secret): a variable that is
/// not set, a URL the channel refuses, an email channel without monitor.email.smtp,
/// from or to.
Result<std::vector<MonitorChannel>> make_monitor_channels(const MonitorConfig& config,
                                                          std::function<void(std::string_view)> log_line);

}  // namespace cts::engine
