// The embedded exchange: engine + market flow + the Binance, Bybit, OKX or OrangeX front behind an
// HttpServer, and the same venue's WebSocket side behind a WsServer, ticked every
// 100 ms.
#include "cts/sim/simulator.hpp"

#include <fmt/format.h>

#include "cts/core/clock.hpp"
#include "cts/net/test_certificate.hpp"

namespace cts::sim {

Result<SimVenue> simulated_venue(VenueId venue) {
  switch (venue) {
    case VenueId::binance_spot: return SimVenue::binance;
    case VenueId::bybit: return SimVenue::bybit;
    case VenueId::okx: return SimVenue::okx;
    case VenueId::bingx: return SimVenue::bingx;
    case VenueId::orangex: return SimVenue::orangex;
    case VenueId::pionex: return SimVenue::pionex;
    default:
      return make_error(ErrorCode::unsupported,
                        fmt::format("the simulator does not speak {} (it speaks binance, bybit, okx, bingx, orangex and pionex)",
                                    to_string(venue)));
  }
}

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

std::vector<LinearMarket> default_linear_markets() {
  LinearMarket btc;
  btc.instrument.venue_symbol = "BTCUSDT";
  btc.instrument.base = "BTC";
  btc.instrument.quote = "USDT";
  btc.instrument.settle = "USDT";
  btc.instrument.kind = InstrumentKind::linear_perpetual;
  btc.instrument.tick_size = "0.10"_d;
  btc.instrument.step_size = "0.001"_d;
  btc.instrument.min_quantity = "0.001"_d;
  btc.instrument.max_quantity = "1190"_d;
  btc.instrument.min_notional = "5"_d;
  btc.filters.min_price = "0.10"_d;
  btc.filters.max_price = "1999999.80"_d;
  btc.filters.max_notional = Decimal{};
  btc.filters.percent_price_by_side.reset();
  btc.filters.min_leverage = "1"_d;
  btc.filters.max_leverage = "100"_d;
  btc.filters.leverage_step = "0.01"_d;
  btc.filters.price_scale = 2;
  return {btc};
}

namespace {
MarketFlowConfig with_default_prices(MarketFlowConfig flow) {
  flow.start_price.try_emplace("BTCUSDT", "60000"_d);
  flow.start_price.try_emplace("ETHUSDT", "3000"_d);
  flow.start_price.try_emplace("BTC-USDT", "60000"_d);
  flow.start_price.try_emplace("ETH-USDT", "3000"_d);
  flow.start_price.try_emplace("BTC-USDT-SWAP", "60000"_d);
  flow.start_price.try_emplace("BTC-USDT-PERPETUAL", "60000"_d);
  flow.start_price.try_emplace("BTC_USDT", "60000"_d);
  flow.start_price.try_emplace("ETH_USDT", "3000"_d);
  return flow;
}
}  // namespace

Simulator::Simulator(SimulatorOptions options)
    : options_(std::move(options)),
      engine_(options_.engine),
      front_(engine_, options_.front),
      bybit_front_(engine_, BybitFrontConfig{options_.bybit_limits, options_.front.faults, options_.bybit_keys_can_withdraw}),
      okx_front_(engine_, OkxFrontConfig{options_.okx_limits, options_.front.faults}),
      bingx_front_(engine_, BingxFrontConfig{options_.bingx_limits, options_.front.faults}),
      orangex_front_(engine_, OrangexFrontConfig{options_.orangex_private_per_second, 900, options_.front.faults}),
      pionex_front_(engine_, PionexFrontConfig{options_.pionex_limits, options_.front.faults}) {
  if (options_.venue == SimVenue::okx) {
    for (const MarketSpec& m : options_.okx_markets) engine_.add_symbol(m.instrument, m.filters);
  } else if (options_.venue == SimVenue::bingx) {
    for (const MarketSpec& m : options_.bingx_markets) engine_.add_symbol(m.instrument, m.filters);
  } else if (options_.venue == SimVenue::orangex) {
    for (const MarketSpec& m : options_.orangex_markets) engine_.add_symbol(m.instrument, m.filters);
  } else if (options_.venue == SimVenue::pionex) {
    for (const MarketSpec& m : options_.pionex_markets) engine_.add_symbol(m.instrument, m.filters);
  } else {
    for (const Instrument& in : options_.symbols) engine_.add_symbol(in);
  }
  if (options_.venue == SimVenue::bybit) {
    for (const LinearMarket& m : options_.linear) engine_.add_symbol(m.instrument, m.filters);
  }
  account_ = engine_.create_account();
  for (const auto& [asset, amount] : options_.balances) engine_.deposit(account_, asset, amount);
  front_.add_credential(options_.api_key, options_.api_secret, account_);
  for (const auto& [key, public_key] : options_.ed25519_keys) front_.add_ed25519_credential(key, public_key, account_);
  bybit_front_.add_credential(options_.api_key, options_.api_secret, account_);
  okx_front_.add_credential(options_.api_key, options_.api_secret, options_.api_passphrase, account_);
  bingx_front_.add_credential(options_.api_key, options_.api_secret, account_);
  orangex_front_.add_credential(options_.api_key, options_.api_secret, account_);
  pionex_front_.add_credential(options_.api_key, options_.api_secret, account_);
  const std::int64_t now_ms = to_unix_millis(RealClock{}.system_now());
  StreamsConfig streams_config;
  streams_config.faults = options_.front.faults;
  if (options_.venue == SimVenue::bybit) {
    bybit_streams_ = std::make_unique<BybitStreams>(engine_, bybit_front_, options_.front.faults);
    bybit_streams_->add_credential(options_.api_key, options_.api_secret, account_);
  } else if (options_.venue == SimVenue::okx) {
    okx_streams_ = std::make_unique<OkxStreams>(engine_, okx_front_, options_.front.faults);
    okx_streams_->add_credential(options_.api_key, options_.api_secret, options_.api_passphrase, account_);
  } else if (options_.venue == SimVenue::bingx) {
    bingx_streams_ = std::make_unique<BingxStreams>(engine_, bingx_front_, options_.front.faults);
  } else if (options_.venue == SimVenue::orangex) {
    orangex_streams_ = std::make_unique<OrangexStreams>(engine_, orangex_front_, options_.front.faults);
  } else if (options_.venue == SimVenue::pionex) {
    pionex_streams_ = std::make_unique<PionexStreams>(engine_, pionex_front_, options_.front.faults);
    pionex_streams_->add_credential(options_.api_key, options_.api_secret, account_);
  } else {
    streams_ = std::make_unique<BinanceStreams>(engine_, front_, now_ms, streams_config);
  }
  if (options_.market_flow) flow_ = std::make_unique<MarketFlow>(engine_, with_default_prices(options_.flow), now_ms);

  net::HttpServerOptions server_options;
  server_options.port = options_.port;
  net::WsServerOptions ws_options;
  ws_options.port = options_.ws_port;
  if (options_.tls) {
    const net::TestCertificate cert = net::make_test_certificate();
    certificate_pem_ = cert.certificate_pem;
    server_options.tls = net::ServerTls{cert.certificate_pem, cert.private_key_pem};
    ws_options.tls = server_options.tls;
  }
  // Handlers may run as soon as a server listens; they take the mutex, which is held
  // until both servers exist.
  std::unique_lock lock(mutex_);
  server_ = std::make_unique<net::HttpServer>(net::HttpReplyHandler([this](const HttpRequest& r) { return handle(r); }),
                                              server_options);
  net::WsServerHandlers handlers;
  handlers.on_open = [this](net::WsConnectionId id, std::string_view target) {
    std::lock_guard guard(mutex_);
    const std::int64_t now_ms = to_unix_millis(RealClock{}.system_now());
    return visit_streams([&](auto& streams) { return streams.open(id, target, now_ms); });
  };
  handlers.on_message = [this](net::WsConnectionId id, std::string_view text) {
    std::lock_guard guard(mutex_);
    std::vector<WsOutput> out;
    const std::int64_t now_ms = to_unix_millis(RealClock{}.system_now());
    visit_streams([&](auto& streams) { streams.message(id, text, now_ms, out); });
    flush(out);
  };
  handlers.on_close = [this](net::WsConnectionId id) {
    std::lock_guard guard(mutex_);
    visit_streams([&](auto& streams) { streams.close(id); });
  };
  ws_server_ = std::make_unique<net::WsServer>(std::move(handlers), ws_options);
  lock.unlock();
  ticker_ = std::thread([this] { run_ticker(); });
}

Simulator::~Simulator() { stop(); }

// Under mutex_. WsServer::send and close only queue work for its io thread.
void Simulator::flush(std::vector<WsOutput>& out) {
  if (!ws_server_) return;
  for (WsOutput& o : out) {
    if (o.drop) {
      ws_server_->close(o.connection, /*abrupt=*/true);
    } else {
      ws_server_->send(o.connection, std::move(o.text), o.binary);
    }
  }
  out.clear();
}

void Simulator::run_ticker() {
  std::vector<WsOutput> out;
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, std::chrono::milliseconds(100), [this] { return stopping_; })) {
    const std::int64_t now_ms = to_unix_millis(RealClock{}.system_now());
    if (flow_) flow_->advance_to(now_ms);
    if (options_.venue == SimVenue::okx) okx_front_.advance(from_unix_millis(now_ms));
    if (options_.venue == SimVenue::bingx) bingx_front_.advance(from_unix_millis(now_ms));
    tick_streams(now_ms, out);
    flush(out);
  }
}

net::ServerReply Simulator::handle(const HttpRequest& request) {
  const SystemTime now = RealClock{}.system_now();
  std::lock_guard lock(mutex_);
  if (flow_) flow_->advance_to(to_unix_millis(now));
  net::ServerReply reply = options_.venue == SimVenue::bybit     ? bybit_front_.handle(request, now)
                           : options_.venue == SimVenue::okx     ? okx_front_.handle(request, now)
                           : options_.venue == SimVenue::bingx   ? bingx_front_.handle(request, now)
                           : options_.venue == SimVenue::orangex ? orangex_front_.handle(request, now)
                           : options_.venue == SimVenue::pionex  ? pionex_front_.handle(request, now)
                                                                 : front_.handle(request, now);
  // User data events (and trades) reach the streams right after the request that caused them.
  std::vector<WsOutput> out;
  tick_streams(to_unix_millis(now), out);
  flush(out);
  return reply;
}

// Under mutex_. Bybit's WebSocket side streams every book; Binance's streams spot books
// only, so the market changes the engine records for the other books are dropped there
// and do not pile up.
void Simulator::tick_streams(std::int64_t now_ms, std::vector<WsOutput>& out) {
  if (bybit_streams_) return bybit_streams_->tick(now_ms, out);
  if (okx_streams_) return okx_streams_->tick(now_ms, out);
  if (bingx_streams_) return bingx_streams_->tick(now_ms, out);
  if (orangex_streams_) return orangex_streams_->tick(now_ms, out);
  if (pionex_streams_) return pionex_streams_->tick(now_ms, out);
  streams_->tick(now_ms, out);
  for (const std::string& market : engine_.markets()) {
    if (engine_.instrument(market)->kind != InstrumentKind::spot) (void)engine_.take_market_changes(market);
  }
}

std::string Simulator::base_url() const { return server_->base_url(); }
std::uint16_t Simulator::port() const noexcept { return server_->port(); }
std::string Simulator::ws_url() const { return ws_server_->base_url(); }
std::string Simulator::ws_api_url() const {
  if (okx_streams_) return ws_server_->base_url() + "/ws/v5/private";
  if (bingx_streams_) return ws_server_->base_url() + "/swap-market";
  if (orangex_streams_) return ws_server_->base_url() + "/ws/api/v1";
  if (pionex_streams_) return ws_server_->base_url() + "/ws";
  return ws_server_->base_url() + (bybit_streams_ ? "/v5/private" : "/ws-api/v3");
}

std::string Simulator::ws_api_url(std::string_view market) const {
  if (bingx_streams_ && market == "spot") return ws_server_->base_url() + "/market";
  return ws_api_url();
}

std::string Simulator::ws_order_url() const {
  return bybit_streams_ ? ws_server_->base_url() + "/v5/trade" : ws_api_url();
}

void Simulator::set_faults(const FaultConfig& faults) {
  std::lock_guard lock(mutex_);
  front_.config().faults = faults;
  front_.reset_faults();
  bybit_front_.config().faults = faults;
  bybit_front_.reset_faults();
  okx_front_.config().faults = faults;
  okx_front_.reset_faults();
  bingx_front_.config().faults = faults;
  bingx_front_.reset_faults();
  orangex_front_.config().faults = faults;
  orangex_front_.reset_faults();
  pionex_front_.config().faults = faults;
  pionex_front_.reset_faults();
  visit_streams([&](auto& streams) { streams.set_faults(faults); });
}

FrontStats Simulator::stats() const {
  std::lock_guard lock(mutex_);
  if (options_.venue == SimVenue::okx) return okx_front_.stats();
  if (options_.venue == SimVenue::bingx) return bingx_front_.stats();
  if (options_.venue == SimVenue::orangex) return orangex_front_.stats();
  if (options_.venue == SimVenue::pionex) return pionex_front_.stats();
  return options_.venue == SimVenue::bybit ? bybit_front_.stats() : front_.stats();
}

StreamsStats Simulator::ws_stats() const {
  std::lock_guard lock(mutex_);
  return visit_streams([](auto& streams) { return streams.stats(); });
}

void Simulator::drop_websockets() {
  std::lock_guard lock(mutex_);
  visit_streams([&](auto& streams) {
    for (const std::uint64_t id : streams.connections()) {
      ws_server_->close(id, /*abrupt=*/true);
      streams.close(id);
    }
  });
}

void Simulator::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (ticker_.joinable()) ticker_.join();
  ws_server_->stop();
  server_->stop();
}

}  // namespace cts::sim
