// Tests for the position step of OrderExecutor::reconcile (cts/engine/executor.hpp) on a
// derivatives venue: the Bybit simulator's BTCUSDT linear perpetual through the registry
// and the connection factory. The venue's position is compared with the engine's
// position book; a difference is reported, never adjusted. Expected sizes follow from
// the orders placed (written next to each check). A gateway that forwards to the
// simulator lands a fill at the venue between two of a reconciliation's reads: a fill in
// flight is no difference.
#include <cts/engine/executor.hpp>

#include <doctest/doctest.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <cts/engine/connection.hpp>
#include <cts/engine/journal_recorder.hpp>
#include <cts/sim/simulator.hpp>
#include <cts/store/sqlite_journal.hpp>
#include <cts/venue/registry.hpp>

#include "forwarding_gateway.hpp"
#include "stream_harness.hpp"

using namespace cts;
using namespace cts::engine;
using namespace cts::literals;

namespace {

std::int64_t now_ms() { return to_unix_millis(RealClock{}.system_now()); }
const std::string kLinearBook = sim::market_key(InstrumentKind::linear_perpetual, "BTCUSDT");

/// A counterparty's resting linear order.
void rest(sim::Simulator& simulator, Side side, Decimal quantity, Decimal price) {
  simulator.with_engine([&](sim::MatchingEngine& engine) {
    const sim::AccountId other = engine.create_account();
    engine.deposit(other, "USDT", "10000000"_d);
    sim::OrderRequest order;
    order.account = other;
    order.symbol = kLinearBook;
    order.side = side;
    order.quantity = quantity;
    order.price = price;
    REQUIRE(engine.place(order, now_ms()));
  });
}

/// Where FillBetweenReads lands its fill, in a reconciliation's reads.
enum class Between : std::uint8_t {
  open_orders_and_trades,  ///< After the open orders are read, before the executions.
  trades_and_position,     ///< After the executions are read, before the position.
};

/// A fill FillBetweenReads lands: a counterparty's order of 0.01 at `price`.
struct RacingFill {
  Between when;
  Side side;
  Decimal price;
};

/// Forwards every call to a real gateway; each of its `fills` lands once, at its moment
/// of the first reconciliation: fills that land at the venue while a reconciliation
/// reads.
class FillBetweenReads final : public cts_test::ForwardingGateway {
 public:
  FillBetweenReads(venue::Gateway& real, sim::Simulator& simulator, std::vector<RacingFill> fills)
      : ForwardingGateway(real), simulator_(simulator), fills_(std::move(fills)) {}
  Result<std::vector<venue::OrderReport>> open_orders(std::string_view s) override {
    open_orders_read_ = true;
    return real_.open_orders(s);
  }
  Result<std::vector<venue::AccountTrade>> recent_trades(std::string_view s, std::size_t limit) override {
    if (open_orders_read_) land(Between::open_orders_and_trades);
    trades_read_ = true;
    return real_.recent_trades(s, limit);
  }
  Result<std::vector<venue::Position>> positions(std::string_view s) override {
    if (trades_read_) land(Between::trades_and_position);
    return real_.positions(s);
  }

 private:
  void land(Between now) {
    for (auto it = fills_.begin(); it != fills_.end();) {
      if (it->when != now) {
        ++it;
        continue;
      }
      rest(simulator_, it->side, "0.01"_d, it->price);
      it = fills_.erase(it);
    }
  }
  sim::Simulator& simulator_;
  std::vector<RacingFill> fills_;
  bool open_orders_read_ = false;
  bool trades_read_ = false;
};

/// A Bybit linear connection to `simulator`.
std::unique_ptr<VenueConnection> linear_connection(sim::Simulator& simulator) {
  ConnectionOptions options;
  options.base_url = simulator.base_url();
  options.credentials =
      sign::Credentials{simulator.options().api_key, sign::Secret(simulator.options().api_secret), {}};
  return VenueConnection::open(*venue::find_connector(VenueId::bybit, "linear").value(), std::move(options)).value();
}

/// The Bybit simulator's BTCUSDT linear book with no market flow, a connection to it, the
/// fills `fills` landing during the first reconciliation, and an executor behind them
/// (journal `journal_name`) with `orders` of 0.01 each resting on the empty book.
struct RacingVenue {
  RacingVenue(std::string_view journal_name, std::vector<RacingFill> fills,
              const std::vector<std::pair<Side, Decimal>>& orders)
      : simulator([] {
          sim::SimulatorOptions options;
          options.venue = sim::SimVenue::bybit;
          options.market_flow = false;
          return options;
        }()),
        connection(linear_connection(simulator)),
        gateway(connection->gateway(), simulator, std::move(fills)),
        instrument(gateway.instrument("BTCUSDT").value()),
        journal(store::SqliteJournal::open(cts_test::stream_journal_path(journal_name)).value()),
        recorder(*journal),
        risk(instrument, RiskLimits{}),
        ids(ClientOrderIdGenerator::for_this_process(RealClock{}.system_now())) {
    REQUIRE(account.add_instrument(instrument));
    ExecutorOptions options;
    options.unknown_grace = std::chrono::milliseconds{0};
    executor.emplace(gateway, account, risk, ids, recorder, instrument, options);
    for (const auto& [side, price] : orders) {
      REQUIRE(executor->submit_limit(side, "0.01"_d, price, TimeInForce::gtc, price, now));
    }
    REQUIRE(executor->sync(now));
  }
  sim::Simulator simulator;
  std::unique_ptr<VenueConnection> connection;
  FillBetweenReads gateway;
  Instrument instrument;
  order::Account account;
  std::unique_ptr<store::SqliteJournal> journal;
  JournalRecorder recorder;
  RiskGate risk;
  ClientOrderIdGenerator ids;
  const SteadyTime now = RealClock{}.steady_now();
  std::optional<OrderExecutor> executor;
};

}  // namespace

TEST_CASE("reconcile on a linear venue: the venue's position equals the book's, and a difference is reported") {
  sim::SimulatorOptions options;
  options.venue = sim::SimVenue::bybit;
  options.market_flow = false;
  sim::Simulator simulator(options);
  const auto connection = linear_connection(simulator);
  venue::Gateway& gateway = connection->gateway();
  const Instrument instrument = gateway.instrument("BTCUSDT").value();
  order::Account account;
  REQUIRE(account.add_instrument(instrument));
  auto journal = store::SqliteJournal::open(cts_test::stream_journal_path("linear-position")).value();
  JournalRecorder recorder(*journal);
  RiskGate risk(instrument, RiskLimits{});
  auto ids = ClientOrderIdGenerator::for_this_process(RealClock{}.system_now());
  ExecutorOptions executor_options;
  executor_options.unknown_grace = std::chrono::milliseconds{0};
  OrderExecutor executor(gateway, account, risk, ids, recorder, instrument, executor_options);

  // Ours: buy 0.01 against a resting sell of 0.01 at 30000 → long 0.01 at the venue and here.
  rest(simulator, Side::sell, "0.01"_d, "30000"_d);
  const SteadyTime now = RealClock{}.steady_now();
  REQUIRE(executor.submit_limit(Side::buy, "0.01"_d, "30000"_d, TimeInForce::gtc, "30000"_d, now));
  REQUIRE(executor.sync(now));
  CHECK(executor.position() == "0.01"_d);
  const ReconcileReport agreed = executor.reconcile(now).value();
  REQUIRE(agreed.venue_position.has_value());
  CHECK(*agreed.venue_position == "0.01"_d);
  CHECK(agreed.conflicts.empty());

  // Not ours: someone buys 0.005 on the same account (a manual order, client id "manual-1"):
  // the venue holds 0.015, the engine's book 0.01.
  rest(simulator, Side::sell, "0.005"_d, "30000"_d);
  simulator.with_engine([&](sim::MatchingEngine& engine) {
    sim::OrderRequest manual;
    manual.account = simulator.account();
    manual.symbol = kLinearBook;
    manual.side = Side::buy;
    manual.quantity = "0.005"_d;
    manual.price = "30000"_d;
    manual.client_order_id = "manual-1";
    REQUIRE(engine.place(manual, now_ms()));
  });
  const ReconcileReport differed = executor.reconcile(now).value();
  REQUIRE(differed.venue_position.has_value());
  CHECK(*differed.venue_position == "0.015"_d);
  CHECK(executor.position() == "0.01"_d);  // reported, not adjusted
  REQUIRE_FALSE(differed.conflicts.empty());
  CHECK(differed.conflicts.back() == "position: the venue holds 0.015 BTCUSDT, the engine's position book 0.01");
  CHECK(differed.position_conflict);
  CHECK_FALSE(differed.position_moving);
}

TEST_CASE("reconcile on a spot venue reads no position") {
  sim::SimulatorOptions options;
  options.market_flow = false;
  sim::Simulator simulator(options);
  cts_test::StreamHarness h(simulator, "spot-no-position");
  const ReconcileReport report = h.executor->reconcile(RealClock{}.steady_now()).value();
  CHECK_FALSE(report.venue_position.has_value());
}

TEST_CASE("reconcile on a linear venue: a fill that lands between the executions read and the position read is no "
          "difference") {
  // Ours: a bid of 0.01 at 30000 rests. A counterparty sells 0.01 at 30000 into it, at
  // the venue, once the reconciliation has read the executions and before it reads the
  // position.
  RacingVenue v("linear-fill-in-flight", {{Between::trades_and_position, Side::sell, "30000"_d}},
                {{Side::buy, "30000"_d}});
  OrderExecutor& executor = *v.executor;
  CHECK(executor.position().is_zero());

  // The venue holds 0.01 when the position is read, the executions read before showed
  // none: the engine's book is still 0, and that is a fill in flight, not a difference.
  const ReconcileReport racing = executor.reconcile(v.now).value();
  REQUIRE(racing.venue_position.has_value());
  CHECK(*racing.venue_position == "0.01"_d);
  CHECK(executor.position().is_zero());
  CHECK(racing.fills_applied == 0);
  CHECK(racing.conflicts.empty());
  CHECK(racing.position_moving);
  CHECK_FALSE(racing.position_conflict);

  // The next reconciliation finds the fill in the executions: long 0.01 here too.
  const ReconcileReport settled = executor.reconcile(v.now).value();
  CHECK(settled.fills_applied == 1);
  CHECK(executor.position() == "0.01"_d);
  CHECK(*settled.venue_position == "0.01"_d);
  CHECK_FALSE(settled.position_moving);
  CHECK(settled.conflicts.empty());
}

TEST_CASE("reconcile on a linear venue: an order that fills between the open orders read and the executions read is "
          "no difference") {
  // Our bid of 0.01 at 30000 is taken after the listing of open orders (which still
  // shows it open) and before the executions are read (which show its fill).
  RacingVenue v("linear-fill-after-listing", {{Between::open_orders_and_trades, Side::sell, "30000"_d}},
                {{Side::buy, "30000"_d}});
  OrderExecutor& executor = *v.executor;

  // The fill is applied from the executions; the stale listing is no order of ours left
  // working, and the position moved while it was read (0, then 0.01): nothing to report.
  const ReconcileReport report = executor.reconcile(v.now).value();
  CHECK(report.venue_open_orders == 1);
  CHECK(report.fills_applied == 1);
  CHECK(executor.open_orders().empty());
  CHECK(executor.position() == "0.01"_d);
  CHECK(*report.venue_position == "0.01"_d);
  CHECK(report.conflicts.empty());
  CHECK_FALSE(report.position_conflict);
}

TEST_CASE("reconcile on a linear venue: fills in flight that cancel out (the position reads agree) are no "
          "difference") {
  // Our ask of 0.01 at 31000 is taken after the open orders are read (the executions
  // show it), our bid of 0.01 at 30000 after the executions are read (they do not): the
  // venue's position is 0 at both reads, the engine's book -0.01 after the first pass.
  RacingVenue v("linear-fills-cancel-out",
                {{Between::open_orders_and_trades, Side::buy, "31000"_d},
                 {Between::trades_and_position, Side::sell, "30000"_d}},
                {{Side::buy, "30000"_d}, {Side::sell, "31000"_d}});
  OrderExecutor& executor = *v.executor;

  // The second pass reads the bid's fill too: flat here as at the venue, nothing to
  // report; both fills applied, once each.
  const ReconcileReport report = executor.reconcile(v.now).value();
  CHECK(report.fills_applied == 2);
  CHECK(executor.position().is_zero());
  CHECK(executor.open_orders().empty());
  CHECK(*report.venue_position == "0"_d);
  CHECK(report.conflicts.empty());
  CHECK_FALSE(report.position_conflict);
  CHECK(executor.stats().fills == 2);
}
