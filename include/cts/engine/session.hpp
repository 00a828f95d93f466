#pragma once
/// \file
/// TradingSession: one connection to one venue with everything wired — HTTP client,
/// rate limiter (the venue's published policy), signer, connector gateway, account
/// (tracker + positions), risk gate, kill switch, order executor, the market maker, the
/// WebSocket market feed and user data stream when the venue's URLs are given, and the
/// session's metrics and health checks. step() is the data flow of docs/architecture.md:
/// intent, risk, journal, limiter, signer, transport, outcome, state machine, positions.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "cts/core/client_order_id.hpp"
#include "cts/core/clock.hpp"
#include "cts/core/decimal.hpp"
#include "cts/core/result.hpp"
#include "cts/engine/config.hpp"
#include "cts/engine/dead_man_switch.hpp"
#include "cts/engine/session_detail.hpp"
#include "cts/engine/executor.hpp"
#include "cts/engine/journal_recorder.hpp"
#include "cts/engine/market_maker.hpp"
#include "cts/engine/rest_channel.hpp"
#include "cts/engine/risk.hpp"
#include "cts/engine/session_failure.hpp"
#include "cts/health/metrics_registry.hpp"
#include "cts/health/registry.hpp"
#include "cts/net/http_client.hpp"
#include "cts/order/account.hpp"
#include "cts/rate/budget.hpp"
#include "cts/sign/signer.hpp"
#include "cts/store/journal.hpp"
#include "cts/venue/gateway.hpp"

namespace cts::engine {

/// Where and as whom a session connects.
struct SessionEndpoint {
  std::string base_url;           ///< The venue's REST base URL (docs/venues.md), or a simulator's.
  sign::Credentials credentials;  ///< API key and secret.
  /// Transport options (timeouts, custom CA for tests; the WebSockets use its verify_peer
  /// and ca_pem).
  net::HttpClientOptions http;
  /// Base URL of the venue's market streams (docs/venues.md; the session reads
  /// `<ws_url><path>`, the path being the venue's market stream's). Empty, or a venue
  /// without a market stream: the market maker prices from REST every step.
  std::string ws_url;
  /// URL of the venue's private stream (docs/venues.md). Empty, a venue without one,
  /// or a key that cannot sign it (the log says so): fills are found by REST every
  /// step.
  std::string ws_api_url;
  /// URL of the venue's WebSocket order entry (docs/venues.md). Empty: the venue's
  /// protocol derives it from ws_api_url (venue::WsOrderProtocol::order_url: the same URL
  /// for Binance's WebSocket API and OKX's private stream, `/v5/trade` for Bybit); with
  /// both empty orders go over REST (EngineConfig::order_transport = ws is then refused).
  std::string ws_order_url;
  /// The rate limiter to use. Sessions trading on one venue account must share one
  /// (each would otherwise believe it owns the whole weight budget); null: the session
  /// makes its own from the venue's published policy. Thread-safe, shared ownership.
  std::shared_ptr<rate::Budget> limiter;
  /// Where the session writes what an operator must read (reconciliation results and
  /// warnings), one line per call, on the session's thread (and on the caller's during
  /// open()). Empty: nowhere (last_reconciliation() still has the facts).
  std::function<void(std::string_view)> log;
  /// A stop requested here while the session starts ends the start-up's retry waits at
  /// once (open() then fails with the last error): a shutdown does not wait them out.
  /// Empty: the start-up runs its retries to their end (kStartupRetryWindow at most).
  std::stop_token stop;
};

/// Free and locked amount of one asset.
struct BalanceSummary {
  Decimal free;    ///< Available.
  Decimal locked;  ///< Held by open orders.
};

/// A derivatives position as the venue reports it (the summary's venue_positions).
struct VenuePositionSummary {
  Decimal quantity;  ///< Signed size (positive long, negative short), the legs summed.
  /// "stream" (the private stream's last report) or "rest" (a REST read, newer: a
  /// reconciliation's, or the one the session makes when it stops).
  std::string source;
  /// The legs as that source gave them (leg, size, entry, mark, unrealised PnL,
  /// leverage): the stream's last report of each leg, or the legs of a read made when
  /// the session stopped; empty for a reconciliation's read (it keeps the sum only).
  std::vector<venue::Position> legs;
};

/// How a session's creates and cancels went: WsOrderRoute's counters with transport ws,
/// zeros with rest.
struct OrderRouteSummary {
  std::string transport = "rest";      ///< "ws" (WebSocket with REST fallback) or "rest".
  std::uint64_t over_ws = 0;           ///< Creates and cancels written on the WebSocket.
  std::uint64_t over_rest = 0;         ///< Creates and cancels sent over REST.
  std::uint64_t fallbacks = 0;         ///< Of over_rest, those the WebSocket could not carry (transport ws).
  std::uint64_t unknown_outcomes = 0;  ///< WebSocket requests without a reply.
  std::uint64_t late_replies = 0;      ///< Replies that came after their request gave up.
};

/// What a run did, as the engine believes it (the summary file of `ctsctl run`).
struct SessionSummary {
  ExecutorStats orders;                      ///< Order counters.
  OrderRouteSummary order_route;             ///< The order transport and its counters.
  std::uint64_t http_429 = 0;                ///< 429 answers.
  std::uint64_t http_418 = 0;                ///< 418 answers.
  std::uint64_t throttled = 0;               ///< Throttles the venue declared inside answers (ChannelStats::throttled).
  std::map<std::string, Decimal> positions;  ///< Unified symbol → signed quantity.
  /// Derivatives: unified symbol → the venue's position as the session last heard it
  /// (PositionWatch: its private stream, or its last reconciliation when newer). Empty
  /// for spot.
  std::map<std::string, VenuePositionSummary> venue_positions;
  std::map<std::string, BalanceSummary> balances;  ///< Asset → free and locked (from the venue).
  Decimal realized_pnl;                            ///< Realised PnL in the quote asset, net of quote fees.
  std::map<std::string, Decimal> fees;             ///< Asset → fees paid.
  std::string health;                              ///< Overall health: "pass", "warn" or "fail".
  std::vector<std::string> health_reasons;         ///< Why it is not pass: "<check>: <reason>" per check.
  /// Orders of ours still open at the venue after the last cancel sweep gave up (its
  /// deadline passed): the venue's last listing, or what the account believed open
  /// when the venue could not be asked. Empty when every cancel was confirmed.
  std::vector<venue::OrderReport> left_open;
};

/// Renders `summary` as the JSON object `ctsctl run --summary` writes (decimals as
/// strings, exactly).
std::string to_json(const SessionSummary& summary);

/// One trading session. Not thread-safe: one thread calls step(); status_line() and
/// the metrics/health registries may be read from other threads. With WebSocket URLs
/// the session owns two net::WsClient io threads, which only read, write and queue:
/// every event is consumed on the thread calling step().
class TradingSession {
 public:
  /// Connects to the venue: reads its time (offset for signing) and the instrument's
  /// rules, rebuilds the account by replaying `journal`, then reconciles with the venue
  /// (OrderExecutor::reconcile: orders of ours the journal lost are adopted, missed
  /// fills applied, closed orders resolved, foreign orders reported), logging a warning
  /// when the journal did not know orders of ours. Every later order record goes to
  /// `journal` before the request is sent. Each of those reads that fails for a
  /// transient reason is sent again by the RestChannel with the start-up's patience
  /// (startup_retry.hpp: all retries end within kStartupRetryWindow, and at once when a
  /// stop is requested on `endpoint.stop`; a line per retry to `endpoint.log`). Errors:
  /// the venue's once retries are spent or for a reason a retry
  /// cannot cure (network, auth_failed, unknown symbol, ...), the journal's (a damaged
  /// journal refuses to start), and a reconciliation that could not complete
  /// ("start-up reconciliation: ..."): no session trades on a state the venue has not
  /// confirmed. `journal` must outlive the session.
  static Result<std::unique_ptr<TradingSession>> open(const EngineConfig& config, SessionEndpoint endpoint,
                                                      store::Journal& journal);
  ~TradingSession();
  TradingSession(const TradingSession&) = delete;
  TradingSession& operator=(const TradingSession&) = delete;

  /// One cycle at `now`: the events the WebSockets queued since the last step (user
  /// data first, then market data; a REST reconciliation after every new user-stream
  /// subscription), then the market maker (prices, sync, quotes), metrics and health.
  /// On a derivatives venue with a private stream, the venue's streamed position is
  /// compared with the engine's position book (PositionWatch, whose rule is in
  /// cts/engine/position_watch.hpp): a difference that outlasts the settle time makes the
  /// step reconcile with the venue by REST before quoting, and a difference that
  /// reconciliation cannot explain is logged and warns `venue:position` and
  /// `orders:reconciliation` (never adjusted) until the figures agree again.
  /// Errors are counted and returned; the session stays usable unless failure() is set
  /// (then the step sends nothing and returns the failure's error). A journal failure
  /// (an append or commit failed: full disk, I/O error, file made read-only) halts the
  /// session on that step: the kill switch is tripped, every order of ours at the venue
  /// is cancelled and verified gone (the sweep of shutdown), `journal:writable` fails,
  /// and failure() is permanent.
  Result<void> step(SteadyTime now);
  /// Why the session cannot go on, once it cannot: permanent when the venue refused the
  /// credentials (no further signed request is sent), the journal could not be written,
  /// or the kill switch was tripped; transient when a WebSocket stream has been down
  /// longer than `stream_deadline`. The `session:lifecycle` check fails with the reason.
  [[nodiscard]] std::optional<SessionFailure> failure() const;
  /// Applies the configured shutdown policy (see the overload).
  void shutdown(SteadyTime now);
  /// Applies `policy` after one last sync: keep_orders leaves every order (the quotes
  /// included) working (and disarms the venue's dead-man switch, which would cancel
  /// them); cancel_orders stops quoting, then sweeps the venue
  /// (sweep_open_orders with config.shutdown_deadline: the venue's cancel-all, then
  /// listings with backoff until it shows none of ours) and records the final states;
  /// both then disarm the dead-man switch.
  /// Orders still open when the deadline passes are kept in left_open(), the summary's
  /// left_open, and fail the `venue:orders-left-open` health check.
  /// On a derivatives venue it then reads the venue's position by REST (once more after
  /// a sync when it differs from the book): `venue:position` passes when it equals the
  /// book (which settles the last reconciliation's position difference) and warns with
  /// both figures otherwise.
  void shutdown(SteadyTime now, ShutdownPolicy policy);
  /// Stops quoting: cancels the market maker's quotes; later steps still sync fills,
  /// metrics and health.
  void pause();
  /// Quotes again from the next step() (unless the kill switch was tripped).
  void resume();
  /// Trips the kill switch: stops quoting and sweeps the venue as shutdown does.
  void kill(std::string reason);
  /// Stops the WebSocket streams (their io threads end). For a session retired by a
  /// restart: it still reports (status line, summary, registries) but must not step.
  void close();

  /// A one-line status: orders, fills, position, PnL, health (out-of-service once
  /// stopped) and, when not pass, the reasons in parentheses.
  [[nodiscard]] std::string status_line(SteadyTime now) const;
  /// What the operations API shows: venue, market, symbol, order transport, position
  /// with its average price and PnL (unrealized at the last mid), open orders.
  [[nodiscard]] SessionDetail detail(SteadyTime now) const;
  /// The run summary; balances are read from the venue (an error leaves them empty).
  /// Its health is the checks' as the session ran (fail after a kill or a failure),
  /// with the reasons of every check not passing.
  [[nodiscard]] SessionSummary summary(SteadyTime now);
  /// The session's metrics (Prometheus families).
  [[nodiscard]] health::MetricsRegistry& metrics() noexcept;
  /// The session's health checks.
  [[nodiscard]] health::HealthRegistry& health() noexcept;
  /// The /health response (application/health+json, readiness). Thread-safe.
  [[nodiscard]] HttpResponse health_response(SteadyTime now) const;
  /// The /metrics body (Prometheus text 0.0.4). Thread-safe.
  [[nodiscard]] std::string metrics_text() const;
  /// Number of journal records replayed at start (0 for a new journal).
  [[nodiscard]] std::uint64_t replayed_records() const noexcept;
  /// What the last completed reconciliation with the venue found and did (at open(),
  /// after every new user-stream subscription and after steps the venue could not be
  /// reached).
  [[nodiscard]] const ReconcileReport& last_reconciliation() const noexcept;
  /// The executor (orders and positions).
  [[nodiscard]] const OrderExecutor& executor() const noexcept;
  /// Orders of ours the last sweep could not get confirmed cancelled (see shutdown).
  [[nodiscard]] const std::vector<venue::OrderReport>& left_open() const noexcept;
  /// The REST channel's counters (requests, 429s, 418s).
  [[nodiscard]] const ChannelStats& channel_stats() const noexcept;

 private:
  struct Parts;
  explicit TradingSession(std::unique_ptr<Parts> parts);
  void pump_streams(SteadyTime now);
  /// Takes the WebSocket order route's events and reports its state (health, metrics).
  void pump_order_route(SteadyTime now);
  void watch_position(SteadyTime now, bool complete);
  /// The venue's position and the engine's book agree at `now`: `venue:position` passes,
  /// and the last reconciliation's position difference, if it stood, is settled (no
  /// longer counted by `orders:reconciliation`, logged once).
  void position_agrees(SteadyTime now);
  void read_venue_position(SteadyTime now);
  Result<void> reconcile(SteadyTime now);
  void resync_clock(SteadyTime now);
  void update_order_checks(SteadyTime now);
  /// Sets the gauges and counters read from the executor, limiter, journal and streams.
  void update_metrics(SteadyTime now);
  /// Bounds memory and storage: forgets closed orders and folds closed position cycles
  /// past orders.retention, compacts the journal past journal.retention, and pushes the
  /// journal:size check against journal.max_size.
  void maintain_storage(SteadyTime now);
  void halt(SteadyTime now);
  void sweep_venue(SteadyTime now);
  /// Arms or refreshes the venue's dead-man switch when due (DeadManSwitch) and reports
  /// it (health, metrics, log); a lapse, and the re-arm after one, make the next step
  /// reconcile with the venue (it may have cancelled every order of the account).
  void keep_dead_man_switch(SteadyTime now);
  /// Reports what the switch's last maintain() did (`event`): log, metrics, health.
  void report_dead_man_switch(SteadyTime now, DeadManEvent event);
  /// Disarms the dead-man switch (a graceful stop), logging a failure.
  void disarm_dead_man_switch();
  void detect_failure(SteadyTime now);
  /// Why the session is not pass, one entry per check not passing: "<check>: <output>",
  /// "<check> <status>" when its result says nothing more, "<check> not checked yet"
  /// before its first result.
  [[nodiscard]] std::vector<std::string> health_reasons(SteadyTime now) const;
  std::unique_ptr<Parts> parts_;
};

}  // namespace cts::engine
