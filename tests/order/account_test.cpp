// Tests for cts/order/account.hpp: orders and positions move together, and a refused
// event (duplicate trade id, bad fill, illegal transition) changes neither.
#include <cts/order/account.hpp>

#include <doctest/doctest.h>

using namespace cts;
using namespace cts::order;
using namespace cts::literals;

namespace {

Account account() {
  Account a;
  Instrument i;
  i.base = "BTC";
  i.quote = "USD";
  i.settle = "BTC";
  i.kind = InstrumentKind::inverse_perpetual;
  i.tick_size = "0.5"_d;
  i.step_size = "1"_d;
  i.multiplier = "100"_d;
  REQUIRE(a.add_instrument(i).has_value());
  return a;
}

OrderEvent fill(std::string_view trade, Decimal qty, Decimal price) {
  return make_fill_event(Fill{TradeId::from(trade).value(), qty, price, {}, {}});
}

}  // namespace

TEST_CASE("a fill moves the order and its position; a duplicate moves neither") {
  Account a = account();
  OrderRequest r;
  r.client_id = ClientOrderId::from("A").value();
  r.symbol = "BTC/USD:BTC";
  r.type = OrderType::market;
  r.quantity = "10"_d;
  REQUIRE(a.create(r).has_value());
  REQUIRE(a.apply("A", make_event(OrderEventKind::submitted)).has_value());
  REQUIRE(a.apply("A", fill("T1", "4"_d, "50000"_d)).has_value());
  CHECK(a.orders().find("A")->filled() == "4"_d);
  CHECK(a.positions().net_quantity("BTC/USD:BTC") == "4"_d);
  const Order order_before = *a.orders().find("A");
  const PositionBook book_before = a.positions();
  CHECK(a.apply("A", fill("T1", "4"_d, "50000"_d)).error().code == ErrorCode::duplicate_fill);
  CHECK(a.apply("A", fill("T2", "4"_d, "0"_d)).error().code == ErrorCode::invalid_argument);  // inverse needs a price
  CHECK(a.apply("A", make_event(OrderEventKind::denied)).error().code == ErrorCode::invalid_transition);
  CHECK(*a.orders().find("A") == order_before);
  CHECK(a.positions() == book_before);
}

TEST_CASE("orders for unregistered symbols are refused") {
  Account a = account();
  OrderRequest r;
  r.client_id = ClientOrderId::from("A").value();
  r.symbol = "ETH/USD:ETH";
  r.type = OrderType::market;
  r.quantity = "1"_d;
  CHECK(a.create(r).error().code == ErrorCode::invalid_argument);
  CHECK(a.orders().size() == 0);
}
