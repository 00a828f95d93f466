#pragma once
/// \file
/// The reference engine's configuration: a text file of `key = value` lines (`#`
/// comments, blank lines ignored). Every key is documented on EngineConfig; an unknown
/// key, a repeated key or a bad value is an error naming the line. Secrets are never
/// written into the file: the file names the environment variables that hold them.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "cts/core/decimal.hpp"
#include "cts/core/error.hpp"
#include "cts/core/result.hpp"
#include "cts/engine/quoting.hpp"
#include "cts/engine/risk.hpp"

namespace cts::engine {

/// What the engine does when it shuts down.
enum class ShutdownPolicy : std::uint8_t {
  cancel_orders,  ///< Cancel every open order (`on_shutdown = cancel`, the default).
  keep_orders,    ///< Leave open orders working (`on_shutdown = keep`).
};

/// The engine's settings. Keys of the configuration file in brackets.
struct EngineConfig {
  /// [base_url] The venue's REST base URL, e.g. https://testnet.binance.vision. Empty:
  /// the embedded simulator, started in-process on 127.0.0.1.
  std::string base_url;
  /// [api_key_env] Environment variable holding the API key (default CTS_API_KEY).
  std::string api_key_env = "CTS_API_KEY";
  /// [api_secret_env] Environment variable holding the API secret (default CTS_API_SECRET).
  std::string api_secret_env = "CTS_API_SECRET";
  /// [symbol] The venue symbol to trade (default BTCUSDT).
  std::string symbol = "BTCUSDT";
  /// [journal] Path of the SQLite journal. Empty (the default): cts-journal.sqlite in the
  /// working directory for a real venue, a fresh temporary file for the embedded
  /// simulator (whose exchange starts empty on every run).
  std::string journal_path;
  /// [quote.half_spread] Distance of each quote from the mid, as a fraction (default 0.00005).
  /// [quote.quantity] Quantity of each quote (default 0.001).
  /// [quote.max_position] Position beyond which a side is not quoted (default 0.01).
  /// [quote.skew_per_unit] Quote shift per unit of position, as a fraction (default 0.01).
  QuotingParams quoting{Decimal::parse("0.00005").value(), Decimal::parse("0.001").value(),
                        Decimal::parse("0.01").value(), Decimal::parse("0.01").value()};
  /// [quote.refresh_ms] How often the quotes are recomputed (default 500).
  std::chrono::milliseconds refresh_interval{500};
  /// [quote.tolerance] Relative price move that makes a resting quote stale and
  /// replaced (default 0.0002).
  Decimal requote_tolerance = Decimal::parse("0.0002").value();
  /// [risk.max_order_notional] (default 1000), [risk.max_position] (default 0.02),
  /// [risk.price_band] as a fraction of the mid (default 0.05), [risk.max_open_orders]
  /// (default 10), [risk.max_orders_per_second] (default 5). 0 disables a check.
  RiskLimits risk{Decimal::from_int(1000), Decimal::parse("0.02").value(), Decimal::parse("0.05").value(), 10, 5,
                  std::chrono::seconds{1}};
  /// [on_shutdown] cancel (default) or keep.
  ShutdownPolicy on_shutdown = ShutdownPolicy::cancel_orders;
  /// [metrics_port] Port of the /metrics and /health server on 127.0.0.1; 0 picks a free
  /// port, absent (the default) serves none.
  std::optional<std::uint16_t> metrics_port;
  /// [sim.seed] Seed of the embedded simulator's market flow (default 7).
  std::uint64_t sim_seed = 7;
};

namespace detail {

inline std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

inline Result<std::uint64_t> parse_unsigned(std::string_view text, std::uint64_t max) {
  if (text.empty() || text.size() > 19) return make_error(ErrorCode::invalid_argument, "expected a whole number");
  std::uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return make_error(ErrorCode::invalid_argument, "expected a whole number");
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (value > max) return make_error(ErrorCode::invalid_argument, fmt::format("must be at most {}", max));
  return value;
}

inline Result<Decimal> parse_non_negative(std::string_view text) {
  Result<Decimal> value = Decimal::parse(text);
  if (value && value->is_negative()) return make_error(ErrorCode::invalid_argument, "must not be negative");
  return value;
}

}  // namespace detail

/// Parses configuration text. Errors: invalid_argument "line N: ..." for a line without
/// '=', an unknown or repeated key, or a bad value.
inline Result<EngineConfig> parse_engine_config(std::string_view text) {
  EngineConfig config;
  std::string seen;  // "|key|" markers of keys already set
  std::size_t line_number = 0;
  while (!text.empty()) {
    ++line_number;
    const std::size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
    if (const std::size_t hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    line = detail::trim(line);
    if (line.empty()) continue;
    auto fail = [&](std::string_view what) {
      return Result<EngineConfig>(make_error(ErrorCode::invalid_argument, fmt::format("line {}: {}", line_number, what)));
    };
    const std::size_t eq = line.find('=');
    if (eq == std::string_view::npos) return fail("expected key = value");
    const std::string_view key = detail::trim(line.substr(0, eq));
    const std::string_view value = detail::trim(line.substr(eq + 1));
    const std::string marker = fmt::format("|{}|", key);
    if (seen.find(marker) != std::string::npos) return fail(fmt::format("{} is set twice", key));
    seen += marker;

    auto bad_value = [&](const Error& error) { return fail(fmt::format("{}: {}", key, error.message)); };
    auto set_decimal = [&](Decimal& target) -> std::optional<Error> {
      Result<Decimal> parsed = detail::parse_non_negative(value);
      if (!parsed) return parsed.error();
      target = *parsed;
      return std::nullopt;
    };
    auto set_unsigned = [&](auto& target, std::uint64_t max) -> std::optional<Error> {
      Result<std::uint64_t> parsed = detail::parse_unsigned(value, max);
      if (!parsed) return parsed.error();
      target = static_cast<std::remove_reference_t<decltype(target)>>(*parsed);
      return std::nullopt;
    };

    std::optional<Error> error;
    if (key == "base_url") {
      config.base_url = std::string(value);
    } else if (key == "api_key_env") {
      config.api_key_env = std::string(value);
    } else if (key == "api_secret_env") {
      config.api_secret_env = std::string(value);
    } else if (key == "symbol") {
      if (value.empty()) return fail("symbol must not be empty");
      config.symbol = std::string(value);
    } else if (key == "journal") {
      if (value.empty()) return fail("journal must not be empty");
      config.journal_path = std::string(value);
    } else if (key == "quote.half_spread") {
      error = set_decimal(config.quoting.half_spread_fraction);
    } else if (key == "quote.quantity") {
      error = set_decimal(config.quoting.order_quantity);
    } else if (key == "quote.max_position") {
      error = set_decimal(config.quoting.max_position);
    } else if (key == "quote.skew_per_unit") {
      error = set_decimal(config.quoting.skew_fraction_per_unit);
    } else if (key == "quote.tolerance") {
      error = set_decimal(config.requote_tolerance);
    } else if (key == "quote.refresh_ms") {
      std::uint64_t ms = 0;
      error = set_unsigned(ms, 3'600'000);
      if (!error && ms == 0) return fail("quote.refresh_ms must be positive");
      config.refresh_interval = std::chrono::milliseconds(ms);
    } else if (key == "risk.max_order_notional") {
      error = set_decimal(config.risk.max_order_notional);
    } else if (key == "risk.max_position") {
      error = set_decimal(config.risk.max_position);
    } else if (key == "risk.price_band") {
      error = set_decimal(config.risk.price_band_fraction);
    } else if (key == "risk.max_open_orders") {
      error = set_unsigned(config.risk.max_open_orders, 100'000);
    } else if (key == "risk.max_orders_per_second") {
      error = set_unsigned(config.risk.max_orders_per_window, 100'000);
      config.risk.order_rate_window = std::chrono::seconds{1};
    } else if (key == "on_shutdown") {
      if (value == "cancel") {
        config.on_shutdown = ShutdownPolicy::cancel_orders;
      } else if (value == "keep") {
        config.on_shutdown = ShutdownPolicy::keep_orders;
      } else {
        return fail(fmt::format("on_shutdown must be cancel or keep, not \"{}\"", value));
      }
    } else if (key == "metrics_port") {
      std::uint16_t port = 0;
      error = set_unsigned(port, 65'535);
      config.metrics_port = port;
    } else if (key == "sim.seed") {
      error = set_unsigned(config.sim_seed, UINT64_MAX / 10);
    } else {
      return fail(fmt::format("unknown key \"{}\"", key));
    }
    if (error) return bad_value(*error);
  }
  return config;
}

}  // namespace cts::engine
