// Tests for the venue's position between reconciliations (cts/engine/position_watch.hpp
// and its use in cts/engine/session.hpp): the comparison rule on its own, with made-up
// times; the user stream keeping the positions a scripted venue reports; then a TradingSession on the Bybit simulator's
// BTCUSDT linear perpetual with its streams, where the position the private stream reports equals the engine's position
// book after a fill, and where an order not the engine's makes them differ and the
// session reconciles with the venue by REST and reports the difference. Expected sizes
// and prices are worked out next to each check from the orders placed.
#include <cts/engine/position_watch.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <cts/engine/session.hpp>
#include <cts/engine/user_stream.hpp>

#include "stream_harness.hpp"

using namespace cts;
using namespace cts::engine;
using namespace cts::literals;
using namespace std::chrono_literals;

TEST_CASE("position watch: a difference acts only after it settles; agreement restarts the clock") {
  PositionWatch watch(PositionWatchOptions{2000ms});
  const SteadyTime t0{};
  CHECK(watch.check("0"_d, true, t0) == PositionVerdict::unknown);  // nothing heard yet
  CHECK_FALSE(watch.venue().has_value());

  watch.reconciled("0"_d, "0"_d, t0);
  CHECK(watch.source() == PositionSource::rest);
  CHECK(watch.check("0"_d, true, t0) == PositionVerdict::agree);

  // The position event of a fill arrives before its order event: the engine's book is
  // still 0 for a moment.
  watch.streamed("0.001"_d, t0 + 10ms);
  CHECK(watch.source() == PositionSource::stream);
  CHECK(watch.check("0"_d, true, t0 + 10ms) == PositionVerdict::settling);
  CHECK(watch.differs_since() == t0 + 10ms);
  CHECK(watch.check("0.001"_d, true, t0 + 20ms) == PositionVerdict::agree);  // the fill applied
  CHECK_FALSE(watch.differs_since().has_value());

  // A difference that lasts: settling for 2 s (whatever the values meanwhile), then
  // disagree.
  watch.streamed("0.002"_d, t0 + 1000ms);
  CHECK(watch.check("0.001"_d, true, t0 + 1000ms) == PositionVerdict::settling);
  watch.streamed("0.003"_d, t0 + 2000ms);
  CHECK(watch.check("0.001"_d, true, t0 + 2999ms) == PositionVerdict::settling);
  CHECK(watch.check("0.001"_d, true, t0 + 3000ms) == PositionVerdict::disagree);

  // While the stream may have missed events nothing is compared, and the clock stops.
  CHECK(watch.check("0.001"_d, false, t0 + 3100ms) == PositionVerdict::unknown);
  CHECK(watch.check("0.001"_d, true, t0 + 3200ms) == PositionVerdict::settling);  // from 3200 anew
  CHECK(watch.check("0.001"_d, true, t0 + 5200ms) == PositionVerdict::disagree);
}

TEST_CASE("position watch: a difference the reconciliation reported is known; another one settles anew") {
  PositionWatch watch(PositionWatchOptions{500ms});
  const SteadyTime t0{};
  // The reconciliation read 0.015 at the venue against 0.01 here: difference 0.005.
  watch.reconciled("0.015"_d, "0.01"_d, t0);
  REQUIRE(watch.reported_difference().has_value());
  CHECK(*watch.reported_difference() == "0.005"_d);
  CHECK(watch.check("0.01"_d, true, t0 + 10s) == PositionVerdict::reported);
  // Both move by a fill of ours: the same difference, still known.
  watch.streamed("0.016"_d, t0 + 11s);
  CHECK(watch.check("0.011"_d, true, t0 + 11s) == PositionVerdict::reported);
  // A new difference (0.006) settles from when it appears, then is acted on.
  CHECK(watch.check("0.01"_d, true, t0 + 12s) == PositionVerdict::settling);
  CHECK(watch.check("0.01"_d, true, t0 + 12s + 499ms) == PositionVerdict::settling);
  CHECK(watch.check("0.01"_d, true, t0 + 12s + 500ms) == PositionVerdict::disagree);
  // Agreement forgets the reported difference.
  CHECK(watch.check("0.016"_d, true, t0 + 13s) == PositionVerdict::agree);
  CHECK_FALSE(watch.reported_difference().has_value());

  // A stream report older than the reconciliation's read does not replace it.
  watch.reconciled("0.02"_d, "0.02"_d, t0 + 20s);
  watch.streamed("0.016"_d, t0 + 19s);
  CHECK(*watch.venue() == "0.02"_d);
  CHECK(watch.source() == PositionSource::rest);
}

TEST_CASE("position watch: a moving read is no finding; a finding is forgotten once the figures agree") {
  PositionWatch watch(PositionWatchOptions{500ms});
  const SteadyTime t0{};
  // The reconciliation's two reads differed (0 before the executions, 0.001 after): a
  // fill in flight. The difference settles like a streamed one, nothing is reported.
  watch.moving("0.001"_d, t0);
  CHECK(watch.source() == PositionSource::rest);
  CHECK(*watch.venue() == "0.001"_d);
  CHECK_FALSE(watch.reported_difference().has_value());
  CHECK(watch.check("0"_d, true, t0 + 100ms) == PositionVerdict::settling);
  // The stream's order event applies the fill: agree.
  CHECK(watch.check("0.001"_d, true, t0 + 200ms) == PositionVerdict::agree);

  // A real difference (0.006 against 0.001) reported; then the venue's figure comes back
  // to the book's (the foreign position closed): agree, and the finding is gone.
  watch.reconciled("0.006"_d, "0.001"_d, t0 + 1s);
  CHECK(watch.check("0.001"_d, true, t0 + 2s) == PositionVerdict::reported);
  watch.streamed("0.001"_d, t0 + 3s);
  CHECK(watch.check("0.001"_d, true, t0 + 3s) == PositionVerdict::agree);
  CHECK_FALSE(watch.reported_difference().has_value());
  // A moving read keeps a finding that stands.
  watch.reconciled("0.006"_d, "0.001"_d, t0 + 4s);
  watch.moving("0.007"_d, t0 + 5s);
  CHECK(*watch.reported_difference() == "0.005"_d);
  CHECK(watch.check("0.002"_d, true, t0 + 5s) == PositionVerdict::reported);
}

namespace {

const std::string kLinearBook = sim::market_key(InstrumentKind::linear_perpetual, "BTCUSDT");

/// An order of a fresh, funded account on the linear book (a counterparty).
void linear_order(sim::Simulator& simulator, Side side, Decimal quantity, Decimal price) {
  simulator.with_engine([&](sim::MatchingEngine& engine) {
    const sim::AccountId other = engine.create_account();
    engine.deposit(other, "USDT", "10000000"_d);
    sim::OrderRequest order;
    order.account = other;
    order.symbol = kLinearBook;
    order.side = side;
    order.quantity = quantity;
    order.price = price;
    REQUIRE(engine.place(order, to_unix_millis(RealClock{}.system_now())));
  });
}

/// The Bybit simulator with no market flow.
sim::SimulatorOptions still_bybit() {
  sim::SimulatorOptions options = cts_test::still_market();
  options.venue = sim::SimVenue::bybit;
  return options;
}

/// The book of other accounts: 1 bid at 59000 and 2 asked at 61000; mid 60000.
void book_around_60000(sim::Simulator& simulator) {
  linear_order(simulator, Side::buy, "1"_d, "59000"_d);
  linear_order(simulator, Side::sell, "2"_d, "61000"_d);
}

/// An order on our own account that is not the engine's (placed by hand, say), with
/// client id `client_id`.
void manual_order(sim::Simulator& simulator, Side side, Decimal quantity, Decimal price, std::string client_id) {
  simulator.with_engine([&](sim::MatchingEngine& engine) {
    sim::OrderRequest order;
    order.account = simulator.account();
    order.symbol = kLinearBook;
    order.side = side;
    order.quantity = quantity;
    order.price = price;
    order.client_order_id = std::move(client_id);
    REQUIRE(engine.place(order, to_unix_millis(RealClock{}.system_now())));
  });
}

/// A linear BTCUSDT session on `simulator` with both streams, logging into `log`.
std::unique_ptr<TradingSession> linear_session(sim::Simulator& simulator, store::Journal& journal,
                                               std::vector<std::string>& log) {
  EngineConfig config;
  config.venue = VenueId::bybit;
  config.category = "linear";
  config.symbol = "BTCUSDT";
  config.position_settle = 200ms;
  SessionEndpoint endpoint;
  endpoint.base_url = simulator.base_url();
  endpoint.credentials.api_key = simulator.options().api_key;
  endpoint.credentials.secret = sign::Secret(simulator.options().api_secret);
  endpoint.ws_url = simulator.ws_url();
  endpoint.ws_api_url = simulator.ws_api_url();
  endpoint.log = [&log](std::string_view line) { log.emplace_back(line); };
  return TradingSession::open(config, std::move(endpoint), journal).value();
}

/// Steps `session` until `done()` or 20 s.
bool step_until(TradingSession& session, const std::function<bool()>& done) {
  const SteadyTime deadline = RealClock{}.steady_now() + 20s;
  while (RealClock{}.steady_now() < deadline) {
    (void)session.step(RealClock{}.steady_now());
    if (done()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return false;
}

bool contains(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

}  // namespace

TEST_CASE(
    "a linear session [threads]: the streamed venue position equals the book; an order not ours is reconciled and "
    "reported") {
  sim::Simulator simulator(still_bybit());
  book_around_60000(simulator);
  auto journal = store::SqliteJournal::open(cts_test::stream_journal_path("venue-position")).value();
  std::vector<std::string> log;
  auto session = linear_session(simulator, *journal, log);
  const std::string symbol = session->executor().instrument().unified_symbol();
  REQUIRE(session->last_reconciliation().venue_position.has_value());
  CHECK(session->last_reconciliation().venue_position->is_zero());

  // Our quotes rest at mid ± 0.005 %: a bid of 0.001 at 60000 − 3 = 59997, the best bid.
  // The private stream is subscribed before anything fills, so the fill's position frame
  // reaches the session.
  REQUIRE(step_until(*session, [&] {
    return session->executor().open_orders().size() == 2 &&
           contains(session->status_line(RealClock{}.steady_now()), "user=live");
  }));
  CHECK(session->executor().open_quantity(Side::buy) == "0.001"_d);
  // Someone sells 0.001 at 59990: it takes our bid at 59997. We are long 0.001 at 59997,
  // at the venue and in the engine's book.
  linear_order(simulator, Side::sell, "0.001"_d, "59990"_d);
  const auto streamed_agrees = [&] {
    const SessionSummary summary = session->summary(RealClock{}.steady_now());
    const auto found = summary.venue_positions.find(symbol);
    return found != summary.venue_positions.end() && found->second.source == "stream" &&
           found->second.quantity == "0.001"_d && session->executor().position() == "0.001"_d;
  };
  REQUIRE(step_until(*session, streamed_agrees));
  const SteadyTime now = RealClock{}.steady_now();
  const SessionSummary agreed = session->summary(now);
  const VenuePositionSummary& venue_position = agreed.venue_positions.at(symbol);
  REQUIRE(venue_position.legs.size() == 1);
  CHECK(venue_position.legs[0].side == venue::PositionSide::both);
  CHECK(venue_position.legs[0].quantity == "0.001"_d);
  CHECK(venue_position.legs[0].entry_price == "59997"_d);
  CHECK(*venue_position.legs[0].leverage == "10"_d);
  CHECK(agreed.positions.at(symbol) == "0.001"_d);
  CHECK(session->health().check("venue:position", now).value() == health::Status::pass);
  const std::string json = to_json(agreed);
  CHECK(contains(json, fmt::format(R"("venue_positions": {{"{}": {{"quantity": "0.001", "source": "stream")", symbol)));
  CHECK(contains(json, R"("entry_price": "59997")"));
  CHECK(contains(session->metrics_text(), "cts_engine_venue_position 0.001"));

  // Not ours: with our quotes cancelled, a manual order on the same account (client id
  // "manual-1") buys 0.005 of the ask at 61000. The venue holds 0.006, the engine's book
  // 0.001: the stream reports it, the difference settles, the session reconciles by REST,
  // which reports it, and the book is not adjusted.
  session->pause();
  REQUIRE(step_until(*session, [&] { return session->executor().open_orders().empty(); }));
  manual_order(simulator, Side::buy, "0.005"_d, "61000"_d, "manual-1");
  const std::string conflict = "position: the venue holds 0.006 BTCUSDT, the engine's position book 0.001";
  REQUIRE(step_until(*session, [&] {
    const std::vector<std::string>& conflicts = session->last_reconciliation().conflicts;
    return std::find(conflicts.begin(), conflicts.end(), conflict) != conflicts.end();
  }));
  CHECK(session->executor().position() == "0.001"_d);
  REQUIRE(step_until(*session, [&] {
    return session->health().check("venue:position", RealClock{}.steady_now()).value() == health::Status::warn;
  }));
  const SteadyTime later = RealClock{}.steady_now();
  CHECK(session->health().check("orders:reconciliation", later).value() == health::Status::warn);
  CHECK(std::any_of(log.begin(), log.end(), [](const std::string& line) {
    return contains(line, "the venue reports a position of 0.006 BTCUSDT, the engine's position book 0.001") &&
           contains(line, "reconciling with the venue");
  }));
  const SessionSummary differed = session->summary(later);
  CHECK(differed.venue_positions.at(symbol).quantity == "0.006"_d);
  CHECK(differed.positions.at(symbol) == "0.001"_d);
  bool reason_given = false;
  for (const std::string& reason : differed.health_reasons) {
    reason_given = reason_given || contains(reason,
                                            "venue:position: the venue holds 0.006 BTCUSDT, the engine's "
                                            "position book 0.001");
  }
  CHECK(reason_given);
  // The known difference asks for no further reconciliation.
  const std::size_t reconciliations_logged = std::count_if(
      log.begin(), log.end(), [](const std::string& line) { return contains(line, "reconciling with the venue"); });
  for (int i = 0; i < 30; ++i) {
    (void)session->step(RealClock{}.steady_now());
    std::this_thread::sleep_for(10ms);
  }
  CHECK(std::count_if(log.begin(), log.end(), [](const std::string& line) {
          return contains(line, "reconciling with the venue");
        }) == reconciliations_logged);

  // The manual position is closed (client id "manual-2" sells 0.005 to the bid at
  // 59000): the venue holds 0.001 again, the stream says so, and the figures agree. The
  // finding lives no longer than the difference: both checks pass.
  manual_order(simulator, Side::sell, "0.005"_d, "59000"_d, "manual-2");
  REQUIRE(step_until(*session, [&] {
    const SteadyTime at = RealClock{}.steady_now();
    return session->health().check("venue:position", at).value() == health::Status::pass &&
           session->health().check("orders:reconciliation", at).value() == health::Status::pass;
  }));
  CHECK(session->executor().position() == "0.001"_d);
  CHECK(std::any_of(log.begin(), log.end(), [](const std::string& line) {
    return contains(line, "the venue's position and the engine's position book agree (0.001)");
  }));

  // Someone buys 0.005 again ("manual-3"), after the last step: the stream's report is
  // never read.
  manual_order(simulator, Side::buy, "0.005"_d, "61000"_d, "manual-3");
  // Stopping reads the venue's position once more (a fill after the last step would
  // leave its stream report unread): the summary has it with its leg, and
  // `venue:position` warns with it.
  session->shutdown(RealClock{}.steady_now());
  const SessionSummary stopped = session->summary(RealClock{}.steady_now());
  const VenuePositionSummary& read = stopped.venue_positions.at(symbol);
  CHECK(read.source == "rest");
  CHECK(read.quantity == "0.006"_d);
  REQUIRE(read.legs.size() == 1);
  CHECK(read.legs[0].quantity == "0.006"_d);
  CHECK(std::any_of(log.begin(), log.end(), [](const std::string& line) {
    return contains(line, "stopping, the venue holds 0.006 BTCUSDT, the engine's position book 0.001");
  }));
  CHECK(std::any_of(stopped.health_reasons.begin(), stopped.health_reasons.end(), [](const std::string& reason) {
    return reason == "venue:position: stopping, the venue holds 0.006 BTCUSDT, the engine's position book 0.001";
  }));
}

TEST_CASE("a linear session [threads]: a position difference found at start-up is settled by the read made when "
          "stopping") {
  sim::Simulator simulator(still_bybit());
  book_around_60000(simulator);
  // Before the session starts, someone buys 0.005 on the account ("manual-1" at 61000):
  // the venue holds 0.005, the engine's book (an empty journal) 0.
  manual_order(simulator, Side::buy, "0.005"_d, "61000"_d, "manual-1");
  auto journal = store::SqliteJournal::open(cts_test::stream_journal_path("venue-position-stop")).value();
  std::vector<std::string> log;
  auto session = linear_session(simulator, *journal, log);
  const SteadyTime opened = RealClock{}.steady_now();
  CHECK(session->last_reconciliation().position_conflict);
  CHECK(session->last_reconciliation().conflicts.back() ==
        "position: the venue holds 0.005 BTCUSDT, the engine's position book 0");
  CHECK(session->health().check("orders:reconciliation", opened).value() == health::Status::warn);

  // It is closed ("manual-2" sells 0.005 to the bid at 59000) while the session takes no
  // step; stopping reads 0, the book's figure: the finding is settled, nothing warns.
  manual_order(simulator, Side::sell, "0.005"_d, "59000"_d, "manual-2");
  session->shutdown(RealClock{}.steady_now());
  const SteadyTime stopped = RealClock{}.steady_now();
  CHECK(session->health().check("venue:position", stopped).value() == health::Status::pass);
  CHECK(session->health().check("orders:reconciliation", stopped).value() == health::Status::pass);
  const SessionSummary summary = session->summary(stopped);
  CHECK(summary.venue_positions.at(session->executor().instrument().unified_symbol()).quantity.is_zero());
  CHECK(std::none_of(summary.health_reasons.begin(), summary.health_reasons.end(), [](const std::string& reason) {
    return contains(reason, "venue:position") || contains(reason, "orders:reconciliation");
  }));
}

namespace {

/// A venue whose frames are "subscribed" and "position <symbol> <leg> <quantity>
/// <event time>" (leg: both, long or short).
class ScriptedPositions final : public venue::UserStreamProtocol {
 public:
  Result<std::vector<std::string>> subscriptions(SystemTime) const override {
    return std::vector<std::string>{"subscribe"};
  }
  Result<std::vector<venue::UserEvent>> on_message(std::string_view text) override {
    std::vector<venue::UserEvent> events;
    if (text == "subscribed") {
      events.emplace_back(venue::UserSubscribed{});
      return events;
    }
    std::vector<std::string> words;
    for (std::size_t start = 0; start <= text.size();) {
      const std::size_t space = std::min(text.find(' ', start), text.size());
      words.emplace_back(text.substr(start, space - start));
      start = space + 1;
    }
    if (words.size() != 5 || words[0] != "position") return make_error(ErrorCode::protocol_error, "unknown frame");
    venue::PositionsUpdate update;
    venue::Position& position = update.positions.emplace_back();
    position.symbol = words[1];
    position.side = words[2] == "long"    ? venue::PositionSide::long_
                    : words[2] == "short" ? venue::PositionSide::short_
                                          : venue::PositionSide::both;
    position.quantity = Decimal::parse(words[3]).value();
    update.event_time_ms = std::stoll(words[4]);
    events.emplace_back(std::move(update));
    return events;
  }
};

}  // namespace

TEST_CASE("user stream: position updates are kept per symbol and leg, the newest event time wins") {
  sim::Simulator simulator(cts_test::still_market());
  cts_test::StreamHarness h(simulator, "user-stream-positions");
  UserStream stream(std::make_unique<ScriptedPositions>(), *h.executor);
  const SteadyTime t0 = RealClock{}.steady_now();
  REQUIRE(stream.on_event(cts_test::ws_opened(1), t0));
  REQUIRE(stream.on_event(cts_test::ws_message("subscribed"), t0));
  REQUIRE(stream.on_event(cts_test::ws_message("position BTCUSDT both 0.01 1000"), t0 + 1ms));
  REQUIRE(stream.on_event(cts_test::ws_message("position BTCUSDT both 0.005 900"), t0 + 2ms));  // older: ignored
  REQUIRE(stream.on_event(cts_test::ws_message("position ETHUSDT long 2 950"), t0 + 3ms));
  REQUIRE(stream.on_event(cts_test::ws_message("position ETHUSDT short -1 950"), t0 + 4ms));
  CHECK(stream.stats().position_updates == 4);  // every update taken, the older one changing nothing
  const auto& positions = stream.positions();
  REQUIRE(positions.size() == 3);
  const StreamPosition& btc = positions.at({"BTCUSDT", venue::PositionSide::both});
  CHECK(btc.position.quantity == "0.01"_d);
  CHECK(btc.event_time_ms == 1000);
  CHECK(btc.received == t0 + 1ms);
  CHECK(positions.at({"ETHUSDT", venue::PositionSide::long_}).position.quantity == "2"_d);
  CHECK(positions.at({"ETHUSDT", venue::PositionSide::short_}).position.quantity == "-1"_d);
  // A newer report replaces the leg; a closed leg stays with quantity 0.
  REQUIRE(stream.on_event(cts_test::ws_message("position BTCUSDT both 0 1001"), t0 + 5ms));
  CHECK(positions.at({"BTCUSDT", venue::PositionSide::both}).position.quantity.is_zero());
  CHECK(positions.at({"BTCUSDT", venue::PositionSide::both}).received == t0 + 5ms);
}
