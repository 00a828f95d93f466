// Tests for cts/order/reconcile.hpp: convergence in one pass, a second pass that plans
// nothing, deterministic synthetic ids, out-of-order reports, pending states left alone,
// missing orders queried (never canceled), position corrections.
#include <cts/order/reconcile.hpp>

#include <doctest/doctest.h>

using namespace cts;
using namespace cts::order;
using namespace cts::literals;
using namespace std::chrono_literals;

namespace {

constexpr std::string_view kSymbol = "BTC/USDT:USDT";
const SystemTime kNow = from_unix_millis(1'763'800'000'000);

Account account() {
  Account a;
  Instrument i;
  i.base = "BTC";
  i.quote = "USDT";
  i.settle = "USDT";
  i.kind = InstrumentKind::linear_perpetual;
  i.tick_size = "0.1"_d;
  i.step_size = "0.001"_d;
  REQUIRE(a.add_instrument(i).has_value());
  return a;
}

void create(Account& a, std::string_view id, Side side = Side::buy, Decimal qty = "3"_d) {
  OrderRequest r;
  r.client_id = ClientOrderId::from(id).value();
  r.symbol = std::string(kSymbol);
  r.side = side;
  r.type = OrderType::limit;
  r.quantity = qty;
  r.price = "100"_d;
  r.ts = kNow - 1h;
  REQUIRE(a.create(r).has_value());
}

void step(Account& a, std::string_view id, OrderEventKind kind, std::string_view venue_id = {}) {
  OrderEvent e = make_event(kind, kNow - 1h);
  e.venue_order_id = VenueOrderId::from(venue_id).value();
  REQUIRE(a.apply(id, e).has_value());
}

Fill fill(std::string_view trade, Decimal qty, Decimal price) {
  return Fill{TradeId::from(trade).value(), qty, price, {}, {}};
}

OrderReport report(std::string_view client_id, std::string_view venue_id, OrderStatus status, Decimal filled = {},
                   Decimal avg = {}) {
  OrderReport r;
  r.client_id = client_id.empty() ? ClientOrderId{} : ClientOrderId::from(client_id).value();
  r.venue_order_id = VenueOrderId::from(venue_id).value();
  r.symbol = std::string(kSymbol);
  r.side = Side::buy;
  r.type = OrderType::limit;
  r.quantity = "3"_d;
  r.price = "100"_d;
  r.status = status;
  r.filled = filled;
  r.avg_px = avg;
  r.ts = kNow - 10s;
  return r;
}

FillReport fill_report(std::string_view venue_id, std::string_view trade, Decimal qty, Decimal price) {
  return FillReport{VenueOrderId::from(venue_id).value(), {}, fill(trade, qty, price), kNow - 20s};
}

}  // namespace

TEST_CASE("one pass converges, a second pass over the same reports plans nothing") {
  Account a = account();
  create(a, "A");  // submitted, reply lost
  step(a, "A", OrderEventKind::submitted);
  step(a, "A", OrderEventKind::outcome_unknown);
  create(a, "B");  // accepted, one fill known
  step(a, "B", OrderEventKind::submitted);
  step(a, "B", OrderEventKind::accepted, "VB");
  REQUIRE(a.apply("B", make_fill_event(fill("TB1", "1"_d, "100"_d))).has_value());
  create(a, "C");  // accepted; the venue has canceled it
  step(a, "C", OrderEventKind::submitted);
  step(a, "C", OrderEventKind::accepted, "VC");

  MassStatus venue;
  venue.fills.push_back(fill_report("V9", "T91", "2"_d, "101"_d));  // fill listed before its order
  venue.fills.push_back(fill_report("VB", "TB1", "1"_d, "100"_d));  // already known
  venue.fills.push_back(fill_report("VB", "TB2", "1"_d, "102"_d));
  venue.fills.push_back(fill_report("VB", "TB2", "1"_d, "102"_d));  // reported twice
  venue.orders.push_back(report("A", "VA", OrderStatus::accepted));
  venue.orders.push_back(report("B", "VB", OrderStatus::partially_filled, "2"_d, "101"_d));
  venue.orders.push_back(report("C", "VC", OrderStatus::canceled));
  venue.orders.push_back(report("", "V9", OrderStatus::partially_filled, "2"_d, "101"_d));
  venue.positions.push_back({std::string(kSymbol), "5"_d, "100.6"_d, kNow - 10s});  // 1+1 (B) + 2 (V9) = 4: one missing

  const ReconcilePlan plan = plan_reconciliation(a, venue, {kNow});
  CHECK(plan.conflicts.empty());
  CHECK(plan.deferred_fills.empty());
  CHECK(plan.to_query.empty());
  REQUIRE(apply_plan(a, plan).has_value());

  CHECK(a.orders().find("A")->status() == OrderStatus::accepted);
  CHECK_FALSE(a.orders().find("A")->outcome_unknown());
  CHECK(a.orders().find("A")->venue_order_id().view() == "VA");
  CHECK(a.orders().find("B")->filled() == "2"_d);
  CHECK(a.orders().find("B")->avg_px() == "101"_d);
  CHECK(a.orders().find("C")->status() == OrderStatus::canceled);
  const Order* external = a.orders().find_by_venue_id("V9");
  REQUIRE(external != nullptr);
  CHECK(external->client_id() == external_client_id(report("", "V9", OrderStatus::accepted)));
  CHECK(external->status() == OrderStatus::partially_filled);
  CHECK(external->filled() == "2"_d);
  CHECK(a.positions().net_quantity(kSymbol) == "5"_d);

  const ReconcilePlan second = plan_reconciliation(a, venue, {kNow});
  CHECK(second.empty());
}

TEST_CASE("plans and synthetic ids are deterministic") {
  Account a = account();
  MassStatus venue;
  venue.orders.push_back(report("", "V1", OrderStatus::filled, "3"_d, "99"_d));
  venue.positions.push_back({std::string(kSymbol), "4"_d, "98"_d, kNow});
  const ReconcilePlan p1 = plan_reconciliation(a, venue, {kNow});
  const ReconcilePlan p2 = plan_reconciliation(a, venue, {kNow});
  CHECK(p1 == p2);
  CHECK(p1.actions.size() == 6);  // create+accept+synthetic fill, then create+accept+fill for the position
  Account b = account();
  REQUIRE(apply_plan(b, p1).has_value());
  CHECK(b.orders().find_by_venue_id("V1")->avg_px() == "99"_d);
  CHECK(b.positions().net_quantity(kSymbol) == "4"_d);
  CHECK(plan_reconciliation(b, venue, {kNow}).empty());
  // a later report of the same position gets a different correction id
  MassStatus later = venue;
  later.positions[0].ts = kNow + 1s;
  later.positions[0].signed_qty = "5"_d;
  const ReconcilePlan p3 = plan_reconciliation(b, later, {kNow});
  REQUIRE(p3.actions.size() == 3);
  CHECK(p3.actions[0].create->client_id != p1.actions[3].create->client_id);
}

TEST_CASE("a fill for an order nobody reported is deferred, then applied when the order shows up") {
  Account a = account();
  MassStatus first;
  first.fills.push_back(fill_report("V7", "T1", "1"_d, "100"_d));
  const ReconcilePlan p1 = plan_reconciliation(a, first, {kNow});
  REQUIRE(p1.deferred_fills.size() == 1);
  CHECK(p1.actions.empty());
  MassStatus second;
  second.fills = p1.deferred_fills;
  second.orders.push_back(report("", "V7", OrderStatus::partially_filled, "1"_d, "100"_d));
  REQUIRE(apply_plan(a, plan_reconciliation(a, second, {kNow})).has_value());
  CHECK(a.orders().find_by_venue_id("V7")->has_trade(TradeId::from("T1").value()));
  CHECK(a.orders().find_by_venue_id("V7")->filled() == "1"_d);
  CHECK(plan_reconciliation(a, second, {kNow}).empty());
}

TEST_CASE("pending requests are not resolved by an open-orders snapshot; unreported orders are queried") {
  Account a = account();
  create(a, "P");
  step(a, "P", OrderEventKind::submitted);
  step(a, "P", OrderEventKind::accepted, "VP");
  step(a, "P", OrderEventKind::pending_cancel);
  create(a, "M");  // the venue does not list it
  step(a, "M", OrderEventKind::submitted);
  step(a, "M", OrderEventKind::accepted, "VM");
  create(a, "N");  // not listed either, but its last event is recent
  OrderEvent recent = make_event(OrderEventKind::submitted, kNow - 1s);
  REQUIRE(a.apply("N", recent).has_value());
  MassStatus venue;
  venue.orders.push_back(report("P", "VP", OrderStatus::accepted));
  const ReconcilePlan plan = plan_reconciliation(a, venue, {kNow});
  CHECK(plan.actions.empty());
  REQUIRE(plan.to_query.size() == 1);
  CHECK(plan.to_query[0].view() == "M");
  CHECK(a.orders().find("M")->status() == OrderStatus::accepted);  // planning changed nothing
  venue.open_orders_complete = false;
  CHECK(plan_reconciliation(a, venue, {kNow}).empty());
}

TEST_CASE("a position difference without a venue entry price is a conflict, not a guess") {
  Account a = account();
  MassStatus venue;
  venue.positions.push_back({std::string(kSymbol), "-1"_d, std::nullopt, kNow});
  const ReconcilePlan plan = plan_reconciliation(a, venue, {kNow});
  CHECK(plan.actions.empty());
  REQUIRE(plan.conflicts.size() == 1);
  CHECK(plan.conflicts[0].what.find(kSymbol) != std::string::npos);
}

TEST_CASE("the answer to a query by client order id resolves an unknown outcome") {
  Account a = account();
  create(a, "Q");
  step(a, "Q", OrderEventKind::submitted);
  step(a, "Q", OrderEventKind::outcome_unknown);
  create(a, "other");  // open locally, absent from the single-order answer: not queried
  step(a, "other", OrderEventKind::submitted);
  MassStatus answer;
  answer.orders.push_back(report("Q", "VQ", OrderStatus::filled, "3"_d, "100"_d));
  answer.open_orders_complete = false;  // one order's answer, not a full snapshot
  const ReconcilePlan plan = plan_reconciliation(a, answer, {kNow});
  CHECK(plan.to_query.empty());
  REQUIRE(apply_plan(a, plan).has_value());
  const Order* q = a.orders().find("Q");
  CHECK(q->status() == OrderStatus::filled);
  CHECK_FALSE(q->outcome_unknown());
  CHECK(q->avg_px() == "100"_d);
  CHECK(a.positions().net_quantity(kSymbol) == "3"_d);
  CHECK(plan_reconciliation(a, answer, {kNow}).empty());
}
