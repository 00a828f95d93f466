// Tests for cts/batch/processor.hpp: chunking, priorities, result mapping, failures,
// deadlines, backpressure, in-flight caps and rate-limit reservation.
#include <cts/batch/processor.hpp>
#include <cts/rate/venue_policies.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

using namespace cts;
using namespace cts::batch;
using namespace std::chrono_literals;

namespace {

ClientOrderId id(const std::string& text) { return ClientOrderId::from(text).value(); }

/// A sender that records every chunk it is given.
struct Recorder {
  std::vector<Chunk<std::string>> chunks;
  BatchProcessor<std::string>::Sender sender() {
    return [this](const Chunk<std::string>& chunk) { chunks.push_back(chunk); };
  }
  std::vector<std::size_t> sizes() const {
    std::vector<std::size_t> out;
    for (const auto& c : chunks) out.push_back(c.payloads.size());
    return out;
  }
};

Request<std::string> order(const std::string& cid, Category category = Category::linear,
                           Operation operation = Operation::place) {
  Request<std::string> r;
  r.payload = "payload-" + cid;
  r.client_order_id = id(cid);
  r.category = category;
  r.operation = operation;
  return r;
}

MemberReply ok_at(std::size_t index, const std::string& venue_id) {
  MemberReply r;
  r.index = index;
  r.venue_order_id = venue_id;
  return r;
}

std::map<std::string, ItemOutcome> by_id(std::vector<ItemOutcome> outcomes) {
  std::map<std::string, ItemOutcome> out;
  for (auto& o : outcomes) out.emplace(o.client_order_id.str(), std::move(o));
  return out;
}

}  // namespace

TEST_CASE("chunk sizes follow the venue and category") {
  ManualClock clock;
  const auto now = clock.steady_now();
  SUBCASE("Binance USD-M: 5 per batch") {
    Recorder rec;
    BatchProcessor<std::string> p(VenueId::binance_usdm, {64, 8}, nullptr, rec.sender());
    for (int i = 0; i < 12; ++i) REQUIRE(p.submit(order("b" + std::to_string(i)), now).has_value());
    CHECK(p.poll(now) == 3);
    CHECK(rec.sizes() == std::vector<std::size_t>{5, 5, 2});
    CHECK(rec.chunks[0].client_order_ids[0].view() == "b0");  // FIFO within a priority
    CHECK(rec.chunks[2].client_order_ids[1].view() == "b11");
    CHECK(rec.chunks[1].payloads[0] == "payload-b5");
  }
  SUBCASE("Bybit: spot 10, linear 20, never mixed") {
    Recorder rec;
    BatchProcessor<std::string> p(VenueId::bybit, {64, 8}, nullptr, rec.sender());
    for (int i = 0; i < 25; ++i) REQUIRE(p.submit(order("s" + std::to_string(i), Category::spot), now).has_value());
    for (int i = 0; i < 25; ++i) REQUIRE(p.submit(order("l" + std::to_string(i), Category::linear), now).has_value());
    CHECK(p.poll(now) == 5);
    CHECK(rec.sizes() == std::vector<std::size_t>{10, 10, 5, 20, 5});
    for (const auto& chunk : rec.chunks) {
      for (const auto& cid : chunk.client_order_ids) CHECK(cid.view()[0] == (chunk.category == Category::spot ? 's' : 'l'));
    }
  }
  SUBCASE("OKX 20; Binance spot has no batch endpoint: one per request") {
    Recorder rec;
    BatchProcessor<std::string> okx(VenueId::okx, {64, 8}, nullptr, rec.sender());
    for (int i = 0; i < 21; ++i) REQUIRE(okx.submit(order("o" + std::to_string(i), Category::spot), now).has_value());
    okx.poll(now);
    CHECK(rec.sizes() == std::vector<std::size_t>{20, 1});
    Recorder spot;
    BatchProcessor<std::string> binance(VenueId::binance_spot, {64, 8}, nullptr, spot.sender());
    for (int i = 0; i < 3; ++i) REQUIRE(binance.submit(order("x" + std::to_string(i), Category::spot), now).has_value());
    binance.poll(now);
    CHECK(spot.sizes() == std::vector<std::size_t>{1, 1, 1});
  }
  SUBCASE("Kraken batches hold one instrument") {
    Recorder rec;
    BatchProcessor<std::string> p(VenueId::kraken, {64, 8}, nullptr, rec.sender());
    for (int i = 0; i < 4; ++i) {
      auto r = order("k" + std::to_string(i), Category::spot);
      r.instrument = i % 2 == 0 ? 1 : 2;
      REQUIRE(p.submit(r, now).has_value());
    }
    p.poll(now);
    REQUIRE(rec.chunks.size() == 2);
    CHECK(rec.chunks[0].client_order_ids[0].view() == "k0");
    CHECK(rec.chunks[0].client_order_ids[1].view() == "k2");
    CHECK(rec.chunks[1].client_order_ids[0].view() == "k1");
  }
}

TEST_CASE("cancels leave the queue before amends and new orders") {
  ManualClock clock;
  const auto now = clock.steady_now();
  Recorder rec;
  BatchProcessor<std::string> p(VenueId::bybit, {64, 1}, nullptr, rec.sender());
  REQUIRE(p.submit(order("new1"), now).has_value());
  REQUIRE(p.submit(order("amend1", Category::linear, Operation::amend), now).has_value());
  REQUIRE(p.submit(order("cancel1", Category::linear, Operation::cancel), now).has_value());
  auto low = order("late");
  low.priority = Priority::low;
  REQUIRE(p.submit(low, now).has_value());
  std::vector<std::string> order_sent;
  for (int i = 0; i < 4; ++i) {
    REQUIRE(p.poll(now) == 1);  // one in flight at a time
    order_sent.push_back(rec.chunks.back().client_order_ids[0].str());
    REQUIRE(p.complete(rec.chunks.back().id, std::vector<MemberReply>{ok_at(0, "v")}).has_value());
  }
  CHECK(order_sent == std::vector<std::string>{"cancel1", "amend1", "new1", "late"});
}

TEST_CASE("replies map back by index and client order id; partial success touches only its items") {
  ManualClock clock;
  const auto now = clock.steady_now();
  Recorder rec;
  BatchProcessor<std::string> p(VenueId::binance_usdm, {64, 4}, nullptr, rec.sender());
  for (const char* cid : {"a", "b", "c", "d", "e"}) REQUIRE(p.submit(order(cid), now).has_value());
  REQUIRE(p.poll(now) == 1);
  std::vector<MemberReply> replies;
  replies.push_back(ok_at(0, "1001"));  // positional
  MemberReply by_cid;                   // by client id only, out of order
  by_cid.client_order_id = id("d");
  by_cid.venue_order_id = "1004";
  replies.push_back(by_cid);
  MemberReply rejected = ok_at(1, "");
  rejected.client_order_id = id("b");
  rejected.error = make_error(ErrorCode::insufficient_funds, "Margin is insufficient.", "-2019");
  replies.push_back(rejected);
  MemberReply disagree = ok_at(4, "1003");  // says index 4 but names "c" (index 2): trust neither
  disagree.client_order_id = id("c");
  replies.push_back(disagree);
  MemberReply stranger;  // names an order not in the chunk: ignored
  stranger.client_order_id = id("zzz");
  replies.push_back(stranger);
  REQUIRE(p.complete(rec.chunks[0].id, replies).has_value());
  const auto outcomes = by_id(p.take_outcomes());
  REQUIRE(outcomes.size() == 5);
  CHECK(outcomes.at("a").accepted());
  CHECK(outcomes.at("a").venue_order_id == "1001");
  CHECK(outcomes.at("d").accepted());
  CHECK(outcomes.at("d").venue_order_id == "1004");
  REQUIRE(!outcomes.at("b").accepted());
  CHECK(outcomes.at("b").error->code == ErrorCode::insufficient_funds);
  CHECK(outcomes.at("b").error->venue_code == "-2019");
  CHECK(outcomes.at("c").error->code == ErrorCode::unknown_outcome);
  CHECK(outcomes.at("e").error->code == ErrorCode::unknown_outcome);  // no reply at all
  CHECK(p.take_outcomes().empty());
  CHECK(!p.complete(rec.chunks[0].id, std::vector<MemberReply>{}).has_value());  // already completed
}

TEST_CASE("a whole-batch transport failure marks every member unknown, not rejected") {
  ManualClock clock;
  const auto now = clock.steady_now();
  Recorder rec;
  BatchProcessor<std::string> p(VenueId::okx, {64, 4}, nullptr, rec.sender());
  for (const char* cid : {"a", "b", "c"}) REQUIRE(p.submit(order(cid, Category::spot), now).has_value());
  for (const char* cid : {"x", "y"}) REQUIRE(p.submit(order(cid, Category::linear), now).has_value());
  REQUIRE(p.poll(now) == 2);
  REQUIRE(p.complete(rec.chunks[0].id, make_error(ErrorCode::timeout, "no reply within 10 s")).has_value());
  REQUIRE(p.complete(rec.chunks[1].id, make_error(ErrorCode::rate_limited, "HTTP 429", "50011")).has_value());
  const auto outcomes = by_id(p.take_outcomes());
  for (const char* cid : {"a", "b", "c"}) {
    INFO(cid);
    REQUIRE(outcomes.at(cid).error.has_value());
    CHECK(outcomes.at(cid).error->code == ErrorCode::unknown_outcome);
    CHECK(outcomes.at(cid).error->message.find("no reply within 10 s") != std::string::npos);
  }
  // A 429 proves nothing executed: those members carry the definitive error.
  CHECK(outcomes.at("x").error->code == ErrorCode::rate_limited);
  CHECK(outcomes.at("y").error->venue_code == "50011");
}

TEST_CASE("deadlines: an expired item fails with timeout and is never sent") {
  ManualClock clock;
  const auto now = clock.steady_now();
  Recorder rec;
  BatchProcessor<std::string> p(VenueId::bybit, {64, 4}, nullptr, rec.sender());
  auto soon = order("soon");
  soon.deadline = now + 100ms;
  REQUIRE(p.submit(soon, now).has_value());
  REQUIRE(p.submit(order("later"), now).has_value());
  CHECK(p.next_wake() == now + 100ms);
  CHECK(p.poll(now + 100ms) == 1);
  REQUIRE(rec.chunks.size() == 1);
  CHECK(rec.chunks[0].client_order_ids.size() == 1);
  CHECK(rec.chunks[0].client_order_ids[0].view() == "later");
  const auto outcomes = by_id(p.take_outcomes());
  CHECK(outcomes.at("soon").error->code == ErrorCode::timeout);
  auto stale = order("stale");
  stale.deadline = now;
  const auto refused = p.submit(stale, now);
  REQUIRE(!refused.has_value());
  CHECK(refused.error().code == ErrorCode::timeout);
}

TEST_CASE("backpressure: a bounded queue refuses with queue_full; cancel frees a slot") {
  ManualClock clock;
  const auto now = clock.steady_now();
  Recorder rec;
  BatchProcessor<std::string> p(VenueId::bybit, {3, 1}, nullptr, rec.sender());
  Ticket first = 0;
  for (int i = 0; i < 3; ++i) {
    const auto t = p.submit(order("q" + std::to_string(i)), now);
    REQUIRE(t.has_value());
    if (i == 0) first = *t;
  }
  const auto full = p.submit(order("q3"), now);
  REQUIRE(!full.has_value());
  CHECK(full.error().code == ErrorCode::queue_full);
  CHECK(p.queued() == 3);
  CHECK(p.cancel(first));
  CHECK(!p.cancel(first));
  CHECK(p.submit(order("q3"), now).has_value());
  const auto outcomes = by_id(p.take_outcomes());
  CHECK(outcomes.at("q0").error->code == ErrorCode::cancelled);
}

TEST_CASE("in-flight cap per venue") {
  ManualClock clock;
  const auto now = clock.steady_now();
  Recorder rec;
  BatchProcessor<std::string> p(VenueId::binance_usdm, {64, 2}, nullptr, rec.sender());
  for (int i = 0; i < 20; ++i) REQUIRE(p.submit(order("f" + std::to_string(i)), now).has_value());
  CHECK(p.poll(now) == 2);
  CHECK(p.in_flight() == 2);
  CHECK(p.poll(now) == 0);
  REQUIRE(p.complete(rec.chunks[0].id, make_error(ErrorCode::network, "connect refused")).has_value());
  CHECK(p.poll(now) == 1);
  CHECK(p.queued() == 5);
  CHECK(!p.complete(999, std::vector<MemberReply>{}).has_value());
}

TEST_CASE("rate cost is reserved per venue rule: Binance per batch, OKX per order") {
  ManualClock clock;
  const auto now = clock.steady_now();
  SUBCASE("Binance USD-M: weight 5 and 5 order counts per batch of 5") {
    rate::Limiter limiter(rate::kBinanceUsdmPolicy);
    Recorder rec;
    BatchProcessor<std::string> p(VenueId::binance_usdm, {64, 8}, &limiter, rec.sender());
    for (int i = 0; i < 5; ++i) {
      auto r = order("w" + std::to_string(i));
      r.single_cost = rate::kBinanceUsdmPolicy.cost("POST /fapi/v1/order").value();
      REQUIRE(p.submit(r, now).has_value());
    }
    REQUIRE(p.poll(now) == 1);
    CHECK(limiter.pool(rate::binance_usdm_pool::request_weight).used(rate::to_ns(now)) == 5);
    CHECK(limiter.pool(rate::binance_usdm_pool::orders_10s).used(rate::to_ns(now)) == 5);
    CHECK(limiter.pool(rate::binance_usdm_pool::orders_1m).used(rate::to_ns(now)) == 1);
  }
  SUBCASE("OKX: 20 units for a batch of 20") {
    rate::Limiter limiter(rate::kOkxPolicy);
    Recorder rec;
    BatchProcessor<std::string> p(VenueId::okx, {64, 8}, &limiter, rec.sender());
    for (int i = 0; i < 21; ++i) {
      auto r = order("o" + std::to_string(i), Category::spot);
      r.single_cost = rate::kOkxPolicy.cost("POST /api/v5/trade/order").value();
      REQUIRE(p.submit(r, now).has_value());
    }
    REQUIRE(p.poll(now) == 2);
    CHECK(limiter.pool(rate::okx_pool::batch_place).used(rate::to_ns(now)) == 20);
    CHECK(limiter.pool(rate::okx_pool::sub_account).used(rate::to_ns(now)) == 21);
    CHECK(limiter.pool(rate::okx_pool::place).used(rate::to_ns(now)) == 1);  // the lone 21st: single endpoint
  }
  SUBCASE("a refused chunk stays queued until the limiter's time") {
    rate::Limiter limiter(rate::kBybitPolicy);
    Recorder rec;
    BatchProcessor<std::string> p(VenueId::bybit, {64, 64}, &limiter, rec.sender());
    const rate::Cost single = rate::kBybitPolicy.cost("POST /v5/order/create (linear)").value();
    for (int i = 0; i < 7; ++i) {
      auto r = order("r" + std::to_string(i));
      r.operation = Operation::amend;  // Bybit linear amend batches: 20, pool ORDER_BATCH burst 5
      r.single_cost = single;
      r.priority = Priority::place;
      REQUIRE(p.submit(r, now).has_value());
    }
    for (int i = 0; i < 6; ++i) p.poll(now);
    CHECK(rec.chunks.size() == 1);  // one batch request holds all 7
    // Exhaust the amend pool, then check that a lone amend waits for the limiter's time.
    const rate::Cost amend = rate::kBybitPolicy.cost("POST /v5/order/amend").value();
    while (limiter.try_acquire(amend, now).admitted()) {
    }
    auto r = order("late", Category::linear, Operation::amend);
    r.single_cost = amend;
    REQUIRE(p.submit(r, now).has_value());
    CHECK(p.poll(now) == 0);
    const auto wake = p.next_wake();
    REQUIRE(wake.has_value());
    CHECK(*wake > now);
    CHECK(p.poll(*wake - 1ns) == 0);
    CHECK(p.poll(*wake) == 1);
  }
}

TEST_CASE("items with a cost that can never pass fail fast") {
  ManualClock clock;
  const auto now = clock.steady_now();
  rate::Limiter limiter(rate::kBinanceSpotPolicy);
  Recorder rec;
  BatchProcessor<std::string> p(VenueId::binance_spot, {64, 8}, &limiter, rec.sender());
  auto r = order("huge", Category::spot);
  r.single_cost.add(rate::binance_spot_pool::orders_10s, 1000);
  REQUIRE(p.submit(r, now).has_value());
  REQUIRE(p.submit(order("fine", Category::spot), now).has_value());
  CHECK(p.poll(now) == 1);
  const auto outcomes = by_id(p.take_outcomes());
  CHECK(outcomes.at("huge").error->code == ErrorCode::invalid_argument);
}

TEST_CASE("misconfiguration throws") {
  CHECK_THROWS_AS(BatchProcessor<std::string>(VenueId::okx, {0, 1}, nullptr, [](const auto&) {}), Exception);
  CHECK_THROWS_AS(BatchProcessor<std::string>(VenueId::okx, {1, 0}, nullptr, [](const auto&) {}), Exception);
  CHECK_THROWS_AS(BatchProcessor<std::string>(VenueId::okx, {1, 1}, nullptr, nullptr), Exception);
}

TEST_CASE("every item gets exactly one outcome with submitters and a poller racing [threads]") {
  ManualClock clock;
  std::mutex sent_mutex;
  std::vector<ChunkId> sent;
  BatchProcessor<std::string> p(VenueId::bybit, {64, 4}, nullptr, [&](const Chunk<std::string>& chunk) {
    std::lock_guard lock(sent_mutex);
    sent.push_back(chunk.id);
  });
  std::atomic<int> accepted_submits{0};
  std::vector<std::thread> submitters;
  for (int t = 0; t < 2; ++t) {
    submitters.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) {
        auto r = order("t" + std::to_string(t) + "n" + std::to_string(i));
        for (;;) {  // another submitter may take the room between the wait and the submit
          if (!p.wait_for_room(clock, SteadyTime::max())) continue;
          const auto ticket = p.submit(r, clock.steady_now());
          if (ticket.has_value()) break;
          CHECK(ticket.error().code == ErrorCode::queue_full);
        }
        accepted_submits.fetch_add(1);
      }
    });
  }
  std::set<Ticket> seen;
  std::size_t outcomes = 0;
  auto drain = [&] {
    p.poll(clock.steady_now());
    std::vector<ChunkId> batch;
    {
      std::lock_guard lock(sent_mutex);
      batch.swap(sent);
    }
    for (ChunkId id : batch) REQUIRE(p.complete(id, std::vector<MemberReply>{}).has_value());
    for (const auto& o : p.take_outcomes()) {
      CHECK(seen.insert(o.ticket).second);
      CHECK(o.error->code == ErrorCode::unknown_outcome);
      ++outcomes;
    }
  };
  while (accepted_submits.load() < 1000 || p.queued() > 0 || p.in_flight() > 0) drain();
  for (auto& th : submitters) th.join();
  drain();
  CHECK(outcomes == 1000);
}
