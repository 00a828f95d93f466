// A TWAP executor in one page: buys 0.01 BTC over 30 seconds in 10 slices, each slice an
// immediate-or-cancel limit order priced at the best ask (capped by a price band), built
// from the components directly: HTTP client, rate limiter, signer, connector gateway,
// account, risk gate, journal and order executor.
//
// usage: cts-example-twap [BASE_URL]
//   Without BASE_URL it starts the embedded simulator in-process; with one it reads the
//   key and secret from CTS_API_KEY and CTS_API_SECRET.
#include <chrono>
#include <cstdlib>
#include <memory>
#include <thread>

#include <fmt/format.h>

#include <cts/engine/executor.hpp>
#include <cts/engine/gateway.hpp>
#include <cts/engine/journal_recorder.hpp>
#include <cts/engine/rest_channel.hpp>
#include <cts/engine/twap.hpp>
#include <cts/rate/venue_policies.hpp>
#include <cts/sim/simulator.hpp>
#include <cts/store/sqlite_journal.hpp>

int main(int argc, char** argv) {
  using namespace std::chrono_literals;
  using namespace cts::literals;

  std::unique_ptr<cts::sim::Simulator> simulator;
  std::string base_url, api_key;
  cts::sign::Secret secret;
  if (argc > 1) {
    base_url = argv[1];
    const char* key = std::getenv("CTS_API_KEY");
    api_key = key != nullptr ? key : "";
    secret = cts::sign::Secret::from_env("CTS_API_SECRET").value();
  } else {
    simulator = std::make_unique<cts::sim::Simulator>();
    base_url = simulator->base_url();
    api_key = simulator->options().api_key;
    secret = cts::sign::Secret(simulator->options().api_secret);
  }

  // The path of every request: limiter -> signer -> HTTP client.
  cts::net::HttpClient http(base_url);
  cts::rate::Limiter limiter(cts::rate::policy_for(cts::VenueId::binance_spot));
  auto signer = cts::sign::make_signer(cts::VenueId::binance_spot, {api_key, std::move(secret), {}}).value();
  cts::engine::RestChannel channel(http, limiter, signer.get(), api_key, "X-MBX-APIKEY");
  cts::engine::BinanceSpotGateway venue(channel);

  // Orders: risk gate, client ids, journal before send, the state machine.
  const cts::Instrument btcusdt = venue.instrument("BTCUSDT").value();
  cts::order::Account account;
  cts::engine::RiskLimits limits;
  limits.max_order_notional = "2000"_d;
  limits.price_band_fraction = "0.01"_d;
  cts::engine::RiskGate risk(btcusdt, limits);
  auto ids = cts::ClientOrderIdGenerator::for_this_process(cts::RealClock{}.system_now());
  auto journal = cts::store::SqliteJournal::open("twap.sqlite").value();
  cts::engine::JournalRecorder recorder(*journal);
  cts::engine::OrderExecutor executor(venue, account, risk, ids, recorder, btcusdt);

  const cts::RealClock clock;
  auto schedule = cts::engine::TwapSchedule::create(btcusdt, {"0.01"_d, clock.steady_now(), 30s, 10}).value();
  cts::Decimal bought;
  while (bought < schedule.plan().total_quantity && clock.steady_now() < schedule.plan().start + 40s) {
    const auto now = clock.steady_now();
    (void)executor.sync(now);
    bought = cts::Decimal{};  // executed quantity (the position is net of base-asset fees)
    account.orders().for_each([&](const cts::order::Order& o) { bought += o.filled(); });
    const cts::Decimal due = schedule.quantity_due(now, bought);
    if (due.is_positive()) {
      const auto ticker = venue.book_ticker("BTCUSDT").value();
      const cts::Decimal mid = (ticker.bid_price + ticker.ask_price).div("2"_d, cts::Rounding::half_even);
      auto placed = executor.submit_limit(cts::Side::buy, due, ticker.ask_price, cts::TimeInForce::ioc, mid, now);
      fmt::print("slice {}/{}: buy {} @ {} -> {}\n", schedule.slices_due(now), schedule.plan().slices, due,
                 ticker.ask_price, placed ? "sent" : placed.error().to_string());
    }
    std::this_thread::sleep_for(500ms);
  }
  (void)executor.sync(clock.steady_now());
  fmt::print("bought {} BTC ({} after fees) in {} fills, average {:.2} USDT\n", bought, executor.position(),
             executor.stats().fills,
             account.positions().avg_open(btcusdt.unified_symbol()).value_or(cts::Decimal{}));
  return 0;
}
