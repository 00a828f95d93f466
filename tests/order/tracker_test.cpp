// Tests for cts/order/tracker.hpp: lookups by client and venue id, per-symbol open
// views through the whole lifecycle, refusals that change nothing, purge.
#include <cts/order/tracker.hpp>

#include <doctest/doctest.h>

#include <algorithm>

using namespace cts;
using namespace cts::order;
using namespace cts::literals;

namespace {

OrderRequest request(std::string_view id, std::string symbol = "BTC/USDT") {
  OrderRequest r;
  r.client_id = ClientOrderId::from(id).value();
  r.symbol = std::move(symbol);
  r.type = OrderType::limit;
  r.quantity = "1"_d;
  r.price = "100"_d;
  return r;
}

OrderEvent with_venue_id(OrderEventKind kind, std::string_view venue_id) {
  OrderEvent e = make_event(kind);
  e.venue_order_id = VenueOrderId::from(venue_id).value();
  return e;
}

}  // namespace

TEST_CASE("orders are found by client id and, once known, by venue id") {
  OrderTracker t;
  ClientOrderIdGenerator ids(from_unix_millis(1'763'800'000'000), 1);
  const ClientOrderId a = ids.next(), b = ids.next();
  REQUIRE(t.create(request(a.view())).has_value());
  REQUIRE(t.create(request(b.view(), "ETH/USDT")).has_value());
  CHECK(t.size() == 2);
  CHECK(t.find(a)->client_id() == a);
  CHECK(t.find("nope") == nullptr);
  CHECK(t.find_by_venue_id("V1") == nullptr);
  REQUIRE(t.apply(a, make_event(OrderEventKind::submitted)).has_value());
  REQUIRE(t.apply(a, with_venue_id(OrderEventKind::accepted, "V1")).has_value());
  CHECK(t.find_by_venue_id("V1")->client_id() == a);
  REQUIRE(t.apply(a, with_venue_id(OrderEventKind::updated, "V9")).has_value());
  CHECK(t.find_by_venue_id("V1") == nullptr);
  CHECK(t.find_by_venue_id("V9")->client_id() == a);
}

TEST_CASE("a duplicate client id, an unknown order, a venue id owned by another order: refused, unchanged") {
  OrderTracker t;
  REQUIRE(t.create(request("A")).has_value());
  REQUIRE(t.create(request("B")).has_value());
  CHECK(t.create(request("A")).error().code == ErrorCode::duplicate_client_order_id);
  CHECK(t.apply("Z", make_event(OrderEventKind::submitted)).error().code == ErrorCode::order_not_found);
  REQUIRE(t.apply("A", make_event(OrderEventKind::submitted)).has_value());
  REQUIRE(t.apply("A", with_venue_id(OrderEventKind::accepted, "V1")).has_value());
  REQUIRE(t.apply("B", make_event(OrderEventKind::submitted)).has_value());
  const Order before = *t.find("B");
  CHECK(t.apply("B", with_venue_id(OrderEventKind::accepted, "V1")).error().code == ErrorCode::invalid_argument);
  CHECK(*t.find("B") == before);
  CHECK(t.find_by_venue_id("V1")->client_id().view() == "A");
  CHECK(t.apply("B", make_event(OrderEventKind::triggered)).error().code == ErrorCode::invalid_transition);
  CHECK(*t.find("B") == before);
}

TEST_CASE("the open view per symbol follows the lifecycle, including a late fill re-opening an order") {
  OrderTracker t;
  for (const char* id : {"A", "B", "C"}) REQUIRE(t.create(request(id)).has_value());
  REQUIRE(t.create(request("E", "ETH/USDT")).has_value());
  CHECK(t.open_count("BTC/USDT") == 3);
  CHECK(t.open_count("ETH/USDT") == 1);
  CHECK(t.open_count("XRP/USDT") == 0);
  REQUIRE(t.apply("B", make_event(OrderEventKind::denied)).has_value());
  CHECK(t.open_count("BTC/USDT") == 2);
  auto open = t.open_orders("BTC/USDT");
  std::vector<std::string> names;
  for (const Order* o : open) names.push_back(o->client_id().str());
  std::sort(names.begin(), names.end());
  CHECK(names == std::vector<std::string>{"A", "C"});
  REQUIRE(t.apply("A", make_event(OrderEventKind::submitted)).has_value());
  REQUIRE(t.apply("A", make_event(OrderEventKind::canceled)).has_value());
  CHECK(t.open_count("BTC/USDT") == 1);
  OrderEvent late = make_fill_event(Fill{TradeId::from("T1").value(), "0.5"_d, "100"_d, {}, {}});
  REQUIRE(t.apply("A", late).has_value());
  CHECK(t.open_count("BTC/USDT") == 2);
  CHECK(t.find("A")->status() == OrderStatus::partially_filled);
}

TEST_CASE("purge forgets old terminal orders and keeps every index consistent") {
  OrderTracker t;
  const SystemTime t0 = from_unix_millis(1'000'000);
  for (int i = 0; i < 10; ++i) {
    OrderRequest r = request("O" + std::to_string(i));
    r.ts = t0;
    REQUIRE(t.create(r).has_value());
    OrderEvent accepted = with_venue_id(OrderEventKind::accepted, "V" + std::to_string(i));
    accepted.ts = t0;
    REQUIRE(t.apply(r.client_id, make_event(OrderEventKind::submitted, t0)).has_value());
    REQUIRE(t.apply(r.client_id, accepted).has_value());
    if (i % 2 == 0) REQUIRE(t.apply(r.client_id, make_event(OrderEventKind::canceled, t0)).has_value());
  }
  CHECK(t.purge_terminal(t0) == 0);
  CHECK(t.purge_terminal(t0 + std::chrono::seconds(1)) == 5);
  CHECK(t.size() == 5);
  CHECK(t.find("O0") == nullptr);
  CHECK(t.find("O1")->venue_order_id().view() == "V1");
  CHECK(t.find_by_venue_id("V3")->client_id().view() == "O3");
  CHECK(t.find_by_venue_id("V2") == nullptr);
  CHECK(t.open_count("BTC/USDT") == 5);
  REQUIRE(t.apply("O3", make_event(OrderEventKind::canceled)).has_value());
  CHECK(t.open_count("BTC/USDT") == 4);
}

TEST_CASE("a moved tracker keeps its orders, pointers and both indexes") {
  OrderTracker t;
  REQUIRE(t.create(request("A")).has_value());
  REQUIRE(t.apply("A", with_venue_id(OrderEventKind::accepted, "VA")).has_value());
  const Order* a = t.find("A");
  OrderTracker moved(std::move(t));
  CHECK(moved.find("A") == a);
  CHECK(moved.find_by_venue_id("VA") == a);
  OrderTracker assigned;
  REQUIRE(assigned.create(request("B")).has_value());
  assigned = std::move(moved);
  CHECK(assigned.find("A") == a);
  CHECK(assigned.find("B") == nullptr);
  REQUIRE(assigned.create(request("C")).has_value());
  CHECK(assigned.find("C")->client_id().view() == "C");
  CHECK(assigned.open_count("BTC/USDT") == 2);
}
