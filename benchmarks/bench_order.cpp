// Order/apply_transition, Order/apply_fill, Order/tracker_lookup_client_id,
// Position/apply_fill and Order/memory_per_tracked_order, against the floors
// Floor/decimal_fill_arithmetic (the bare decimal adds and multiply of a fill) and
// Floor/unordered_map_find_string_view (one hash-map probe with the same keys).
#include <malloc.h>

#include <array>
#include <string>
#include <unordered_map>
#include <vector>

#include <benchmark/benchmark.h>

#include <cts/order.hpp>

namespace {

using namespace cts::literals;
namespace co = cts::order;

co::OrderRequest request(const cts::ClientOrderId& id) {
  co::OrderRequest r;
  r.client_id = id;
  r.symbol = "BTC/USDT:USDT";
  r.type = cts::OrderType::limit;
  r.quantity = "1000000"_d;
  r.price = "64231.5"_d;
  return r;
}

co::Order accepted_order() {
  co::Order o = co::Order::create(request(cts::ClientOrderId::from("0Qx7bH2a00011").value())).value();
  (void)o.apply(co::make_event(co::OrderEventKind::submitted));
  co::OrderEvent accepted = co::make_event(co::OrderEventKind::accepted);
  accepted.venue_order_id = co::VenueOrderId::from("8389765123456789").value();
  (void)o.apply(accepted);
  return o;
}

void Order_apply_transition(benchmark::State& state) {
  co::Order o = accepted_order();
  const co::OrderEvent pending = co::make_event(co::OrderEventKind::pending_update);
  const co::OrderEvent rejected = co::make_event(co::OrderEventKind::modify_rejected);
  bool flip = false;
  for (auto _ : state) {
    auto r = o.apply(flip ? rejected : pending);
    benchmark::DoNotOptimize(r);
    flip = !flip;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(Order_apply_transition)->Name("Order/apply_transition");

// Orders see a few fills each: every 16 fills the order starts over from a copy (the
// copy is part of the measured cost, amortised over the 16).
void Order_apply_fill(benchmark::State& state) {
  const co::Order fresh = accepted_order();
  std::array<co::OrderEvent, 16> fills;
  for (std::size_t i = 0; i < fills.size(); ++i) {
    fills[i] = co::make_fill_event(co::Fill{co::TradeId::from("1234567" + std::to_string(100 + i)).value(), "0.013"_d,
                                            "64231.5"_d, "0.0001"_d, co::Asset::from("USDT").value()});
  }
  co::Order o = fresh;
  std::size_t i = 0;
  for (auto _ : state) {
    auto r = o.apply(fills[i]);
    benchmark::DoNotOptimize(r);
    if (++i == fills.size()) {
      i = 0;
      o = fresh;
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(Order_apply_fill)->Name("Order/apply_fill");

void Floor_decimal_fill_arithmetic(benchmark::State& state) {
  cts::Decimal filled, notional, fee;
  const cts::Decimal qty = "0.013"_d, px = "64231.5"_d, f = "0.0001"_d;
  for (auto _ : state) {
    filled = filled.checked_add(qty).value();
    notional = notional.checked_add(qty.checked_mul(px, cts::Rounding::half_even).value()).value();
    fee = fee.checked_add(f).value();
    benchmark::DoNotOptimize(filled);
    benchmark::DoNotOptimize(notional);
    benchmark::DoNotOptimize(fee);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(Floor_decimal_fill_arithmetic)->Name("Floor/decimal_fill_arithmetic");

constexpr std::size_t kTracked = 100'000;

std::vector<cts::ClientOrderId> make_ids(std::size_t n) {
  cts::ClientOrderIdGenerator gen(cts::from_unix_millis(1'763'800'000'000), 77);
  std::vector<cts::ClientOrderId> ids;
  ids.reserve(n);
  for (std::size_t i = 0; i < n; ++i) ids.push_back(gen.next());
  return ids;
}

void Order_tracker_lookup_client_id(benchmark::State& state) {
  const auto ids = make_ids(kTracked);
  co::OrderTracker tracker;
  for (const auto& id : ids) (void)tracker.create(request(id));
  std::size_t i = 0;
  for (auto _ : state) {
    const co::Order* o = tracker.find(ids[(i * 7919) % kTracked]);
    benchmark::DoNotOptimize(o);
    ++i;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(Order_tracker_lookup_client_id)->Name("Order/tracker_lookup_client_id");

void Floor_unordered_map_find_string_view(benchmark::State& state) {
  const auto ids = make_ids(kTracked);
  std::unordered_map<std::string_view, std::uint32_t> map;
  for (std::uint32_t k = 0; k < ids.size(); ++k) map.emplace(ids[k].view(), k);
  std::size_t i = 0;
  for (auto _ : state) {
    auto it = map.find(ids[(i * 7919) % kTracked].view());
    benchmark::DoNotOptimize(it);
    ++i;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(Floor_unordered_map_find_string_view)->Name("Floor/unordered_map_find_string_view");

// Heap bytes per live tracked order (mallinfo2 before and after), plus sizeof(Order).
void Order_memory_per_tracked_order(benchmark::State& state) {
  const auto ids = make_ids(kTracked);
  double per_order = 0;
  for (auto _ : state) {
    const std::size_t before = mallinfo2().uordblks;
    {
      co::OrderTracker tracker;
      for (const auto& id : ids) {
        (void)tracker.create(request(id));
        co::OrderEvent accepted = co::make_event(co::OrderEventKind::accepted);
        accepted.venue_order_id = co::VenueOrderId::from(id.view()).value();
        (void)tracker.apply(id, accepted);
      }
      per_order = static_cast<double>(mallinfo2().uordblks - before) / static_cast<double>(kTracked);
      benchmark::DoNotOptimize(tracker);
    }
  }
  state.counters["bytes_per_order"] = per_order;
  state.counters["sizeof_Order"] = static_cast<double>(sizeof(co::Order));
}
BENCHMARK(Order_memory_per_tracked_order)->Name("Order/memory_per_tracked_order")->Iterations(3)->Unit(benchmark::kMillisecond);

void Position_apply_fill(benchmark::State& state) {
  cts::Instrument inst;
  inst.base = "BTC";
  inst.quote = "USDT";
  inst.settle = "USDT";
  inst.kind = cts::InstrumentKind::linear_perpetual;
  inst.tick_size = "0.1"_d;
  inst.step_size = "0.001"_d;
  co::Position p(co::PositionSpec::from(inst).value(), "BTC/USDT:USDT");
  (void)p.apply(cts::Side::buy, co::Fill{co::TradeId::from("0").value(), "1000"_d, "64000"_d, {}, {}}, {});
  const co::Fill open{co::TradeId::from("1").value(), "0.013"_d, "64231.5"_d, "0.0001"_d, co::Asset::from("USDT").value()};
  const co::Fill close{co::TradeId::from("2").value(), "0.013"_d, "64240.1"_d, "0.0001"_d, co::Asset::from("USDT").value()};
  bool flip = false;
  for (auto _ : state) {
    auto r = p.apply(flip ? cts::Side::sell : cts::Side::buy, flip ? close : open, {});
    benchmark::DoNotOptimize(r);
    flip = !flip;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(Position_apply_fill)->Name("Position/apply_fill");

}  // namespace
