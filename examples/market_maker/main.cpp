// A market maker in one page: quotes BTCUSDT around the mid with inventory skew and
// position limits, through the engine's TradingSession (risk checks, journal, rate
// limiter, signer, unknown-outcome handling).
//
// usage: cts-example-market_maker [--duration SECONDS] [BASE_URL]
//   Without BASE_URL it starts the embedded simulator in-process. With one (e.g.
//   https://testnet.binance.vision) it reads the key and secret from CTS_API_KEY and
//   CTS_API_SECRET. Runs SECONDS (default 20), then cancels its orders and prints a
//   summary. Exits 1 when it cannot start, 2 on a bad command line.
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include <fmt/format.h>

#include <cts/engine/session.hpp>
#include <cts/sim/simulator.hpp>
#include <cts/store/sqlite_journal.hpp>

#include "common/command_line.hpp"

int main(int argc, char** argv) {
  using namespace std::chrono_literals;
  using namespace cts::literals;
  cts::Result<cts_examples::CommandLine> command_line = cts_examples::parse_command_line(argc, argv, 20s);
  if (!command_line) {
    fmt::print(stderr, "{}\nusage: cts-example-market_maker [--duration SECONDS] [BASE_URL]\n",
               command_line.error().message);
    return 2;
  }
  const std::chrono::seconds duration = command_line->duration;
  std::string base_url = command_line->base_url;

  cts::engine::EngineConfig config;  // every default is documented in docs/engine.md
  std::unique_ptr<cts::sim::Simulator> simulator;
  cts::engine::SessionEndpoint endpoint;
  if (!base_url.empty()) {
    endpoint.base_url = base_url;
    const char* key = std::getenv("CTS_API_KEY");
    endpoint.credentials.api_key = key != nullptr ? key : "";
    cts::Result<cts::sign::Secret> secret = cts::sign::Secret::from_env("CTS_API_SECRET");
    if (!secret) {
      fmt::print(stderr, "CTS_API_SECRET: {}\n", secret.error());
      return 1;
    }
    endpoint.credentials.secret = std::move(*secret);
    config.journal_path = "market-maker.sqlite";  // a restart resumes from it
  } else {
    simulator = std::make_unique<cts::sim::Simulator>();
    endpoint.base_url = simulator->base_url();
    endpoint.credentials.api_key = simulator->options().api_key;
    endpoint.credentials.secret = cts::sign::Secret(simulator->options().api_secret);
    config.quoting.half_spread_fraction = "0.000004"_d;  // inside the simulator's makers
    // The embedded exchange starts empty on every run: so does its journal.
    config.journal_path = "market-maker-sim.sqlite";
    std::filesystem::remove(config.journal_path);
  }

  cts::Result<std::unique_ptr<cts::store::SqliteJournal>> journal =
      cts::store::SqliteJournal::open(config.journal_path);
  if (!journal) {
    fmt::print(stderr, "journal {}: {}\n", config.journal_path, journal.error());
    return 1;
  }
  cts::Result<std::unique_ptr<cts::engine::TradingSession>> opened =
      cts::engine::TradingSession::open(config, std::move(endpoint), **journal);
  if (!opened) {
    fmt::print(stderr, "cannot start the session: {}\n", opened.error());
    return 1;
  }
  cts::engine::TradingSession& session = **opened;

  const cts::RealClock clock;
  const auto stop_at = clock.steady_now() + duration;
  while (clock.steady_now() < stop_at) {
    // A failed step is counted and reported; the session stays usable and the next
    // step syncs with the venue again.
    if (cts::Result<void> stepped = session.step(clock.steady_now()); !stepped)
      fmt::print("step: {}\n", stepped.error());
    fmt::print("{}\n", session.status_line(clock.steady_now()));
    std::this_thread::sleep_for(config.refresh_interval);
  }
  session.shutdown(clock.steady_now());
  fmt::print("{}", cts::engine::to_json(session.summary(clock.steady_now())));
  return 0;
}
