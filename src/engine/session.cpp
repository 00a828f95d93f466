#include "cts/engine/session.hpp"

#include <atomic>
#include <functional>
#include <iterator>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cts/core/json_string.hpp"
#include "cts/engine/connection.hpp"
#include "cts/engine/dead_man_switch.hpp"
#include "cts/engine/market_feed.hpp"
#include "cts/engine/order_sweep.hpp"
#include "cts/engine/position_watch.hpp"
#include "cts/engine/request_metrics.hpp"
#include "cts/engine/startup_retry.hpp"
#include "cts/engine/user_stream.hpp"
#include "cts/engine/ws_order_route.hpp"
#include "cts/health/exposition.hpp"
#include "cts/health/health_json.hpp"
#include "cts/net/ws_client.hpp"
#include "cts/store/compaction.hpp"
#include "cts/store/journal.hpp"

namespace cts::engine {

namespace {

constexpr std::string_view kConnectivityCheck = "venue:connectivity";
constexpr std::string_view kRateLimitCheck = "venue:rate-limit";
constexpr std::string_view kUnknownOutcomeCheck = "orders:unknown-outcome";
constexpr std::string_view kMarketDataCheck = "market-data:staleness";
constexpr std::string_view kUserStreamCheck = "venue:user-stream";
constexpr std::string_view kReconciliationCheck = "orders:reconciliation";
constexpr std::string_view kPlacementCheck = "orders:placement";
constexpr std::string_view kJournalCheck = "journal:writable";
constexpr std::string_view kLifecycleCheck = "session:lifecycle";
constexpr std::string_view kLeftOpenCheck = "venue:orders-left-open";
constexpr std::string_view kPositionCheck = "venue:position";
constexpr std::string_view kOrderTransportCheck = "orders:transport";
constexpr std::string_view kJournalSizeCheck = "journal:size";
constexpr std::string_view kDeadManCheck = "venue:dead-man-switch";
/// How often closed orders are forgotten and the journal's size is checked.
constexpr std::chrono::seconds kHousekeepingInterval{60};
/// How often the journal is compacted (sooner once it passes kJournalSizeWarnPercent).
constexpr std::chrono::hours kCompactionInterval{1};
/// Share of journal.max_size at which journal:size warns (and compaction runs early).
constexpr std::uint64_t kJournalSizeWarnPercent = 80;
/// Orders refused in a row (risk, breaker or venue) that make placement warn, and fail.
constexpr std::uint64_t kRefusalsToWarn = 3;
constexpr std::uint64_t kRefusalsToFail = 10;
/// With a live user data stream REST only reconciles, this often.
constexpr std::chrono::seconds kStreamSyncInterval{5};
/// At most this often a refused user-stream subscription is tried again.
constexpr std::chrono::seconds kResubscribeInterval{10};
/// At most this often the server-time offset is measured again after a timestamp refusal.
constexpr std::chrono::seconds kClockResyncInterval{10};
/// How long open() waits for the WebSocket order route to log in before trading (orders
/// go over REST meanwhile).
constexpr std::chrono::seconds kOrderRouteReadyWait{5};

health::CheckSpec pushed_check(std::string_view name, health::Criticality criticality) {
  health::CheckSpec spec;
  spec.name = std::string(name);
  spec.kind = health::CheckKind::readiness;
  spec.criticality = criticality;
  spec.failure_threshold = 3;
  spec.staleness_limit = std::chrono::seconds{30};
  return spec;
}

/// A pushed check whose first non-pass result is published at once (the conditions
/// behind it are already sustained or final).
health::CheckSpec immediate_check(std::string_view name) {
  health::CheckSpec spec = pushed_check(name, health::Criticality::critical);
  spec.failure_threshold = 1;
  return spec;
}

/// An immediate check stating a fact that holds until it is pushed again (set when its
/// state changes, not necessarily every step): it never goes stale.
health::CheckSpec latched_check(std::string_view name) {
  health::CheckSpec spec = immediate_check(name);
  spec.staleness_limit = std::chrono::hours{24 * 365};
  return spec;
}

/// What the account believes open, as the venue would list it: what the operator is
/// shown when the venue could not be asked.
venue::OrderReport believed_open(const order::Order& order, std::string_view venue_symbol) {
  venue::OrderReport report;
  report.symbol = std::string(venue_symbol);
  report.client_order_id = order.client_id().str();
  report.side = order.side();
  report.type = order.type();
  report.price = order.price().value_or(Decimal{});
  report.quantity = order.quantity();
  report.executed_quantity = order.filled();
  return report;
}

void push(health::HealthRegistry& registry, std::string_view check, health::Status status, std::string output,
          SteadyTime now) {
  health::CheckResult result;
  result.status = status;
  result.time = RealClock{}.system_now();
  if (status != health::Status::pass) result.output = std::move(output);
  // Every check pushed here was added in open(): the name is known.
  (void)registry.set_result(check, std::move(result), now);
}

/// The `orders:reconciliation` check's result for `report`: warn with its findings (foreign
/// open orders, orders the journal did not know, unsettled differences), pass without.
/// Its position conflict counts only while `position_finding` (the figures have not
/// agreed since).
health::CheckResult reconciliation_check(const ReconcileReport& report, bool position_finding) {
  health::CheckResult check;
  check.status = health::Status::pass;
  check.time = RealClock{}.system_now();
  std::vector<std::string> findings;
  if (!report.foreign.empty()) {
    findings.push_back(fmt::format("{} foreign open orders at the venue", report.foreign.size()));
  }
  if (report.journal_incomplete()) {
    findings.push_back(fmt::format("journal did not know {} open orders of ours", report.adopted));
  }
  const std::size_t conflicts = report.conflicts.size() - (report.position_conflict && !position_finding ? 1 : 0);
  if (conflicts > 0) findings.push_back(fmt::format("{} unsettled differences", conflicts));
  for (const std::string& finding : findings) {
    check.output += check.output.empty() ? finding : "; " + finding;
    check.status = health::Status::warn;
  }
  return check;
}

/// "both", "long" or "short".
std::string_view leg_name(venue::PositionSide side) {
  switch (side) {
    case venue::PositionSide::both: return "both";
    case venue::PositionSide::long_: return "long";
    case venue::PositionSide::short_: return "short";
  }
  return "both";
}

std::string without_trailing_slashes(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

net::WsClientOptions stream_options(const net::HttpClientOptions& http, std::uint64_t seed,
                                    std::function<std::vector<std::string>()> subscriptions,
                                    std::string_view application_ping) {
  net::WsClientOptions options;
  options.policy.application_ping = std::string(application_ping);
  options.verify_peer = http.verify_peer;
  options.ca_pem = http.ca_pem;
  options.seed = seed;
  options.policy.backoff_base = std::chrono::milliseconds{100};
  options.policy.backoff_cap = std::chrono::seconds{5};
  options.subscriptions = std::move(subscriptions);
  return options;
}

/// The WebSocket order route of `connection` when orders go over the venue's WebSocket
/// (EngineConfig::order_transport), null when they go over REST. Errors, for an explicit
/// `order_transport = ws` only: invalid_argument when the market has no WebSocket order
/// entry or no order URL is known, auth_failed without credentials; the WsClient's for
/// a malformed URL. A key the venue's protocol cannot log in with is logged and leaves
/// orders on REST.
Result<std::unique_ptr<WsOrderRoute>> make_order_route(VenueConnection& connection, const EngineConfig& config,
                                                       const SessionEndpoint& endpoint) {
  if (config.order_transport == OrderTransport::rest) return std::unique_ptr<WsOrderRoute>();
  const bool asked = config.order_transport == OrderTransport::ws;
  const venue::Connector& connector = connection.connector();
  auto not_routed = [&](ErrorCode code, std::string why) -> Result<std::unique_ptr<WsOrderRoute>> {
    if (asked) return make_error(code, fmt::format("order_transport = ws: {}", why));
    return std::unique_ptr<WsOrderRoute>();
  };
  if (connector.make_ws_orders == nullptr) {
    return not_routed(ErrorCode::invalid_argument,
                      fmt::format("{} {} has no WebSocket order entry in cts (set order_transport = rest)",
                                  to_string(connector.venue), connector.market));
  }
  if (endpoint.ws_order_url.empty() && endpoint.ws_api_url.empty()) {
    return not_routed(ErrorCode::invalid_argument,
                      "no URL of the venue's WebSocket order entry is known (set ws_order_url or ws_api_url)");
  }
  if (connection.signer() == nullptr) return not_routed(ErrorCode::auth_failed, "orders need API credentials");
  Result<std::unique_ptr<venue::WsOrderProtocol>> protocol =
      connector.make_ws_orders(*connection.signer(), connection.gateway(), config.gateway);
  if (!protocol) {
    if (endpoint.log) {
      endpoint.log(fmt::format("orders over REST: no WebSocket order entry: {}", protocol.error().message));
    }
    return std::unique_ptr<WsOrderRoute>();
  }
  const std::string url =
      endpoint.ws_order_url.empty() ? (*protocol)->order_url(endpoint.ws_api_url) : endpoint.ws_order_url;
  if (url.empty()) {
    return not_routed(
        ErrorCode::invalid_argument,
        fmt::format("the order URL cannot be derived from ws_api_url {} (set ws_order_url)", endpoint.ws_api_url));
  }
  WsOrderRouteOptions options;
  options.ws = stream_options(endpoint.http, 3, {}, {});
  try {
    return std::make_unique<WsOrderRoute>(connection.gateway(), connection.channel(), std::move(*protocol), url,
                                          std::move(options));
  } catch (const Exception& e) {
    return e.error();
  }
}

/// Venue time − local time from GET /api/v3/time, taken at the middle of the round
/// trip. A round trip that included a retry (a 429's Retry-After, a 5xx) says nothing
/// about when the venue read its clock, so up to three samples are taken and the one
/// with the shortest round trip wins (stopping at the first under 500 ms).
Result<std::chrono::milliseconds> measure_server_time_offset(venue::Gateway& gateway, const RealClock& clock) {
  constexpr int kMaxSamples = 3;
  constexpr std::int64_t kGoodRoundTripMs = 500;
  std::optional<std::int64_t> best_round_trip_ms;
  std::chrono::milliseconds best_offset{0};
  for (int sample = 0; sample < kMaxSamples; ++sample) {
    const std::int64_t before_ms = to_unix_millis(clock.system_now());
    Result<std::int64_t> server_ms = gateway.server_time_ms();
    if (!server_ms) {
      if (best_round_trip_ms) break;
      return server_ms.error();
    }
    const std::int64_t after_ms = to_unix_millis(clock.system_now());
    const std::int64_t round_trip_ms = after_ms - before_ms;
    if (!best_round_trip_ms || round_trip_ms < *best_round_trip_ms) {
      best_round_trip_ms = round_trip_ms;
      best_offset = std::chrono::milliseconds(*server_ms - (before_ms + after_ms) / 2);
    }
    if (round_trip_ms < kGoodRoundTripMs) break;
  }
  return best_offset;
}

}  // namespace

/// Everything a session owns, in construction order (destroyed in reverse).
struct TradingSession::Parts {
  EngineConfig config;
  std::unique_ptr<VenueConnection> connection;
  RestChannel* channel = nullptr;        // the connection's
  venue::Gateway* gateway = nullptr;     // the connection's
  const sign::Signer* signer = nullptr;  // the connection's; null without credentials
  // Orders over the venue's WebSocket (`gateway` then points to it); null: REST. Its io
  // thread uses the connection's protocol and channel: declared after the connection.
  std::unique_ptr<WsOrderRoute> order_route;
  bool order_route_refusal_logged = false;  // the route's login refusal was logged
  std::unique_ptr<order::Account> account;
  std::unique_ptr<JournalRecorder> recorder;
  std::uint64_t replayed_records = 0;
  KillSwitch kill_switch;
  std::unique_ptr<RiskGate> risk;
  std::unique_ptr<ClientOrderIdGenerator> ids;
  std::unique_ptr<OrderExecutor> executor;
  std::unique_ptr<MarketFeed> feed;             // null without ws_url
  std::unique_ptr<UserStream> user_stream;      // null without ws_api_url or an HMAC key
  std::optional<PositionWatch> position_watch;  // derivatives only
  std::vector<venue::Position> venue_legs;      // the legs of the last read made when stopping
  // The clients run the feed's and the stream's subscriptions hooks on their io
  // threads: declared after them, so they stop first.
  std::unique_ptr<net::WsClient> market_ws;
  std::unique_ptr<net::WsClient> user_ws;
  std::unique_ptr<MarketMaker> market_maker;
  health::MetricsRegistry metrics;
  health::HealthRegistry health;
  // The connection's requests, fed by its channel: declared after the registry. The
  // channel outlives it but sends nothing once the session is torn down.
  std::optional<RequestMetrics> request_metrics;
  store::Journal* journal = nullptr;
  health::Counter* step_errors = nullptr;
  health::Gauge* position_gauge = nullptr;
  health::Gauge* open_orders_gauge = nullptr;
  health::Counter* orders_submitted = nullptr;
  health::Counter* fills = nullptr;
  health::Gauge* clock_offset = nullptr;
  health::Counter* market_messages = nullptr;
  health::Counter* book_resyncs = nullptr;
  health::Counter* rest_fallbacks = nullptr;
  health::Gauge* user_stream_live = nullptr;  // with a user stream only
  health::Counter* user_stream_updates = nullptr;
  health::Gauge* foreign_orders = nullptr;
  health::Counter* adopted_orders = nullptr;
  health::Counter* orders_rejected = nullptr;
  health::Gauge* realized_pnl_gauge = nullptr;
  health::Gauge* market_data_stale = nullptr;     // with a market stream only
  health::Histogram* journal_append_seconds = nullptr;
  health::Gauge* journal_size_bytes = nullptr;
  health::Counter* journal_errors = nullptr;
  health::Gauge* tracked_orders = nullptr;
  SteadyTime next_housekeeping{};  // the first step does it
  SteadyTime next_compaction{};
  // Per pool of the venue's rate policy, in the policy's order: units in use, burst.
  std::vector<std::pair<health::Gauge*, health::Gauge*>> rate_pools;
  std::vector<health::Gauge*> rate_blocked;  // per rate::Scope
  // Per WebSocket stream ("market", "user"), with that stream only: reconnects, messages.
  std::pair<health::Counter*, health::Counter*> market_ws_counts{};
  std::pair<health::Counter*, health::Counter*> user_ws_counts{};
  health::Gauge* venue_position_gauge = nullptr;  // derivatives only
  // The order route's, with a WebSocket order route only.
  health::Counter* orders_over_ws = nullptr;
  health::Counter* orders_over_rest = nullptr;
  health::Counter* order_route_fallbacks = nullptr;
  health::Counter* ws_order_unknown_outcomes = nullptr;
  health::Counter* ws_order_late_replies = nullptr;
  health::Gauge* order_route_ready = nullptr;
  // The venue's dead-man switch, where the venue has one and dead_man_switch_s is not 0.
  std::optional<DeadManSwitch> dead_man;
  bool dead_man_failing = false;  // the last attempt failed (its first failure was logged)
  health::Counter* dead_man_arms = nullptr;
  health::Counter* dead_man_failures = nullptr;
  health::Gauge* dead_man_armed = nullptr;
  std::function<void(std::string_view)> log;
  ReconcileReport reconciliation;  // the last completed one
  bool position_finding = false;   // its position conflict stands: the figures have not agreed since
  bool reconcile_wanted = false;   // the venue was unreachable: reconcile before quoting again
  bool reconciled_once = false;    // the start-up reconciliation is done
  std::uint64_t consecutive_failures = 0;
  std::optional<SessionFailure> failure;        // set once: the session cannot go on
  bool stopped = false;                         // shutdown() or kill() applied
  std::optional<SteadyTime> market_down_since;  // the streamed book is not fresh since
  std::optional<SteadyTime> user_down_since;    // the user stream is not live since
  std::optional<SteadyTime> last_clock_sync;    // when the server-time offset was last re-measured
  bool resubscribe_wanted = false;              // the user stream's subscribe was refused
  std::optional<SteadyTime> last_resubscribe;   // when its connection was last dropped to subscribe again
  std::vector<venue::OrderReport> left_open;    // ours still live after the last sweep that gave up
  mutable std::mutex status_mutex;              // guards `status` for readers on other threads
  std::string status;
};

TradingSession::TradingSession(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}
TradingSession::~TradingSession() = default;

Result<std::unique_ptr<TradingSession>> TradingSession::open(const EngineConfig& config, SessionEndpoint endpoint,
                                                             store::Journal& journal) {
  auto parts = std::make_unique<Parts>();
  parts->config = config;
  Result<const venue::Connector*> connector = venue::find_connector(config.venue, config.category);
  if (!connector) return connector.error();
  ConnectionOptions connection_options;
  connection_options.base_url = endpoint.base_url;
  connection_options.credentials = std::move(endpoint.credentials);
  connection_options.http = endpoint.http;
  connection_options.limiter = std::move(endpoint.limiter);
  if (Result<void> honoured = venue::check_settings(**connector, config.gateway); !honoured) return honoured.error();
  connection_options.gateway = config.gateway;
  Result<std::unique_ptr<VenueConnection>> connection =
      VenueConnection::open(**connector, std::move(connection_options));
  if (!connection) return connection.error();
  parts->connection = std::move(*connection);
  parts->channel = &parts->connection->channel();
  parts->request_metrics.emplace(parts->metrics, std::string(to_string(config.venue)));
  parts->channel->set_metrics(&*parts->request_metrics);
  parts->journal = &journal;
  parts->journal_append_seconds =
      &parts->metrics
           .histogram({"cts_journal_append_seconds", "Time to append and commit one order record to the journal",
                       {}, "seconds"},
                      {std::begin(kJournalAppendBounds), std::end(kJournalAppendBounds)})
           .add({});
  parts->gateway = &parts->connection->gateway();
  parts->signer = parts->connection->signer();

  const RealClock clock;
  // The start-up reads ride out a venue failing for a moment with the start-up's
  // patience, cut short by a stop (startup_retry.hpp); trading reads get the defaults
  // back once the start-up reconciliation is done.
  ReadRetry startup_retry = startup_read_retry(endpoint.stop, clock.steady_now());
  startup_retry.log = endpoint.log;
  parts->channel->set_read_retry(std::move(startup_retry));
  Result<std::chrono::milliseconds> offset = measure_server_time_offset(*parts->gateway, clock);
  if (!offset) return offset.error();
  parts->channel->set_server_time_offset(*offset);

  Result<Instrument> instrument = parts->gateway->instrument(session_symbols(config).front());
  if (!instrument) return instrument.error();
  if (Result<void> quotable = check_quote_quantity(*instrument, config.quoting); !quotable) return quotable.error();
  Result<std::unique_ptr<WsOrderRoute>> route = make_order_route(*parts->connection, config, endpoint);
  if (!route) return route.error();
  parts->order_route = std::move(*route);
  if (parts->order_route) parts->gateway = parts->order_route.get();
  parts->account = std::make_unique<order::Account>();
  if (Result<void> added = parts->account->add_instrument(*instrument); !added) return added.error();
  Result<store::ReplayStats> replayed = store::replay_into(journal, *parts->account);
  if (!replayed) return replayed.error();
  parts->replayed_records = replayed->records;
  parts->recorder = std::make_unique<JournalRecorder>(journal, parts->journal_append_seconds);
  parts->risk = std::make_unique<RiskGate>(*instrument, config.risk, &parts->kill_switch);
  try {
    parts->ids = std::make_unique<ClientOrderIdGenerator>(
        ClientOrderIdGenerator::for_this_process(clock.system_now(), config.client_id_prefix));
    ExecutorOptions executor_options;
    executor_options.foreign_orders = config.foreign_orders;
    executor_options.client_id_prefix = config.client_id_prefix;
    executor_options.breaker = config.breaker;
    parts->executor = std::make_unique<OrderExecutor>(*parts->gateway, *parts->account, *parts->risk, *parts->ids,
                                                      *parts->recorder, *instrument, std::move(executor_options));
  } catch (const Exception& e) {
    return e.error();
  }
  if (parts->gateway->capabilities().has_positions()) {
    parts->position_watch.emplace(PositionWatchOptions{config.position_settle});
  }
  const venue::Connector& venue_connector = parts->connection->connector();
  if (!endpoint.ws_url.empty() && venue_connector.make_market_stream != nullptr) {
    parts->feed = std::make_unique<MarketFeed>(*parts->gateway, instrument->venue_symbol,
                                               venue_connector.make_market_stream(instrument->venue_symbol));
    try {
      net::WsClientOptions market_options = stream_options(
          endpoint.http, 1, [feed = parts->feed.get()] { return feed->subscriptions(); },
          parts->feed->application_ping());
      market_options.answer = [feed = parts->feed.get()](std::string_view text) { return feed->answer(text); };
      parts->market_ws = std::make_unique<net::WsClient>(without_trailing_slashes(endpoint.ws_url) + parts->feed->path(),
                                                         std::move(market_options));
    } catch (const Exception& e) {
      return e.error();
    }
  }
  if (!endpoint.ws_api_url.empty() && parts->signer != nullptr && venue_connector.make_user_stream != nullptr) {
    Result<std::unique_ptr<venue::UserStreamProtocol>> protocol = venue_connector.make_user_stream(*parts->signer);
    if (protocol) {
      (*protocol)->follow_symbol(instrument->venue_symbol);
      UserStreamOptions options;
      options.server_time_offset = [channel = parts->channel] { return channel->server_time_offset(); };
      options.key_gateway = parts->gateway;  // used only where the venue's stream takes a listen key
      parts->user_stream = std::make_unique<UserStream>(std::move(*protocol), *parts->executor, std::move(options));
      try {
        net::WsClientOptions user_options =
            stream_options(endpoint.http, 2, [stream = parts->user_stream.get()] { return stream->subscriptions(); },
                           parts->user_stream->application_ping());
        user_options.target = [stream = parts->user_stream.get()](std::string_view url_target) {
          return stream->connection_target(url_target);
        };
        user_options.answer = [stream = parts->user_stream.get()](std::string_view text) {
          return stream->answer(text);
        };
        parts->user_ws = std::make_unique<net::WsClient>(endpoint.ws_api_url, std::move(user_options));
      } catch (const Exception& e) {
        return e.error();
      }
    } else if (endpoint.log) {
      endpoint.log(fmt::format("{}: no user data stream: {}", instrument->venue_symbol, protocol.error().message));
    }
  }
  parts->market_maker = std::make_unique<MarketMaker>(*parts->executor, *parts->gateway, config.quoting,
                                                      config.requote_tolerance, parts->feed.get());

  const std::vector<std::string> venue_label{"venue"};
  parts->step_errors =
      &parts->metrics.counter({"cts_engine_step_errors", "Engine steps that ended in an error"}).add({});
  parts->position_gauge =
      &parts->metrics.gauge({"cts_engine_position", "Signed position of the traded instrument"}).add({});
  parts->open_orders_gauge = &parts->metrics.gauge({"cts_engine_open_orders", "Open orders of the session"}).add({});
  parts->orders_submitted =
      &parts->metrics.counter({"cts_engine_orders_submitted", "Create-order requests sent since start"}).add({});
  parts->fills = &parts->metrics.counter({"cts_engine_fills", "Executions applied since start"}).add({});
  parts->clock_offset = &parts->metrics
                             .gauge({"cts_engine_clock_offset_seconds",
                                     "The venue's clock minus the local clock, as last measured", {}, "seconds"})
                             .add({});
  parts->clock_offset->set(std::chrono::duration<double>(parts->channel->server_time_offset()).count());
  parts->market_messages =
      &parts->metrics.counter({"cts_engine_market_stream_messages", "Market-stream messages received since start"})
           .add({});
  parts->book_resyncs =
      &parts->metrics.counter({"cts_engine_book_resyncs", "Local order book rebuilds from a snapshot"}).add({});
  parts->rest_fallbacks = &parts->metrics
                               .counter({"cts_engine_market_data_rest_fallbacks",
                                       "Steps priced from REST because the streamed book was not fresh"})
                               .add({});
  if (parts->user_ws) {  // a session without one has no stream to be down
    parts->user_stream_live =
        &parts->metrics.gauge({"cts_engine_user_stream_live", "1 while the user data stream is subscribed"}).add({});
  }
  parts->user_stream_updates =
      &parts->metrics.counter({"cts_engine_user_stream_order_updates", "Execution reports received since start"}).add({});
  parts->foreign_orders =
      &parts->metrics.gauge({"cts_engine_foreign_open_orders", "Open orders at the venue that are not the engine's"})
           .add({});
  parts->adopted_orders = &parts->metrics
                               .counter({"cts_engine_orders_adopted",
                                       "Open orders of the engine found at the venue that its journal did not know"})
                               .add({});
  parts->orders_rejected =
      &parts->metrics.counter({"cts_engine_orders_rejected", "Create-order requests the venue refused"}).add({});
  parts->realized_pnl_gauge =
      &parts->metrics.gauge({"cts_engine_realized_pnl", "Realized PnL of the traded instrument, quote currency"})
           .add({});
  if (parts->feed) {
    parts->market_data_stale =
        &parts->metrics.gauge({"cts_engine_market_data_stale", "1 while the streamed order book is not fresh"}).add({});
  }
  parts->journal_size_bytes =
      &parts->metrics.gauge({"cts_journal_size_bytes", "Size of the session's journal, bytes", {}, "bytes"}).add({});
  parts->tracked_orders =
      &parts->metrics.gauge({"cts_engine_tracked_orders", "Orders the session keeps in memory (open, and closed within orders.retention)"}).add({});
  parts->journal_errors =
      &parts->metrics
           .counter({"cts_journal_errors", "Journal writes that failed (the first one stops the session's orders)"})
           .add({});
  {
    auto& used = parts->metrics.gauge(
        {"cts_rate_pool_used", "Units of the venue's rate-limit pool in use (after the venue's usage headers)", {"pool"}});
    auto& limit =
        parts->metrics.gauge({"cts_rate_pool_limit", "Units of the venue's rate-limit pool usable at once", {"pool"}});
    for (const rate::PoolStatus& pool : parts->channel->limiter().status(clock.steady_now()).pools) {
      parts->rate_pools.emplace_back(&used.add({{"pool", pool.name}}), &limit.add({{"pool", pool.name}}));
    }
    auto& blocked = parts->metrics.gauge(
        {"cts_rate_blocked", "1 while the venue's ban or throttle blocks requests of the scope", {"scope"}});
    for (const rate::Scope scope : {rate::Scope::ip, rate::Scope::account}) {
      parts->rate_blocked.push_back(&blocked.add({{"scope", rate::to_string(scope)}}));
    }
  }
  if (parts->market_ws || parts->user_ws) {
    auto& reconnects =
        parts->metrics.counter({"cts_ws_reconnects", "WebSocket connections made after the first, by stream", {"stream"}});
    auto& messages = parts->metrics.counter({"cts_ws_messages", "WebSocket messages received, by stream", {"stream"}});
    if (parts->market_ws) {
      parts->market_ws_counts = {&reconnects.add({{"stream", "market"}}), &messages.add({{"stream", "market"}})};
    }
    if (parts->user_ws) {
      parts->user_ws_counts = {&reconnects.add({{"stream", "user"}}), &messages.add({{"stream", "user"}})};
    }
  }
  if (parts->order_route) {
    auto counter = [&](std::string_view name, std::string_view help) {
      return &parts->metrics.counter({std::string(name), std::string(help)}).add({});
    };
    parts->orders_over_ws = counter("cts_engine_orders_over_ws", "Creates and cancels written on the venue's WebSocket");
    parts->orders_over_rest = counter("cts_engine_orders_over_rest", "Creates and cancels sent over REST");
    parts->order_route_fallbacks =
        counter("cts_engine_order_route_fallbacks", "Creates and cancels sent over REST because the WebSocket could not");
    parts->ws_order_unknown_outcomes =
        counter("cts_engine_ws_order_unknown_outcomes", "WebSocket order requests that got no reply");
    parts->ws_order_late_replies =
        counter("cts_engine_ws_order_late_replies", "Replies to WebSocket order requests that had given up");
    parts->order_route_ready =
        &parts->metrics
             .gauge({"cts_engine_order_route_ready", "1 while orders go over the venue's WebSocket (connected, logged in)"})
             .add({});
  }
  if (parts->position_watch) {
    parts->venue_position_gauge =
        &parts->metrics
             .gauge(
                 {"cts_engine_venue_position",
                  "Signed position of the traded instrument as the venue last reported it (stream or reconciliation)"})
             .add({});
  }
  parts->log = std::move(endpoint.log);
  const SteadyTime now = clock.steady_now();
  parts->health.add_pushed(pushed_check(kConnectivityCheck, health::Criticality::critical), now);
  parts->health.add_pushed(pushed_check(kRateLimitCheck, health::Criticality::critical), now);
  parts->health.add_pushed(pushed_check(kUnknownOutcomeCheck, health::Criticality::non_critical), now);
  if (parts->feed) parts->health.add_pushed(pushed_check(kMarketDataCheck, health::Criticality::non_critical), now);
  if (parts->user_stream)
    parts->health.add_pushed(pushed_check(kUserStreamCheck, health::Criticality::non_critical), now);
  if (parts->user_stream && parts->position_watch) {
    health::CheckSpec position = pushed_check(kPositionCheck, health::Criticality::non_critical);
    position.failure_threshold = 1;  // a difference is acted on only once it has settled
    parts->health.add_pushed(std::move(position), now);
  }
  if (parts->order_route) {
    parts->health.add_pushed(pushed_check(kOrderTransportCheck, health::Criticality::non_critical), now);
  }
  health::CheckSpec reconciliation = pushed_check(kReconciliationCheck, health::Criticality::non_critical);
  reconciliation.failure_threshold = 1;                           // what the venue showed is a fact, not a flap
  reconciliation.staleness_limit = std::chrono::hours{24 * 365};  // set per reconciliation, not per step
  parts->health.add_pushed(std::move(reconciliation), now);
  parts->health.add_pushed(immediate_check(kPlacementCheck), now);
  parts->health.add_pushed(latched_check(kJournalCheck), now);
  parts->health.add_pushed(latched_check(kLifecycleCheck), now);
  health::CheckSpec journal_size = latched_check(kJournalSizeCheck);
  journal_size.criticality = health::Criticality::non_critical;
  parts->health.add_pushed(std::move(journal_size), now);
  push(parts->health, kJournalSizeCheck, health::Status::pass, {}, now);
  parts->health.add_pushed(latched_check(kLeftOpenCheck), now);
  for (std::string_view check : {kPlacementCheck, kJournalCheck, kLifecycleCheck, kLeftOpenCheck}) {
    push(parts->health, check, health::Status::pass, {}, now);
  }
  if (parts->market_ws) parts->market_ws->start();
  if (parts->user_ws) {
    // A listen key first, so that the first connection subscribes with it (a failure is
    // tried again on the next steps; the stream stays down meanwhile).
    (void)parts->user_stream->maintain_key(now);
    if (parts->log && parts->user_stream->last_key_error()) {
      parts->log(fmt::format("{}: no user-stream key yet: {}", instrument->venue_symbol,
                             parts->user_stream->last_key_error()->message));
    }
    parts->user_ws->start();
  }
  if (parts->order_route) {
    // Orders go over REST until the route is logged in: it is given a moment first.
    parts->order_route->start();
    if (!parts->order_route->wait_ready(kOrderRouteReadyWait) && parts->log) {
      parts->log(fmt::format("{}: orders over REST for now: the WebSocket order route at {} is {}",
                             instrument->venue_symbol, parts->order_route->url(),
                             to_string(parts->order_route->state())));
    }
  }

  auto session = std::unique_ptr<TradingSession>(new TradingSession(std::move(parts)));
  // The venue is the source of truth: no quoting on a state it has not confirmed.
  Result<void> reconciled = session->reconcile(clock.steady_now());
  session->parts_->channel->set_read_retry({});
  if (!reconciled) {
    // Credentials the venue refused would fail every signed request alike: said as such.
    if (std::optional<Error> refused = session->parts_->gateway->credentials_refused()) return *refused;
    return make_error(reconciled.error().code, fmt::format("start-up reconciliation: {}", reconciled.error().message));
  }
  if (std::optional<Error> refused = session->parts_->gateway->credentials_refused()) return *refused;
  // Trading starts on a confirmed state: from now on the venue cancels the account's
  // orders should the process die.
  if (config.dead_man_switch.count() > 0) {
    Parts& p = *session->parts_;
    const SteadyTime armed_at = clock.steady_now();
    p.dead_man.emplace(*p.gateway, config.dead_man_switch);
    const DeadManEvent first = p.dead_man->maintain(armed_at);
    const std::string& symbol = p.executor->instrument().venue_symbol;
    if (first == DeadManEvent::unsupported) {
      if (p.log) p.log(fmt::format("{}: no dead-man switch: {}", symbol, p.dead_man->last_error()->message));
      p.dead_man.reset();
    } else {
      const std::optional<Error>& error = p.dead_man->last_error();
      if (error && error->code == ErrorCode::invalid_argument) {
        return make_error(ErrorCode::invalid_argument, fmt::format("dead_man_switch_s: {}", error->message));
      }
      if (std::optional<Error> refused = p.gateway->credentials_refused()) return *refused;
      p.dead_man_arms =
          &p.metrics.counter({"cts_engine_dead_man_switch_arms", "Arms and refreshes of the venue's dead-man switch"})
               .add({});
      p.dead_man_failures =
          &p.metrics
               .counter({"cts_engine_dead_man_switch_failures", "Failed attempts to arm or refresh the dead-man switch"})
               .add({});
      p.dead_man_armed =
          &p.metrics
               .gauge({"cts_engine_dead_man_switch_armed",
                       "1 while the venue's dead-man switch is armed (refreshed less than its timeout ago)"})
               .add({});
      health::CheckSpec check = immediate_check(kDeadManCheck);
      check.criticality = health::Criticality::non_critical;  // the orders are still managed
      p.health.add_pushed(std::move(check), armed_at);
      if (p.log && first == DeadManEvent::armed) {
        p.log(fmt::format("{}: dead-man switch armed: the venue cancels the account's open orders {} s after the "
                          "engine stops refreshing it",
                          symbol, config.dead_man_switch.count()));
      }
      session->report_dead_man_switch(armed_at, first);
    }
  }
  return session;
}

Result<void> TradingSession::reconcile(SteadyTime now) {
  Parts& p = *parts_;
  Result<ReconcileReport> result = p.executor->reconcile(now);
  if (!result) return result.error();
  const std::vector<std::string> foreign_before = std::move(p.reconciliation.foreign);
  p.reconciliation = std::move(*result);
  p.reconcile_wanted = false;
  const ReconcileReport& r = p.reconciliation;
  const std::string& symbol = p.executor->instrument().venue_symbol;
  auto log = [&](std::string_view line) {
    if (p.log) p.log(line);
  };
  // The first one always (start-up), later ones when they changed something.
  const bool foreign_changed = r.foreign != foreign_before;
  const bool notable = foreign_changed || r.adopted + r.resolved + r.fills_applied + r.conflicts.size() > 0;
  if (notable || !p.reconciled_once) {
    log(fmt::format(
        "{}: reconciled with the venue: {} open there ({} foreign), {} adopted, {} resolved, {} fills "
        "applied, {} recent executions of orders this journal does not know",
        symbol, r.venue_open_orders, r.foreign.size(), r.adopted, r.resolved, r.fills_applied, r.untracked_fills));
  }
  p.reconciled_once = true;
  if (r.journal_incomplete()) {
    constexpr std::string_view kWarning =
        "{}: WARNING: the venue had {} open orders of ours that the journal ({} records replayed) did not know: the "
        "journal is empty, truncated or not this engine's; they are adopted and managed, but fills of orders it lost "
        "are not in the position";
    log(fmt::format(fmt::runtime(kWarning), symbol, r.adopted, p.replayed_records));
  }
  for (const std::string& foreign : foreign_changed ? r.foreign : std::vector<std::string>{}) {
    log(fmt::format("{}: foreign open order {} {}", symbol, foreign,
                    p.config.foreign_orders == ForeignOrderPolicy::cancel ? "cancelled" : "left alone"));
  }
  for (const std::string& conflict : r.conflicts) log(fmt::format("{}: reconciliation: {}", symbol, conflict));

  const Decimal engine = p.executor->position();
  if (r.position_moving && r.venue_position && *r.venue_position != engine) {
    log(fmt::format("{}: reconciliation: the venue's position moved while it was read (now {} {}, the engine's "
                    "position book {}): a fill in flight, watched until it settles",
                    symbol, *r.venue_position, symbol, engine));
  }
  p.position_finding = r.position_conflict;
  // registered in open(): cannot fail
  (void)p.health.set_result(kReconciliationCheck, reconciliation_check(r, p.position_finding), now);
  p.foreign_orders->set(static_cast<double>(r.foreign.size()));
  p.adopted_orders->advance_to(p.executor->stats().orders_adopted);
  if (p.position_watch && r.venue_position) {
    if (r.position_moving) {
      p.position_watch->moving(*r.venue_position, now);
    } else {
      p.position_watch->reconciled(*r.venue_position, engine, now);
    }
    p.venue_legs.clear();  // the reconciliation keeps the sum only
    p.venue_position_gauge->set(r.venue_position->to_double());
    // A read that equals the book is agreement now: a warning pushed before it (the
    // difference that asked for this reconciliation) must not wait for the next step,
    // which a stopping session never takes.
    if (*r.venue_position == engine) position_agrees(now);
  }
  return {};
}

void TradingSession::position_agrees(SteadyTime now) {
  Parts& p = *parts_;
  push(p.health, kPositionCheck, health::Status::pass, {}, now);
  if (!p.position_finding) return;
  p.position_finding = false;
  (void)p.health.set_result(kReconciliationCheck, reconciliation_check(p.reconciliation, false), now);
  if (p.log) {
    p.log(fmt::format("{}: the venue's position and the engine's position book agree ({}): the reconciliation's "
                      "position difference is settled",
                      p.executor->instrument().venue_symbol, p.executor->position()));
  }
}

void TradingSession::resync_clock(SteadyTime now) {
  Parts& p = *parts_;
  if (p.last_clock_sync && now - *p.last_clock_sync < kClockResyncInterval) return;
  // The local clock drifted from the venue's (timestamp_out_of_window): measure the
  // offset again.
  p.last_clock_sync = now;
  if (Result<std::chrono::milliseconds> offset = measure_server_time_offset(*p.gateway, RealClock{}); offset) {
    p.channel->set_server_time_offset(*offset);
    p.clock_offset->set(std::chrono::duration<double>(*offset).count());
  }
}

void TradingSession::pump_streams(SteadyTime now) {
  Parts& p = *parts_;
  if (p.user_ws) {
    UserStream& user = *p.user_stream;
    const std::uint64_t terminations = user.stats().terminations;
    const std::uint64_t refusals = user.stats().subscribe_errors;
    while (std::optional<net::WsEvent> event = p.user_ws->poll()) {
      (void)user.on_event(*event, now);  // errors are counted in user.stats()
    }
    // Subscriptions the venue takes only after its login reply; a frame that cannot be
    // sent is lost with its connection, and the next connection logs in again.
    for (std::string& frame : user.take_frames_to_send()) (void)p.user_ws->send(std::move(frame));
    // The venue ended the subscription, or the listen key changed under a live
    // connection: a new connection subscribes again (with the key maintain_key() holds).
    const bool new_key = user.maintain_key(now);
    if ((user.stats().terminations != terminations && user.terminated()) || new_key) p.user_ws->drop();
    // A refused subscription (stale timestamp, key not yet valid, ...) is tried again on
    // a new connection, at most every kResubscribeInterval so a bad key does not hammer
    // the venue.
    if (user.stats().subscribe_errors != refusals && !user.live()) {
      p.resubscribe_wanted = true;
      if (user.last_error() && user.last_error()->code == ErrorCode::timestamp_out_of_window) resync_clock(now);
    }
    if (p.resubscribe_wanted && !user.live() &&
        (!p.last_resubscribe || now - *p.last_resubscribe >= kResubscribeInterval)) {
      p.resubscribe_wanted = false;
      p.last_resubscribe = now;
      p.user_ws->drop();
    }
    // Events while no subscription was live are not replayed: REST covers the gap.
    if (user.live() && user.needs_reconcile() && reconcile(now)) {
      (void)user.reconciled();  // refused only while not live, checked above
    }
    const bool streaming = user.live() && !user.needs_reconcile();
    p.market_maker->set_sync_interval(streaming ? std::chrono::nanoseconds(kStreamSyncInterval)
                                                : std::chrono::nanoseconds::zero());
    // set_status fails only for an unregistered check; open() registered this one.
    (void)p.health.set_status(kUserStreamCheck, streaming ? health::Status::pass : health::Status::warn, now);
    if (streaming) {
      p.user_down_since.reset();
    } else if (!p.user_down_since) {
      p.user_down_since = now;
    }
    p.user_stream_live->set(streaming ? 1.0 : 0.0);
    p.user_stream_updates->advance_to(user.stats().order_updates);
    if (p.position_watch) watch_position(now, streaming);
  }
  if (p.order_route) pump_order_route(now);
  if (p.market_ws) {
    MarketFeed& feed = *p.feed;
    // Feed errors are counted in feed.stats() and retried by the feed itself; a book it
    // cannot trust is stale, which the check below reports.
    while (std::optional<net::WsEvent> event = p.market_ws->poll()) (void)feed.on_event(*event, now);
    (void)feed.refresh(now);
    // A venue that streams its snapshots sends the next one to a new subscription.
    if (feed.take_reconnect_request()) p.market_ws->drop();
    (void)p.health.set_status(kMarketDataCheck, feed.stale(now) ? health::Status::warn : health::Status::pass, now);
    if (!feed.stale(now)) {
      p.market_down_since.reset();
    } else if (!p.market_down_since) {
      p.market_down_since = now;
    }
    p.market_messages->advance_to(feed.stats().messages);
    p.book_resyncs->advance_to(feed.stats().resyncs);
    p.rest_fallbacks->advance_to(p.market_maker->rest_fallbacks());
  }
}

void TradingSession::pump_order_route(SteadyTime now) {
  Parts& p = *parts_;
  WsOrderRoute& route = *p.order_route;
  route.poll();
  const WsOrderRouteState state = route.state();
  std::string output;
  if (state == WsOrderRouteState::refused) {
    const std::optional<Error> refusal = route.refusal();
    output = fmt::format("orders over REST: the WebSocket order login was refused ({})",
                         refusal ? refusal->to_string() : std::string("?"));
    if (!p.order_route_refusal_logged && p.log) {
      p.log(fmt::format("{}: {}", p.executor->instrument().venue_symbol, output));
    }
    p.order_route_refusal_logged = true;
  } else if (state != WsOrderRouteState::ready) {
    output = fmt::format("orders over REST while the WebSocket order route is {}", to_string(state));
  }
  // A route that cannot carry orders degrades the session, REST carrying them.
  push(p.health, kOrderTransportCheck, output.empty() ? health::Status::pass : health::Status::warn, std::move(output),
       now);
  const WsOrderRouteStats& stats = route.stats();
  p.orders_over_ws->advance_to(stats.ws_orders.load());
  p.orders_over_rest->advance_to(stats.rest_orders.load());
  p.order_route_fallbacks->advance_to(stats.fallbacks.load());
  p.ws_order_unknown_outcomes->advance_to(stats.unknown_outcomes.load());
  p.ws_order_late_replies->advance_to(stats.late_replies.load());
  p.order_route_ready->set(state == WsOrderRouteState::ready ? 1.0 : 0.0);
}

void TradingSession::watch_position(SteadyTime now, bool complete) {
  Parts& p = *parts_;
  PositionWatch& watch = *p.position_watch;
  const std::string& symbol = p.executor->instrument().venue_symbol;
  // The instrument's legs as the stream last reported them, summed; heard when the
  // newest of them was.
  Decimal streamed;
  std::optional<SteadyTime> heard;
  for (const auto& [key, leg] : p.user_stream->positions()) {
    if (key.first != symbol) continue;
    streamed += leg.position.quantity;
    if (!heard || leg.received > *heard) heard = leg.received;
  }
  if (heard) watch.streamed(streamed, *heard);
  if (watch.venue()) p.venue_position_gauge->set(watch.venue()->to_double());
  const Decimal engine = p.executor->position();
  const PositionVerdict verdict = watch.check(engine, complete, now);
  switch (verdict) {
    case PositionVerdict::disagree: {
      const auto lasted = std::chrono::duration_cast<std::chrono::milliseconds>(now - *watch.differs_since());
      std::string what = fmt::format(
          "the venue reports a position of {} {}, the engine's position book {}, for {} ms: reconciling with the venue",
          *watch.venue(), symbol, engine, lasted.count());
      if (!p.reconcile_wanted && p.log) p.log(fmt::format("{}: {}", symbol, what));
      p.reconcile_wanted = true;  // step() reconciles before it quotes again
      push(p.health, kPositionCheck, health::Status::warn, std::move(what), now);
      break;
    }
    case PositionVerdict::reported:
      push(p.health, kPositionCheck, health::Status::warn,
           fmt::format("the venue holds {} {}, the engine's position book {}: a difference the reconciliation could "
                       "not explain",
                       *watch.venue(), symbol, engine),
           now);
      break;
    case PositionVerdict::agree: position_agrees(now); break;
    case PositionVerdict::unknown:
    case PositionVerdict::settling: push(p.health, kPositionCheck, health::Status::pass, {}, now); break;
  }
}

void TradingSession::detect_failure(SteadyTime now) {
  Parts& p = *parts_;
  if (p.failure) return;
  if (std::optional<Error> refused = p.gateway->credentials_refused()) {
    p.failure = SessionFailure{FailureKind::permanent, *refused};
  } else if (p.user_stream && p.user_stream->last_error() && is_credential_error(p.user_stream->last_error()->code)) {
    const Error& e = *p.user_stream->last_error();
    p.failure = SessionFailure{
        FailureKind::permanent,
        make_error(e.code, fmt::format("the venue refused the user-stream credentials ({})", e.message), e.venue_code)};
  } else if (p.executor->journal_error() || p.recorder->failure()) {
    halt(now);
    return;
  } else if (p.kill_switch.tripped()) {
    p.failure = SessionFailure{
        FailureKind::permanent,
        make_error(ErrorCode::cancelled, fmt::format("kill switch tripped ({})", p.kill_switch.reason()))};
  } else if (const auto deadline = p.config.stream_deadline; deadline.count() > 0) {
    const auto down_too_long = [&](const std::optional<SteadyTime>& since) {
      return since && now - *since >= deadline;
    };
    std::string_view stream;
    if (down_too_long(p.user_down_since)) stream = "user data stream";
    if (down_too_long(p.market_down_since)) stream = "market data stream";
    if (!stream.empty()) {
      p.failure =
          SessionFailure{FailureKind::transient,
                         make_error(ErrorCode::venue_unavailable,
                                    fmt::format("the {} has been down for more than {} ms", stream, deadline.count()))};
    }
  }
  if (p.failure) push(p.health, kLifecycleCheck, health::Status::fail, p.failure->to_string(), now);
}

void TradingSession::halt(SteadyTime now) {
  Parts& p = *parts_;
  const Error cause = p.executor->journal_error() ? *p.executor->journal_error() : *p.recorder->failure();
  push(p.health, kJournalCheck, health::Status::fail, fmt::format("cannot write the journal: {}", cause.to_string()),
       now);
  // Nothing more can be recorded, so nothing more may be sent but cancels (a cancel
  // cannot open a position): the kill switch refuses every new order, and the venue is
  // swept.
  p.kill_switch.trip("the journal cannot be written");
  p.market_maker->pause();
  sweep_venue(now);
  p.failure = SessionFailure{
      FailureKind::permanent,
      make_error(
          cause.code,
          fmt::format("the journal cannot be written, trading stopped and our orders cancelled{}: {}",
                      p.left_open.empty() ? "" : fmt::format(" ({} still open)", p.left_open.size()), cause.message),
          cause.venue_code)};
  push(p.health, kLifecycleCheck, health::Status::fail, p.failure->to_string(), now);
}

void TradingSession::sweep_venue(SteadyTime now) {
  Parts& p = *parts_;
  const std::string& symbol = p.executor->instrument().venue_symbol;
  const order::OrderTracker& orders = p.account->orders();
  SweepOptions options;
  options.deadline = p.config.shutdown_deadline;
  const SweepResult swept = sweep_open_orders(
      *p.gateway, symbol, [&orders](std::string_view client_id) { return orders.find(client_id) != nullptr; }, options);
  // The orders the venue closed: their final states and fills, recorded while the
  // journal works (a failed journal refuses them: the next start asks the venue).
  if (!p.recorder->failure()) {
    if (Result<void> synced = p.executor->sync(now); !synced && p.log) {
      p.log(fmt::format("{}: after the cancel sweep, the sync failed: {}", symbol, synced.error().to_string()));
    }
  }
  p.left_open.clear();
  if (swept.listed) {
    p.left_open = swept.still_open;
  } else {
    // The venue never answered a listing: what the account believes open is reported.
    for (const order::Order* order : orders.open_orders(p.executor->instrument().unified_symbol())) {
      p.left_open.push_back(believed_open(*order, symbol));
    }
  }
  if (swept.confirmed) p.left_open.clear();
  std::string output;
  if (!p.left_open.empty()) {
    output = fmt::format("{} order(s) of ours still open at the venue after the cancel deadline ({} ms){}",
                         p.left_open.size(), p.config.shutdown_deadline.count(),
                         swept.last_error ? fmt::format("; the last error: {}", swept.last_error->to_string()) : "");
  }
  push(p.health, kLeftOpenCheck, p.left_open.empty() ? health::Status::pass : health::Status::fail, std::move(output),
       RealClock{}.steady_now());
}

void TradingSession::update_metrics(SteadyTime now) {
  Parts& p = *parts_;
  const ExecutorStats& stats = p.executor->stats();
  p.position_gauge->set(p.executor->position().to_double());
  p.open_orders_gauge->set(static_cast<double>(p.executor->open_orders().size()));
  p.orders_submitted->advance_to(stats.orders_submitted);
  p.orders_rejected->advance_to(stats.orders_rejected);
  p.fills->advance_to(stats.fills);
  p.realized_pnl_gauge->set(
      p.account->positions().realized_pnl(p.executor->instrument().unified_symbol()).to_double());
  const rate::LimiterStatus limits = p.channel->limiter().status(now);
  for (std::size_t i = 0; i < p.rate_pools.size() && i < limits.pools.size(); ++i) {
    p.rate_pools[i].first->set(static_cast<double>(limits.pools[i].used));
    p.rate_pools[i].second->set(static_cast<double>(limits.pools[i].burst));
  }
  p.rate_blocked[0]->set(limits.blocked(rate::Scope::ip, now) ? 1.0 : 0.0);
  p.rate_blocked[1]->set(limits.blocked(rate::Scope::account, now) ? 1.0 : 0.0);
  if (const std::optional<std::uint64_t> size = p.journal->size_bytes()) {
    p.journal_size_bytes->set(static_cast<double>(*size));
  }
  p.journal_errors->advance_to(p.executor->journal_error() ? 1 : 0);
  const auto count_stream = [](const std::pair<health::Counter*, health::Counter*>& counts, const net::WsClient& ws) {
    const net::WsClientStats ws_stats = ws.stats();
    counts.first->advance_to(ws_stats.connects > 0 ? ws_stats.connects - 1 : 0);
    counts.second->advance_to(ws_stats.messages_received);
  };
  if (p.market_ws) {
    count_stream(p.market_ws_counts, *p.market_ws);
    p.market_data_stale->set(p.feed->stale(now) ? 1.0 : 0.0);
  }
  if (p.user_ws) count_stream(p.user_ws_counts, *p.user_ws);
}

void TradingSession::update_order_checks(SteadyTime now) {
  Parts& p = *parts_;
  const RejectionBreaker& breaker = p.executor->breaker();
  const std::uint64_t refused = p.executor->refused_in_a_row();
  if (breaker.is_open()) {
    const auto wait = std::chrono::ceil<std::chrono::milliseconds>(breaker.retry_at() - now);
    push(p.health, kPlacementCheck, health::Status::fail,
         fmt::format("order breaker open: the venue keeps refusing orders alike ({}); next attempt in {} ms",
                     breaker.last_rejection() ? breaker.last_rejection()->to_string() : std::string("?"),
                     std::max<std::int64_t>(wait.count(), 0)),
         now);
  } else if (refused >= kRefusalsToWarn) {
    push(p.health, kPlacementCheck, refused >= kRefusalsToFail ? health::Status::fail : health::Status::warn,
         fmt::format("the last {} orders were all refused; the last: {}", refused, p.executor->last_refusal()), now);
  } else {
    push(p.health, kPlacementCheck, health::Status::pass, {}, now);
  }
  if (const std::optional<Error>& journal = p.executor->journal_error()) {
    push(p.health, kJournalCheck, health::Status::fail,
         fmt::format("cannot write the journal: {}", journal->to_string()), now);
  } else {
    push(p.health, kJournalCheck, health::Status::pass, {}, now);
  }
}

void TradingSession::maintain_storage(SteadyTime now) {
  Parts& p = *parts_;
  if (now < p.next_housekeeping) return;
  p.next_housekeeping = now + kHousekeepingInterval;
  const SystemTime wall = RealClock{}.system_now();
  p.account->purge_terminal(wall - p.config.orders_retention);
  p.account->fold_closed_cycles(wall - p.config.orders_retention);
  p.tracked_orders->set(static_cast<double>(p.account->orders().size()));
  const std::uint64_t limit = p.config.journal_max_size;
  const std::uint64_t size = p.journal->size_bytes().value_or(0);
  const bool near_limit = limit != 0 && size * 100 >= limit * kJournalSizeWarnPercent;
  if (p.config.journal_retention && (now >= p.next_compaction || near_limit) && !p.recorder->failure()) {
    p.next_compaction = now + kCompactionInterval;
    order::Account scratch(p.account->positions().oms());
    (void)scratch.add_instrument(p.executor->instrument());  // accepted at open
    Result<store::CompactionStats> compacted = store::compact_journal(*p.journal, scratch, wall - *p.config.journal_retention);
    if (p.log && !compacted) p.log(fmt::format("journal compaction failed: {}", compacted.error().message));
    if (p.log && compacted && compacted->orders_folded > 0) {
      p.log(fmt::format("journal compacted: {} closed orders folded into a snapshot, {} kept", compacted->orders_folded,
                        compacted->orders_kept));
    }
  }
  if (limit == 0) return;
  const std::uint64_t after = p.journal->size_bytes().value_or(0);
  const health::Status status = after >= limit                                     ? health::Status::fail
                                : after * 100 >= limit * kJournalSizeWarnPercent ? health::Status::warn
                                                                                   : health::Status::pass;
  push(p.health, kJournalSizeCheck, status,
       status == health::Status::pass
           ? std::string()
           : fmt::format("the journal takes {} bytes of journal.max_size {} ({}%){}", after, limit, after * 100 / limit,
                         p.config.journal_retention ? "" : "; set journal.retention to compact it"),
       now);
}

void TradingSession::keep_dead_man_switch(SteadyTime now) {
  Parts& p = *parts_;
  if (p.dead_man && p.dead_man->enabled()) report_dead_man_switch(now, p.dead_man->maintain(now));
}

void TradingSession::report_dead_man_switch(SteadyTime now, DeadManEvent event) {
  Parts& p = *parts_;
  const DeadManSwitch& dead_man = *p.dead_man;
  const std::string& symbol = p.executor->instrument().venue_symbol;
  const std::string error = dead_man.last_error() ? dead_man.last_error()->to_string() : std::string();
  auto log = [&](std::string_view line) {
    if (p.log) p.log(fmt::format("{}: {}", symbol, line));
  };
  switch (event) {
    case DeadManEvent::failed:
      if (!p.dead_man_failing) log(fmt::format("the dead-man switch could not be refreshed: {}", error));
      p.dead_man_failing = true;
      break;
    case DeadManEvent::lapsed:
      // The venue may have cancelled every order of the account: it is asked what is open.
      log(fmt::format("the dead-man switch was not refreshed for {} s ({}): the venue may have cancelled the "
                      "account's orders; reconciling with the venue",
                      dead_man.timeout().count(), error));
      p.reconcile_wanted = true;
      p.dead_man_failing = true;
      break;
    case DeadManEvent::rearmed:
      log("the dead-man switch is armed again after a lapse: reconciling with the venue");
      p.reconcile_wanted = true;
      p.dead_man_failing = false;
      break;
    case DeadManEvent::armed:
      if (p.dead_man_failing) log("the dead-man switch is refreshed again");
      p.dead_man_failing = false;
      break;
    case DeadManEvent::none:
    case DeadManEvent::unsupported: break;
  }
  p.dead_man_arms->advance_to(dead_man.arms());
  p.dead_man_failures->advance_to(dead_man.failures());
  const bool armed = dead_man.armed(now);
  p.dead_man_armed->set(armed ? 1.0 : 0.0);
  std::string output;
  if (!armed) {
    output = fmt::format("the dead-man switch is not armed: no refresh succeeded for {} s{}; the venue may have "
                         "cancelled the account's orders",
                         dead_man.timeout().count(), error.empty() ? "" : fmt::format(" (the last error: {})", error));
  } else if (!error.empty()) {
    output = fmt::format("the last refresh of the dead-man switch failed ({}); it is armed for at most {} s more",
                         error, dead_man.timeout().count());
  }
  push(p.health, kDeadManCheck, output.empty() ? health::Status::pass : health::Status::warn, std::move(output), now);
}

void TradingSession::disarm_dead_man_switch() {
  Parts& p = *parts_;
  if (!p.dead_man || !p.dead_man->enabled()) return;
  if (Result<void> disarmed = p.dead_man->disarm(); !disarmed && p.log) {
    p.log(fmt::format("{}: the dead-man switch could not be disarmed ({}): the venue cancels the account's open "
                      "orders when it runs out",
                      p.executor->instrument().venue_symbol, disarmed.error().to_string()));
  }
  p.dead_man_armed->set(0.0);
}

Result<void> TradingSession::step(SteadyTime now) {
  Parts& p = *parts_;
  // A failed session sends nothing more: its owner stops (or restarts) it.
  if (p.failure) return p.failure->error;
  keep_dead_man_switch(now);
  pump_streams(now);
  // After the venue could not be reached, it is asked again what is open before any quote.
  Result<void> result = p.reconcile_wanted ? reconcile(now) : Result<void>{};
  if (result) result = p.market_maker->step(now);
  if (!result) {
    const ErrorCode code = result.error().code;
    if (code == ErrorCode::network || code == ErrorCode::timeout || code == ErrorCode::venue_unavailable) {
      p.reconcile_wanted = true;
    }
  }
  if (!result && result.error().code == ErrorCode::timestamp_out_of_window) resync_clock(now);
  p.consecutive_failures = result ? 0 : p.consecutive_failures + 1;
  if (!result) p.step_errors->inc();
  // The set_status calls below fail only for an unregistered check; open() registered them.
  (void)p.health.set_status(
      kConnectivityCheck,
      result || result.error().code == ErrorCode::rejected ? health::Status::pass : health::Status::fail, now);
  // Banned: fail; a shared budget on its local fallback (its server unreachable): warn.
  const rate::LimiterStatus limits = p.channel->limiter().status(now);
  if (limits.blocked(rate::Scope::ip, now) || limits.blocked(rate::Scope::account, now)) {
    push(p.health, kRateLimitCheck, health::Status::fail, "the venue banned the connection (429/418)", now);
  } else {
    push(p.health, kRateLimitCheck, limits.degraded.empty() ? health::Status::pass : health::Status::warn,
         limits.degraded, now);
  }
  const ExecutorStats& stats = p.executor->stats();
  const bool unknown_pending = stats.unknown_outcomes > stats.unknown_resolved;
  (void)p.health.set_status(kUnknownOutcomeCheck, unknown_pending ? health::Status::warn : health::Status::pass, now);
  update_metrics(now);
  update_order_checks(now);
  maintain_storage(now);
  detect_failure(now);
  const std::string line = status_line(now);
  {
    std::lock_guard lock(p.status_mutex);
    p.status = line;
  }
  if (p.failure) return p.failure->error;
  return result;
}

std::optional<SessionFailure> TradingSession::failure() const { return parts_->failure; }

void TradingSession::shutdown(SteadyTime now) { shutdown(now, parts_->config.on_shutdown); }

void TradingSession::shutdown(SteadyTime now, ShutdownPolicy policy) {
  Parts& p = *parts_;
  // Fills that arrived since the last step, while the journal can take them (a failed
  // journal refuses them: the venue is asked again at the next start).
  if (!p.recorder->failure()) {
    if (Result<void> synced = p.executor->sync(now); !synced && p.log) {
      p.log(fmt::format("{}: the last sync before stopping failed: {}", p.executor->instrument().venue_symbol,
                        synced.error().to_string()));
    }
  }
  if (policy == ShutdownPolicy::cancel_orders) {
    p.market_maker->pause();
    sweep_venue(now);
  }
  // After the sweep: the switch covered the orders until they were cancelled; with
  // keep_orders it would cancel the orders left working on purpose.
  disarm_dead_man_switch();
  read_venue_position(now);
  p.stopped = true;
}

void TradingSession::read_venue_position(SteadyTime now) {
  Parts& p = *parts_;
  if (!p.position_watch) return;
  // The stream is no longer pumped: a fill since the last step (one the final sync or
  // sweep found) would leave its report unread. The venue is asked once; when it
  // differs from the book, after one more sync (a kept order may have filled since the
  // last one) it is asked again, and a difference stands only when both reads agree.
  const std::string& symbol = p.executor->instrument().venue_symbol;
  auto read = [&]() -> std::optional<Decimal> {
    Result<std::vector<venue::Position>> legs = p.gateway->positions(symbol);
    if (!legs) {
      if (p.log) p.log(fmt::format("{}: the venue's position could not be read: {}", symbol, legs.error().to_string()));
      return std::nullopt;
    }
    Decimal at_venue;
    p.venue_legs.clear();
    for (venue::Position& leg : *legs) {
      if (leg.symbol != symbol) continue;
      at_venue += leg.quantity;
      p.venue_legs.push_back(std::move(leg));
    }
    return at_venue;
  };
  const std::optional<Decimal> first = read();
  if (!first) return;
  std::optional<Decimal> at_venue = first;
  if (*first != p.executor->position() && !p.recorder->failure() && p.executor->sync(now)) at_venue = read();
  if (!at_venue) return;
  const Decimal engine = p.executor->position();
  p.venue_position_gauge->set(at_venue->to_double());
  if (*at_venue == engine) {
    p.position_watch->reconciled(*at_venue, engine, now);
    position_agrees(now);
    return;
  }
  std::string what;
  if (*at_venue == *first) {
    p.position_watch->reconciled(*at_venue, engine, now);
    what = fmt::format("stopping, the venue holds {} {}, the engine's position book {}", *at_venue, symbol, engine);
  } else {
    p.position_watch->moving(*at_venue, now);
    what = fmt::format("stopping, the venue's position still moves ({} then {} {}), the engine's position book {}",
                       *first, *at_venue, symbol, engine);
  }
  if (p.log) p.log(fmt::format("{}: {}", symbol, what));
  push(p.health, kPositionCheck, health::Status::warn, std::move(what), now);
}

void TradingSession::pause() { parts_->market_maker->pause(); }

void TradingSession::resume() {
  if (!parts_->kill_switch.tripped()) parts_->market_maker->resume();
}

void TradingSession::kill(std::string reason) {
  push(parts_->health, kLifecycleCheck, health::Status::fail, fmt::format("killed: {}", reason),
       RealClock{}.steady_now());
  parts_->stopped = true;
  if (!parts_->failure) {
    parts_->failure = SessionFailure{FailureKind::permanent,
                                     make_error(ErrorCode::cancelled, fmt::format("kill switch tripped ({})", reason))};
  }
  parts_->kill_switch.trip(std::move(reason));
  parts_->market_maker->pause();
  sweep_venue(RealClock{}.steady_now());
  read_venue_position(RealClock{}.steady_now());
}

std::string TradingSession::status_line(SteadyTime now) const {
  const Parts& p = *parts_;
  const ExecutorStats& s = p.executor->stats();
  const Instrument& instrument = p.executor->instrument();
  const std::string symbol = instrument.unified_symbol();
  health::Status overall = p.health.aggregate(health::CheckKind::readiness, now);
  // A session no longer trading is not in service, however healthy its last step was.
  if (p.stopped) overall = p.health.order().worst(std::vector<health::Status>{overall, health::Status::out_of_service});
  std::vector<std::string> reasons = health_reasons(now);
  if (p.stopped && !p.failure) reasons.insert(reasons.begin(), "stopped");
  const std::string_view book = !p.feed ? "rest" : p.feed->stale(now) ? "stale" : "live";
  const std::string_view user = !p.user_stream ? "rest" : p.user_stream->live() ? "live" : "down";
  return fmt::format(
      "orders={} fills={} open={} canceled={} rejected={} unknown={} position={} {} pnl={:.8} {} "
      "429={} throttled={} book={} user={} order_transport={} health={}{}",
      s.orders_submitted, s.fills, p.executor->open_orders().size(), s.orders_canceled, s.orders_rejected,
      s.unknown_outcomes - s.unknown_resolved, p.executor->position(),
      instrument.multiplier == Decimal::from_int(1) ? std::string_view(instrument.base) : std::string_view("contracts"),
      p.account->positions().realized_pnl(symbol), instrument.quote, p.channel->stats().http_429.load(),
      p.channel->stats().throttled.load(), book, user, p.order_route ? p.order_route->transport() : "rest",
      health::to_string(overall), reasons.empty() ? std::string() : fmt::format(" ({})", fmt::join(reasons, "; ")));
}

SessionDetail TradingSession::detail(SteadyTime) const {
  const Parts& p = *parts_;
  const Instrument& instrument = p.executor->instrument();
  const std::string symbol = instrument.unified_symbol();
  const order::PositionBook& positions = p.account->positions();
  SessionDetail out;
  out.venue = std::string(to_string(p.config.venue));
  out.market = std::string(p.connection->connector().market);
  out.symbol = instrument.venue_symbol;
  out.order_transport = std::string(p.order_route ? p.order_route->transport() : "rest");
  out.position = p.executor->position();
  if (const std::optional<Decimal> average = positions.avg_open(symbol); average && !out.position.is_zero()) {
    out.average_price = *average;
  }
  out.realized_pnl = positions.realized_pnl(symbol);
  if (const std::optional<Decimal> mid = p.market_maker->last_mid()) {
    if (Result<Decimal> unrealized = positions.unrealized_pnl(symbol, *mid); unrealized) out.unrealized_pnl = *unrealized;
  }
  for (const ClientOrderId& id : p.executor->open_orders()) {
    const order::Order* order = p.account->orders().find(id);
    if (order == nullptr) continue;
    out.open_orders.push_back(OpenOrderDetail{id.str(), order->side(), order->price().value_or(Decimal{}),
                                              order->quantity(), order->filled(),
                                              std::string(order::to_string(order->status()))});
  }
  return out;
}

std::vector<std::string> TradingSession::health_reasons(SteadyTime now) const {
  std::vector<std::string> out;
  for (const health::CheckSnapshot& check : parts_->health.list(now)) {
    if (check.status == health::Status::pass) continue;
    // Readiness starts as fail until a check reports (not ready until proven): say that
    // it has not reported rather than print a failure nothing has seen.
    if (!check.last_result) {
      out.push_back(fmt::format("{} not checked yet", check.name));
      continue;
    }
    const std::string& output = check.last_result->output;
    out.push_back(output.empty() ? fmt::format("{} {}", check.name, health::to_string(check.status))
                                 : fmt::format("{}: {}", check.name, output));
  }
  return out;
}

SessionSummary TradingSession::summary(SteadyTime now) {
  Parts& p = *parts_;
  SessionSummary out;
  out.orders = p.executor->stats();
  out.http_429 = p.channel->stats().http_429.load();
  out.http_418 = p.channel->stats().http_418.load();
  out.throttled = p.channel->stats().throttled.load();
  if (p.order_route) {
    const WsOrderRouteStats& route = p.order_route->stats();
    out.order_route.transport = "ws";
    out.order_route.over_ws = route.ws_orders.load();
    out.order_route.over_rest = route.rest_orders.load();
    out.order_route.fallbacks = route.fallbacks.load();
    out.order_route.unknown_outcomes = route.unknown_outcomes.load();
    out.order_route.late_replies = route.late_replies.load();
  }
  const Instrument& instrument = p.executor->instrument();
  const std::string symbol = instrument.unified_symbol();
  out.positions[symbol] = p.executor->position();
  if (p.position_watch && p.position_watch->venue()) {
    VenuePositionSummary venue_position;
    venue_position.quantity = *p.position_watch->venue();
    if (p.position_watch->source() == PositionSource::stream) {
      venue_position.source = "stream";
      for (const auto& [key, leg] : p.user_stream->positions()) {
        if (key.first == instrument.venue_symbol) venue_position.legs.push_back(leg.position);
      }
    } else {
      venue_position.source = "rest";
      venue_position.legs = p.venue_legs;
    }
    out.venue_positions[symbol] = std::move(venue_position);
  }
  out.realized_pnl = p.account->positions().realized_pnl(symbol);
  for (const std::string& asset : {instrument.base, instrument.quote}) {
    const Decimal fee = p.account->positions().fees(symbol, asset);
    if (!fee.is_zero()) out.fees[asset] = fee;
  }
  if (Result<std::vector<venue::Balance>> balances = p.gateway->balances(); balances) {
    for (const venue::Balance& b : *balances) out.balances[b.asset] = BalanceSummary{b.free, b.locked};
  }
  out.health = std::string(health::to_string(p.health.aggregate(health::CheckKind::readiness, now)));
  out.health_reasons = health_reasons(now);
  out.left_open = p.left_open;
  return out;
}

health::MetricsRegistry& TradingSession::metrics() noexcept { return parts_->metrics; }
health::HealthRegistry& TradingSession::health() noexcept { return parts_->health; }
const OrderExecutor& TradingSession::executor() const noexcept { return *parts_->executor; }
const ChannelStats& TradingSession::channel_stats() const noexcept { return parts_->channel->stats(); }
const std::vector<venue::OrderReport>& TradingSession::left_open() const noexcept { return parts_->left_open; }

void TradingSession::close() {
  parts_->market_ws.reset();
  parts_->user_ws.reset();
  if (parts_->order_route) parts_->order_route->stop();
  // A listen key, where the venue uses one, is not closed: a venue may keep one key per
  // account, shared with the account's other sessions; unextended, it expires.
}
std::uint64_t TradingSession::replayed_records() const noexcept { return parts_->replayed_records; }
const ReconcileReport& TradingSession::last_reconciliation() const noexcept { return parts_->reconciliation; }

HttpResponse TradingSession::health_response(SteadyTime now) const {
  health::HealthDocumentInfo info;
  info.release_id = "0.1.0";
  info.service_id = "cts-engine";
  info.description = "cts reference engine";
  return health::health_response(parts_->health, health::CheckKind::readiness, now, info);
}

std::string TradingSession::metrics_text() const { return health::text_004(parts_->metrics); }

std::string to_json(const SessionSummary& s) {
  std::string out = "{\n";
  out += fmt::format(
      "  \"orders_submitted\": {},\n  \"orders_filled\": {},\n  \"orders_canceled\": {},\n"
      "  \"orders_rejected\": {},\n  \"orders_denied\": {},\n  \"orders_held\": {},\n  \"fills\": {},\n"
      "  \"unknown_outcomes\": {},\n  \"unknown_outcomes_resolved\": {},\n"
      "  \"orders_adopted\": {},\n  \"foreign_open_orders\": {},\n"
      "  \"http_429\": {},\n  \"http_418\": {},\n  \"throttled\": {},\n"
      "  \"order_transport\": \"{}\",\n  \"orders_over_ws\": {},\n  \"orders_over_rest\": {},\n"
      "  \"order_route_fallbacks\": {},\n  \"ws_order_unknown_outcomes\": {},\n  \"ws_order_late_replies\": {},\n",
      s.orders.orders_submitted, s.orders.orders_filled, s.orders.orders_canceled, s.orders.orders_rejected,
      s.orders.orders_denied, s.orders.orders_held, s.orders.fills, s.orders.unknown_outcomes,
      s.orders.unknown_resolved, s.orders.orders_adopted, s.orders.foreign_open_orders, s.http_429, s.http_418,
      s.throttled, s.order_route.transport, s.order_route.over_ws, s.order_route.over_rest, s.order_route.fallbacks,
      s.order_route.unknown_outcomes, s.order_route.late_replies);
  auto decimal_map = [&](std::string_view name, const std::map<std::string, Decimal>& values) {
    out += fmt::format("  \"{}\": {{", name);
    bool first = true;
    for (const auto& [key, value] : values) {
      out += first ? "" : ", ";
      first = false;
      cts::append_json_string(out, key);
      out += ": ";
      cts::append_json_string(out, value.to_string());
    }
    out += "},\n";
  };
  decimal_map("positions", s.positions);
  out += "  \"venue_positions\": {";
  bool first_position = true;
  for (const auto& [symbol, position] : s.venue_positions) {
    out += first_position ? "" : ", ";
    first_position = false;
    cts::append_json_string(out, symbol);
    out += fmt::format(": {{\"quantity\": \"{}\", \"source\": \"{}\", \"legs\": [", position.quantity, position.source);
    for (std::size_t i = 0; i < position.legs.size(); ++i) {
      const venue::Position& leg = position.legs[i];
      out += fmt::format(
          "{}{{\"side\": \"{}\", \"quantity\": \"{}\", \"entry_price\": \"{}\", \"mark_price\": \"{}\", "
          "\"unrealized_pnl\": \"{}\", \"leverage\": \"{}\"}}",
          i == 0 ? "" : ", ", leg_name(leg.side), leg.quantity, leg.entry_price, leg.mark_price, leg.unrealized_pnl,
          leg.leverage ? leg.leverage->to_string() : std::string());
    }
    out += "]}";
  }
  out += "},\n";
  out += "  \"balances\": {";
  bool first = true;
  for (const auto& [asset, balance] : s.balances) {
    out += first ? "" : ", ";
    first = false;
    cts::append_json_string(out, asset);
    out += fmt::format(": {{\"free\": \"{}\", \"locked\": \"{}\"}}", balance.free, balance.locked);
  }
  out += "},\n  \"realized_pnl\": ";
  cts::append_json_string(out, s.realized_pnl.to_string());
  out += ",\n";
  decimal_map("fees", s.fees);
  out += "  \"left_open\": [";
  for (std::size_t i = 0; i < s.left_open.size(); ++i) {
    const venue::OrderReport& o = s.left_open[i];
    out += i == 0 ? "\n    {\"symbol\": " : ",\n    {\"symbol\": ";
    append_json_string(out, o.symbol);
    out += fmt::format(
        ", \"side\": \"{}\", \"price\": \"{}\", \"quantity\": \"{}\", \"executed\": \"{}\", "
        "\"client_order_id\": ",
        to_string(o.side), o.price, o.quantity, o.executed_quantity);
    append_json_string(out, o.client_order_id);
    out += ", \"order_id\": ";
    append_json_string(out, o.order_id);
    out += "}";
  }
  out += s.left_open.empty() ? "],\n" : "\n  ],\n";
  out += "  \"health\": ";
  cts::append_json_string(out, s.health);
  out += ",\n  \"health_reasons\": [";
  for (std::size_t i = 0; i < s.health_reasons.size(); ++i) {
    out += i == 0 ? "" : ", ";
    cts::append_json_string(out, s.health_reasons[i]);
  }
  out += "]\n}\n";
  return out;
}

}  // namespace cts::engine
