// Tests for cts/order/order.hpp: every (status, event) pair applied to a real order,
// fill arithmetic, duplicate fills, overfill, pending restore, late fills, guards.
#include <cts/order/order.hpp>

#include <doctest/doctest.h>

#include <map>
#include <random>
#include <vector>

using namespace cts;
using namespace cts::order;
using namespace cts::literals;

namespace {

OrderRequest request(OrderType type = OrderType::stop_limit, Decimal qty = "10"_d) {
  OrderRequest r;
  r.client_id = ClientOrderId::from("C1").value();
  r.symbol = "BTC/USDT";
  r.side = Side::buy;
  r.type = type;
  r.quantity = qty;
  if (has_limit_price(type)) r.price = "100"_d;
  if (has_trigger_price(type)) r.trigger_price = "99"_d;
  return r;
}

OrderEvent fill(std::string_view trade, Decimal qty, Decimal price, Decimal fee = {}, std::string_view asset = {}) {
  Fill f;
  f.trade_id = TradeId::from(trade).value();
  f.quantity = qty;
  f.price = price;
  f.fee = fee;
  f.fee_asset = Asset::from(asset).value();
  return make_fill_event(f);
}

OrderEvent ev(OrderEventKind kind) { return make_event(kind); }

// An order driven into `status` through legal events.
Order order_in(OrderStatus status) {
  Order o = Order::create(request()).value();
  auto step = [&](const OrderEvent& e) { REQUIRE(o.apply(e).has_value()); };
  using K = OrderEventKind;
  switch (status) {
    case OrderStatus::initialized: break;
    case OrderStatus::denied: step(ev(K::denied)); break;
    case OrderStatus::submitted: step(ev(K::submitted)); break;
    case OrderStatus::rejected: step(ev(K::submitted)); step(ev(K::rejected)); break;
    default:
      step(ev(K::submitted));
      step(ev(K::accepted));
      switch (status) {
        case OrderStatus::canceled: step(ev(K::canceled)); break;
        case OrderStatus::expired: step(ev(K::expired)); break;
        case OrderStatus::triggered: step(ev(K::triggered)); break;
        case OrderStatus::pending_update: step(ev(K::pending_update)); break;
        case OrderStatus::pending_cancel: step(ev(K::pending_cancel)); break;
        case OrderStatus::partially_filled: step(fill("T0", "4"_d, "100"_d)); break;
        case OrderStatus::filled: step(fill("T0", "10"_d, "100"_d)); break;
        default: break;
      }
  }
  REQUIRE(o.status() == status);
  return o;
}

}  // namespace

TEST_CASE("every (status, event) pair: table result applied, or an error that changes nothing") {
  for (std::size_t s = 0; s < kOrderStatusCount; ++s) {
    for (std::size_t e = 0; e < kOrderEventKindCount; ++e) {
      const auto status = static_cast<OrderStatus>(s);
      const auto kind = static_cast<OrderEventKind>(e);
      Order o = order_in(status);
      const Order before = o;
      const OrderEvent event = kind == OrderEventKind::filled ? fill("T9", "1"_d, "100"_d) : ev(kind);
      const auto to = table_transition(status, kind);
      const Result<void> r = o.apply(event);
      CAPTURE(to_string(status));
      CAPTURE(to_string(kind));
      REQUIRE(r.has_value() == to.has_value());
      if (!r) {
        CHECK(r.error().code == ErrorCode::invalid_transition);
        CHECK(o == before);
        continue;
      }
      CHECK(o.event_count() == before.event_count() + 1);
      if (kind == OrderEventKind::filled) {
        CHECK(o.status() == (o.filled() >= o.quantity() ? OrderStatus::filled : OrderStatus::partially_filled));
      } else if (kind == OrderEventKind::modify_rejected || kind == OrderEventKind::cancel_rejected ||
                 (kind == OrderEventKind::updated && status == OrderStatus::pending_update)) {
        CHECK(o.status() == OrderStatus::accepted);  // the status before the pending request
      } else {
        CHECK(o.status() == *to);
      }
    }
  }
}

TEST_CASE("fill arithmetic: monotonic filled, leaves, status from quantities, exact average and fees") {
  Order o = order_in(OrderStatus::accepted);
  REQUIRE(o.apply(fill("T1", "2.5"_d, "100.1"_d, "0.01"_d, "USDT")).has_value());
  CHECK(o.status() == OrderStatus::partially_filled);
  CHECK(o.filled() == "2.5"_d);
  CHECK(o.leaves() == "7.5"_d);
  REQUIRE(o.apply(fill("T2", "7.5"_d, "100.3"_d, "0.00002"_d, "BNB")).has_value());
  CHECK(o.status() == OrderStatus::filled);
  CHECK(o.leaves() == "0"_d);
  CHECK(o.overfill() == "0"_d);
  // (2.5*100.1 + 7.5*100.3) / 10 = (250.25 + 752.25) / 10 = 100.25
  CHECK(o.fill_notional() == "1002.5"_d);
  CHECK(o.avg_px() == "100.25"_d);
  CHECK(o.fee("USDT") == "0.01"_d);
  CHECK(o.fee("BNB") == "0.00002"_d);
  CHECK(o.fees().size() == 2);
}

TEST_CASE("a non-terminating average is rounded half-even at 18 decimals, the notional stays exact") {
  Order o = order_in(OrderStatus::accepted);
  REQUIRE(o.apply(fill("T1", "1"_d, "1"_d)).has_value());
  REQUIRE(o.apply(fill("T2", "2"_d, "2"_d)).has_value());
  CHECK(o.fill_notional() == "5"_d);
  CHECK(o.avg_px() == "1.666666666666666667"_d);  // 5/3
}

TEST_CASE("a duplicate trade id is refused before any change; a different trade id is accepted") {
  Order o = order_in(OrderStatus::accepted);
  REQUIRE(o.apply(fill("T1", "1"_d, "100"_d)).has_value());
  const Order before = o;
  const Result<void> dup = o.apply(fill("T1", "1"_d, "100"_d));
  REQUIRE_FALSE(dup.has_value());
  CHECK(dup.error().code == ErrorCode::duplicate_fill);
  CHECK(o == before);
  CHECK(o.apply(fill("T2", "1"_d, "100"_d)).has_value());
  CHECK(o.filled() == "2"_d);
}

TEST_CASE("overfill: leaves is zero and the excess is tracked, also with fractional quantities") {
  Order o = Order::create(request(OrderType::limit, "0.3"_d)).value();
  REQUIRE(o.apply(ev(OrderEventKind::submitted)).has_value());
  REQUIRE(o.apply(ev(OrderEventKind::accepted)).has_value());
  REQUIRE(o.apply(fill("T1", "0.2"_d, "10"_d)).has_value());
  REQUIRE(o.apply(fill("T2", "0.15"_d, "10"_d)).has_value());
  CHECK(o.status() == OrderStatus::filled);
  CHECK(o.filled() == "0.35"_d);
  CHECK(o.leaves() == "0"_d);
  CHECK(o.overfill() == "0.05"_d);
}

TEST_CASE("late fill after CANCELED re-opens the order, a re-emitted cancel closes it again") {
  Order o = order_in(OrderStatus::canceled);
  REQUIRE(o.apply(fill("T1", "5"_d, "100"_d)).has_value());
  CHECK(o.status() == OrderStatus::partially_filled);
  CHECK(o.is_open());
  REQUIRE(o.apply(ev(OrderEventKind::canceled)).has_value());
  CHECK(o.status() == OrderStatus::canceled);
  CHECK(o.filled() == "5"_d);
}

TEST_CASE("pending restore: any interleaving of pending requests then a reject restores the pre-pending status") {
  std::mt19937 rng(12345);
  for (OrderStatus start : {OrderStatus::accepted, OrderStatus::triggered, OrderStatus::partially_filled}) {
    for (int round = 0; round < 50; ++round) {
      Order o = order_in(start);
      const int n = 1 + static_cast<int>(rng() % 5);
      bool cancel_last = false;
      for (int i = 0; i < n; ++i) {
        // PENDING_CANCEL accepts no pending_update: once cancelling, stay cancelling.
        const bool cancel = cancel_last || (rng() % 2 == 0);
        REQUIRE(o.apply(ev(cancel ? OrderEventKind::pending_cancel : OrderEventKind::pending_update)).has_value());
        cancel_last = cancel;
      }
      REQUIRE(o.previous_status() == start);
      const auto reject = cancel_last ? OrderEventKind::cancel_rejected : OrderEventKind::modify_rejected;
      REQUIRE(o.apply(ev(reject)).has_value());
      CHECK(o.status() == start);
    }
  }
  Order o = order_in(OrderStatus::pending_update);
  OrderEvent update = ev(OrderEventKind::updated);
  update.quantity = "12"_d;
  update.price = "101"_d;
  REQUIRE(o.apply(update).has_value());
  CHECK(o.status() == OrderStatus::accepted);
  CHECK(o.quantity() == "12"_d);
  CHECK(o.price() == "101"_d);
  CHECK(o.leaves() == "12"_d);
}

TEST_CASE("an update may not shrink the quantity below the filled quantity") {
  Order o = order_in(OrderStatus::partially_filled);  // 4 of 10 filled
  const Order before = o;
  OrderEvent update = ev(OrderEventKind::updated);
  update.quantity = "3"_d;
  CHECK(o.apply(update).error().code == ErrorCode::invalid_argument);
  CHECK(o == before);
  update.quantity = "6"_d;
  REQUIRE(o.apply(update).has_value());
  CHECK(o.leaves() == "2"_d);
}

TEST_CASE("triggered is only for stop-limit and take-profit-limit orders") {
  Order stop = Order::create(request(OrderType::stop_market)).value();
  REQUIRE(stop.apply(ev(OrderEventKind::submitted)).has_value());
  REQUIRE(stop.apply(ev(OrderEventKind::accepted)).has_value());
  const Order before = stop;
  CHECK(stop.apply(ev(OrderEventKind::triggered)).error().code == ErrorCode::invalid_transition);
  CHECK(stop == before);
  Order stop_limit = order_in(OrderStatus::accepted);
  CHECK(stop_limit.apply(ev(OrderEventKind::triggered)).has_value());
}

TEST_CASE("the venue order id is set once and may change only through updated") {
  Order o = order_in(OrderStatus::submitted);
  OrderEvent accepted = ev(OrderEventKind::accepted);
  accepted.venue_order_id = VenueOrderId::from("V1").value();
  REQUIRE(o.apply(accepted).has_value());
  CHECK(o.venue_order_id().view() == "V1");
  OrderEvent cancel = ev(OrderEventKind::canceled);
  cancel.venue_order_id = VenueOrderId::from("V2").value();
  const Order before = o;
  CHECK(o.apply(cancel).error().code == ErrorCode::invalid_argument);
  CHECK(o == before);
  OrderEvent update = ev(OrderEventKind::updated);
  update.venue_order_id = VenueOrderId::from("V2").value();
  REQUIRE(o.apply(update).has_value());
  CHECK(o.venue_order_id().view() == "V2");
}

TEST_CASE("an ambiguous submit keeps SUBMITTED and is cleared only by the venue's answer") {
  Order o = order_in(OrderStatus::submitted);
  REQUIRE(o.apply(ev(OrderEventKind::outcome_unknown)).has_value());
  CHECK(o.status() == OrderStatus::submitted);
  CHECK(o.outcome_unknown());
  CHECK_FALSE(o.is_terminal());
  REQUIRE(o.apply(ev(OrderEventKind::outcome_unknown)).has_value());  // a second timeout
  CHECK(o.outcome_unknown());
  REQUIRE(o.apply(fill("T1", "10"_d, "100"_d)).has_value());  // the query found it filled
  CHECK_FALSE(o.outcome_unknown());
  CHECK(o.status() == OrderStatus::filled);
  Order accepted = order_in(OrderStatus::accepted);
  CHECK(accepted.apply(ev(OrderEventKind::outcome_unknown)).error().code == ErrorCode::invalid_transition);
}

TEST_CASE("bad input is refused with a typed error and changes nothing") {
  CHECK(Order::create(request(OrderType::limit, "0"_d)).error().code == ErrorCode::invalid_argument);
  OrderRequest no_price = request(OrderType::limit);
  no_price.price.reset();
  CHECK(Order::create(no_price).error().code == ErrorCode::invalid_argument);
  OrderRequest no_trigger = request(OrderType::stop_market);
  no_trigger.trigger_price.reset();
  CHECK(Order::create(no_trigger).error().code == ErrorCode::invalid_argument);
  Order o = order_in(OrderStatus::accepted);
  const Order before = o;
  CHECK(o.apply(fill("", "1"_d, "1"_d)).error().code == ErrorCode::invalid_argument);
  CHECK(o.apply(fill("T1", "-1"_d, "1"_d)).error().code == ErrorCode::invalid_argument);
  CHECK(o.apply(fill("T1", "1"_d, "1"_d, "0.1"_d, "")).error().code == ErrorCode::invalid_argument);
  CHECK(o.apply(fill("T1", "2"_d, Decimal::max())).error().code == ErrorCode::out_of_range);
  CHECK(o == before);
  CHECK(o.check(fill("T1", "1"_d, "1"_d)).has_value());
  CHECK(o == before);
}

TEST_CASE("random event streams keep the fill invariants") {
  std::mt19937 rng(7);
  for (int round = 0; round < 200; ++round) {
    Order o = order_in(OrderStatus::accepted);
    Decimal last_filled;
    for (int i = 0; i < 30; ++i) {
      const auto kind = static_cast<OrderEventKind>(rng() % kOrderEventKindCount);
      OrderEvent e = kind == OrderEventKind::filled
                         ? fill("T" + std::to_string(rng() % 20), Decimal::from_int(1 + rng() % 4), "100"_d)
                         : ev(kind);
      const Order before = o;
      if (!o.apply(e)) {
        CHECK(o == before);
        continue;
      }
      CHECK(o.filled() >= last_filled);
      last_filled = o.filled();
      if (o.overfill().is_zero()) {
        CHECK(o.filled() + o.leaves() == o.quantity());
      } else {
        CHECK(o.leaves().is_zero());
        CHECK(o.overfill() == o.filled() - o.quantity());
      }
      if (kind == OrderEventKind::filled) {
        CHECK(o.status() == (o.filled() >= o.quantity() ? OrderStatus::filled : OrderStatus::partially_filled));
      }
    }
  }
}

TEST_CASE("a fee that would overflow the order's fee total is refused and changes nothing") {
  Order o = order_in(OrderStatus::accepted);
  REQUIRE(o.apply(fill("T1", "1"_d, "100"_d, Decimal::max(), "USDT")).has_value());
  const Order before = o;
  const auto overflow = o.apply(fill("T2", "1"_d, "100"_d, Decimal::from_raw(1), "USDT"));
  REQUIRE(!overflow);
  CHECK(overflow.error().code == ErrorCode::out_of_range);
  CHECK(o == before);
  CHECK(o.fee("USDT") == Decimal::max());
  CHECK(o.filled() == "1"_d);
  // The same fill with its fee in another asset is fine: each asset has its own total.
  REQUIRE(o.apply(fill("T2", "1"_d, "100"_d, "0.5"_d, "BNB")).has_value());
  CHECK(o.fee("BNB") == "0.5"_d);
  CHECK(o.fee("USDT") == Decimal::max());
}
