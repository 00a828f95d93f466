#pragma once
/// \file
/// The reference engine's configuration: a text file of `key = value` lines (`#`
/// comments, blank lines ignored). Every key is documented on EngineConfig; an unknown
/// key, a repeated key or a bad value is an error naming the line. Secrets are never
/// written into the file: the file names the environment variables that hold them.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

/// What reconciliation does with open orders at the venue that are not ours (their
/// client ids do not have the shape of the engine's).
enum class ForeignOrderPolicy : std::uint8_t {
  report,  ///< Count and describe them, never touch them (`foreign_orders = report`, the default).
  cancel,  ///< Cancel them (`foreign_orders = cancel`: an account dedicated to the engine).
};

/// One per-symbol setting: `<SYMBOL>.<key> = <value>` overrides a quote.* or risk.* key
/// for the session trading SYMBOL.
struct SymbolOverride {
  std::string symbol;  ///< Venue symbol, e.g. "ETHUSDT".
  std::string key;     ///< The overridden key, e.g. "quote.quantity".
  std::string value;   ///< Its value (validated when the file is parsed).
};

/// The engine's settings. Keys of the configuration file in brackets.
struct EngineConfig {
  /// [base_url] The venue's REST base URL, e.g. https://testnet.binance.vision. Empty:
  /// the embedded simulator, started in-process on 127.0.0.1.
  std::string base_url;
  /// [ws_url] Base URL of the venue's market streams, e.g. wss://stream.binance.com:9443
  /// or wss://stream.testnet.binance.vision (the engine reads `<ws_url>/ws`). With it the
  /// market maker prices from a local order book kept by the depth and book-ticker
  /// streams, falling back to REST while the book is not synchronised. Empty (the
  /// default): REST book ticker every step. The embedded simulator's streams are used
  /// when base_url is empty.
  std::string ws_url;
  /// [ws_api_url] URL of the venue's WebSocket API, e.g.
  /// wss://ws-api.binance.com:443/ws-api/v3 or wss://ws-api.testnet.binance.vision/ws-api/v3,
  /// for the user data stream (fills as they happen; REST then only reconciles, after
  /// every reconnect and every 5 s). Needs an HMAC key. Empty (the default): fills are
  /// found by REST every step. The embedded simulator's when base_url is empty.
  std::string ws_api_url;
  /// [streams] on (default) or off: off ignores ws_url and ws_api_url and runs on REST
  /// alone, the embedded simulator included.
  bool streams = true;
  /// [api_key_env] Environment variable holding the API key (default CTS_API_KEY).
  std::string api_key_env = "CTS_API_KEY";
  /// [api_secret_env] Environment variable holding the API secret (default CTS_API_SECRET).
  std::string api_secret_env = "CTS_API_SECRET";
  /// [symbol] The venue symbol to trade (default BTCUSDT).
  std::string symbol = "BTCUSDT";
  /// [symbols] Comma-separated venue symbols, one session each, e.g. `BTCUSDT,ETHUSDT`
  /// (not with `symbol`). Empty (the default): one session trading `symbol`. The
  /// sessions share the quote.* and risk.* settings unless a per-symbol key
  /// `<SYMBOL>.quote.quantity = 0.01` (any quote.* or risk.* key) overrides one.
  std::vector<std::string> symbols;
  /// [<SYMBOL>.quote.* and <SYMBOL>.risk.*] Per-symbol overrides, in file order.
  std::vector<SymbolOverride> overrides;
  /// [journal] Path of the SQLite journal. Empty (the default): cts-journal.sqlite in the
  /// working directory for a real venue, a fresh temporary file for the embedded
  /// simulator (whose exchange starts empty on every run). With several symbols each
  /// session has its own journal: `<journal>.<SYMBOL>`.
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
  /// [client_id_prefix] Prefix of every client order id the engine sends (1 to 8 letters
  /// and digits, default "cts"). Reconciliation recognises the engine's orders at the
  /// venue by it, even when the journal lost them: engines sharing one venue account
  /// need distinct prefixes, and changing it orphans the orders sent under the old one.
  std::string client_id_prefix = "cts";
  /// [foreign_orders] report (default): open orders at the venue that are not the
  /// engine's are described in the log, counted in a metric and a health warning, and
  /// left alone; cancel: they are cancelled at every reconciliation.
  ForeignOrderPolicy foreign_orders = ForeignOrderPolicy::report;
  /// [max_consecutive_errors] A session whose start or steps fail this many times in a
  /// row is stopped as failed (its shutdown policy applied as far as the venue allows);
  /// the other sessions keep running. Default 100; 0 never gives up.
  std::uint32_t max_consecutive_errors = 100;
  /// [metrics_port] Port of the control server on 127.0.0.1 (/metrics, /health and the
  /// session controls); 0 picks a free port, absent (the default) serves none.
  std::optional<std::uint16_t> metrics_port;
  /// [control.token_file] File holding the bearer token of the control routes (only
  /// its owner may read it: mode 0600). Empty (the default): control.token_env, else a
  /// fresh token the application generates and writes to a private file.
  std::string control_token_file;
  /// [control.token_env] Environment variable holding the control token when no
  /// control.token_file is set (default CTS_CONTROL_TOKEN).
  std::string control_token_env = "CTS_CONTROL_TOKEN";
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

namespace detail {

/// True for a plausible venue symbol: 1 to 32 upper-case letters and digits.
inline bool is_venue_symbol(std::string_view text) {
  if (text.empty() || text.size() > 32) return false;
  for (char c : text) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

/// Sets `key` to `value` in `config`. Returns the error message (after "line N: ")
/// or nothing.
inline std::optional<std::string> apply_engine_key(EngineConfig& config, std::string_view key, std::string_view value) {
  std::optional<Error> error;
  auto set_decimal = [&](Decimal& target) {
    Result<Decimal> parsed = parse_non_negative(value);
    if (!parsed) {
      error = parsed.error();
    } else {
      target = *parsed;
    }
  };
  auto set_unsigned = [&](auto& target, std::uint64_t max) {
    Result<std::uint64_t> parsed = parse_unsigned(value, max);
    if (!parsed) {
      error = parsed.error();
    } else {
      target = static_cast<std::remove_reference_t<decltype(target)>>(*parsed);
    }
  };
  if (key == "base_url") {
    config.base_url = std::string(value);
  } else if (key == "ws_url" || key == "ws_api_url") {
    if (!value.empty() && !value.starts_with("ws://") && !value.starts_with("wss://")) {
      return fmt::format("{} must start with ws:// or wss://, not \"{}\"", key, value);
    }
    (key == "ws_url" ? config.ws_url : config.ws_api_url) = std::string(value);
  } else if (key == "streams") {
    if (value != "on" && value != "off") return fmt::format("streams must be on or off, not \"{}\"", value);
    config.streams = value == "on";
  } else if (key == "api_key_env") {
    config.api_key_env = std::string(value);
  } else if (key == "api_secret_env") {
    config.api_secret_env = std::string(value);
  } else if (key == "symbol") {
    if (value.empty()) return "symbol must not be empty";
    config.symbol = std::string(value);
  } else if (key == "symbols") {
    std::vector<std::string> list;
    std::string_view rest = value;
    while (true) {
      const std::size_t comma = rest.find(',');
      const std::string_view item = trim(rest.substr(0, comma));
      if (!is_venue_symbol(item)) {
        return fmt::format("symbols: \"{}\" is not a venue symbol (upper-case letters and digits)", item);
      }
      for (const std::string& seen : list) {
        if (seen == item) return fmt::format("symbols: {} is listed twice", item);
      }
      list.emplace_back(item);
      if (comma == std::string_view::npos) break;
      rest = rest.substr(comma + 1);
    }
    config.symbols = std::move(list);
  } else if (key == "journal") {
    if (value.empty()) return "journal must not be empty";
    config.journal_path = std::string(value);
  } else if (key == "quote.half_spread") {
    set_decimal(config.quoting.half_spread_fraction);
  } else if (key == "quote.quantity") {
    set_decimal(config.quoting.order_quantity);
  } else if (key == "quote.max_position") {
    set_decimal(config.quoting.max_position);
  } else if (key == "quote.skew_per_unit") {
    set_decimal(config.quoting.skew_fraction_per_unit);
  } else if (key == "quote.tolerance") {
    set_decimal(config.requote_tolerance);
  } else if (key == "quote.refresh_ms") {
    std::uint64_t ms = 0;
    set_unsigned(ms, 3'600'000);
    if (!error && ms == 0) return "quote.refresh_ms must be positive";
    if (!error) config.refresh_interval = std::chrono::milliseconds(ms);
  } else if (key == "risk.max_order_notional") {
    set_decimal(config.risk.max_order_notional);
  } else if (key == "risk.max_position") {
    set_decimal(config.risk.max_position);
  } else if (key == "risk.price_band") {
    set_decimal(config.risk.price_band_fraction);
  } else if (key == "risk.max_open_orders") {
    set_unsigned(config.risk.max_open_orders, 100'000);
  } else if (key == "risk.max_orders_per_second") {
    set_unsigned(config.risk.max_orders_per_window, 100'000);
    config.risk.order_rate_window = std::chrono::seconds{1};
  } else if (key == "on_shutdown") {
    if (value == "cancel") {
      config.on_shutdown = ShutdownPolicy::cancel_orders;
    } else if (value == "keep") {
      config.on_shutdown = ShutdownPolicy::keep_orders;
    } else {
      return fmt::format("on_shutdown must be cancel or keep, not \"{}\"", value);
    }
  } else if (key == "client_id_prefix") {
    const bool alphanumeric = std::all_of(value.begin(), value.end(), [](char c) {
      return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    });
    if (value.empty() || value.size() > 8 || !alphanumeric) {
      return fmt::format("client_id_prefix must be 1 to 8 letters and digits, not \"{}\"", value);
    }
    config.client_id_prefix = std::string(value);
  } else if (key == "foreign_orders") {
    if (value == "report") {
      config.foreign_orders = ForeignOrderPolicy::report;
    } else if (value == "cancel") {
      config.foreign_orders = ForeignOrderPolicy::cancel;
    } else {
      return fmt::format("foreign_orders must be report or cancel, not \"{}\"", value);
    }
  } else if (key == "max_consecutive_errors") {
    set_unsigned(config.max_consecutive_errors, 1'000'000);
  } else if (key == "metrics_port") {
    std::uint16_t port = 0;
    set_unsigned(port, 65'535);
    if (!error) config.metrics_port = port;
  } else if (key == "control.token_file") {
    if (value.empty()) return "control.token_file must not be empty";
    config.control_token_file = std::string(value);
  } else if (key == "control.token_env") {
    if (value.empty()) return "control.token_env must not be empty";
    config.control_token_env = std::string(value);
  } else if (key == "sim.seed") {
    set_unsigned(config.sim_seed, UINT64_MAX / 10);
  } else {
    const std::size_t dot = key.find('.');
    const std::string_view prefix = dot == std::string_view::npos ? std::string_view{} : key.substr(0, dot);
    const std::string_view rest = dot == std::string_view::npos ? std::string_view{} : key.substr(dot + 1);
    if (is_venue_symbol(prefix) && (rest.starts_with("quote.") || rest.starts_with("risk."))) {
      EngineConfig scratch;
      if (std::optional<std::string> bad = apply_engine_key(scratch, rest, value)) {
        return fmt::format("{}.{}", prefix, *bad);
      }
      config.overrides.push_back(SymbolOverride{std::string(prefix), std::string(rest), std::string(value)});
      return std::nullopt;
    }
    return fmt::format("unknown key \"{}\"", key);
  }
  if (error) return fmt::format("{}: {}", key, error->message);
  return std::nullopt;
}

}  // namespace detail

/// Parses configuration text. Errors: invalid_argument "line N: ..." for a line without
/// '=', an unknown or repeated key, a bad value, `symbol` and `symbols` both set, or a
/// per-symbol key for a symbol that is not traded.
inline Result<EngineConfig> parse_engine_config(std::string_view text) {
  EngineConfig config;
  std::string seen;  // "|key|" markers of keys already set
  std::size_t line_number = 0;
  std::size_t symbol_line = 0;
  std::size_t symbols_line = 0;
  std::vector<std::size_t> override_lines;
  auto fail = [](std::size_t line, std::string_view what) {
    return Result<EngineConfig>(make_error(ErrorCode::invalid_argument, fmt::format("line {}: {}", line, what)));
  };
  while (!text.empty()) {
    ++line_number;
    const std::size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
    if (const std::size_t hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    line = detail::trim(line);
    if (line.empty()) continue;
    const std::size_t eq = line.find('=');
    if (eq == std::string_view::npos) return fail(line_number, "expected key = value");
    const std::string_view key = detail::trim(line.substr(0, eq));
    const std::string_view value = detail::trim(line.substr(eq + 1));
    const std::string marker = fmt::format("|{}|", key);
    if (seen.find(marker) != std::string::npos) return fail(line_number, fmt::format("{} is set twice", key));
    seen += marker;
    const std::size_t overrides_before = config.overrides.size();
    if (std::optional<std::string> error = detail::apply_engine_key(config, key, value)) return fail(line_number, *error);
    if (config.overrides.size() != overrides_before) override_lines.push_back(line_number);
    if (key == "symbol") symbol_line = line_number;
    if (key == "symbols") symbols_line = line_number;
  }
  if (symbol_line != 0 && symbols_line != 0) {
    return fail(std::max(symbol_line, symbols_line), "set symbol or symbols, not both");
  }
  for (std::size_t i = 0; i < config.overrides.size(); ++i) {
    const SymbolOverride& o = config.overrides[i];
    const bool traded = config.symbols.empty() ? o.symbol == config.symbol
                                               : std::find(config.symbols.begin(), config.symbols.end(), o.symbol) !=
                                                     config.symbols.end();
    if (!traded) return fail(override_lines[i], fmt::format("{}.{}: {} is not traded", o.symbol, o.key, o.symbol));
  }
  return config;
}

/// The symbols of the sessions `config` asks for: `symbols`, or `symbol` alone.
inline std::vector<std::string> session_symbols(const EngineConfig& config) {
  return config.symbols.empty() ? std::vector<std::string>{config.symbol} : config.symbols;
}

/// The configuration of the session trading `symbol`: `symbol` set, `symbols` cleared,
/// the per-symbol overrides of `symbol` applied, and with several symbols the journal
/// path `<journal>.<SYMBOL>` (one symbol keeps `journal` as it is; an empty path stays
/// empty). Throws cts::Exception (invalid_argument) for an override the parser would
/// have refused (a config not made by parse_engine_config).
inline EngineConfig session_config(const EngineConfig& config, std::string_view symbol) {
  EngineConfig out = config;
  const bool several = session_symbols(config).size() > 1;
  out.symbol = std::string(symbol);
  out.symbols.clear();
  out.overrides.clear();
  if (several && !out.journal_path.empty()) out.journal_path = fmt::format("{}.{}", config.journal_path, symbol);
  for (const SymbolOverride& o : config.overrides) {
    if (o.symbol != symbol) continue;
    if (std::optional<std::string> error = detail::apply_engine_key(out, o.key, o.value)) {
      throw Exception(make_error(ErrorCode::invalid_argument, *error));
    }
  }
  return out;
}

}  // namespace cts::engine
