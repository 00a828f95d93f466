// The embedded exchange: engine + market flow + Binance front behind an HttpServer.
#include "cts/sim/simulator.hpp"

#include "cts/core/clock.hpp"
#include "cts/net/test_certificate.hpp"

namespace cts::sim {

using namespace cts::literals;

std::vector<Instrument> default_instruments() {
  Instrument btc;
  btc.venue_symbol = "BTCUSDT";
  btc.base = "BTC";
  btc.quote = "USDT";
  btc.tick_size = "0.01"_d;
  btc.step_size = "0.00001"_d;
  btc.min_quantity = "0.00001"_d;
  btc.max_quantity = "9000"_d;
  btc.min_notional = "5"_d;
  Instrument eth = btc;
  eth.venue_symbol = "ETHUSDT";
  eth.base = "ETH";
  eth.step_size = "0.0001"_d;
  eth.min_quantity = "0.0001"_d;
  return {btc, eth};
}

namespace {
MarketFlowConfig with_default_prices(MarketFlowConfig flow) {
  flow.start_price.try_emplace("BTCUSDT", "60000"_d);
  flow.start_price.try_emplace("ETHUSDT", "3000"_d);
  return flow;
}
}  // namespace

Simulator::Simulator(SimulatorOptions options)
    : options_(std::move(options)), engine_(options_.engine), front_(engine_, options_.front) {
  for (const Instrument& in : options_.symbols) engine_.add_symbol(in);
  account_ = engine_.create_account();
  for (const auto& [asset, amount] : options_.balances) engine_.deposit(account_, asset, amount);
  front_.add_credential(options_.api_key, options_.api_secret, account_);
  const std::int64_t now_ms = to_unix_millis(RealClock{}.system_now());
  if (options_.market_flow) flow_ = std::make_unique<MarketFlow>(engine_, with_default_prices(options_.flow), now_ms);

  net::HttpServerOptions server_options;
  server_options.port = options_.port;
  if (options_.tls) {
    const net::TestCertificate cert = net::make_test_certificate();
    certificate_pem_ = cert.certificate_pem;
    server_options.tls = net::ServerTls{cert.certificate_pem, cert.private_key_pem};
  }
  server_ = std::make_unique<net::HttpServer>(net::HttpReplyHandler([this](const HttpRequest& r) { return handle(r); }),
                                              server_options);
}

Simulator::~Simulator() { stop(); }

net::ServerReply Simulator::handle(const HttpRequest& request) {
  const SystemTime now = RealClock{}.system_now();
  std::lock_guard lock(mutex_);
  if (flow_) flow_->advance_to(to_unix_millis(now));
  return front_.handle(request, now);
}

std::string Simulator::base_url() const { return server_->base_url(); }
std::uint16_t Simulator::port() const noexcept { return server_->port(); }

void Simulator::set_faults(const FaultConfig& faults) {
  std::lock_guard lock(mutex_);
  front_.config().faults = faults;
  front_.reset_faults();
}

FrontStats Simulator::stats() const {
  std::lock_guard lock(mutex_);
  return front_.stats();
}

void Simulator::stop() { server_->stop(); }

}  // namespace cts::sim
