// Tests for cts/core/client_order_id.hpp, cts/core/client_order_id_scheme.hpp and cts/core/venue_id.hpp.
#include <cts/core/client_order_id.hpp>
#include <cts/core/client_order_id_scheme.hpp>

#include <doctest/doctest.h>

#include <mutex>
#include <regex>
#include <thread>
#include <unordered_set>
#include <vector>

using namespace cts;
using namespace std::chrono_literals;

TEST_CASE("generated ids are unique and follow the documented layout") {
  ClientOrderIdGenerator gen(from_unix_millis(1'763'800'000'000), 42);
  std::unordered_set<ClientOrderId> seen;
  for (int i = 0; i < 100'000; ++i) {
    const ClientOrderId id = gen.next();
    CHECK_FALSE(id.empty());
    REQUIRE(seen.insert(id).second);
  }
  const std::string first = ClientOrderIdGenerator(from_unix_millis(1'577'836'800'000 + 61), 63).next().str();
  // start = 61 ms -> "000000z", instance 63 -> "0011", counter 1 -> "1".
  CHECK(first == "000000z00111");
}

TEST_CASE("ids differ across restarts and across processes") {
  const SystemTime t = from_unix_millis(1'763'800'000'000);
  ClientOrderIdGenerator before(t, 7), after(t + 1ms, 7), other_process(t, 8);
  const ClientOrderId a = before.next(), b = after.next(), c = other_process.next();
  CHECK(a != b);
  CHECK(a != c);
  CHECK(b != c);
}

TEST_CASE("every venue accepts the generated ids") {
  ClientOrderIdGenerator gen(from_unix_millis(1'763'800'000'000), 14'776'335);  // largest instance
  for (VenueId venue : kAllVenues) {
    auto id = gen.next_for(venue);
    REQUIRE_MESSAGE(id.has_value(), to_string(venue));
    CHECK(validate_client_order_id(venue, id->view()).has_value());
  }
  const std::regex binance(R"(^[\.A-Z\:/a-z0-9_-]{1,36}$)");
  CHECK(std::regex_match(gen.next_for(VenueId::binance_spot).value().str(), binance));
  const std::regex okx("^[A-Za-z0-9]{1,32}$");
  CHECK(std::regex_match(gen.next_for(VenueId::okx).value().str(), okx));
  CHECK(gen.next_for(VenueId::gate).value().view().substr(0, 2) == "t-");
}

TEST_CASE("venue rules reject what the venue rejects") {
  CHECK(!validate_client_order_id(VenueId::okx, "abc-def"));
  CHECK(!validate_client_order_id(VenueId::okx, std::string(33, 'a')));
  CHECK(validate_client_order_id(VenueId::okx, std::string(32, 'a')));
  CHECK(validate_client_order_id(VenueId::binance_spot, "x-A1:b/c.d_e-f"));
  CHECK(!validate_client_order_id(VenueId::binance_spot, std::string(37, 'a')));
  CHECK(!validate_client_order_id(VenueId::binance_spot, ""));
  CHECK(!validate_client_order_id(VenueId::bybit, "a:b"));
  CHECK(!validate_client_order_id(VenueId::gate, "abc"));
  CHECK(validate_client_order_id(VenueId::gate, "t-abc"));
  CHECK(!validate_client_order_id(VenueId::gate, "t-" + std::string(29, 'a')));
  CHECK(!validate_client_order_id(VenueId::kraken, std::string(19, '1')));
  auto r = validate_client_order_id(VenueId::okx, "ab_c");
  REQUIRE(!r);
  CHECK(r.error().message == "okx clOrdId may not contain '_' (position 2)");
}

TEST_CASE("a prefix is validated per venue") {
  ClientOrderIdGenerator gen(from_unix_millis(1'763'800'000'000), 1, "mm1");
  CHECK(gen.next().view().substr(0, 3) == "mm1");
  ClientOrderIdGenerator long_prefix(from_unix_millis(1'763'800'000'000), 1, "averyveryverylongprefix");
  CHECK(!long_prefix.next_for(VenueId::kraken));
  CHECK(long_prefix.next_for(VenueId::binance_spot));
}

TEST_CASE("the ids of any generator with a prefix are recognised as such, and nothing else") {
  const SystemTime now = from_unix_millis(1'763'800'000'000);  // 2025-11-22
  ClientOrderIdGenerator earlier(from_unix_millis(1'700'000'000'000), 42, "cts");
  ClientOrderIdGenerator current(now, 7, "cts");
  ClientOrderIdGenerator other_engine(now, 7, "bot7");
  auto ours = [&](std::string_view id, VenueId venue = VenueId::binance_spot) {
    return is_generated_client_order_id(id, venue, "cts", now);
  };
  const ClientOrderId old_id = earlier.next_for(VenueId::binance_spot).value();
  CHECK(ours(old_id.view()));
  CHECK(ours(current.next().view()));
  for (int i = 0; i < 100; ++i) (void)earlier.next();  // counters of several digits
  CHECK(ours(earlier.next().view()));
  CHECK_FALSE(ours(other_engine.next().view()));
  CHECK_FALSE(is_generated_client_order_id(old_id.view(), VenueId::binance_spot, "bot7", now));
  // Binance's own ids (22 random characters), its web front end's, the simulator's.
  CHECK_FALSE(ours("cts6gCrw2kRUAF9CvJDGP16IP"));
  CHECK_FALSE(ours("web_0a1b2c3d4e5f"));
  CHECK_FALSE(ours("sim-12"));
  CHECK_FALSE(ours(""));
  // Right length and alphabet, but a counter of 0, a stray character, or a creation
  // time in the future.
  const std::string stem(old_id.view().substr(0, 3 + 7 + 4));
  CHECK(ours(stem + "1"));
  CHECK_FALSE(ours(stem + "0"));
  CHECK_FALSE(ours(stem + "1-"));
  CHECK_FALSE(ours("ctszzzzzzz00001"));                                         // 62^7 - 1 ms after 2020
  ClientOrderIdGenerator later(from_unix_millis(1'900'000'000'000), 7, "cts");  // 2030
  CHECK_FALSE(ours(later.next().view()));
  // A venue's required prefix is part of the shape.
  const ClientOrderId gate_id = current.next_for(VenueId::gate).value();
  CHECK(ours(gate_id.view(), VenueId::gate));
  CHECK_FALSE(ours(gate_id.view().substr(2), VenueId::gate));
}

TEST_CASE("bad generator inputs are refused") {
  CHECK_THROWS_AS(ClientOrderIdGenerator(from_unix_millis(0), 1), Exception);
  CHECK_THROWS_AS(ClientOrderIdGenerator(from_unix_millis(1'763'800'000'000), 14'776'336), Exception);
  CHECK(ClientOrderId::from("").value().empty());  // the empty id means "none"
  CHECK(!ClientOrderId::from(std::string(65, 'a')));
  CHECK(ClientOrderId::from(std::string(64, 'a')));
}

TEST_CASE("the generator is thread-safe [threads]") {
  ClientOrderIdGenerator gen = ClientOrderIdGenerator::for_this_process(RealClock{}.system_now());
  std::mutex mutex;
  std::unordered_set<ClientOrderId> seen;
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&] {
      std::vector<ClientOrderId> mine;
      for (int i = 0; i < 20'000; ++i) mine.push_back(gen.next());
      std::lock_guard lock(mutex);
      for (auto& id : mine) seen.insert(id);
    });
  }
  for (auto& th : threads) th.join();
  CHECK(seen.size() == 40'000);
}
