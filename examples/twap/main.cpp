// A TWAP executor in one page: buys 0.01 BTC over 30 seconds in 10 slices, each slice an
// immediate-or-cancel limit order priced at the best ask (capped by a price band), built
// from the components directly: a venue connection (the engine's factory wires the
// HTTP client, rate limiter, signer and the connector's gateway), account, risk gate,
// journal and order executor.
//
// usage: cts-example-twap [--duration SECONDS] [BASE_URL]
//   Without BASE_URL it starts the embedded simulator in-process; with one it reads the
//   key and secret from CTS_API_KEY and CTS_API_SECRET. SECONDS (default 30) is the
//   length of the schedule; the run gives up 10 seconds after it. Exits 0 when the whole
//   quantity was bought, 1 when it was not or the run could not start, 2 on a bad
//   command line.
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include <fmt/format.h>

#include <cts/engine/connection.hpp>
#include <cts/engine/executor.hpp>
#include <cts/engine/journal_recorder.hpp>
#include <cts/engine/twap.hpp>
#include <cts/sim/simulator.hpp>
#include <cts/store/sqlite_journal.hpp>

#include "common/command_line.hpp"

int main(int argc, char** argv) {
  using namespace std::chrono_literals;
  using namespace cts::literals;

  cts::Result<cts_examples::CommandLine> command_line = cts_examples::parse_command_line(argc, argv, 30s);
  if (!command_line) {
    fmt::print(stderr, "{}\nusage: cts-example-twap [--duration SECONDS] [BASE_URL]\n", command_line.error().message);
    return 2;
  }
  const std::chrono::seconds duration = command_line->duration;
  std::string base_url = command_line->base_url;

  std::unique_ptr<cts::sim::Simulator> simulator;
  std::string api_key;
  std::string journal_path;
  cts::sign::Secret secret;
  if (!base_url.empty()) {
    const char* key = std::getenv("CTS_API_KEY");
    api_key = key != nullptr ? key : "";
    cts::Result<cts::sign::Secret> from_env = cts::sign::Secret::from_env("CTS_API_SECRET");
    if (!from_env) {
      fmt::print(stderr, "CTS_API_SECRET: {}\n", from_env.error());
      return 1;
    }
    secret = std::move(*from_env);
    journal_path = "twap.sqlite";
  } else {
    simulator = std::make_unique<cts::sim::Simulator>();
    base_url = simulator->base_url();
    api_key = simulator->options().api_key;
    secret = cts::sign::Secret(simulator->options().api_secret);
    // The embedded exchange starts empty on every run: so does its journal.
    journal_path = "twap-sim.sqlite";
    std::filesystem::remove(journal_path);
  }

  // The venue connection, wired by the engine's factory: limiter -> signer -> HTTP
  // client under the connector's gateway.
  cts::engine::ConnectionOptions connection_options;
  connection_options.base_url = base_url;
  connection_options.credentials = {api_key, std::move(secret), {}};
  cts::Result<std::unique_ptr<cts::engine::VenueConnection>> connection = cts::engine::VenueConnection::open(
      *cts::venue::find_connector(cts::VenueId::binance_spot).value(), std::move(connection_options));
  if (!connection) {
    fmt::print(stderr, "connection: {}\n", connection.error());
    return 1;
  }
  cts::venue::Gateway& venue = (*connection)->gateway();

  // Orders: risk gate, client ids, journal before send, the state machine.
  cts::Result<cts::Instrument> instrument = venue.instrument("BTCUSDT");
  if (!instrument) {
    fmt::print(stderr, "BTCUSDT rules: {}\n", instrument.error());
    return 1;
  }
  const cts::Instrument& btcusdt = *instrument;
  cts::order::Account account;
  cts::engine::RiskLimits limits;
  limits.max_order_notional = "2000"_d;
  limits.price_band_fraction = "0.01"_d;
  cts::engine::RiskGate risk(btcusdt, limits);
  auto ids = cts::ClientOrderIdGenerator::for_this_process(cts::RealClock{}.system_now());
  cts::Result<std::unique_ptr<cts::store::SqliteJournal>> journal = cts::store::SqliteJournal::open(journal_path);
  if (!journal) {
    fmt::print(stderr, "journal {}: {}\n", journal_path, journal.error());
    return 1;
  }
  cts::engine::JournalRecorder recorder(**journal);
  cts::engine::OrderExecutor executor(venue, account, risk, ids, recorder, btcusdt);

  const cts::RealClock clock;
  cts::Result<cts::engine::TwapSchedule> created =
      cts::engine::TwapSchedule::create(btcusdt, {"0.01"_d, clock.steady_now(), duration, 10});
  if (!created) {
    fmt::print(stderr, "schedule: {}\n", created.error());
    return 1;
  }
  const cts::engine::TwapSchedule& schedule = *created;
  // Asks the venue about every open order and unknown outcome: new fills, final states.
  const auto sync = [&](cts::SteadyTime now) {
    if (cts::Result<void> synced = executor.sync(now); !synced) fmt::print("sync: {}\n", synced.error());
  };
  // Executed quantity (the position is net of base-asset fees).
  const auto executed = [&] {
    cts::Decimal sum;
    account.orders().for_each([&](const cts::order::Order& o) { sum += o.filled(); });
    return sum;
  };
  cts::Decimal bought;
  while (bought < schedule.plan().total_quantity && clock.steady_now() < schedule.plan().start + duration + 10s) {
    const auto now = clock.steady_now();
    sync(now);
    bought = executed();
    const cts::Decimal due = schedule.quantity_due(now, bought);
    if (due.is_positive()) {
      cts::Result<cts::venue::BookTicker> ticker = venue.book_ticker("BTCUSDT");
      if (!ticker) {
        fmt::print("book ticker: {}\n", ticker.error());
      } else {
        const cts::Decimal mid = (ticker->bid_price + ticker->ask_price).div("2"_d, cts::Rounding::half_even);
        auto placed = executor.submit_limit(cts::Side::buy, due, ticker->ask_price, cts::TimeInForce::ioc, mid, now);
        fmt::print("slice {}/{}: buy {} @ {} -> {}\n", schedule.slices_due(now), schedule.plan().slices, due,
                   ticker->ask_price, placed ? "sent" : placed.error().to_string());
      }
    }
    std::this_thread::sleep_for(500ms);
  }
  sync(clock.steady_now());
  bought = executed();
  fmt::print("bought {} BTC ({} after fees) in {} fills, average {:.2} USDT\n", bought, executor.position(),
             executor.stats().fills, account.positions().avg_open(btcusdt.unified_symbol()).value_or(cts::Decimal{}));
  return bought == schedule.plan().total_quantity ? 0 : 1;
}
