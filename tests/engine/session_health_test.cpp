// Tests for the engine's truthful health and its recovery: the rejection breaker and the
// restart backoff as pure functions; then against the embedded simulator over loopback
// (requests counted at the simulator's front): the breaker stops sending after repeated
// identical -2010 refusals, a wrong secret gets exactly one signed request before the
// session refuses to start, a session whose every order is denied reports fail with the
// reason (in /health, the status line and the summary), and a stopped or killed session
// is not pass.
#include <cts/engine/rejection_breaker.hpp>
#include <cts/engine/session.hpp>
#include <cts/engine/session_failure.hpp>
#include <cts/rate/policies/binance.hpp>
#include <cts/rate/redis_budget.hpp>

#include <doctest/doctest.h>

#include <algorithm>

#include <filesystem>
#include <string>

#include "stream_harness.hpp"

using namespace cts;
using namespace cts::engine;
using namespace cts::literals;
using namespace std::chrono_literals;
using cts_test::counterparty;
using cts_test::still_market;
using cts_test::StreamHarness;

namespace {

Error venue_refusal(std::string_view message = "Order would immediately match and take.") {
  return make_error(ErrorCode::rejected, fmt::format("binance -2010: {}", message), "-2010");
}

bool contains(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

}  // namespace

TEST_CASE("the breaker opens after the threshold of identical rejections, not on different ones") {
  BreakerOptions options;
  options.threshold = 3;
  RejectionBreaker breaker(options);
  const SteadyTime t0{};
  breaker.on_rejected(venue_refusal(), t0);
  breaker.on_rejected(venue_refusal("Account has insufficient balance for requested action."), t0);
  breaker.on_rejected(venue_refusal(), t0);
  breaker.on_rejected(venue_refusal(), t0);
  CHECK_FALSE(breaker.is_open());  // streak 2: the second one differed
  CHECK(breaker.streak() == 2);
  breaker.on_rejected(venue_refusal(), t0);
  CHECK(breaker.is_open());
  CHECK(breaker.trips() == 1);
  CHECK_FALSE(breaker.allow(t0));
}

TEST_CASE("an open breaker lets one probe through per backoff, doubling to the bound; an acceptance closes it") {
  BreakerOptions options;
  options.threshold = 1;
  options.initial_backoff = 1s;
  options.max_backoff = 3s;
  RejectionBreaker breaker(options);
  const SteadyTime t0{};
  breaker.on_rejected(venue_refusal(), t0);
  REQUIRE(breaker.is_open());
  CHECK_FALSE(breaker.allow(t0 + 999ms));
  CHECK(breaker.allow(t0 + 1s));        // the probe
  CHECK_FALSE(breaker.allow(t0 + 1s));  // one at a time
  breaker.on_rejected(venue_refusal(), t0 + 1s);
  CHECK(breaker.backoff() == 2s);
  CHECK_FALSE(breaker.allow(t0 + 2999ms));
  CHECK(breaker.allow(t0 + 3s));
  breaker.on_rejected(venue_refusal(), t0 + 3s);
  CHECK(breaker.backoff() == 3s);  // 4 s, bounded
  CHECK(breaker.allow(t0 + 6s));
  breaker.on_accepted();
  CHECK_FALSE(breaker.is_open());
  CHECK(breaker.allow(t0 + 6s));
  CHECK(breaker.allow(t0 + 6s));
}

TEST_CASE("a zero threshold disables the breaker") {
  BreakerOptions options;
  options.threshold = 0;
  RejectionBreaker breaker(options);
  for (int i = 0; i < 100; ++i) breaker.on_rejected(venue_refusal(), SteadyTime{});
  CHECK_FALSE(breaker.is_open());
}

TEST_CASE("restart delays double from the initial backoff up to the bound") {
  RestartPolicy policy;
  policy.initial_backoff = 500ms;
  policy.max_backoff = 3s;
  CHECK(restart_delay(policy, 1) == 500ms);
  CHECK(restart_delay(policy, 2) == 1s);
  CHECK(restart_delay(policy, 3) == 2s);
  CHECK(restart_delay(policy, 4) == 3s);
  CHECK(restart_delay(policy, 40) == 3s);
}

TEST_CASE("credential errors are permanent failures, everything else transient") {
  CHECK(classify_failure(make_error(ErrorCode::invalid_signature, "x", "-1022")).kind == FailureKind::permanent);
  CHECK(classify_failure(make_error(ErrorCode::auth_failed, "x", "-2015")).kind == FailureKind::permanent);
  CHECK(classify_failure(make_error(ErrorCode::auth_failed, "binance HTTP 401")).kind == FailureKind::permanent);
  CHECK(classify_failure(make_error(ErrorCode::network, "x")).kind == FailureKind::transient);
  CHECK(classify_failure(make_error(ErrorCode::venue_unavailable, "x", "-1001")).kind == FailureKind::transient);
  CHECK(classify_failure(make_error(ErrorCode::rate_limited, "x", "-1003")).kind == FailureKind::transient);
}

TEST_CASE("repeated -2010 refusals trip the breaker: orders stop reaching the venue until the backoff") {
  sim::Simulator simulator(still_market());
  StreamHarness h(simulator, "breaker-2010");
  counterparty(simulator, Side::sell, "0.01"_d, "60000"_d);
  // A post-only (LIMIT_MAKER) buy at the best ask would take: Binance refuses it -2010.
  const auto crossing = [&](SteadyTime now) {
    return h.executor->submit_limit(Side::buy, "0.001"_d, "60000"_d, TimeInForce::post_only, "60000"_d, now);
  };
  const SteadyTime t0 = RealClock{}.steady_now();
  const std::uint64_t sent_before = simulator.stats().signed_requests;
  for (int i = 0; i < 20; ++i) {
    const Result<ClientOrderId> placed = crossing(t0);
    if (i < 5) {
      REQUIRE(placed);  // recorded, sent, refused
      CHECK(h.account.orders().find(*placed)->status() == order::OrderStatus::rejected);
    } else {
      REQUIRE_FALSE(placed);
      CHECK(placed.error().code == ErrorCode::rejected);
      CHECK(contains(placed.error().message, "order breaker open"));
    }
  }
  // The default threshold: 5 identical refusals, then nothing more is sent.
  CHECK(simulator.stats().signed_requests - sent_before == 5);
  CHECK(h.executor->stats().orders_submitted == 5);
  CHECK(h.executor->stats().orders_rejected == 5);
  CHECK(h.executor->stats().orders_held == 15);
  CHECK(h.executor->refused_in_a_row() == 20);
  REQUIRE(h.executor->breaker().is_open());
  REQUIRE(h.executor->breaker().last_rejection());
  CHECK(h.executor->breaker().last_rejection()->venue_code == "-2010");
  CHECK(contains(h.executor->breaker().last_rejection()->message, "Order would immediately match and take."));

  // The default backoff: 1 s, then one probe; refused again, 2 s.
  CHECK_FALSE(crossing(t0 + 999ms));
  CHECK(simulator.stats().signed_requests - sent_before == 5);
  CHECK(crossing(t0 + 1s));  // the probe went out and was refused
  CHECK(simulator.stats().signed_requests - sent_before == 6);
  CHECK_FALSE(crossing(t0 + 2999ms));
  CHECK(simulator.stats().signed_requests - sent_before == 6);

  // The next probe is a passive order: accepted, the breaker closes.
  const Result<ClientOrderId> passive =
      h.executor->submit_limit(Side::buy, "0.001"_d, "59000"_d, TimeInForce::post_only, "60000"_d, t0 + 3s);
  REQUIRE(passive);
  CHECK(h.account.orders().find(*passive)->status() == order::OrderStatus::accepted);
  CHECK_FALSE(h.executor->breaker().is_open());
  CHECK(h.executor->refused_in_a_row() == 0);
  CHECK(simulator.stats().signed_requests - sent_before == 7);
}

namespace {

std::unique_ptr<store::SqliteJournal> fresh_journal(std::string_view name) {
  return store::SqliteJournal::open(cts_test::stream_journal_path(name)).value();
}

SessionEndpoint rest_endpoint(const sim::Simulator& simulator) {
  SessionEndpoint endpoint;  // no WebSocket URLs: REST only, every request counted
  endpoint.base_url = simulator.base_url();
  endpoint.credentials.api_key = simulator.options().api_key;
  endpoint.credentials.secret = sign::Secret(simulator.options().api_secret);
  return endpoint;
}

}  // namespace

TEST_CASE("a wrong secret: exactly one signed request, then the session refuses to start, saying why") {
  sim::Simulator simulator;
  auto journal = fresh_journal("bad-secret");
  SessionEndpoint endpoint = rest_endpoint(simulator);
  endpoint.credentials.secret = sign::Secret("not-the-secret");
  const sim::FrontStats before = simulator.stats();
  const Result<std::unique_ptr<TradingSession>> opened = TradingSession::open(EngineConfig{}, endpoint, *journal);
  REQUIRE_FALSE(opened);
  CHECK(opened.error().code == ErrorCode::invalid_signature);
  CHECK(opened.error().venue_code == "-1022");
  CHECK(contains(opened.error().message, "the venue refused the API credentials"));
  CHECK(contains(opened.error().message, "Signature for this request is not valid."));
  CHECK_FALSE(contains(opened.error().message, "not-the-secret"));
  CHECK(classify_failure(opened.error()).kind == FailureKind::permanent);
  const sim::FrontStats after = simulator.stats();
  CHECK(after.signed_requests - before.signed_requests == 1);
  CHECK(after.auth_rejected - before.auth_rejected == 1);
}

TEST_CASE("a wrong API key: exactly one signed request, auth_failed (-2015)") {
  sim::Simulator simulator;
  auto journal = fresh_journal("bad-key");
  SessionEndpoint endpoint = rest_endpoint(simulator);
  endpoint.credentials.api_key = "not-a-key";
  const sim::FrontStats before = simulator.stats();
  const Result<std::unique_ptr<TradingSession>> opened = TradingSession::open(EngineConfig{}, endpoint, *journal);
  REQUIRE_FALSE(opened);
  CHECK(opened.error().code == ErrorCode::auth_failed);
  CHECK(opened.error().venue_code == "-2015");
  CHECK(simulator.stats().signed_requests - before.signed_requests == 1);
}

TEST_CASE("the gateway sends no signed request after the venue refused the credentials") {
  sim::Simulator simulator(still_market());
  engine::ConnectionOptions options;
  options.base_url = simulator.base_url();
  options.credentials = sign::Credentials{simulator.options().api_key, sign::Secret("wrong"), {}};
  const auto connection =
      engine::VenueConnection::open(*venue::find_connector(VenueId::binance_spot).value(), std::move(options)).value();
  venue::Gateway& gateway = connection->gateway();
  const std::uint64_t before = simulator.stats().signed_requests;
  const auto first = gateway.open_orders("BTCUSDT");
  REQUIRE_FALSE(first);
  REQUIRE(gateway.credentials_refused());
  CHECK(gateway.credentials_refused()->code == ErrorCode::invalid_signature);
  CHECK_FALSE(gateway.balances());
  CHECK_FALSE(gateway.create_order(venue::NewOrder{}));
  CHECK(gateway.balances().error().code == ErrorCode::invalid_signature);
  CHECK(simulator.stats().signed_requests - before == 1);
  CHECK(gateway.book_ticker("BTCUSDT"));  // public data still flows
}

TEST_CASE("a session whose every order is denied is not pass: /health, status line and summary say why") {
  sim::Simulator simulator;
  auto journal = fresh_journal("all-denied");
  EngineConfig config;
  config.risk.max_order_notional = "1"_d;  // every quote (0.001 BTC near 10000 USDT) exceeds it
  auto session = TradingSession::open(config, rest_endpoint(simulator), *journal).value();
  SteadyTime now = RealClock{}.steady_now();
  CHECK(session->health().check("orders:placement", now).value() == health::Status::pass);
  for (int i = 0; i < 6; ++i) {
    now = RealClock{}.steady_now();
    const Result<void> stepped = session->step(now);
    CHECK_FALSE(stepped);  // the denial is the step's error
  }
  CHECK(session->executor().stats().orders_denied >= 10);
  CHECK(session->executor().stats().orders_submitted == 0);
  CHECK(session->health().check("orders:placement", now).value() == health::Status::fail);
  CHECK(session->health().aggregate(health::CheckKind::readiness, now) == health::Status::fail);
  const HttpResponse health = session->health_response(now);
  CHECK(health.status == 503);
  CHECK(contains(health.body, "orders:placement"));
  CHECK(contains(health.body, "exceeds the limit 1"));
  const std::string line = session->status_line(now);
  CHECK(contains(line, "health=fail"));
  CHECK(contains(line, "orders:placement: the last"));
  const SessionSummary summary = session->summary(now);
  CHECK(summary.health == "fail");
  REQUIRE_FALSE(summary.health_reasons.empty());
  CHECK(contains(summary.health_reasons.front(), "orders:placement"));
  CHECK(contains(to_json(summary), "\"health_reasons\": [\"orders:placement: the last"));
}

TEST_CASE("before a check's first result the status line says it is not checked yet, not that it failed") {
  sim::Simulator simulator;
  auto journal = fresh_journal("not-checked-yet");
  auto session = TradingSession::open(EngineConfig{}, rest_endpoint(simulator), *journal).value();
  SteadyTime now = RealClock{}.steady_now();
  const std::vector<health::CheckSnapshot> checks = session->health().list(now);
  const auto connectivity = std::find_if(checks.begin(), checks.end(),
                                         [](const health::CheckSnapshot& c) { return c.name == "venue:connectivity"; });
  REQUIRE(connectivity != checks.end());
  REQUIRE_FALSE(connectivity->last_result);  // the first step reports it
  std::string line = session->status_line(now);
  CHECK(contains(line, "health=fail"));  // not ready until proven
  CHECK(contains(line, "venue:connectivity not checked yet"));
  CHECK_FALSE(contains(line, "venue:connectivity fail"));
  for (int i = 0; i < 3; ++i) {
    now = RealClock{}.steady_now();
    CHECK(session->step(now));
  }
  line = session->status_line(now);
  CHECK_FALSE(contains(line, "not checked yet"));
  CHECK(contains(line, "health=pass"));
}

TEST_CASE("a session that places its quotes passes; stopped it is out of service, killed it fails") {
  sim::Simulator simulator;
  auto journal = fresh_journal("placing");
  auto session = TradingSession::open(EngineConfig{}, rest_endpoint(simulator), *journal).value();
  SteadyTime now{};
  for (int i = 0; i < 4; ++i) {
    now = RealClock{}.steady_now();
    CHECK(session->step(now));
  }
  CHECK(session->executor().stats().orders_submitted >= 2);
  CHECK(session->health().check("orders:placement", now).value() == health::Status::pass);
  CHECK(contains(session->status_line(now), "health=pass"));
  session->shutdown(now);
  CHECK(contains(session->status_line(now), "health=out-of-service (stopped)"));
  CHECK(session->summary(now).health == "pass");  // how it ran
  session->kill("operator request");
  CHECK(contains(session->status_line(now), "health=fail"));
  CHECK(contains(session->status_line(now), "killed: operator request"));
  const SessionSummary summary = session->summary(now);
  CHECK(summary.health == "fail");
  REQUIRE_FALSE(summary.health_reasons.empty());
  CHECK(contains(summary.health_reasons.front(), "session:lifecycle: killed: operator request"));
  REQUIRE(session->failure());
  CHECK(session->failure()->kind == FailureKind::permanent);
}

TEST_CASE("the market maker's quotes stay passive when the inventory skew reaches beyond the book: no -2010") {
  sim::Simulator simulator(still_market());
  counterparty(simulator, Side::sell, "0.01"_d, "10001"_d);
  counterparty(simulator, Side::buy, "0.01"_d, "9999"_d);
  auto journal = fresh_journal("passive-skew");
  EngineConfig config;
  config.quoting.half_spread_fraction = "0.00001"_d;  // quotes 0.1 from the mid: inside the book
  config.quoting.skew_fraction_per_unit = "10"_d;     // 1 % of the mid per 0.001 BTC of position
  config.quoting.max_position = "0.05"_d;
  config.risk.max_position = "0.1"_d;
  config.requote_tolerance = Decimal{};  // any move of the wanted price replaces the quote
  auto session = TradingSession::open(config, rest_endpoint(simulator), *journal).value();
  REQUIRE(session->step(RealClock{}.steady_now()));
  REQUIRE(session->executor().stats().orders_submitted == 2);  // bid 9999.90, ask 10000.10
  // Someone sells into our bid: we are long 0.001, and the skew moves our quotes down
  // by 1 %, so far that the unclamped ask (near 9899.66) would cross the best bid 9999.
  simulator.with_engine([&](sim::MatchingEngine& engine) {
    const sim::AccountId seller = engine.create_account();
    engine.deposit(seller, "BTC", "1"_d);
    sim::OrderRequest sell;
    sell.account = seller;
    sell.symbol = "BTCUSDT";
    sell.side = Side::sell;
    sell.type = sim::SimOrderType::market;
    sell.quantity = "0.001"_d;
    REQUIRE(engine.place(sell, to_unix_millis(RealClock{}.system_now())));
  });
  for (int i = 0; i < 4; ++i) (void)session->step(RealClock{}.steady_now());  // counters checked below
  CHECK(session->executor().position() == "0.000999"_d);                      // 0.001 less the 0.1 % fee taken in BTC
  CHECK(session->executor().stats().orders_rejected == 0);
  CHECK(session->executor().stats().orders_held == 0);
  // The ask rests one tick above the best bid (9999.00 + 0.01), as a LIMIT_MAKER.
  const std::vector<sim::Order> asks = simulator.with_engine([&](sim::MatchingEngine& engine) {
    std::vector<sim::Order> out;
    for (const sim::Order& o : engine.all_orders(simulator.account(), "BTCUSDT")) {
      if (o.side == Side::sell && o.status == sim::OrderStatus::new_) out.push_back(o);
    }
    return out;
  });
  REQUIRE(asks.size() == 1);
  CHECK(asks.front().price == "9999.01"_d);
  CHECK(asks.front().type == sim::SimOrderType::limit_maker);
}

TEST_CASE("journal:size warns at 80 % of journal.max_size and fails past it; journal.retention compacts old orders") {
  sim::Simulator simulator;
  const std::filesystem::path path = cts_test::stream_journal_path("bounded");
  {
    // Three days ago: 400 orders created, accepted and canceled (no fill).
    auto journal = store::SqliteJournal::open(path).value();
    const SystemTime old = RealClock{}.system_now() - std::chrono::hours(72);
    for (int i = 0; i < 400; ++i) {
      order::OrderRequest r;
      r.client_id = ClientOrderId::from("old" + std::to_string(i)).value();
      r.symbol = "BTC/USDT";
      r.quantity = "0.001"_d;
      r.price = "9000"_d;
      r.ts = old;
      REQUIRE(journal->append(store::JournalRecord::created(r)).has_value());
      REQUIRE(journal->append(store::JournalRecord::for_event(r.client_id, order::make_event(order::OrderEventKind::accepted, old)))
                  .has_value());
      REQUIRE(journal->append(store::JournalRecord::for_event(r.client_id, order::make_event(order::OrderEventKind::canceled, old)))
                  .has_value());
    }
    REQUIRE(journal->commit().has_value());
  }
  auto journal = store::SqliteJournal::open(path).value();
  const std::uint64_t size = *journal->size_bytes();
  EngineConfig config;
  config.risk.max_order_notional = "1"_d;  // every quote denied: nothing more is journaled
  config.journal_max_size = size;          // reached already: fails
  {
    auto session = TradingSession::open(config, rest_endpoint(simulator), *journal).value();
    CHECK(session->replayed_records() == 1200);
    const SteadyTime now = RealClock{}.steady_now();
    (void)session->step(now);
    CHECK(session->health().check("journal:size", now).value() == health::Status::fail);
    session->shutdown(now);
  }
  // About 85 % (opening commits a write of its own, a few KiB more): warns.
  config.journal_max_size = *journal->size_bytes() * 100 / 85;
  {
    auto session = TradingSession::open(config, rest_endpoint(simulator), *journal).value();
    const SteadyTime now = RealClock{}.steady_now();
    (void)session->step(now);
    CHECK(session->health().check("journal:size", now).value() == health::Status::warn);
    session->shutdown(now);
  }
  // With a day's retention the first step compacts the old orders away.
  config.journal_max_size = 0;
  config.risk = EngineConfig{}.risk;
  config.journal_retention = std::chrono::hours(24);
  const std::uint64_t before = journal->last_committed_seq();
  {
    auto session = TradingSession::open(config, rest_endpoint(simulator), *journal).value();
    const SteadyTime now = RealClock{}.steady_now();
    (void)session->step(now);
    CHECK(session->health().check("journal:size", now).value() == health::Status::pass);
    session->shutdown(now);
  }
  bool first = true, old_left = false;
  REQUIRE(journal->replay(0, [&](const store::JournalRecord& r) -> Result<void> {
                   if (first) CHECK(r.kind == store::RecordKind::snapshot);
                   first = false;
                   old_left = old_left || r.client_id.view().starts_with("old");
                   return {};
                 }).has_value());
  CHECK_FALSE(old_left);
  CHECK(journal->last_committed_seq() >= before);
}

TEST_CASE("a shared budget whose Redis cannot be reached: the session trades on its fallback, venue:rate-limit warns") {
  sim::Simulator simulator;
  auto journal = fresh_journal("rate-fallback");
  SessionEndpoint endpoint = rest_endpoint(simulator);
  rate::RedisBudgetOptions options;
  options.url = "redis://:never-shown@127.0.0.1:1";  // nothing listens on port 1: refused at once
  options.base_url = endpoint.base_url;
  options.api_key = endpoint.credentials.api_key;
  endpoint.limiter = rate::RedisBudget::create(rate::kBinanceSpotPolicy, options).value();
  auto session = TradingSession::open(EngineConfig{}, endpoint, *journal).value();
  SteadyTime now = RealClock{}.steady_now();
  for (int i = 0; i < 4; ++i) {  // a warning is published after 3 in a row
    now = RealClock{}.steady_now();
    CHECK(session->step(now));
  }
  CHECK(session->executor().stats().orders_submitted >= 2);
  const HttpResponse health = session->health_response(now);
  INFO(health.body);
  CHECK(session->health().check("venue:rate-limit", now).value() == health::Status::warn);
  CHECK(contains(health.body, "rate.shared redis://:***@127.0.0.1:1/0 unreachable"));
  CHECK(contains(health.body, "on the local fallback at 100% of the venue's budget"));
  CHECK_FALSE(contains(health.body, "never-shown"));
}
