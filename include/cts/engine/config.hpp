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
#include <vector>

#include "cts/core/decimal.hpp"
#include "cts/core/error.hpp"
#include "cts/core/result.hpp"
#include "cts/core/venue_id.hpp"
#include "cts/engine/monitor_config.hpp"
#include "cts/engine/quoting.hpp"
#include "cts/engine/rejection_breaker.hpp"
#include "cts/engine/risk.hpp"
#include "cts/engine/session_failure.hpp"
#include "cts/venue/registry.hpp"

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

/// How creates and cancels reach the venue (EngineConfig::order_transport).
enum class OrderTransport : std::uint8_t {
  ws,    ///< Over the venue's WebSocket order entry, REST while it cannot carry them.
  rest,  ///< Over REST.
};

/// "ws" or "rest".
constexpr std::string_view to_string(OrderTransport transport) noexcept {
  return transport == OrderTransport::ws ? "ws" : "rest";
}

/// The engine's settings. Keys of the configuration file in brackets.
struct EngineConfig {
  /// [venue] The venue to trade, as `ctsctl` names it: binance (the default), bybit, ...
  /// (venue/registry.hpp lists the ones cts can trade; another is refused when the file
  /// is parsed).
  VenueId venue = VenueId::binance_spot;
  /// [category] The venue's market, for a venue with several: spot, linear. Empty (the
  /// default): the venue's first (spot).
  std::string category;
  /// [demo] and [margin_mode] What the gateway applies to every request: `demo = on`
  /// trades the venue's demo environment where each request selects it (OKX; refused
  /// where the demo is a host of its own: set base_url instead), `margin_mode = cross |
  /// isolated` the margin mode of derivatives orders where orders name it (OKX swap).
  /// Defaults: off, cross.
  venue::GatewaySettings gateway;
  /// [base_url] The venue's REST base URL (each venue's production, testnet and demo
  /// URLs are in docs/venues.md). Empty: the embedded simulator speaking the venue's
  /// protocol, started in-process on 127.0.0.1.
  std::string base_url;
  /// [ws_url] Base URL of the venue's market streams (docs/venues.md; the engine adds
  /// the venue's stream path). With it the market maker prices from a local order book
  /// kept by the venue's book and ticker streams, falling back to REST while the book
  /// is not synchronised. Empty (the default): REST book ticker every step. The
  /// embedded simulator's streams are used when base_url is empty.
  std::string ws_url;
  /// [ws_api_url] URL of the venue's private stream (docs/venues.md), for fills as they
  /// happen (REST then only reconciles, after every reconnect and every 5 s). Needs a
  /// key the venue's stream can sign with. Empty (the default): fills are found by REST
  /// every step. The embedded simulator's when base_url is empty.
  std::string ws_api_url;
  /// [ws_order_url] URL of the venue's WebSocket order entry (docs/venues.md). Empty (the
  /// default): derived from ws_api_url by the venue (the same URL for Binance's WebSocket
  /// API and OKX's private stream, `/v5/trade` beside Bybit's `/v5/private`). The
  /// embedded simulator's when base_url is empty.
  std::string ws_order_url;
  /// [order_transport] ws or rest: how creates and cancels reach the venue. ws: over the
  /// venue's WebSocket while its connection is up and logged in, over REST otherwise (the
  /// fallback is reported, never an error); refused when the parsed file's market has no
  /// WebSocket order entry (venue/registry.hpp, Connector::make_ws_orders) or streams is
  /// off, and by the session when no order URL is known. rest: always REST. Unset (the
  /// default): ws where the market has WebSocket order entry and an order URL is known,
  /// rest otherwise. Every other request goes over REST either way.
  std::optional<OrderTransport> order_transport;
  /// [streams] on (default) or off: off ignores ws_url, ws_api_url and ws_order_url and
  /// runs on REST alone, the embedded simulator included.
  bool streams = true;
  /// [api_key_env] Environment variable holding the API key (default CTS_API_KEY).
  std::string api_key_env = "CTS_API_KEY";
  /// [api_secret_env] Environment variable holding the API secret (default CTS_API_SECRET).
  std::string api_secret_env = "CTS_API_SECRET";
  /// [api_passphrase_env] Environment variable holding the API passphrase, read when it
  /// is set (OKX signs with one; default CTS_API_PASSPHRASE).
  std::string api_passphrase_env = "CTS_API_PASSPHRASE";
  /// [symbol] The venue symbol to trade. Empty (the default): the connector's
  /// default_symbol (BTCUSDT on Binance and Bybit, BTC-USDT on OKX spot, BTC-USDT-SWAP
  /// on OKX swap).
  std::string symbol;
  /// [symbols] Comma-separated venue symbols, one session each, e.g. `BTCUSDT,ETHUSDT`
  /// (not with `symbol`). Empty (the default): one session trading `symbol`. The
  /// sessions share the quote.* and risk.* settings unless a per-symbol key
  /// `<SYMBOL>.quote.quantity = 0.01` (any quote.* or risk.* key) overrides one.
  std::vector<std::string> symbols;
  /// [<SYMBOL>.quote.* and <SYMBOL>.risk.*] Per-symbol overrides, in file order.
  std::vector<SymbolOverride> overrides;
  /// [journal] Path of the SQLite journal, or a PostgreSQL journal's URL
  /// `postgresql://user@host:port/database[?stream=NAME]` (store::PostgresLocation; the
  /// stream defaults to the session's symbol). Empty (the default): cts-journal.sqlite
  /// in the working directory for a real venue, a fresh temporary file for the embedded
  /// simulator (whose exchange starts empty on every run). With several symbols each
  /// session has its own journal: `<journal>.<SYMBOL>`, or the stream
  /// `<stream>.<SYMBOL>` of a URL naming one. A malformed URL is refused when parsed.
  std::string journal_path;
  /// [journal.max_size] Size of the journal, bytes (a k, M or G suffix: KiB, MiB, GiB),
  /// that the health check `journal:size` warns at 80% of and fails at (the JournalSize
  /// alert). 0 (the default): no limit.
  std::uint64_t journal_max_size = 0;
  /// [journal.retention] When set (`<n>d`, `<n>h`, `<n>m`), closed orders whose last event
  /// is older are compacted out of the journal into a snapshot (store::compact_journal),
  /// once an hour and whenever the journal passes 80% of journal.max_size. Unset (the
  /// default): the journal keeps every record.
  std::optional<std::chrono::seconds> journal_retention;
  /// [orders.retention] Closed orders whose last event is older are forgotten from memory
  /// (OrderTracker::purge_terminal) and closed position cycles folded into one
  /// (PositionBook::fold_closed_cycles), checked once a minute; default 1d.
  std::chrono::seconds orders_retention{86'400};
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
  /// [shutdown.deadline_ms] How long a cancel sweep (on stop with on_shutdown = cancel,
  /// on kill, after a journal failure, before a restart) keeps cancelling and asking the
  /// venue until it lists none of our orders (default 10000, at least 100). Orders still
  /// listed then are printed and make the run fail.
  std::chrono::milliseconds shutdown_deadline{10'000};
  /// [max_consecutive_errors] A session whose start or steps fail this many times in a
  /// row is stopped as failed (its shutdown policy applied as far as the venue allows);
  /// the other sessions keep running. Default 100; 0 never gives up.
  std::uint32_t max_consecutive_errors = 100;
  /// [stream_deadline_ms] A WebSocket stream (market data or user data) down this long
  /// fails the session for a transient reason, which a restart may cure (default
  /// 60000; 0: never).
  std::chrono::milliseconds stream_deadline{60'000};
  /// [dead_man_switch_s] Where the venue has a dead-man switch (Gateway::
  /// arm_dead_man_switch: OKX, BingX swap and spot), each session arms it with this
  /// timeout after its start-up reconciliation and refreshes it every third of it, so
  /// that the venue cancels every open order of the account when the engine stops
  /// refreshing it (the process died); a graceful stop disarms it after its cancel
  /// sweep. Default 60; 0: off; a value outside the venue's range (10..120 at OKX and
  /// BingX) refuses the start.
  std::chrono::seconds dead_man_switch{60};
  /// [position_settle_ms] Derivatives with a private stream: how long the venue's
  /// streamed position may differ from the engine's position book, without a moment of
  /// agreement, before the session reconciles with the venue by REST (PositionWatch;
  /// default 2000, positive).
  std::chrono::milliseconds position_settle{2'000};
  /// [breaker.threshold] identical venue rejections in a row that stop order sending
  /// (default 5; 0 disables), [breaker.backoff_ms] wait before the first retry (default
  /// 1000), doubling up to [breaker.backoff_max_ms] (default 60000).
  BreakerOptions breaker;
  /// [restart.max_attempts] restarts of a session failed for a transient reason
  /// (default 3; 0: a failure is final), [restart.backoff_ms] wait before the first
  /// (default 1000), doubling up to [restart.backoff_max_ms] (default 30000).
  RestartPolicy restart;
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
  /// [monitor.*] Alerting, incidents and the history of the operations API
  /// (monitor_config.hpp documents every key).
  MonitorConfig monitor;
  /// [sim.seed] Seed of the embedded simulator's market flow (default 7).
  std::uint64_t sim_seed = 7;
  /// [rate.shared] `redis://[[user]:password@]host[:port][/db]`: the venue's rate budget
  /// is shared through this Redis server with every process trading the same venue,
  /// base URL and API key (rate::RedisBudget). Empty (the default): this process's own
  /// limiter. The password never appears in a log line or error. Needs rate.processes
  /// or rate.fallback_share.
  std::string rate_shared;
  /// [rate.processes] How many processes share the budget: with rate.shared, each
  /// falls back to 1/N of it while Redis is unreachable (default 1).
  std::uint32_t rate_processes = 1;
  /// [rate.fallback_share] The percentage (1..100) of the budget this process uses
  /// while Redis is unreachable; default 100 / rate.processes (rounded down, at least 1).
  std::optional<unsigned> rate_fallback_share;
};

/// The share of the venue's budget (percent) `config`'s process uses on the local
/// fallback of a shared budget: rate.fallback_share, else 100 / rate.processes.
unsigned rate_fallback_share_percent(const EngineConfig& config);

/// Parses configuration text. Errors: invalid_argument "line N: ..." for a line without
/// '=', an unknown or repeated key, a bad value, `symbol` and `symbols` both set, a
/// per-symbol key for a symbol that is not traded, or a venue and category cts cannot
/// trade.
Result<EngineConfig> parse_engine_config(std::string_view text);

/// The symbols of the sessions `config` asks for: `symbols`, or `symbol` alone (its
/// connector's default symbol when empty; none for a venue and category cts cannot
/// trade).
std::vector<std::string> session_symbols(const EngineConfig& config);

/// The configuration of the session trading `symbol`: `symbol` set, `symbols` cleared,
/// the per-symbol overrides of `symbol` applied, and with several symbols the journal
/// path `<journal>.<SYMBOL>` (one symbol keeps `journal` as it is; an empty path stays
/// empty). Throws cts::Exception (invalid_argument) for an override the parser would
/// have refused (a config not made by parse_engine_config).
EngineConfig session_config(const EngineConfig& config, std::string_view symbol);

}  // namespace cts::engine
