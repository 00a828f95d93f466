#include "ctsctl/embedded_exchange.hpp"

#include <cts/sim/simulator.hpp>

namespace ctsctl {

namespace {

class SimulatorExchange final : public EmbeddedExchange {
 public:
  SimulatorExchange(cts::sim::SimulatorOptions options, std::string market)
      : simulator_(std::move(options)), market_(std::move(market)) {}
  [[nodiscard]] std::string base_url() const override { return simulator_.base_url(); }
  [[nodiscard]] std::string ws_url() const override { return simulator_.ws_url(); }
  [[nodiscard]] std::string ws_api_url() const override { return simulator_.ws_api_url(market_); }
  [[nodiscard]] std::string ws_order_url() const override { return simulator_.ws_order_url(); }
  [[nodiscard]] std::string api_key() const override { return simulator_.options().api_key; }
  [[nodiscard]] std::string api_secret() const override { return simulator_.options().api_secret; }
  [[nodiscard]] std::string api_passphrase() const override { return simulator_.options().api_passphrase; }

 private:
  cts::sim::Simulator simulator_;
  std::string market_;
};

}  // namespace

cts::Result<std::unique_ptr<EmbeddedExchange>> start_embedded_exchange(cts::VenueId venue, std::uint64_t seed,
                                                                std::string_view market) {
  cts::Result<cts::sim::SimVenue> front = cts::sim::simulated_venue(venue);
  if (!front) return front.error();
  cts::sim::SimulatorOptions options;
  options.venue = *front;
  options.flow.seed = seed;
  options.front.faults.seed = seed;
  // Realistic prices; the background makers quote 5 USDT apart so that the reference
  // market maker's default quotes (0.005 % from the mid) are the best and get hit.
  options.flow.start_price["BTCUSDT"] = cts::Decimal::from_int(60'000);
  options.flow.start_price["ETHUSDT"] = cts::Decimal::from_int(3'000);
  options.flow.start_price["BTC-USDT"] = cts::Decimal::from_int(60'000);
  options.flow.start_price["ETH-USDT"] = cts::Decimal::from_int(3'000);
  options.flow.start_price["BTC-USDT-SWAP"] = cts::Decimal::from_int(60'000);
  options.flow.start_price["BTC-USDT-PERPETUAL"] = cts::Decimal::from_int(60'000);
  options.flow.spread_ticks = 500;
  try {
    return std::unique_ptr<EmbeddedExchange>(std::make_unique<SimulatorExchange>(std::move(options), std::string(market)));
  } catch (const cts::Exception& e) {
    return e.error();
  }
}

}  // namespace ctsctl
