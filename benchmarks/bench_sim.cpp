// Sim/match_limit_order: the matching engine alone, one limit order per iteration,
// alternating a resting sell and a buy that fills it completely (so half the orders
// rest and half match). Sim/rest_order_roundtrip: a signed POST /api/v3/order (an IOC
// that expires unfilled) through cts::net::HttpClient to the simulator over loopback.
#include <memory>

#include <benchmark/benchmark.h>

#include <cts/net/http_client.hpp>
#include <cts/sign/binance.hpp>
#include <cts/sign/secret.hpp>
#include <cts/sim/matching_engine.hpp>
#include <cts/sim/simulator.hpp>

namespace {

using namespace cts::literals;

void Sim_match_limit_order(benchmark::State& state) {
  cts::sim::EngineConfig config;
  config.retain_history = false;
  cts::sim::MatchingEngine engine(config);
  engine.add_symbol(cts::sim::default_instruments().front());
  const auto seller = engine.create_account(), buyer = engine.create_account();
  engine.deposit(seller, "BTC", "1000000000"_d);
  engine.deposit(buyer, "USDT", "100000000000000"_d);
  cts::sim::OrderRequest sell;
  sell.account = seller;
  sell.symbol = "BTCUSDT";
  sell.side = cts::Side::sell;
  sell.quantity = "0.01"_d;
  sell.price = "60000"_d;
  cts::sim::OrderRequest buy = sell;
  buy.account = buyer;
  buy.side = cts::Side::buy;
  std::int64_t now = 0;
  for (auto _ : state) {
    auto out = engine.place((now & 1) == 0 ? sell : buy, now);
    benchmark::DoNotOptimize(out);
    ++now;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(Sim_match_limit_order)->Name("Sim/match_limit_order");

void Sim_rest_order_roundtrip(benchmark::State& state) {
  cts::sim::SimulatorOptions options;
  options.market_flow = false;
  options.engine.retain_history = false;
  options.front.limits.request_weight_per_minute = 2'000'000'000;
  options.front.limits.orders_per_10s = 2'000'000'000;
  options.front.limits.orders_per_day = 2'000'000'000;
  cts::sim::Simulator sim(options);
  cts::net::HttpClient client(sim.base_url());
  const cts::sign::BinanceHmacSigner signer(cts::VenueId::binance_spot, options.api_key, cts::sign::Secret(options.api_secret));
  for (auto _ : state) {
    cts::HttpRequest r;
    r.method = cts::HttpMethod::post;
    r.path = "/api/v3/order";
    r.body = "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=IOC&quantity=0.001&price=10000&newOrderRespType=RESULT";
    r.set_header("Content-Type", "application/x-www-form-urlencoded");
    r.set_header("X-MBX-APIKEY", options.api_key);
    if (!signer.sign(r, cts::sign::SigningContext{.now = cts::RealClock{}.system_now(), .nonce = {}, .nonce_text = {}})) {
      state.SkipWithError("signing failed");
      break;
    }
    auto reply = client.send(r);
    if (!reply || reply->status != 200) {
      state.SkipWithError("order failed");
      break;
    }
    benchmark::DoNotOptimize(reply);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(Sim_rest_order_roundtrip)->Name("Sim/rest_order_roundtrip")->UseRealTime();

}  // namespace
