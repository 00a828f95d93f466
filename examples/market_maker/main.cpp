// A market maker in one page: quotes BTCUSDT around the mid with inventory skew and
// position limits, through the engine's TradingSession (risk checks, journal, rate
// limiter, signer, unknown-outcome handling).
//
// usage: cts-example-market_maker [BASE_URL]
//   Without BASE_URL it starts the embedded simulator in-process. With one (e.g.
//   https://testnet.binance.vision) it reads the key and secret from CTS_API_KEY and
//   CTS_API_SECRET. Runs 20 seconds, then cancels its orders and prints a summary.
#include <chrono>
#include <cstdlib>
#include <memory>
#include <thread>

#include <fmt/format.h>

#include <cts/engine/session.hpp>
#include <cts/sim/simulator.hpp>
#include <cts/store/sqlite_journal.hpp>

int main(int argc, char** argv) {
  using namespace std::chrono_literals;
  cts::engine::EngineConfig config;          // every default is documented in docs/engine.md
  config.journal_path = "market-maker.sqlite";

  std::unique_ptr<cts::sim::Simulator> simulator;
  cts::engine::SessionEndpoint endpoint;
  if (argc > 1) {
    endpoint.base_url = argv[1];
    const char* key = std::getenv("CTS_API_KEY");
    endpoint.credentials.api_key = key != nullptr ? key : "";
    endpoint.credentials.secret = cts::sign::Secret::from_env("CTS_API_SECRET").value();
  } else {
    simulator = std::make_unique<cts::sim::Simulator>();
    endpoint.base_url = simulator->base_url();
    endpoint.credentials.api_key = simulator->options().api_key;
    endpoint.credentials.secret = cts::sign::Secret(simulator->options().api_secret);
    config.quoting.half_spread_fraction = cts::Decimal::parse("0.000004").value();  // inside the simulator's makers
  }

  auto journal = cts::store::SqliteJournal::open(config.journal_path).value();
  auto session = cts::engine::TradingSession::open(config, std::move(endpoint), *journal).value();

  const cts::RealClock clock;
  const auto stop_at = clock.steady_now() + 20s;
  while (clock.steady_now() < stop_at) {
    if (auto stepped = session->step(clock.steady_now()); !stepped) fmt::print("step: {}\n", stepped.error());
    fmt::print("{}\n", session->status_line(clock.steady_now()));
    std::this_thread::sleep_for(config.refresh_interval);
  }
  session->shutdown(clock.steady_now());
  fmt::print("{}", cts::engine::to_json(session->summary(clock.steady_now())));
  return 0;
}
