// The configuration file parser (declared in cts/engine/config.hpp).
#include "cts/engine/config.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <fmt/format.h>

#include "cts/core/detail/text.hpp"
#include "cts/rate/redis_url.hpp"
#include "cts/store/postgres_journal.hpp"
#include "cts/venue/registry.hpp"
#include "engine/config_values.hpp"

namespace cts::engine {

namespace {

// Spaces, tabs and the '\r' of a CRLF line.
std::string_view trim(std::string_view s) { return cts::detail::trim_spaces(s, " \t\r"); }

using detail::parse_non_negative;
using detail::parse_unsigned;

/// True for a plausible venue symbol: 1 to 32 upper-case letters and digits, with '-'
/// between them (OKX's BTC-USDT-SWAP).
bool is_venue_symbol(std::string_view text) {
  if (text.empty() || text.size() > 32 || text.front() == '-' || text.back() == '-') return false;
  for (char c : text) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

/// Sets `key` to `value` in `config`. Returns the error message (after "line N: ")
/// or nothing.
std::optional<std::string> apply_engine_key(EngineConfig& config, std::string_view key, std::string_view value) {
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
  // A duration in whole milliseconds, at most a day; zero refused when `positive`.
  auto set_milliseconds = [&](auto& target, bool positive) {
    Result<std::uint64_t> parsed = parse_unsigned(value, 86'400'000);
    if (!parsed) {
      error = parsed.error();
    } else if (positive && *parsed == 0) {
      error = make_error(ErrorCode::invalid_argument, "must be positive");
    } else {
      target = std::chrono::milliseconds(*parsed);
    }
  };
  if (key == "venue") {
    Result<VenueId> venue = parse_venue(value);
    if (!venue) return venue.error().message;
    config.venue = *venue;
  } else if (key == "category") {
    if (value.empty()) return "category must not be empty";
    config.category = std::string(value);
  } else if (key == "demo") {
    if (value != "on" && value != "off") return fmt::format("demo must be on or off, not \"{}\"", value);
    config.gateway.demo = value == "on";
  } else if (key == "margin_mode") {
    if (value != "cross" && value != "isolated") {
      return fmt::format("margin_mode must be cross or isolated, not \"{}\"", value);
    }
    config.gateway.margin_mode = value == "cross" ? venue::MarginMode::cross : venue::MarginMode::isolated;
  } else if (key == "base_url") {
    config.base_url = std::string(value);
  } else if (key == "ws_url" || key == "ws_api_url" || key == "ws_order_url") {
    if (!value.empty() && !value.starts_with("ws://") && !value.starts_with("wss://")) {
      return fmt::format("{} must start with ws:// or wss://, not \"{}\"", key, value);
    }
    std::string& url = key == "ws_url" ? config.ws_url : key == "ws_api_url" ? config.ws_api_url : config.ws_order_url;
    url = std::string(value);
  } else if (key == "order_transport") {
    if (value != "ws" && value != "rest") return fmt::format("order_transport must be ws or rest, not \"{}\"", value);
    config.order_transport = value == "ws" ? OrderTransport::ws : OrderTransport::rest;
  } else if (key == "streams") {
    if (value != "on" && value != "off") return fmt::format("streams must be on or off, not \"{}\"", value);
    config.streams = value == "on";
  } else if (key == "api_key_env") {
    config.api_key_env = std::string(value);
  } else if (key == "api_secret_env") {
    config.api_secret_env = std::string(value);
  } else if (key == "api_passphrase_env") {
    config.api_passphrase_env = std::string(value);
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
        return fmt::format("symbols: \"{}\" is not a venue symbol (upper-case letters and digits, '-' between them)", item);
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
    if (store::is_postgres_url(value)) {
      if (Result<store::PostgresLocation> location = store::PostgresLocation::parse(value); !location) {
        return location.error().message;
      }
    }
    config.journal_path = std::string(value);
  } else if (key == "journal.max_size") {
    Result<std::uint64_t> size = detail::parse_size(value);
    if (!size) return fmt::format("journal.max_size {}", size.error().message);
    config.journal_max_size = *size;
  } else if (key == "journal.retention" || key == "orders.retention") {
    const std::optional<std::chrono::seconds> retention = detail::parse_retention(value);
    if (!retention) {
      return fmt::format("{} must be a positive whole number of days, hours or minutes (7d, 12h, 90m), not \"{}\"", key,
                         value);
    }
    if (key == "journal.retention") config.journal_retention = *retention;
    else config.orders_retention = *retention;
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
  } else if (key == "shutdown.deadline_ms") {
    std::uint64_t ms = 0;
    set_unsigned(ms, 3'600'000);
    if (!error && ms < 100) return "shutdown.deadline_ms must be at least 100";
    if (!error) config.shutdown_deadline = std::chrono::milliseconds(ms);
  } else if (key == "max_consecutive_errors") {
    set_unsigned(config.max_consecutive_errors, 1'000'000);
  } else if (key == "stream_deadline_ms") {
    set_milliseconds(config.stream_deadline, false);
  } else if (key == "dead_man_switch_s") {
    std::uint32_t seconds = 0;
    set_unsigned(seconds, 86'400);
    if (!error) config.dead_man_switch = std::chrono::seconds(seconds);
  } else if (key == "position_settle_ms") {
    set_milliseconds(config.position_settle, true);
  } else if (key == "breaker.threshold") {
    set_unsigned(config.breaker.threshold, 1'000'000);
  } else if (key == "breaker.backoff_ms") {
    set_milliseconds(config.breaker.initial_backoff, true);
  } else if (key == "breaker.backoff_max_ms") {
    set_milliseconds(config.breaker.max_backoff, true);
  } else if (key == "restart.max_attempts") {
    set_unsigned(config.restart.max_restarts, 1'000'000);
  } else if (key == "restart.backoff_ms") {
    set_milliseconds(config.restart.initial_backoff, true);
  } else if (key == "restart.backoff_max_ms") {
    set_milliseconds(config.restart.max_backoff, true);
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
  } else if (key == "monitor" || key.starts_with("monitor.")) {
    return apply_monitor_key(config.monitor, key, value);
  } else if (key == "rate.shared") {
    // Checked now, never quoted: the URL may carry a password.
    if (Result<rate::RedisEndpoint> shared = rate::parse_redis_url(value); !shared) return shared.error().message;
    config.rate_shared = std::string(value);
  } else if (key == "rate.processes") {
    set_unsigned(config.rate_processes, 1'000);
    if (!error && config.rate_processes == 0) return "rate.processes must be positive";
  } else if (key == "rate.fallback_share") {
    unsigned percent = 0;
    set_unsigned(percent, 100);
    if (!error && percent == 0) return "rate.fallback_share must be 1..100 (percent)";
    if (!error) config.rate_fallback_share = percent;
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

}  // namespace

Result<EngineConfig> parse_engine_config(std::string_view text) {
  EngineConfig config;
  std::string seen;  // "|key|" markers of keys already set
  std::size_t line_number = 0;
  std::size_t symbol_line = 0;
  std::size_t symbols_line = 0;
  std::size_t venue_line = 0;      // the later of `venue` and `category`
  std::size_t settings_line = 0;   // the later of `demo` and `margin_mode`
  std::size_t transport_line = 0;  // the later of `order_transport` and `streams`
  std::size_t shared_line = 0;     // `rate.shared`
  bool share_set = false;          // `rate.processes` or `rate.fallback_share`
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
    line = trim(line);
    if (line.empty()) continue;
    const std::size_t eq = line.find('=');
    if (eq == std::string_view::npos) return fail(line_number, "expected key = value");
    const std::string_view key = trim(line.substr(0, eq));
    const std::string_view value = trim(line.substr(eq + 1));
    const std::string marker = fmt::format("|{}|", key);
    if (seen.find(marker) != std::string::npos) return fail(line_number, fmt::format("{} is set twice", key));
    seen += marker;
    const std::size_t overrides_before = config.overrides.size();
    if (std::optional<std::string> error = apply_engine_key(config, key, value)) return fail(line_number, *error);
    if (config.overrides.size() != overrides_before) override_lines.push_back(line_number);
    if (key == "symbol") symbol_line = line_number;
    if (key == "symbols") symbols_line = line_number;
    if (key == "venue" || key == "category") venue_line = line_number;
    if (key == "demo" || key == "margin_mode") settings_line = line_number;
    if (key == "order_transport" || key == "streams") transport_line = line_number;
    if (key == "rate.shared") shared_line = line_number;
    if (key == "rate.processes" || key == "rate.fallback_share") share_set = true;
  }
  Result<const venue::Connector*> connector = venue::find_connector(config.venue, config.category);
  if (!connector) return fail(venue_line, connector.error().message);
  if (Result<void> honoured = venue::check_settings(**connector, config.gateway); !honoured) {
    return fail(std::max(venue_line, settings_line), honoured.error().message);
  }
  if (config.order_transport == OrderTransport::ws) {
    if ((*connector)->make_ws_orders == nullptr) {
      return fail(std::max(venue_line, transport_line),
                  fmt::format("order_transport = ws: {} {} has no WebSocket order entry in cts (set rest)",
                              to_string(config.venue), (*connector)->market));
    }
    if (!config.streams) {
      return fail(transport_line, "order_transport = ws needs streams = on (streams = off runs on REST alone)");
    }
  }
  if (shared_line != 0 && !share_set) {
    // A fallback at the whole budget in each of several processes would exceed it.
    return fail(shared_line, "rate.shared needs rate.processes (or rate.fallback_share): the share of the budget "
                             "each process uses while Redis is unreachable");
  }
  if (symbol_line != 0 && symbols_line != 0) {
    return fail(std::max(symbol_line, symbols_line), "set symbol or symbols, not both");
  }
  for (std::size_t i = 0; i < config.overrides.size(); ++i) {
    const SymbolOverride& o = config.overrides[i];
    const std::vector<std::string> traded_symbols = session_symbols(config);
    const bool traded = std::find(traded_symbols.begin(), traded_symbols.end(), o.symbol) != traded_symbols.end();
    if (!traded) return fail(override_lines[i], fmt::format("{}.{}: {} is not traded", o.symbol, o.key, o.symbol));
  }
  return config;
}

unsigned rate_fallback_share_percent(const EngineConfig& config) {
  if (config.rate_fallback_share) return *config.rate_fallback_share;
  return std::max(1U, 100U / std::max<std::uint32_t>(config.rate_processes, 1));
}

std::vector<std::string> session_symbols(const EngineConfig& config) {
  if (!config.symbols.empty()) return config.symbols;
  if (!config.symbol.empty()) return {config.symbol};
  Result<const venue::Connector*> connector = venue::find_connector(config.venue, config.category);
  if (!connector) return {};
  return {std::string((*connector)->default_symbol)};
}

namespace {

// The journal of one session among several: `<path>.<SYMBOL>` for a SQLite file; for a
// PostgreSQL URL naming a stream, the stream `<stream>.<SYMBOL>` (without one, each
// session's stream defaults to its symbol already). The URL was checked when parsed.
std::string session_journal(const std::string& journal, std::string_view symbol) {
  if (!store::is_postgres_url(journal)) return fmt::format("{}.{}", journal, symbol);
  Result<store::PostgresLocation> location = store::PostgresLocation::parse(journal);
  if (!location || location->stream.empty()) return journal;
  Result<store::PostgresLocation> own = location->with_stream(fmt::format("{}.{}", location->stream, symbol));
  return own ? own->url() : journal;
}

}  // namespace

EngineConfig session_config(const EngineConfig& config, std::string_view symbol) {
  EngineConfig out = config;
  const bool several = session_symbols(config).size() > 1;
  out.symbol = std::string(symbol);
  out.symbols.clear();
  out.overrides.clear();
  if (several && !out.journal_path.empty()) out.journal_path = session_journal(config.journal_path, symbol);
  for (const SymbolOverride& o : config.overrides) {
    if (o.symbol != symbol) continue;
    if (std::optional<std::string> error = apply_engine_key(out, o.key, o.value)) {
      throw Exception(make_error(ErrorCode::invalid_argument, *error));
    }
  }
  return out;
}

}  // namespace cts::engine
