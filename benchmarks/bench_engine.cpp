// Engine/tick_to_order: a market-data tick to a signed create-order request, no network
// (quote rule -> risk gate -> tracker -> rate limiter -> connector request -> signer).
// Engine/loopback_order_roundtrip: a signed create order against the embedded simulator
// over loopback on a keep-alive connection, reply parsed (compare with
// Net/http_roundtrip_keepalive); Engine/sim_order_roundtrip the same against a
// `ctsctl sim` process when CTS_BENCH_SIM_URL is set. Engine/ws_order_roundtrip: the same
// order over the simulator's WebSocket API (order.place framed and signed by
// binance::SpotWsOrders, one cts::net::WsClient connection, caller-driven as the engine's
// order route runs it, the reply read by the adapter), to compare with the REST round
// trip; Engine/sim_ws_order_roundtrip the same against a `ctsctl sim` process when
// CTS_BENCH_SIM_WS_API_URL is set.
// Engine/memory_10k_live_orders: heap bytes held by the account for 10,000 live orders
// (counter `bytes_per_order`).
#include <malloc.h>

#include <chrono>
#include <cstdlib>
#include <memory>
#include <string>
#include <variant>

#include <benchmark/benchmark.h>

#include <cts/engine/quoting.hpp>
#include <cts/engine/risk.hpp>
#include <cts/net/http_client.hpp>
#include <cts/net/ws_client.hpp>
#include <cts/order/account.hpp>
#include <cts/rate/limiter.hpp>
#include <cts/rate/venue_policies.hpp>
#include <cts/sign/signer.hpp>
#include <cts/sim/simulator.hpp>
#include <cts/sign/binance.hpp>
#include <cts/venue/binance/rest_parsers.hpp>
#include <cts/venue/binance/spot_ws_orders.hpp>
#include <cts/venue/binance/spot_requests.hpp>

namespace {

using namespace cts::literals;

cts::Instrument btcusdt() {
  cts::Instrument i;
  i.venue_symbol = "BTCUSDT";
  i.base = "BTC";
  i.quote = "USDT";
  i.tick_size = "0.01"_d;
  i.step_size = "0.00001"_d;
  i.min_notional = "5"_d;
  return i;
}

std::unique_ptr<cts::sign::Signer> binance_signer(std::string key, std::string secret) {
  return cts::sign::make_signer(cts::VenueId::binance_spot, {std::move(key), cts::sign::Secret(secret), {}}).value();
}

void Engine_tick_to_order(benchmark::State& state) {
  const cts::Instrument instrument = btcusdt();
  const std::string symbol = instrument.unified_symbol();
  cts::engine::QuotingParams params{"0.0001"_d, "0.001"_d, "1000"_d, "0.0001"_d};
  cts::engine::RiskLimits limits;
  limits.max_order_notional = "100000"_d;
  limits.price_band_fraction = "0.05"_d;
  cts::engine::RiskGate risk(instrument, limits);
  cts::rate::Limiter limiter(cts::rate::policy_for(cts::VenueId::binance_spot));
  const cts::rate::Cost cost = limiter.policy().cost("POST /api/v3/order").value();
  auto signer = binance_signer("vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A",
                               "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j");
  auto ids = cts::ClientOrderIdGenerator::for_this_process(cts::RealClock{}.system_now());
  auto account = std::make_unique<cts::order::Account>();
  account->add_instrument(instrument).value();
  cts::SteadyTime now{};
  const cts::SystemTime wall = cts::RealClock{}.system_now();
  std::uint64_t created = 0;
  const cts::Decimal mids[2] = {"60000.01"_d, "60000.02"_d};
  for (auto _ : state) {
    const cts::Decimal mid = mids[created & 1];
    const cts::engine::Quote quote = cts::engine::compute_quote(instrument, params, mid, {}).value();
    const cts::engine::QuoteLevel& bid = *quote.bid;
    cts::engine::RiskContext context;
    context.mid = mid;
    if (!risk.check({cts::Side::buy, bid.quantity, bid.price}, context, now)) state.SkipWithError("risk refused");
    cts::order::OrderRequest request;
    request.client_id = ids.next();
    request.symbol = symbol;
    request.side = cts::Side::buy;
    request.quantity = bid.quantity;
    request.price = bid.price;
    request.ts = wall;
    if (!account->create(request)) state.SkipWithError("tracker refused");
    now += std::chrono::seconds{1};  // injected time: the limiter always has room
    if (!limiter.try_acquire(cost, now).admitted()) state.SkipWithError("limiter refused");
    cts::venue::NewOrder wire;
    wire.symbol = instrument.venue_symbol;
    wire.quantity = bid.quantity;
    wire.price = bid.price;
    wire.client_order_id = request.client_id.str();
    cts::venue::Request signed_request = cts::venue::binance::spot::new_order(wire).value();
    if (!signer->sign(signed_request.http, cts::sign::SigningContext{wall, {}, {}})) state.SkipWithError("sign failed");
    benchmark::DoNotOptimize(signed_request);
    if (++created % 100'000 == 0) {
      state.PauseTiming();
      account = std::make_unique<cts::order::Account>();
      account->add_instrument(instrument).value();
      state.ResumeTiming();
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(Engine_tick_to_order)->Name("Engine/tick_to_order");

// An IOC limit buy of 0.001 BTCUSDT at 9000, far below the market: it expires at once.
cts::venue::NewOrder ioc_far_below() {
  cts::venue::NewOrder order;
  order.symbol = "BTCUSDT";
  order.time_in_force = cts::TimeInForce::ioc;
  order.quantity = "0.001"_d;
  order.price = "9000"_d;
  return order;
}

// Signed IOC buy orders far below the market (each expires at once: nothing accumulates)
// sent one after the other on one keep-alive connection to the Binance front at
// `base_url` as the account `api_key`, each reply parsed.
void order_roundtrips(benchmark::State& state, const std::string& base_url, const std::string& api_key,
                      const std::string& api_secret) {
  cts::net::HttpClient http(base_url);
  auto signer = binance_signer(api_key, api_secret);
  auto ids = cts::ClientOrderIdGenerator::for_this_process(cts::RealClock{}.system_now());
  cts::venue::NewOrder wire = ioc_far_below();
  for (auto _ : state) {
    wire.client_order_id = ids.next().str();
    cts::venue::Request request = cts::venue::binance::spot::new_order(wire).value();
    if (!signer->sign(request.http, cts::sign::SigningContext{cts::RealClock{}.system_now(), {}, {}})) {
      state.SkipWithError("sign failed");
      break;
    }
    auto response = http.send(request.http);
    if (!response) {
      state.SkipWithError("transport failed");
      break;
    }
    auto report = cts::venue::binance::parse_order(*response, cts::venue::binance::Market::spot,
                                                   cts::venue::binance::Operation::mutation);
    if (!report) {
      state.SkipWithError("order refused");
      break;
    }
    benchmark::DoNotOptimize(report);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

// An embedded simulator without market flow whose limits never refuse an order.
cts::sim::SimulatorOptions unlimited_simulator() {
  cts::sim::SimulatorOptions options;
  options.market_flow = false;
  options.front.limits.request_weight_per_minute = 2'000'000'000;
  options.front.limits.orders_per_10s = 2'000'000'000;
  options.front.limits.orders_per_day = 2'000'000'000;
  return options;
}

void Engine_loopback_order_roundtrip(benchmark::State& state) {
  const cts::sim::SimulatorOptions options = unlimited_simulator();
  cts::sim::Simulator simulator(options);
  order_roundtrips(state, simulator.base_url(), options.api_key, options.api_secret);
}
BENCHMARK(Engine_loopback_order_roundtrip)->Name("Engine/loopback_order_roundtrip")->UseRealTime();

// The same orders over the Binance WebSocket API at `ws_api_url` as the account
// `api_key`: order.place framed and signed by binance::SpotWsOrders, sent one after the
// other on one cts::net::WsClient connection, each reply read by the adapter.
void ws_order_roundtrips(benchmark::State& state, const std::string& ws_api_url, const std::string& api_key,
                         const std::string& api_secret) {
  const cts::sign::BinanceHmacSigner signer(cts::VenueId::binance_spot, api_key, cts::sign::Secret(api_secret));
  cts::venue::binance::SpotWsOrders protocol(signer);
  cts::net::WsClientOptions client_options;
  client_options.policy.ping_interval = std::chrono::hours(1);
  client_options.policy.stale_after = std::chrono::hours(1);
  client_options.caller_driven = true;
  cts::net::WsClient client(ws_api_url, client_options);
  client.start();
  auto opened = client.wait(std::chrono::seconds(10));
  if (!opened || opened->kind != cts::net::WsEvent::Kind::opened) {
    state.SkipWithError("cannot connect");
    return;
  }
  protocol.on_connected();
  auto ids = cts::ClientOrderIdGenerator::for_this_process(cts::RealClock{}.system_now());
  cts::venue::NewOrder wire = ioc_far_below();
  std::uint64_t sent = 0;
  for (auto _ : state) {
    wire.client_order_id = ids.next().str();
    auto request = protocol.create_order(wire, std::to_string(++sent), cts::RealClock{}.system_now());
    if (!request || !client.send(std::move(request->frame))) {
      state.SkipWithError("send failed");
      break;
    }
    auto event = client.wait(std::chrono::seconds(10));
    if (!event || event->kind != cts::net::WsEvent::Kind::message) {
      state.SkipWithError("reply lost");
      break;
    }
    auto reply = protocol.on_message(event->text);
    const auto* answer = reply ? std::get_if<cts::venue::WsOrderReply>(&*reply) : nullptr;
    if (answer == nullptr || !answer->outcome) {
      state.SkipWithError("order refused");
      break;
    }
    benchmark::DoNotOptimize(answer);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  client.stop();
}

void Engine_ws_order_roundtrip(benchmark::State& state) {
  const cts::sim::SimulatorOptions options = unlimited_simulator();
  cts::sim::Simulator simulator(options);
  ws_order_roundtrips(state, simulator.ws_api_url(), options.api_key, options.api_secret);
}
BENCHMARK(Engine_ws_order_roundtrip)->Name("Engine/ws_order_roundtrip")->UseRealTime();

// Engine/sim_order_roundtrip and Engine/sim_ws_order_roundtrip: the same round trips
// against a simulator in another process (`ctsctl sim --no-flow --no-rate-limits`), over
// REST and over its WebSocket API, registered only when CTS_BENCH_SIM_URL and
// CTS_BENCH_SIM_WS_API_URL name its base URL and WebSocket API URL;
// CTS_BENCH_SIM_API_KEY and CTS_BENCH_SIM_API_SECRET name its test account (default: the
// simulator's defaults). benchmarks/peers/run sets them to measure cts and the peer
// against one simulator.
const bool sim_order_roundtrips_registered = [] {
  const char* url = std::getenv("CTS_BENCH_SIM_URL");
  const char* ws_api_url = std::getenv("CTS_BENCH_SIM_WS_API_URL");
  const char* key = std::getenv("CTS_BENCH_SIM_API_KEY");
  const char* secret = std::getenv("CTS_BENCH_SIM_API_SECRET");
  const cts::sim::SimulatorOptions defaults;
  const std::string api_key = key ? key : defaults.api_key;
  const std::string api_secret = secret ? secret : defaults.api_secret;
  if (url != nullptr && *url != '\0') {
    benchmark::RegisterBenchmark("Engine/sim_order_roundtrip",
                                 [base_url = std::string(url), api_key, api_secret](benchmark::State& state) {
                                   order_roundtrips(state, base_url, api_key, api_secret);
                                 })
        ->UseRealTime();
  }
  if (ws_api_url != nullptr && *ws_api_url != '\0') {
    benchmark::RegisterBenchmark("Engine/sim_ws_order_roundtrip",
                                 [ws_url = std::string(ws_api_url), api_key, api_secret](benchmark::State& state) {
                                   ws_order_roundtrips(state, ws_url, api_key, api_secret);
                                 })
        ->UseRealTime();
  }
  return true;
}();

void Engine_memory_10k_live_orders(benchmark::State& state) {
  const cts::Instrument instrument = btcusdt();
  const std::string symbol = instrument.unified_symbol();
  auto ids = cts::ClientOrderIdGenerator::for_this_process(cts::RealClock{}.system_now());
  double bytes_per_order = 0;
  for (auto _ : state) {
    const std::size_t before = mallinfo2().uordblks;
    auto account = std::make_unique<cts::order::Account>();
    account->add_instrument(instrument).value();
    for (int i = 0; i < 10'000; ++i) {
      cts::order::OrderRequest request;
      request.client_id = ids.next();
      request.symbol = symbol;
      request.quantity = "0.001"_d;
      request.price = "60000"_d;
      account->create(request).value();
      cts::order::OrderEvent submitted = cts::order::make_event(cts::order::OrderEventKind::submitted);
      account->apply(request.client_id, submitted).value();
      cts::order::OrderEvent accepted = cts::order::make_event(cts::order::OrderEventKind::accepted);
      accepted.venue_order_id = cts::order::VenueOrderId::from(std::to_string(1'000'000 + i)).value();
      account->apply(request.client_id, accepted).value();
    }
    const std::size_t after = mallinfo2().uordblks;
    bytes_per_order = static_cast<double>(after - before) / 10'000.0;
    benchmark::DoNotOptimize(account);
  }
  state.counters["bytes_per_order"] = bytes_per_order;
  state.counters["bytes_10k_orders"] = bytes_per_order * 10'000;
}
BENCHMARK(Engine_memory_10k_live_orders)->Name("Engine/memory_10k_live_orders")->Iterations(3)->Unit(benchmark::kMillisecond);

}  // namespace
