// Tests for OrderExecutor::reconcile and the market maker's ownership of every open
// order: the venue as the source of truth after a crash, end to end against the
// embedded simulator over loopback with the order journal in a real SQLite file.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include <cts/engine/market_maker.hpp>
#include <cts/engine/session.hpp>

#include "stream_harness.hpp"

using namespace cts;
using namespace cts::engine;
using namespace cts::literals;
using cts_test::StreamHarness;

namespace {

/// Deletes the journal at `path` with its WAL and shared-memory files.
void lose_journal(const std::filesystem::path& path) {
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
}

std::filesystem::path journal_path(std::string_view name) {
  auto dir = std::filesystem::temp_directory_path() / fmt::format("cts-engine-reconcile-test-{}", ::getpid());
  std::filesystem::create_directories(dir);
  auto path = dir / fmt::format("{}.sqlite", name);
  lose_journal(path);
  return path;
}

ExecutorOptions options(std::string_view prefix, ForeignOrderPolicy foreign = ForeignOrderPolicy::report) {
  ExecutorOptions out;
  out.unknown_grace = std::chrono::milliseconds{0};
  out.foreign_orders = foreign;
  out.client_id_prefix = std::string(prefix);
  return out;
}

/// A restart of the engine on the journal at `path`, with the engine's default prefix.
std::unique_ptr<StreamHarness> restart(sim::Simulator& simulator, const std::filesystem::path& path,
                                       ForeignOrderPolicy foreign = ForeignOrderPolicy::report) {
  return std::make_unique<StreamHarness>(simulator, path, options("cts", foreign), "cts");
}

/// Our account's open BTCUSDT orders at the venue.
std::vector<sim::Order> venue_open(sim::Simulator& simulator) {
  return simulator.with_engine(
      [&](sim::MatchingEngine& engine) { return engine.open_orders(simulator.account(), "BTCUSDT"); });
}

std::vector<std::string> client_ids(const std::vector<sim::Order>& orders) {
  std::vector<std::string> out;
  for (const sim::Order& o : orders) out.push_back(o.client_order_id);
  std::sort(out.begin(), out.end());
  return out;
}

/// A book of other accounts around 10000 (best bid 9990, best ask 10010): the market
/// maker's mid is 10000.
void book_around_10000(sim::Simulator& simulator) {
  cts_test::counterparty(simulator, Side::buy, "1"_d, "9990"_d);
  cts_test::counterparty(simulator, Side::sell, "1"_d, "10010"_d);
}

/// Quotes 1 bp from the mid: around a mid of 10000 the bid is 9999 and the ask 10001
/// (10000 ∓ 10000 · 0.0001, on the 0.01 tick); 0.001 each.
QuotingParams one_bp_quotes() { return QuotingParams{"0.0001"_d, "0.001"_d, "0.01"_d, "0.01"_d}; }

MarketMaker market_maker(StreamHarness& h) { return MarketMaker(*h.executor, h.gateway, one_bp_quotes(), "0.0002"_d); }

/// An order placed at the venue on our account as someone else would (manual, another bot).
void place_on_our_account(sim::Simulator& simulator, Side side, Decimal price, std::string client_id) {
  simulator.with_engine([&](sim::MatchingEngine& engine) {
    sim::OrderRequest order;
    order.account = simulator.account();
    order.symbol = "BTCUSDT";
    order.side = side;
    order.quantity = "0.001"_d;
    order.price = price;
    order.client_order_id = std::move(client_id);
    REQUIRE(engine.place(order, to_unix_millis(RealClock{}.system_now())));
  });
}

}  // namespace

TEST_CASE("journal lost with two of our orders live: restart adopts both; the market maker reprices them") {
  sim::Simulator simulator(cts_test::still_market());
  book_around_10000(simulator);
  const auto path = journal_path("lost");
  std::vector<std::string> stale;
  {
    auto first = restart(simulator, path);
    const SteadyTime now = RealClock{}.steady_now();
    stale.push_back(
        first->executor->submit_limit(Side::buy, "0.001"_d, "9995"_d, TimeInForce::post_only, "10000"_d, now)
            .value()
            .str());
    stale.push_back(
        first->executor->submit_limit(Side::sell, "0.001"_d, "10005"_d, TimeInForce::post_only, "10000"_d, now)
            .value()
            .str());
  }  // killed: nothing cancelled
  lose_journal(path);
  REQUIRE(venue_open(simulator).size() == 2);

  auto second = restart(simulator, path);
  CHECK(second->replayed == 0);
  const ReconcileReport report = second->executor->reconcile(RealClock{}.steady_now()).value();
  CHECK(report.venue_open_orders == 2);
  CHECK(report.adopted == 2);
  CHECK(report.journal_incomplete());
  CHECK(report.foreign.empty());
  CHECK(second->executor->open_orders().size() == 2);
  CHECK(second->executor->stats().orders_adopted == 2);
  // Adopted orders are journaled: the next start replays them.
  CHECK(second->journal->last_committed_seq() > 0);

  MarketMaker mm = market_maker(*second);
  REQUIRE(mm.step(RealClock{}.steady_now()));
  const std::vector<sim::Order> open = venue_open(simulator);
  REQUIRE(open.size() == 2);
  for (const sim::Order& o : open) {
    CHECK(std::find(stale.begin(), stale.end(), o.client_order_id) == stale.end());
    CHECK(o.price == (o.side == Side::buy ? "9999"_d : "10001"_d));
  }
  CHECK(second->executor->open_orders().size() == 2);
}

TEST_CASE("adopted orders already at the target are kept by the market maker, not churned") {
  sim::Simulator simulator(cts_test::still_market());
  book_around_10000(simulator);
  const auto path = journal_path("kept");
  {
    auto first = restart(simulator, path);
    const SteadyTime now = RealClock{}.steady_now();
    REQUIRE(first->executor->submit_limit(Side::buy, "0.001"_d, "9999"_d, TimeInForce::post_only, "10000"_d, now));
    REQUIRE(first->executor->submit_limit(Side::sell, "0.001"_d, "10001"_d, TimeInForce::post_only, "10000"_d, now));
  }
  const std::vector<std::string> before = client_ids(venue_open(simulator));
  lose_journal(path);
  auto second = restart(simulator, path);
  REQUIRE(second->executor->reconcile(RealClock{}.steady_now()).value().adopted == 2);
  MarketMaker mm = market_maker(*second);
  REQUIRE(mm.step(RealClock{}.steady_now()));
  REQUIRE(mm.step(RealClock{}.steady_now()));
  CHECK(client_ids(venue_open(simulator)) == before);
  CHECK(second->executor->stats().orders_submitted == 0);
}

TEST_CASE("five crashes on one journal, one of them losing it, leave at most the market maker's two quotes") {
  sim::Simulator simulator(cts_test::still_market());
  book_around_10000(simulator);
  const auto path = journal_path("five-crashes");
  for (int round = 0; round < 5; ++round) {
    if (round == 3) lose_journal(path);
    auto engine = restart(simulator, path);
    REQUIRE(engine->executor->reconcile(RealClock{}.steady_now()));
    MarketMaker mm = market_maker(*engine);
    REQUIRE(mm.step(RealClock{}.steady_now()));
    const std::vector<sim::Order> open = venue_open(simulator);
    INFO("round " << round);
    CHECK(open.size() == 2);
    CHECK(std::count_if(open.begin(), open.end(), [](const sim::Order& o) { return o.side == Side::buy; }) == 1);
  }  // each round is killed: its quotes stay at the venue for the next one
}

TEST_CASE("a fill that happened while the engine was down is applied once, however often it restarts") {
  sim::Simulator simulator(cts_test::still_market());
  const auto path = journal_path("fill-while-down");
  ClientOrderId filled_id;
  ClientOrderId partial_id;
  {
    auto first = restart(simulator, path);
    const SteadyTime now = RealClock{}.steady_now();
    filled_id = first->executor->submit_limit(Side::buy, "0.002"_d, "9000"_d, TimeInForce::gtc, "10000"_d, now).value();
    partial_id =
        first->executor->submit_limit(Side::buy, "0.003"_d, "8900"_d, TimeInForce::gtc, "10000"_d, now).value();
  }
  cts_test::counterparty(simulator, Side::sell, "0.002"_d, "9000"_d);  // fills the first completely
  cts_test::counterparty(simulator, Side::sell, "0.001"_d, "8900"_d);  // a third of the second
  REQUIRE(cts_test::venue_fills(simulator).size() == 2);

  {
    auto second = restart(simulator, path);
    const ReconcileReport report = second->executor->reconcile(RealClock{}.steady_now()).value();
    CHECK(report.fills_applied == 2);
    CHECK(report.adopted == 0);
    CHECK(report.resolved == 1);  // the filled one, no longer open at the venue
    CHECK(second->account.orders().find(filled_id)->status() == order::OrderStatus::filled);
    CHECK(second->account.orders().find(partial_id)->status() == order::OrderStatus::partially_filled);
    CHECK(second->account.orders().find(partial_id)->filled() == "0.001"_d);
    // 0.003 BTC bought, less the 0.1 % maker fee charged in BTC (0.000003).
    CHECK(second->executor->position() == "0.002997"_d);
  }
  for (int restart_count = 0; restart_count < 2; ++restart_count) {
    auto again = restart(simulator, path);
    CHECK(again->executor->position() == "0.002997"_d);  // from the journal alone
    const ReconcileReport report = again->executor->reconcile(RealClock{}.steady_now()).value();
    CHECK(report.fills_applied == 0);
    CHECK(again->executor->stats().fills == 0);
    CHECK(again->executor->position() == "0.002997"_d);
  }
  const auto btc = simulator.with_engine([&](sim::MatchingEngine& e) { return e.balance(simulator.account(), "BTC"); });
  CHECK(btc.free + btc.locked - "10"_d == "0.002997"_d);  // the account started with 10 BTC
}

TEST_CASE("orders the journal has open and the venue does not are resolved from the venue's status") {
  sim::Simulator simulator(cts_test::still_market());
  const auto path = journal_path("resolved");
  ClientOrderId canceled_id;
  ClientOrderId never_sent_id;
  {
    auto first = restart(simulator, path);
    canceled_id =
        first->executor
            ->submit_limit(Side::buy, "0.003"_d, "9000"_d, TimeInForce::gtc, "10000"_d, RealClock{}.steady_now())
            .value();
    // Journaled as sent, then the process died before the request left it.
    order::OrderRequest request;
    request.client_id = first->ids.next_for(VenueId::binance_spot).value();
    request.symbol = first->instrument.unified_symbol();
    request.side = Side::sell;
    request.type = OrderType::limit;
    request.tif = TimeInForce::gtc;
    request.quantity = "0.001"_d;
    request.price = "11000"_d;
    request.ts = RealClock{}.system_now();
    REQUIRE(first->recorder.record_created(request));
    REQUIRE(first->recorder.record_event(
        request.client_id, order::make_event(order::OrderEventKind::submitted, RealClock{}.system_now())));
    never_sent_id = request.client_id;
  }
  cts_test::counterparty(simulator, Side::sell, "0.001"_d, "9000"_d);
  simulator.with_engine([&](sim::MatchingEngine& engine) {
    REQUIRE(engine.cancel(simulator.account(), "BTCUSDT", std::nullopt, canceled_id.view(),
                          to_unix_millis(RealClock{}.system_now())));
  });

  auto second = restart(simulator, path);
  CHECK(second->executor->open_orders().size() == 2);
  const ReconcileReport report = second->executor->reconcile(RealClock{}.steady_now()).value();
  CHECK(report.resolved == 2);
  CHECK(report.fills_applied == 1);
  const order::Order* canceled = second->account.orders().find(canceled_id);
  CHECK(canceled->status() == order::OrderStatus::canceled);
  CHECK(canceled->filled() == "0.001"_d);
  CHECK(second->account.orders().find(never_sent_id)->status() == order::OrderStatus::rejected);
  CHECK(second->executor->open_orders().empty());
}

TEST_CASE("foreign orders are reported and left alone, or cancelled when configured") {
  sim::Simulator simulator(cts_test::still_market());
  book_around_10000(simulator);
  place_on_our_account(simulator, Side::buy, "9500"_d, "manual-order-1");
  place_on_our_account(simulator, Side::sell, "10500"_d, "");  // the venue names it
  {
    // Another engine on the account, with its own prefix.
    StreamHarness other(simulator, journal_path("other-engine"), options("bot7"), "bot7");
    REQUIRE(other.executor->submit_limit(Side::buy, "0.001"_d, "9400"_d, TimeInForce::gtc, "10000"_d,
                                         RealClock{}.steady_now()));
  }
  const std::vector<std::string> foreign = client_ids(venue_open(simulator));
  REQUIRE(foreign.size() == 3);

  const auto path = journal_path("foreign");
  {
    auto engine = restart(simulator, path);
    const ReconcileReport report = engine->executor->reconcile(RealClock{}.steady_now()).value();
    CHECK(report.foreign.size() == 3);
    CHECK(report.adopted == 0);
    CHECK_FALSE(report.journal_incomplete());
    CHECK(report.foreign_canceled == 0);
    CHECK(engine->account.orders().size() == 0);
    CHECK(engine->executor->stats().foreign_open_orders == 3);
    MarketMaker mm = market_maker(*engine);
    REQUIRE(mm.step(RealClock{}.steady_now()));
    REQUIRE(mm.step(RealClock{}.steady_now()));
    const std::vector<std::string> open = client_ids(venue_open(simulator));
    CHECK(open.size() == 5);  // the three foreign ones and the two quotes
    for (const std::string& id : foreign) CHECK(std::find(open.begin(), open.end(), id) != open.end());
    mm.pause();
    CHECK(client_ids(venue_open(simulator)) == foreign);
  }
  auto engine = restart(simulator, path, ForeignOrderPolicy::cancel);
  const ReconcileReport report = engine->executor->reconcile(RealClock{}.steady_now()).value();
  CHECK(report.foreign.size() == 3);
  CHECK(report.foreign_canceled == 3);
  CHECK(venue_open(simulator).empty());
}

TEST_CASE("a session started on a lost journal warns with the counts, adopts, and its health says so") {
  sim::Simulator simulator(cts_test::still_market());
  book_around_10000(simulator);
  {
    auto previous = restart(simulator, journal_path("session-previous"));
    const SteadyTime now = RealClock{}.steady_now();
    REQUIRE(previous->executor->submit_limit(Side::buy, "0.001"_d, "9995"_d, TimeInForce::post_only, "10000"_d, now));
    REQUIRE(previous->executor->submit_limit(Side::sell, "0.001"_d, "10005"_d, TimeInForce::post_only, "10000"_d, now));
  }  // killed, and its journal is not the one the next session opens
  place_on_our_account(simulator, Side::buy, "9500"_d, "manual-order-1");

  EngineConfig config;  // client_id_prefix "cts", foreign_orders report
  config.quoting = one_bp_quotes();
  SessionEndpoint endpoint;
  endpoint.base_url = simulator.base_url();
  endpoint.credentials.api_key = simulator.options().api_key;
  endpoint.credentials.secret = sign::Secret(simulator.options().api_secret);
  std::vector<std::string> lines;
  endpoint.log = [&lines](std::string_view line) { lines.emplace_back(line); };
  auto journal = store::SqliteJournal::open(journal_path("session")).value();
  auto session = TradingSession::open(config, std::move(endpoint), *journal).value();

  CHECK(session->last_reconciliation().adopted == 2);
  CHECK(session->last_reconciliation().foreign.size() == 1);
  auto logged = [&](std::string_view text) {
    return std::any_of(lines.begin(), lines.end(), [&](const std::string& l) { return l.find(text) != l.npos; });
  };
  CHECK(logged("BTCUSDT: WARNING: the venue had 2 open orders of ours that the journal (0 records replayed)"));
  CHECK(logged("BTCUSDT: foreign open order manual-order-1"));
  const SteadyTime now = RealClock{}.steady_now();
  const auto checks = session->health().list(now);
  const auto check = std::find_if(checks.begin(), checks.end(),
                                  [](const health::CheckSnapshot& c) { return c.name == "orders:reconciliation"; });
  REQUIRE(check != checks.end());
  CHECK(check->status == health::Status::warn);
  REQUIRE(check->last_result);
  CHECK(check->last_result->output == "1 foreign open orders at the venue; journal did not know 2 open orders of ours");

  REQUIRE(session->step(now));
  std::vector<sim::Order> open = venue_open(simulator);
  REQUIRE(open.size() == 3);  // the foreign order and the two quotes, repriced
  for (const sim::Order& o : open) {
    if (o.client_order_id == "manual-order-1") continue;
    CHECK(o.price == (o.side == Side::buy ? "9999"_d : "10001"_d));
  }
  session->shutdown(RealClock{}.steady_now());
  open = venue_open(simulator);
  REQUIRE(open.size() == 1);
  CHECK(open[0].client_order_id == "manual-order-1");
}
