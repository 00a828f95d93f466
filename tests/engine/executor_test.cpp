// Tests for cts/engine/executor.hpp, end to end: the executor, the Binance spot gateway,
// the rate limiter, the signer and the HTTP client against the embedded simulator over
// loopback, with the order journal in a real SQLite file.
#include <cts/engine/executor.hpp>

#include <doctest/doctest.h>

#include <filesystem>
#include <memory>

#include <cts/venue/gateway.hpp>
#include <cts/engine/journal_recorder.hpp>
#include <cts/engine/market_maker.hpp>
#include <cts/sim/simulator.hpp>
#include <cts/store/journal.hpp>
#include <cts/store/sqlite_journal.hpp>
#include <cts/sign/binance.hpp>
#include <cts/venue/binance/spot_streams.hpp>

#include "stream_harness.hpp"

using namespace cts;
using namespace cts::engine;
using namespace cts::literals;

namespace {

std::filesystem::path fresh_journal_path(std::string_view name) {
  auto dir = std::filesystem::temp_directory_path() / fmt::format("cts-engine-test-{}", ::getpid());
  std::filesystem::create_directories(dir);
  auto path = dir / fmt::format("{}.sqlite", name);
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  return path;
}

sim::SimulatorOptions quiet_simulator() {
  sim::SimulatorOptions options;
  options.market_flow = false;  // a still market: only what the test places trades
  return options;
}

/// Everything an executor needs, wired as TradingSession wires it.
struct Harness {
  explicit Harness(sim::Simulator& simulator, const std::filesystem::path& journal_path)
      : connection(cts_test::connect_to(simulator)),
        gateway(connection->gateway()),
        journal(store::SqliteJournal::open(journal_path).value()),
        recorder(*journal),
        ids(ClientOrderIdGenerator::for_this_process(RealClock{}.system_now())) {
    instrument = gateway.instrument("BTCUSDT").value();
    REQUIRE(account.add_instrument(instrument));
    replayed = store::replay_into(*journal, account).value().records;
    RiskLimits limits;  // only the instrument rules apply
    risk = std::make_unique<RiskGate>(instrument, limits);
    ExecutorOptions options;
    options.unknown_grace = std::chrono::milliseconds{0};
    executor = std::make_unique<OrderExecutor>(gateway, account, *risk, ids, recorder, instrument, options);
  }

  std::unique_ptr<VenueConnection> connection;
  venue::Gateway& gateway;
  std::unique_ptr<store::SqliteJournal> journal;
  JournalRecorder recorder;
  order::Account account;
  ClientOrderIdGenerator ids;
  Instrument instrument;
  std::unique_ptr<RiskGate> risk;
  std::unique_ptr<OrderExecutor> executor;
  std::uint64_t replayed = 0;
};

std::vector<sim::Order> venue_orders(sim::Simulator& simulator, std::string_view client_id) {
  return simulator.with_engine([&](sim::MatchingEngine& engine) {
    std::vector<sim::Order> out;
    for (const sim::Order& o : engine.all_orders(simulator.account(), "BTCUSDT")) {
      if (o.client_order_id == client_id) out.push_back(o);
    }
    return out;
  });
}

void rest_counterparty_sell(sim::Simulator& simulator, Decimal quantity, Decimal price) {
  simulator.with_engine([&](sim::MatchingEngine& engine) {
    const sim::AccountId counterparty = engine.create_account();
    engine.deposit(counterparty, "BTC", "5"_d);
    sim::OrderRequest sell;
    sell.account = counterparty;
    sell.symbol = "BTCUSDT";
    sell.side = Side::sell;
    sell.quantity = quantity;
    sell.price = price;
    REQUIRE(engine.place(sell, to_unix_millis(RealClock{}.system_now())));
  });
}

}  // namespace

TEST_CASE("a resting order is created at the venue with our client id, then cancelled") {
  sim::Simulator simulator(quiet_simulator());
  Harness h(simulator, fresh_journal_path("rest-cancel"));
  const SteadyTime now = RealClock{}.steady_now();
  const ClientOrderId id = h.executor->submit_limit(Side::buy, "0.001"_d, "9000"_d, TimeInForce::gtc, "10000"_d, now).value();
  const order::Order* order = h.account.orders().find(id);
  REQUIRE(order != nullptr);
  CHECK(order->status() == order::OrderStatus::accepted);
  CHECK_FALSE(order->venue_order_id().empty());
  const auto at_venue = venue_orders(simulator, id.view());
  REQUIRE(at_venue.size() == 1);
  CHECK(sim::is_open(at_venue[0].status));
  CHECK(h.executor->open_quantity(Side::buy) == "0.001"_d);

  REQUIRE(h.executor->cancel(id));
  CHECK(h.account.orders().find(id)->status() == order::OrderStatus::canceled);
  CHECK_FALSE(sim::is_open(venue_orders(simulator, id.view())[0].status));
  CHECK(h.executor->stats().orders_canceled == 1);
}

TEST_CASE("a crossing order fills; position and fees match the venue's balances") {
  sim::Simulator simulator(quiet_simulator());
  Harness h(simulator, fresh_journal_path("fill"));
  rest_counterparty_sell(simulator, "0.002"_d, "10000"_d);
  const SteadyTime now = RealClock{}.steady_now();
  const ClientOrderId id = h.executor->submit_limit(Side::buy, "0.002"_d, "10000"_d, TimeInForce::gtc, "10000"_d, now).value();
  const order::Order* order = h.account.orders().find(id);
  CHECK(order->status() == order::OrderStatus::filled);
  CHECK(order->filled() == "0.002"_d);
  CHECK(order->avg_px() == "10000"_d);
  CHECK(h.executor->stats().fills >= 1);
  // Taker fee 0.1 % charged in the received asset: 0.000002 BTC; a spot base fee
  // reduces the position.
  CHECK(order->fee("BTC") == "0.000002"_d);
  CHECK(h.executor->position() == "0.001998"_d);
  const auto btc = simulator.with_engine([&](sim::MatchingEngine& e) { return e.balance(simulator.account(), "BTC"); });
  CHECK(btc.free == "10"_d + h.executor->position());
  // Syncing again finds the same trades and applies nothing twice.
  REQUIRE(h.executor->sync(RealClock{}.steady_now()));
  CHECK(h.executor->position() == "0.001998"_d);
}

TEST_CASE("a reply lost after execution is an unknown outcome, resolved by client id, never re-sent") {
  sim::Simulator simulator(quiet_simulator());
  Harness h(simulator, fresh_journal_path("drop-after"));
  sim::FaultConfig faults;
  faults.drop_after_ppm = 1'000'000;
  simulator.set_faults(faults);
  const SteadyTime now = RealClock{}.steady_now();
  const ClientOrderId id = h.executor->submit_limit(Side::buy, "0.001"_d, "9000"_d, TimeInForce::gtc, "10000"_d, now).value();
  const order::Order* order = h.account.orders().find(id);
  CHECK(order->status() == order::OrderStatus::submitted);
  CHECK(order->outcome_unknown());
  CHECK(h.executor->stats().unknown_outcomes == 1);
  REQUIRE(venue_orders(simulator, id.view()).size() == 1);  // it did execute

  simulator.set_faults(sim::FaultConfig{});
  REQUIRE(h.executor->sync(RealClock{}.steady_now()));
  order = h.account.orders().find(id);
  CHECK_FALSE(order->outcome_unknown());
  CHECK(order->status() == order::OrderStatus::accepted);
  CHECK(h.executor->stats().unknown_resolved == 1);
  CHECK(venue_orders(simulator, id.view()).size() == 1);  // no duplicate
}

TEST_CASE("an unknown outcome a reconciliation resolves counts as resolved at the next sync") {
  sim::Simulator simulator(quiet_simulator());
  Harness h(simulator, fresh_journal_path("resolved-by-reconcile"));
  sim::FaultConfig faults;
  faults.drop_after_ppm = 1'000'000;
  simulator.set_faults(faults);
  const ClientOrderId id =
      h.executor->submit_limit(Side::buy, "0.001"_d, "9000"_d, TimeInForce::gtc, "10000"_d, RealClock{}.steady_now())
          .value();
  REQUIRE(h.account.orders().find(id)->outcome_unknown());
  simulator.set_faults(sim::FaultConfig{});

  // The reconciliation (after a stream reconnect, say) finds it open at the venue.
  REQUIRE(h.executor->reconcile(RealClock{}.steady_now()));
  CHECK_FALSE(h.account.orders().find(id)->outcome_unknown());
  CHECK(h.account.orders().find(id)->status() == order::OrderStatus::accepted);
  // The next sync no longer asks about it, and counts it resolved: nothing is pending.
  REQUIRE(h.executor->sync(RealClock{}.steady_now()));
  CHECK(h.executor->stats().unknown_outcomes == 1);
  CHECK(h.executor->stats().unknown_resolved == 1);
  CHECK(venue_orders(simulator, id.view()).size() == 1);
}

TEST_CASE("a 5xx saying -1001 (not executed) rejects at once; -1007 (status unknown) stays unknown") {
  sim::Simulator simulator(quiet_simulator());
  Harness h(simulator, fresh_journal_path("five-hundreds"));
  sim::FaultConfig faults;
  faults.error_before_ppm = 1'000'000;
  simulator.set_faults(faults);
  const ClientOrderId refused =
      h.executor->submit_limit(Side::buy, "0.001"_d, "9000"_d, TimeInForce::gtc, "10000"_d, RealClock{}.steady_now()).value();
  CHECK(h.account.orders().find(refused)->status() == order::OrderStatus::rejected);
  CHECK(venue_orders(simulator, refused.view()).empty());

  faults = sim::FaultConfig{};
  faults.error_after_ppm = 1'000'000;
  simulator.set_faults(faults);
  const ClientOrderId unknown =
      h.executor->submit_limit(Side::buy, "0.001"_d, "9001"_d, TimeInForce::gtc, "10000"_d, RealClock{}.steady_now()).value();
  CHECK(h.account.orders().find(unknown)->outcome_unknown());
  simulator.set_faults(sim::FaultConfig{});
  REQUIRE(h.executor->sync(RealClock{}.steady_now()));
  CHECK(h.account.orders().find(unknown)->status() == order::OrderStatus::accepted);
  CHECK(venue_orders(simulator, unknown.view()).size() == 1);
}

TEST_CASE("an unknown outcome the venue never saw is rejected after the grace period") {
  sim::Simulator simulator(quiet_simulator());
  Harness h(simulator, fresh_journal_path("never-seen"));
  sim::FaultConfig faults;
  faults.reset_ppm = 1'000'000;  // connection reset without executing
  simulator.set_faults(faults);
  const ClientOrderId id =
      h.executor->submit_limit(Side::buy, "0.001"_d, "9000"_d, TimeInForce::gtc, "10000"_d, RealClock{}.steady_now()).value();
  const order::Order* order = h.account.orders().find(id);
  CHECK((order->outcome_unknown() || order->status() == order::OrderStatus::rejected));
  simulator.set_faults(sim::FaultConfig{});
  REQUIRE(h.executor->sync(RealClock{}.steady_now()));
  CHECK(h.account.orders().find(id)->status() == order::OrderStatus::rejected);
  CHECK(venue_orders(simulator, id.view()).empty());
}

TEST_CASE("refusals: the risk gate sends nothing; a venue rejection is recorded as REJECTED") {
  sim::Simulator simulator(quiet_simulator());
  Harness h(simulator, fresh_journal_path("refusals"));
  const SteadyTime now = RealClock{}.steady_now();
  auto denied = h.executor->submit_limit(Side::buy, "0.001"_d, "9000.001"_d, TimeInForce::gtc, "10000"_d, now);
  REQUIRE(!denied);
  CHECK(denied.error().code == ErrorCode::invalid_argument);
  CHECK(h.account.orders().size() == 0);
  CHECK(h.executor->stats().orders_denied == 1);
  // More BTC than the account holds: the venue refuses (-2010).
  const ClientOrderId id = h.executor->submit_limit(Side::sell, "50"_d, "11000"_d, TimeInForce::gtc, "10000"_d, now).value();
  CHECK(h.account.orders().find(id)->status() == order::OrderStatus::rejected);
  CHECK(h.executor->stats().orders_rejected == 1);
}

TEST_CASE("after a crash the journal rebuilds the orders and nothing is sent twice") {
  sim::Simulator simulator(quiet_simulator());
  const auto path = fresh_journal_path("restart");
  ClientOrderId id;
  {
    Harness first(simulator, path);
    id = first.executor->submit_limit(Side::buy, "0.001"_d, "9000"_d, TimeInForce::gtc, "10000"_d, RealClock{}.steady_now())
             .value();
  }  // the process "dies" here: no shutdown, no cancel
  Harness second(simulator, path);
  CHECK(second.replayed >= 3);  // created, submitted, accepted
  const order::Order* order = second.account.orders().find(id);
  REQUIRE(order != nullptr);
  CHECK(order->status() == order::OrderStatus::accepted);
  REQUIRE(second.executor->sync(RealClock{}.steady_now()));
  CHECK(second.account.orders().find(id)->status() == order::OrderStatus::accepted);
  CHECK(venue_orders(simulator, id.view()).size() == 1);
  CHECK(second.executor->cancel_all() == 0);
  CHECK_FALSE(sim::is_open(venue_orders(simulator, id.view())[0].status));
}

// apply_update(): user-data execution reports (hand-written as user-data-stream.md
// prints them, see stream_harness.hpp) applied like REST replies.

namespace {
/// The executionReport as Binance's user-stream protocol classifies it.
venue::OrderUpdate parse_update(const cts_test::Execution& x) {
  const sign::BinanceHmacSigner signer(VenueId::binance_spot, "key", sign::Secret("secret"));  // never signs here
  venue::binance::SpotUserStream protocol(signer);
  auto events = protocol.on_message(cts_test::execution_report(x));
  REQUIRE(events);
  REQUIRE(events->size() == 1);
  REQUIRE(std::holds_alternative<venue::OrderUpdate>(events->front()));
  return std::get<venue::OrderUpdate>(events->front());
}
}  // namespace

TEST_CASE("apply_update: a TRADE report whose cumulative quantity shows a missed fill fetches it from REST") {
  sim::Simulator simulator(quiet_simulator());
  Harness h(simulator, fresh_journal_path("update-missed"));
  const SteadyTime now = RealClock{}.steady_now();
  const ClientOrderId id = h.executor->submit_limit(Side::buy, "0.003"_d, "9000"_d, TimeInForce::gtc, "10000"_d, now).value();
  const std::string venue_id = h.account.orders().find(id)->venue_order_id().str();
  cts_test::counterparty(simulator, Side::sell, "0.001"_d, "9000"_d);
  cts_test::counterparty(simulator, Side::sell, "0.002"_d, "9000"_d);
  const std::vector<sim::Fill> fills = cts_test::venue_fills(simulator);
  REQUIRE(fills.size() == 2);
  // Only the second report arrives (the first was lost in a disconnect).
  cts_test::Execution x;
  x.client_id = id.str();
  x.quantity = "0.00300000";
  x.price = "9000.00000000";
  x.order_id = std::stoull(venue_id);
  x.execution = "TRADE";
  x.status = "FILLED";
  x.last_quantity = "0.00200000";
  x.cumulative = "0.00300000";
  x.last_price = "9000.00000000";
  x.commission = fills[1].commission.to_string();
  x.commission_asset = "BTC";
  x.trade_id = fills[1].trade_id;
  const Result<void> applied = h.executor->apply_update(parse_update(x), now);
  INFO((applied ? std::string() : applied.error().to_string()));
  REQUIRE(applied);
  const order::Order* order = h.account.orders().find(id);
  CHECK(order->status() == order::OrderStatus::filled);
  CHECK(order->filled() == "0.003"_d);
  CHECK(order->fee("BTC") == fills[0].commission + fills[1].commission);
  CHECK(h.executor->stats().fills == 2);
  CHECK(h.executor->stats().stream_updates == 1);
}

TEST_CASE("apply_update: EXPIRED ends the order; other symbols and unknown ids are ignored") {
  sim::Simulator simulator(quiet_simulator());
  Harness h(simulator, fresh_journal_path("update-expired"));
  const SteadyTime now = RealClock{}.steady_now();
  const ClientOrderId id = h.executor->submit_limit(Side::sell, "0.001"_d, "11000"_d, TimeInForce::gtc, "10000"_d, now).value();
  const std::uint64_t venue_id = std::stoull(h.account.orders().find(id)->venue_order_id().str());
  cts_test::Execution x;
  x.client_id = "not-one-of-ours";
  x.side = "SELL";
  x.quantity = "0.00100000";
  x.price = "11000.00000000";
  x.order_id = venue_id;
  x.execution = "EXPIRED";
  x.status = "EXPIRED";
  REQUIRE(h.executor->apply_update(parse_update(x), now));
  x.client_id = id.str();
  x.symbol = "ETHUSDT";
  REQUIRE(h.executor->apply_update(parse_update(x), now));
  CHECK(h.executor->stats().stream_ignored == 2);
  CHECK(h.account.orders().find(id)->status() == order::OrderStatus::accepted);
  x.symbol = "BTCUSDT";
  REQUIRE(h.executor->apply_update(parse_update(x), now));
  CHECK(h.account.orders().find(id)->status() == order::OrderStatus::expired);
  CHECK(h.executor->stats().orders_canceled == 1);
  // A late NEW for the expired order changes nothing.
  x.execution = "NEW";
  x.status = "NEW";
  REQUIRE(h.executor->apply_update(parse_update(x), now));
  CHECK(h.account.orders().find(id)->status() == order::OrderStatus::expired);
}

TEST_CASE("a quote whose cancel fails at pause() is cancelled by the next step, never forgotten live") {
  sim::Simulator simulator(quiet_simulator());
  const auto our_open_orders = [&] {
    return simulator.with_engine(
        [&](sim::MatchingEngine& engine) { return engine.open_orders(simulator.account(), "BTCUSDT").size(); });
  };
  simulator.with_engine([&](sim::MatchingEngine& engine) {  // a book to quote inside: 9990 / 10010
    const sim::AccountId other = engine.create_account();
    engine.deposit(other, "BTC", "5"_d);
    engine.deposit(other, "USDT", "100000"_d);
    for (const auto& [side, price] : {std::pair{Side::buy, "9990"_d}, std::pair{Side::sell, "10010"_d}}) {
      sim::OrderRequest r;
      r.account = other;
      r.symbol = "BTCUSDT";
      r.side = side;
      r.quantity = "1"_d;
      r.price = price;
      REQUIRE(engine.place(r, to_unix_millis(RealClock{}.system_now())));
    }
  });
  Harness h(simulator, fresh_journal_path("mm-pause"));
  QuotingParams params{"0.0001"_d, "0.001"_d, "1"_d, "0"_d};  // quotes at 9999 / 10001
  MarketMaker maker(*h.executor, h.gateway, params, "0.01"_d);
  REQUIRE(maker.step(RealClock{}.steady_now()));
  REQUIRE(our_open_orders() == 2);

  sim::FaultConfig failing;
  failing.error_before_ppm = 1'000'000;  // every request: 503 without executing
  simulator.set_faults(failing);
  maker.pause();
  CHECK(our_open_orders() == 2);  // both cancels failed: the quotes are still live

  simulator.set_faults(sim::FaultConfig{});
  (void)maker.step(RealClock{}.steady_now());  // paused: cancels what is left, places nothing
  CHECK(our_open_orders() == 0);
  (void)maker.step(RealClock{}.steady_now());
  CHECK(our_open_orders() == 0);
}
