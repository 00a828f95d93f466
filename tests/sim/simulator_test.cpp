// Tests for cts/sim/simulator.hpp and cts/sim/market_flow.hpp: the HTTP client against
// the simulator over real TLS on 127.0.0.1, faults as the client sees them.
#include <cts/sim/simulator.hpp>

#include <atomic>
#include <thread>
#include <vector>

#include <doctest/doctest.h>

#include <cts/net/http_client.hpp>
#include <cts/sign/binance.hpp>
#include <cts/sign/secret.hpp>

using namespace cts;
using namespace cts::sim;
using namespace cts::literals;

namespace {

HttpRequest signed_order(const Simulator& sim, std::string params) {
  HttpRequest r;
  r.method = HttpMethod::post;
  r.path = "/api/v3/order";
  r.body = std::move(params);
  r.set_header("Content-Type", "application/x-www-form-urlencoded");
  r.set_header("X-MBX-APIKEY", sim.options().api_key);
  const sign::BinanceHmacSigner signer(VenueId::binance_spot, sim.options().api_key, sign::Secret(sim.options().api_secret));
  REQUIRE(signer.sign(r, sign::SigningContext{.now = RealClock{}.system_now(), .nonce = {}, .nonce_text = {}}));
  return r;
}

net::HttpClient client_for(const Simulator& sim) {
  net::HttpClientOptions options;
  options.ca_pem = sim.certificate_pem();
  return net::HttpClient(sim.base_url(), options);
}

}  // namespace

TEST_CASE("the simulator serves Binance over TLS; a signed order rests and locks funds") {
  SimulatorOptions options;
  options.tls = true;
  options.market_flow = false;
  Simulator sim(options);
  CHECK(sim.base_url().starts_with("https://127.0.0.1:"));
  auto client = client_for(sim);
  HttpRequest ping;
  ping.path = "/api/v3/ping";
  auto pong = client.send(ping);
  REQUIRE(pong);
  CHECK(pong->body == "{}");
  CHECK(pong->header("X-MBX-USED-WEIGHT-1M").value() == "1");
  auto placed = client.send(signed_order(sim, "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.5&price=20000"));
  REQUIRE(placed);
  CHECK(placed->status == 200);
  CHECK(placed->body.find(R"("status":"NEW")") != std::string::npos);
  CHECK(sim.with_engine([&](MatchingEngine& e) { return e.balance(sim.account(), "USDT").locked; }) == "10000"_d);
  CHECK(client.stats().connections_opened == 1);
}

TEST_CASE("a reply dropped after executing: the client sees unknown_outcome, the order exists") {
  SimulatorOptions options;
  options.market_flow = false;
  Simulator sim(options);
  auto client = client_for(sim);
  sim.set_faults(FaultConfig::parse("drop_after=1").value());
  auto lost = client.send(signed_order(sim, "symbol=BTCUSDT&side=SELL&type=LIMIT&timeInForce=GTC&quantity=0.1&price=90000&newClientOrderId=lost-1"));
  REQUIRE(!lost);
  CHECK(lost.error().code == ErrorCode::unknown_outcome);
  sim.set_faults(FaultConfig{});
  const bool exists = sim.with_engine([&](MatchingEngine& e) { return e.find_order(sim.account(), "BTCUSDT", std::nullopt, "lost-1") != nullptr; });
  CHECK(exists);
  sim.set_faults(FaultConfig::parse("reset=1").value());
  auto reset = client.send(signed_order(sim, "symbol=BTCUSDT&side=SELL&type=LIMIT&timeInForce=GTC&quantity=0.1&price=90000&newClientOrderId=reset-1"));
  REQUIRE(!reset);
  CHECK(reset.error().code == ErrorCode::unknown_outcome);
  const bool reset_exists = sim.with_engine([&](MatchingEngine& e) { return e.find_order(sim.account(), "BTCUSDT", std::nullopt, "reset-1") != nullptr; });
  CHECK(!reset_exists);
}

TEST_CASE("market flow is deterministic for a seed and fills resting quotes") {
  const auto run = [](std::uint64_t seed) {
    MatchingEngine engine;
    for (const Instrument& in : default_instruments()) engine.add_symbol(in);
    MarketFlowConfig config;
    config.seed = seed;
    config.start_price["BTCUSDT"] = "60000"_d;
    MarketFlow flow(engine, config, 0);
    const AccountId bot = engine.create_account();
    engine.deposit(bot, "USDT", "1000000"_d);
    OrderRequest bid;
    bid.account = bot;
    bid.symbol = "BTCUSDT";
    bid.side = Side::buy;
    bid.quantity = "0.01"_d;
    bid.price = flow.mid("BTCUSDT") - "0.05"_d;  // inside the flow's spread: first in line
    REQUIRE(engine.place(bid, 0));
    for (std::int64_t t = 1; t <= 400; ++t) flow.step(t * 250);
    const auto [bids, asks] = engine.depth("BTCUSDT", 1);
    return std::make_tuple(flow.mid("BTCUSDT"), engine.recent_trades("BTCUSDT", 1000).size(),
                           engine.balance(bot, "BTC").free, engine.total_supply("BTC"));
  };
  const auto a = run(5), b = run(5), c = run(6);
  CHECK(a == b);
  CHECK(a != c);
  CHECK(std::get<1>(a) > 10);
  CHECK(std::get<2>(a) == "0.00999"_d);  // the bot's bid was filled: 0.01 minus the 0.1 % maker fee
}

TEST_CASE("[threads] concurrent clients and engine inspection are safe") {
  SimulatorOptions options;
  Simulator sim(options);
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back([&] {
      auto client = client_for(sim);
      for (int i = 0; i < 20; ++i) {
        HttpRequest depth;
        depth.path = "/api/v3/depth";
        depth.query = "symbol=BTCUSDT&limit=5";
        auto r = client.send(depth);
        if (r && r->status == 200) ok.fetch_add(1);
      }
    });
  }
  for (int i = 0; i < 20; ++i) {
    (void)sim.with_engine([](MatchingEngine& e) { return e.top("BTCUSDT"); });
  }
  for (auto& th : threads) th.join();
  CHECK(ok.load() == 60);
  CHECK(sim.stats().requests == 60);
}
