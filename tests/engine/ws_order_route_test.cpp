// engine::WsOrderRoute against the embedded simulator's OKX front on loopback: orders
// over `/ws/v5/private` after the login (okx::WsOrderEntry, made by the registry), REST
// when the WebSocket cannot carry them, an order whose reply never comes resolved by
// client order id through REST with exactly one order at the venue, a refused login
// leaving orders on REST, and WebSocket orders charged to the REST endpoints' pools of
// the connection's limiter (OKX's "WS / Place order" and "WS / Cancel order" pages:
// "Rate limit is shared with the Place order / Cancel order REST API endpoints"). The
// limits used: PLACE_ORDER and CANCEL_ORDER, 60 requests per 2 s each, which a 1 % share
// (rate::LimiterOptions) turns into 1 request per 4 s (a limit of 1 gets burst 1 refilled
// once per two intervals, rate/policy.hpp). And OrangeX's JSON-RPC calls over its
// simulator's `/ws/api/v1` (orangex::PrivateStreamOrders).
#include <cts/engine/ws_order_route.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include <cts/core/clock.hpp>
#include <cts/engine/connection.hpp>
#include <cts/engine/executor.hpp>
#include <cts/engine/journal_recorder.hpp>
#include <cts/engine/session.hpp>
#include <cts/rate/limiter.hpp>
#include <cts/rate/policies/binance.hpp>
#include <cts/rate/policies/okx.hpp>
#include <cts/sign/okx.hpp>
#include <cts/sim/faults.hpp>
#include <cts/sim/simulator.hpp>
#include <cts/store/journal.hpp>
#include <cts/store/sqlite_journal.hpp>
#include <cts/venue/registry.hpp>

#include "stream_harness.hpp"

using namespace cts;
using namespace cts::literals;

namespace {

constexpr std::string_view kSymbol = "BTC-USDT";

sim::SimulatorOptions okx_still_market() {
  sim::SimulatorOptions options;
  options.venue = sim::SimVenue::okx;
  options.market_flow = false;
  return options;
}

/// An okx spot connection to `simulator` with its funded account's credentials (and
/// `limiter` when given).
std::unique_ptr<engine::VenueConnection> okx_connection(const sim::Simulator& simulator,
                                                        std::shared_ptr<rate::Limiter> limiter = nullptr) {
  engine::ConnectionOptions options;
  options.base_url = simulator.base_url();
  options.credentials = sign::Credentials{simulator.options().api_key, sign::Secret(simulator.options().api_secret),
                                          sign::Secret(simulator.options().api_passphrase)};
  options.limiter = std::move(limiter);
  return engine::VenueConnection::open(*venue::find_connector(VenueId::okx, "spot").value(), std::move(options))
      .value();
}

const venue::Connector& okx_spot() { return *venue::find_connector(VenueId::okx, "spot").value(); }

/// A route over `connection` writing on `url`, its protocol signing with `signer`.
std::unique_ptr<engine::WsOrderRoute> route_over(engine::VenueConnection& connection, const sign::Signer& signer,
                                                 const std::string& url, engine::WsOrderRouteOptions options = {}) {
  options.ws.policy.backoff_base = std::chrono::milliseconds{50};
  options.ws.policy.backoff_cap = std::chrono::milliseconds{200};
  auto protocol = okx_spot().make_ws_orders(signer, connection.gateway(), {});
  REQUIRE(protocol);
  auto route = std::make_unique<engine::WsOrderRoute>(connection.gateway(), connection.channel(), std::move(*protocol),
                                                      url, std::move(options));
  route->start();
  return route;
}

venue::NewOrder limit_order(std::string symbol, Side side, Decimal quantity, Decimal price, std::string client_id) {
  venue::NewOrder order;
  order.symbol = std::move(symbol);
  order.side = side;
  order.type = OrderType::limit;
  order.quantity = quantity;
  order.price = price;
  order.client_order_id = std::move(client_id);
  return order;
}

venue::OrderRef by_client_id(std::string client_id) {
  return venue::OrderRef{std::string(kSymbol), std::nullopt, std::move(client_id)};
}

/// Our open orders of BTC-USDT as the simulator's engine holds them.
std::vector<sim::Order> venue_open_orders(sim::Simulator& simulator) {
  return simulator.with_engine(
      [&](sim::MatchingEngine& engine) { return engine.open_orders(simulator.account(), std::string(kSymbol)); });
}

/// Whether `pool` (an okx_pool index) could take one more unit now.
bool pool_has_room(const rate::Limiter& limiter, std::uint8_t pool) {
  rate::Cost one;
  REQUIRE(one.add(pool, 1));
  return limiter.peek(one, RealClock{}.steady_now()).admitted();
}

}  // namespace

TEST_CASE("ws order route: after the login, creates and cancels go over the WebSocket, reads over REST [threads]") {
  sim::Simulator simulator(okx_still_market());
  const auto connection = okx_connection(simulator);
  REQUIRE(connection->gateway().instrument(std::string(kSymbol)));  // the session's open does it: the instIdCode
  const auto route = route_over(*connection, *connection->signer(), simulator.ws_order_url());
  REQUIRE(route->wait_ready(std::chrono::seconds{5}));
  CHECK(route->state() == engine::WsOrderRouteState::ready);
  CHECK(route->transport() == "ws");
  CHECK(route->stats().logins.load() == 1);

  const std::uint64_t rest_before = connection->channel().stats().requests_sent.load();
  const auto created = route->create_order(limit_order(std::string(kSymbol), Side::buy, "0.01"_d, "50000"_d, "wsr1"));
  REQUIRE(created);
  CHECK(created->status == venue::OrderStatus::pending_new);
  CHECK(created->client_order_id == "wsr1");
  CHECK_FALSE(created->order_id.empty());
  CHECK(connection->channel().stats().requests_sent.load() == rest_before);  // nothing went over REST
  CHECK(route->stats().ws_orders.load() == 1);
  CHECK(route->stats().rest_orders.load() == 0);

  // The order rests at the venue as sent.
  const auto queried = route->query_order(by_client_id("wsr1"));
  REQUIRE(queried);
  CHECK(queried->status == venue::OrderStatus::new_);
  CHECK(queried->order_id == created->order_id);
  CHECK(queried->price == "50000"_d);
  CHECK(queried->quantity == "0.01"_d);

  const std::uint64_t rest_after_query = connection->channel().stats().requests_sent.load();
  const auto cancelled = route->cancel_order(by_client_id("wsr1"));
  REQUIRE(cancelled);
  CHECK(cancelled->status == venue::OrderStatus::pending_cancel);
  CHECK(cancelled->order_id == created->order_id);
  CHECK(connection->channel().stats().requests_sent.load() == rest_after_query);
  CHECK(route->stats().ws_orders.load() == 2);
  CHECK(route->query_order(by_client_id("wsr1")).value().status == venue::OrderStatus::canceled);
  CHECK(venue_open_orders(simulator).empty());

  // The venue's refusal over the WebSocket is the REST mapping's: 51008, insufficient funds.
  const auto too_big = route->create_order(limit_order(std::string(kSymbol), Side::buy, "100"_d, "50000"_d, "wsr2"));
  CHECK(too_big.error().code == ErrorCode::insufficient_funds);
  CHECK(too_big.error().venue_code == "51008");
  CHECK(route->stats().unknown_outcomes.load() == 0);
  CHECK(route->stats().protocol_errors.load() == 0);
}

TEST_CASE("ws order route: REST while the WebSocket is down, the WebSocket again after a reconnect [threads]") {
  sim::Simulator simulator(okx_still_market());
  const auto connection = okx_connection(simulator);
  REQUIRE(connection->gateway().instrument(std::string(kSymbol)));

  // Nothing listens on the order URL's path: the connection never opens.
  {
    const auto nowhere = route_over(*connection, *connection->signer(), simulator.ws_url() + "/ws/v5/nowhere");
    CHECK_FALSE(nowhere->wait_ready(std::chrono::milliseconds{300}));
    CHECK(nowhere->transport() == "rest (ws down)");
    const auto created =
        nowhere->create_order(limit_order(std::string(kSymbol), Side::buy, "0.01"_d, "50000"_d, "wsdown1"));
    REQUIRE(created);
    CHECK(nowhere->stats().rest_orders.load() == 1);
    CHECK(nowhere->stats().fallbacks.load() == 1);
    CHECK(nowhere->stats().ws_orders.load() == 0);
    REQUIRE(nowhere->cancel_order(by_client_id("wsdown1")));
    CHECK(nowhere->stats().fallbacks.load() == 2);
  }

  const auto route = route_over(*connection, *connection->signer(), simulator.ws_order_url());
  REQUIRE(route->wait_ready(std::chrono::seconds{5}));
  // An instrument the gateway has not read has no instIdCode: that order goes over REST.
  const auto eth = route->create_order(limit_order("ETH-USDT", Side::buy, "0.1"_d, "1000"_d, "wseth1"));
  REQUIRE(eth);
  CHECK(route->stats().fallbacks.load() == 1);
  CHECK(route->stats().ws_orders.load() == 0);

  // The venue drops the connection: a new one logs in again and carries orders again.
  simulator.drop_websockets();
  const SteadyTime give_up = RealClock{}.steady_now() + std::chrono::seconds{5};
  while (route->stats().disconnects.load() == 0 && RealClock{}.steady_now() < give_up) {
    (void)route->wait_ready(std::chrono::milliseconds{10});
  }
  REQUIRE(route->stats().disconnects.load() == 1);
  REQUIRE(route->wait_ready(std::chrono::seconds{5}));
  CHECK(route->stats().logins.load() == 2);
  REQUIRE(route->create_order(limit_order(std::string(kSymbol), Side::buy, "0.01"_d, "50000"_d, "wsback1")));
  CHECK(route->stats().ws_orders.load() == 1);

  // Stopped for good: REST from then on.
  route->stop();
  CHECK(route->transport() == "rest (ws down)");
  REQUIRE(route->cancel_order(by_client_id("wsback1")));
  CHECK(route->stats().rest_orders.load() == 2);
  CHECK(route->query_order(by_client_id("wsback1")).value().status == venue::OrderStatus::canceled);
}

TEST_CASE("ws order route: a login the venue refuses turns the route off, orders go over REST") {
  sim::Simulator simulator(okx_still_market());
  const auto connection = okx_connection(simulator);
  REQUIRE(connection->gateway().instrument(std::string(kSymbol)));
  // The WebSocket logs in with a wrong secret; REST keeps the right one.
  const sign::OkxSigner wrong(simulator.options().api_key, sign::Secret("not-the-secret"),
                              sign::Secret(simulator.options().api_passphrase));
  const auto route = route_over(*connection, wrong, simulator.ws_order_url());
  CHECK_FALSE(route->wait_ready(std::chrono::seconds{5}));
  CHECK(route->state() == engine::WsOrderRouteState::refused);
  CHECK(route->transport() == "rest (ws login refused)");
  REQUIRE(route->refusal());
  CHECK(route->refusal()->code == ErrorCode::invalid_signature);  // 60007 Invalid sign
  CHECK(route->refusal()->venue_code == "60007");

  const auto created = route->create_order(limit_order(std::string(kSymbol), Side::sell, "0.01"_d, "90000"_d, "wsr3"));
  REQUIRE(created);
  CHECK(route->stats().rest_orders.load() == 1);
  CHECK(route->stats().fallbacks.load() == 1);
  CHECK(route->query_order(by_client_id("wsr3")).value().status == venue::OrderStatus::new_);
  CHECK(route->credentials_refused() == std::nullopt);  // REST's credentials stand
}

TEST_CASE("ws order route: an order whose reply never comes is resolved by client order id, one order at the venue") {
  sim::Simulator simulator(okx_still_market());
  const auto connection = okx_connection(simulator);
  engine::WsOrderRouteOptions options;
  options.reply_timeout = std::chrono::milliseconds{500};
  const auto route = route_over(*connection, *connection->signer(), simulator.ws_order_url(), options);
  REQUIRE(route->wait_ready(std::chrono::seconds{5}));

  // The executor as the session wires it, over the route.
  const auto journal = store::SqliteJournal::open(cts_test::stream_journal_path("ws-order-route-lost")).value();
  engine::JournalRecorder recorder(*journal);
  order::Account account;
  const Instrument instrument = route->instrument(std::string(kSymbol)).value();
  REQUIRE(account.add_instrument(instrument));
  engine::RiskGate risk(instrument, engine::RiskLimits{});
  ClientOrderIdGenerator ids = ClientOrderIdGenerator::for_this_process(RealClock{}.system_now(), "wsr");
  engine::ExecutorOptions executor_options;
  executor_options.unknown_grace = std::chrono::milliseconds{0};
  engine::OrderExecutor executor(*route, account, risk, ids, recorder, instrument, executor_options);

  sim::FaultConfig faults;
  faults.ws_lost_replies = 1;
  simulator.set_faults(faults);
  const SteadyTime now = RealClock{}.steady_now();
  const ClientOrderId id =
      executor.submit_limit(Side::buy, "0.01"_d, "50000"_d, TimeInForce::gtc, std::nullopt, now).value();
  CHECK(route->stats().ws_orders.load() == 1);
  CHECK(route->stats().unknown_outcomes.load() == 1);
  CHECK(route->stats().rest_orders.load() == 0);  // never sent again
  CHECK(executor.stats().unknown_outcomes == 1);
  REQUIRE(account.orders().find(id.str()) != nullptr);
  CHECK(account.orders().find(id.str())->outcome_unknown());

  // The next sync asks REST by client order id: the venue took it.
  REQUIRE(executor.sync(RealClock{}.steady_now()));
  CHECK(executor.stats().unknown_resolved == 1);
  const order::Order* resolved = account.orders().find(id.str());
  REQUIRE(resolved != nullptr);
  CHECK_FALSE(resolved->outcome_unknown());
  CHECK(resolved->status() == order::OrderStatus::accepted);
  const std::vector<sim::Order> at_venue = venue_open_orders(simulator);
  REQUIRE(at_venue.size() == 1);
  CHECK(at_venue.front().client_order_id == id.str());
  CHECK(route->stats().ws_orders.load() == 1);

  // The route still carries the next order (the lost reply did not end the connection).
  CHECK(route->state() == engine::WsOrderRouteState::ready);
  REQUIRE(executor.cancel(id));
  CHECK(route->stats().ws_orders.load() == 2);
}

TEST_CASE("ws order route: WebSocket orders draw on the REST endpoints' pools of the shared limiter") {
  sim::Simulator simulator(okx_still_market());
  auto limiter = std::make_shared<rate::Limiter>(rate::kOkxPolicy, rate::LimiterOptions{1});
  const auto connection = okx_connection(simulator, limiter);
  REQUIRE(connection->gateway().instrument(std::string(kSymbol)));
  engine::WsOrderRouteOptions options;
  options.max_rate_wait = std::chrono::nanoseconds{0};  // refuse at once rather than wait
  const auto route = route_over(*connection, *connection->signer(), simulator.ws_order_url(), options);
  REQUIRE(route->wait_ready(std::chrono::seconds{5}));

  CHECK(pool_has_room(*limiter, rate::okx_pool::place));
  CHECK(pool_has_room(*limiter, rate::okx_pool::cancel));
  REQUIRE(route->create_order(limit_order(std::string(kSymbol), Side::buy, "0.01"_d, "50000"_d, "wsrate1")));
  CHECK(route->stats().ws_orders.load() == 1);
  // The place pool's one unit is spent; the cancel pool's is not.
  CHECK_FALSE(pool_has_room(*limiter, rate::okx_pool::place));
  CHECK(pool_has_room(*limiter, rate::okx_pool::cancel));

  // The next create is refused by the limiter before anything is written.
  const auto refused =
      route->create_order(limit_order(std::string(kSymbol), Side::buy, "0.01"_d, "50000"_d, "wsrate2"));
  CHECK(refused.error().code == ErrorCode::rate_limited);
  CHECK(route->stats().ws_orders.load() == 1);
  CHECK(venue_open_orders(simulator).size() == 1);

  REQUIRE(route->cancel_order(by_client_id("wsrate1")));
  CHECK(route->stats().ws_orders.load() == 2);
  CHECK_FALSE(pool_has_room(*limiter, rate::okx_pool::cancel));
}

TEST_CASE("ws order route: a connection that ends after the frame was written is an unknown outcome, never resent") {
  sim::Simulator simulator(okx_still_market());
  const auto connection = okx_connection(simulator);
  REQUIRE(connection->gateway().instrument(std::string(kSymbol)));
  const auto route = route_over(*connection, *connection->signer(), simulator.ws_order_url());
  REQUIRE(route->wait_ready(std::chrono::seconds{5}));

  // The simulator drops the connection instead of sending its next frame: the reply.
  sim::FaultConfig faults;
  faults.ws_drop_every = 1;
  simulator.set_faults(faults);
  const auto created =
      route->create_order(limit_order(std::string(kSymbol), Side::buy, "0.01"_d, "50000"_d, "wsdrop1"));
  REQUIRE_FALSE(created);
  CHECK(created.error().code == ErrorCode::unknown_outcome);
  CHECK(route->stats().unknown_outcomes.load() == 1);
  CHECK(route->stats().disconnects.load() == 1);
  CHECK(route->stats().rest_orders.load() == 0);
  simulator.set_faults({});

  // The order exists: REST finds it by client id, and it was placed once.
  CHECK(route->query_order(by_client_id("wsdrop1")).value().status == venue::OrderStatus::new_);
  CHECK(venue_open_orders(simulator).size() == 1);
  // A cancel whose reply is lost the same way is a timeout, as REST reports one.
  REQUIRE(route->wait_ready(std::chrono::seconds{5}));
  simulator.set_faults(faults);
  const auto cancel = route->cancel_order(by_client_id("wsdrop1"));
  CHECK(cancel.error().code == ErrorCode::timeout);
  simulator.set_faults({});
  CHECK(route->query_order(by_client_id("wsdrop1")).value().status == venue::OrderStatus::canceled);
  CHECK(route->stats().unknown_outcomes.load() == 2);
}

TEST_CASE("ws order route: the session routes orders over the WebSocket by default where the venue takes them") {
  sim::SimulatorOptions options;
  options.venue = sim::SimVenue::okx;
  sim::Simulator simulator(options);
  engine::SessionEndpoint endpoint;
  endpoint.base_url = simulator.base_url();
  endpoint.credentials = sign::Credentials{simulator.options().api_key, sign::Secret(simulator.options().api_secret),
                                           sign::Secret(simulator.options().api_passphrase)};
  endpoint.ws_api_url = simulator.ws_api_url();  // no ws_order_url: OKX takes orders there
  const engine::EngineConfig config = engine::parse_engine_config("venue = okx\n").value();

  SUBCASE("default: ws") {
    const auto journal = store::SqliteJournal::open(cts_test::stream_journal_path("ws-order-route-session")).value();
    auto session = engine::TradingSession::open(config, endpoint, *journal).value();
    const SteadyTime now = RealClock{}.steady_now();
    (void)session->step(now);
    CHECK(session->status_line(now).find(" order_transport=ws ") != std::string::npos);
    CHECK(session->health().check("orders:transport", now).value() == health::Status::pass);
    const std::string metrics = session->metrics_text();
    CHECK(metrics.find("cts_engine_order_route_ready 1") != std::string::npos);
    // The quotes' round trips went into the WebSocket's histogram; REST's has the one
    // signed mutation sent over REST, the arming of the venue's dead-man switch.
    CHECK(metrics.find("cts_engine_order_rtt_seconds_count{transport=\"ws\",venue=\"okx\"} 2\n") !=
          std::string::npos);
    CHECK(metrics.find("cts_engine_dead_man_switch_arms_total 1\n") != std::string::npos);
    CHECK(metrics.find("cts_engine_order_rtt_seconds_count{transport=\"rest\",venue=\"okx\"} 1\n") !=
          std::string::npos);
    const engine::SessionSummary summary = session->summary(now);
    CHECK(summary.order_route.transport == "ws");
    CHECK(summary.order_route.over_rest == 0);
    CHECK(engine::to_json(summary).find("\"order_transport\": \"ws\"") != std::string::npos);
    session->shutdown(RealClock{}.steady_now());
    session->close();
  }
  SUBCASE("rest when the configuration says so") {
    const engine::EngineConfig rest = engine::parse_engine_config("venue = okx\norder_transport = rest\n").value();
    const auto journal = store::SqliteJournal::open(cts_test::stream_journal_path("ws-order-route-rest")).value();
    auto session = engine::TradingSession::open(rest, endpoint, *journal).value();
    const SteadyTime now = RealClock{}.steady_now();
    CHECK(session->status_line(now).find(" order_transport=rest ") != std::string::npos);
    CHECK_FALSE(session->health().check("orders:transport", now));
    CHECK(session->summary(now).order_route.transport == "rest");
    session->close();
  }
  SUBCASE("ws asked for without an order URL: refused at open") {
    const engine::EngineConfig ws = engine::parse_engine_config("venue = okx\norder_transport = ws\n").value();
    endpoint.ws_api_url.clear();
    const auto journal = store::SqliteJournal::open(cts_test::stream_journal_path("ws-order-route-no-url")).value();
    const auto opened = engine::TradingSession::open(ws, endpoint, *journal);
    REQUIRE_FALSE(opened);
    CHECK(opened.error().code == ErrorCode::invalid_argument);
    CHECK(opened.error().message.find("order_transport = ws") != std::string::npos);
  }
}

TEST_CASE("ws order route: a reply that comes after its request gave up is counted and dropped") {
  sim::Simulator simulator(okx_still_market());
  const auto connection = okx_connection(simulator);
  REQUIRE(connection->gateway().instrument(std::string(kSymbol)));
  engine::WsOrderRouteOptions options;
  options.reply_timeout = std::chrono::nanoseconds{0};  // gives up as soon as the frame is written
  const auto route = route_over(*connection, *connection->signer(), simulator.ws_order_url(), options);
  REQUIRE(route->wait_ready(std::chrono::seconds{5}));

  const auto created =
      route->create_order(limit_order(std::string(kSymbol), Side::buy, "0.01"_d, "50000"_d, "wslate1"));
  CHECK(created.error().code == ErrorCode::unknown_outcome);
  const SteadyTime give_up = RealClock{}.steady_now() + std::chrono::seconds{5};
  while (route->stats().late_replies.load() == 0 && RealClock{}.steady_now() < give_up) {
    (void)route->wait_ready(std::chrono::milliseconds{10});
    route->poll();
  }
  CHECK(route->stats().late_replies.load() == 1);
  CHECK(route->stats().protocol_errors.load() == 0);
  CHECK(route->stats().ws_orders.load() == 1);
  CHECK(venue_open_orders(simulator).size() == 1);  // placed once, by the one frame
  CHECK(route->state() == engine::WsOrderRouteState::ready);
}

TEST_CASE("ws order route: OrangeX's JSON-RPC calls over the WebSocket, a lost reply resolved by label") {
  // The OrangeX simulator on loopback: the registry's protocol logs in with /public/auth,
  // creates and cancels over the connection; the lost_order_replies fault executes the
  // next order call and drops the connection: the executor resolves the order by its
  // label over REST before anything is sent again.
  constexpr std::string_view kPerpetual = "BTC-USDT-PERPETUAL";
  sim::SimulatorOptions sim_options;
  sim_options.venue = sim::SimVenue::orangex;
  sim_options.market_flow = false;
  sim::Simulator simulator(sim_options);
  const venue::Connector& orangex = *venue::find_connector(VenueId::orangex, "perpetual").value();
  engine::ConnectionOptions connection_options;
  connection_options.base_url = simulator.base_url();
  connection_options.credentials =
      sign::Credentials{simulator.options().api_key, sign::Secret(simulator.options().api_secret), {}};
  const auto connection = engine::VenueConnection::open(orangex, std::move(connection_options)).value();
  auto protocol = orangex.make_ws_orders(*connection->signer(), connection->gateway(), {});
  REQUIRE(protocol);
  engine::WsOrderRouteOptions options;
  options.ws.policy.backoff_base = std::chrono::milliseconds{50};
  options.ws.policy.backoff_cap = std::chrono::milliseconds{200};
  // OrangeX takes orders on the private stream's URL.
  CHECK((*protocol)->order_url(simulator.ws_api_url()) == simulator.ws_api_url());
  engine::WsOrderRoute route(connection->gateway(), connection->channel(), std::move(*protocol),
                             simulator.ws_api_url(), std::move(options));
  route.start();
  REQUIRE(route.wait_ready(std::chrono::seconds{5}));
  CHECK(route.transport() == "ws");

  const auto created = route.create_order(limit_order(std::string(kPerpetual), Side::buy, "0.01"_d, "50000"_d, "oxw1"));
  REQUIRE(created);
  CHECK(created->status == venue::OrderStatus::new_);
  CHECK(created->client_order_id == "oxw1");
  const venue::OrderRef ref{std::string(kPerpetual), created->order_id, "oxw1"};
  const auto cancelled = route.cancel_order(ref);
  REQUIRE(cancelled);
  CHECK(cancelled->status == venue::OrderStatus::canceled);
  CHECK(route.stats().ws_orders.load() == 2);
  CHECK(route.stats().rest_orders.load() == 0);
  // Knowing only the label, a cancel goes over REST (which finds the order id first).
  REQUIRE(route.create_order(limit_order(std::string(kPerpetual), Side::buy, "0.01"_d, "50000"_d, "oxw2")));
  REQUIRE(route.cancel_order(venue::OrderRef{std::string(kPerpetual), std::nullopt, "oxw2"}));
  CHECK(route.stats().rest_orders.load() == 1);
  CHECK(route.stats().fallbacks.load() == 1);

  const auto journal = store::SqliteJournal::open(cts_test::stream_journal_path("ws-order-route-orangex")).value();
  engine::JournalRecorder recorder(*journal);
  order::Account account;
  const Instrument instrument = route.instrument(std::string(kPerpetual)).value();
  REQUIRE(account.add_instrument(instrument));
  engine::RiskGate risk(instrument, engine::RiskLimits{});
  ClientOrderIdGenerator ids = ClientOrderIdGenerator::for_this_process(RealClock{}.system_now(), "oxw");
  engine::ExecutorOptions executor_options;
  executor_options.unknown_grace = std::chrono::milliseconds{0};
  engine::OrderExecutor executor(route, account, risk, ids, recorder, instrument, executor_options);
  sim::FaultConfig faults;
  faults.lost_order_replies = 1;
  simulator.set_faults(faults);
  const ClientOrderId id =
      executor.submit_limit(Side::buy, "0.01"_d, "50000"_d, TimeInForce::gtc, std::nullopt, RealClock{}.steady_now())
          .value();
  CHECK(route.stats().ws_orders.load() == 4);
  CHECK(route.stats().unknown_outcomes.load() == 1);
  CHECK(route.stats().rest_orders.load() == 1);  // never sent again
  CHECK(account.orders().find(id.str())->outcome_unknown());
  REQUIRE(executor.sync(RealClock{}.steady_now()));
  CHECK(executor.stats().unknown_resolved == 1);
  CHECK(account.orders().find(id.str())->status() == order::OrderStatus::accepted);
  const std::vector<sim::Order> at_venue = simulator.with_engine([&](sim::MatchingEngine& engine) {
    return engine.open_orders(simulator.account(), sim::market_key(InstrumentKind::linear_perpetual, kPerpetual));
  });
  REQUIRE(at_venue.size() == 1);
  CHECK(at_venue.front().client_order_id == id.str());
  // A new connection logs in again and carries the cancel.
  REQUIRE(route.wait_ready(std::chrono::seconds{5}));
  CHECK(route.stats().logins.load() == 2);
  REQUIRE(executor.cancel(id));
  CHECK(route.stats().ws_orders.load() == 5);
}

TEST_CASE("ws order route: the usage a Binance WebSocket API reply reports resyncs the shared limiter") {
  // Binance counts orders per account, whoever sends them: a reply's rateLimits carry the
  // venue's count, which the route feeds to the limiter as a REST answer's usage headers.
  // The simulator counts ORDERS in fixed 10 s windows of its clock: an attempt whose
  // orders straddle two windows is not the case under test and is run again.
  const venue::Connector& binance_spot = *venue::find_connector(VenueId::binance_spot, "spot").value();
  const auto window_of_now = [] { return to_unix_millis(RealClock{}.system_now()) / 10'000; };
  bool measured = false;
  for (int attempt = 0; attempt < 3 && !measured; ++attempt) {
    sim::SimulatorOptions options;
    options.market_flow = false;  // Binance spot, BTCUSDT
    sim::Simulator simulator(options);
    auto connect = [&](std::shared_ptr<rate::Limiter> limiter) {
      engine::ConnectionOptions connection;
      connection.base_url = simulator.base_url();
      connection.credentials =
          sign::Credentials{simulator.options().api_key, sign::Secret(simulator.options().api_secret), {}};
      connection.limiter = std::move(limiter);
      return engine::VenueConnection::open(binance_spot, std::move(connection)).value();
    };
    auto limiter = std::make_shared<rate::Limiter>(rate::kBinanceSpotPolicy);  // the whole budget
    const auto ours = connect(limiter);
    auto protocol = binance_spot.make_ws_orders(*ours->signer(), ours->gateway(), {});
    REQUIRE(protocol);
    engine::WsOrderRoute route(ours->gateway(), ours->channel(), std::move(*protocol), simulator.ws_order_url());
    route.start();
    REQUIRE(route.wait_ready(std::chrono::seconds{5}));

    // Another process on the same account, with a limiter of its own: 55 orders over REST.
    const auto other = connect(nullptr);
    const auto window = window_of_now();
    for (int i = 0; i < 55; ++i) {
      REQUIRE(other->gateway().create_order(
          limit_order("BTCUSDT", Side::buy, "0.001"_d, "50000"_d, fmt::format("other{}", i))));
    }
    REQUIRE(route.create_order(limit_order("BTCUSDT", Side::buy, "0.001"_d, "50000"_d, "ours1")));
    CHECK(route.stats().ws_orders.load() == 1);
    const rate::LimiterStatus status = limiter->status(RealClock{}.steady_now());
    route.stop();
    if (window_of_now() != window) continue;
    measured = true;

    // Our limiter spent one order; the venue counted 56 of its 100 in the window and said
    // so. The limiter meters ORDERS with a burst of 50 (half the limit, spread over the
    // window) and counts the venue's usage where it leaves less than the burst: 100 - 56 =
    // 44 remaining, so 50 - 44 = 6 units in use. The day's 56 of 200000 leave more than its
    // burst (100000): that pool keeps our own one.
    REQUIRE(status.pools[rate::binance_spot_pool::orders_10s].burst == 50);
    CHECK(status.pools[rate::binance_spot_pool::orders_10s].used == 6);
    CHECK(status.pools[rate::binance_spot_pool::orders_1d].used == 1);
  }
  CHECK(measured);
}
