#pragma once
/// \file
/// The embedded exchange: a MatchingEngine, a seeded MarketFlow (over every market, linear
/// ones included), a REST front (Binance's; Bybit v5's with spot and linear; OKX v5's
/// with SPOT and SWAP; or OrangeX's JSON-RPC with its perpetual, as SimulatorOptions::venue says) served over HTTP or HTTPS on
/// 127.0.0.1, and the same venue's WebSocket side on a second port over ws:// or wss://
/// (Binance's market streams and WebSocket API user data stream, BinanceStreams; or
/// Bybit's public and private streams, BybitStreams; or OKX's, OkxStreams). What tests, examples,
/// benchmarks and `ctsctl sim` run against when the real venue is out of reach.
///
/// Threading: the HTTP server's io thread handles requests, the WebSocket server's io
/// thread handles connection events, and a ticker thread wakes every 100 ms of real
/// time to advance the market and emit due stream events; all of them work under the
/// simulator's mutex. with_engine() takes the same mutex, so tests may inspect or seed
/// the engine from any thread while the servers run.

#include <condition_variable>
#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <string>
#include <utility>
#include <vector>

#include "cts/core/decimal.hpp"
#include "cts/core/instrument.hpp"
#include "cts/core/result.hpp"
#include "cts/core/venue_id.hpp"
#include "cts/net/http_server.hpp"
#include "cts/net/ws_server.hpp"
#include "cts/sim/binance_front.hpp"
#include "cts/sim/binance_streams.hpp"
#include "cts/sim/bingx_front.hpp"
#include "cts/sim/bingx_streams.hpp"
#include "cts/sim/bybit_front.hpp"
#include "cts/sim/bybit_streams.hpp"
#include "cts/sim/market_flow.hpp"
#include "cts/sim/matching_engine.hpp"
#include "cts/sim/okx_front.hpp"
#include "cts/sim/okx_streams.hpp"
#include "cts/sim/orangex_front.hpp"
#include "cts/sim/orangex_streams.hpp"
#include "cts/sim/pionex_front.hpp"
#include "cts/sim/pionex_streams.hpp"

namespace cts::sim {

/// BTCUSDT (tick 0.01, step 0.00001, min notional 5) and ETHUSDT (tick 0.01, step
/// 0.0001, min notional 5), filters as Binance spot lists them.
std::vector<Instrument> default_instruments();

/// A linear perpetual market and its filters.
struct LinearMarket {
  Instrument instrument;  ///< kind linear_perpetual, settle set.
  SymbolFilters filters;  ///< Price bounds and the leverage filter.
};

/// Bybit's BTCUSDT linear perpetual as its instruments-info lists it: tickSize 0.10,
/// priceScale 2, minPrice 0.10, maxPrice 1999999.80, qtyStep 0.001, minOrderQty 0.001, maxOrderQty
/// 1190, minNotionalValue 5, leverage 1..100 in steps of 0.01, settled in USDT.
std::vector<LinearMarket> default_linear_markets();

/// The REST API a Simulator speaks.
enum class SimVenue : std::uint8_t {
  binance,  ///< Binance spot (BinanceFront).
  bybit,    ///< Bybit v5, category=spot and linear (BybitFront).
  okx,      ///< OKX v5, instType SPOT and SWAP (OkxFront).
  bingx,    ///< BingX USDT-M perpetual swap (BingxFront).
  orangex,  ///< OrangeX JSON-RPC, perpetuals (OrangexFront).
  pionex,   ///< Pionex spot (PionexFront).
};

/// The front that speaks `venue`'s protocol. Errors: unsupported for a venue the
/// simulator does not speak (the message names the ones it does).
Result<SimVenue> simulated_venue(VenueId venue);

/// Settings of a Simulator.
struct SimulatorOptions {
  std::uint16_t port = 0;                 ///< Port on 127.0.0.1; 0 lets the kernel choose.
  std::uint16_t ws_port = 0;              ///< WebSocket port on 127.0.0.1; 0 lets the kernel choose.
  bool tls = false;                       ///< Serve https with a fresh in-memory certificate.
  std::string api_key = "cts-sim-key";    ///< Key of the funded test account.
  std::string api_secret = "cts-sim-secret";  ///< Its secret.
  std::string api_passphrase = "cts-sim-passphrase";  ///< Its passphrase (the OKX front checks it; others ignore it).
  /// Ed25519 API keys of the same account, by name and public key (the Binance front:
  /// REST, the WebSocket API and its session.logon; the other fronts ignore them).
  std::vector<std::pair<std::string, std::array<std::uint8_t, 32>>> ed25519_keys;
  std::vector<std::pair<std::string, Decimal>> balances{
      {"USDT", Decimal::from_int(100'000)}, {"BTC", Decimal::from_int(10)}, {"ETH", Decimal::from_int(100)}};  ///< Its funds.
  std::vector<Instrument> symbols = default_instruments();  ///< Tradable spot symbols.
  /// Linear perpetual markets, books of their own beside the spot ones (market_key);
  /// listed only when venue is bybit (the Binance front serves spot).
  std::vector<LinearMarket> linear = default_linear_markets();
  /// The markets listed when venue is okx, instead of `symbols` and `linear`.
  std::vector<MarketSpec> okx_markets = default_okx_markets();
  /// The markets listed when venue is bingx, instead of `symbols` and `linear`.
  std::vector<MarketSpec> bingx_markets = default_bingx_markets();
  /// The markets listed when venue is orangex, instead of `symbols` and `linear`.
  std::vector<MarketSpec> orangex_markets = default_orangex_markets();
  /// The markets listed when venue is pionex, instead of `symbols` and `linear`.
  std::vector<MarketSpec> pionex_markets = default_pionex_markets();
  bool market_flow = true;                ///< Run the background market.
  MarketFlowConfig flow;                  ///< Its settings (seed, prices, ...).
  SimVenue venue = SimVenue::binance;     ///< The REST front served at base_url().
  FrontConfig front;                      ///< Rate limits (Binance front) and faults (both fronts).
  BybitLimitConfig bybit_limits;          ///< Rate limits of the Bybit front.
  bool bybit_keys_can_withdraw = false;   ///< The Bybit front's keys report the withdrawal permission.
  OkxLimitConfig okx_limits;              ///< Rate limits of the OKX front.
  BingxLimitConfig bingx_limits;          ///< Rate limits of the BingX front.
  std::uint32_t orangex_private_per_second = 20;  ///< Private calls per account and second (OrangeX front).
  PionexLimitConfig pionex_limits;        ///< Rate limits of the Pionex front.
  EngineConfig engine;                    ///< Fees and history.
};

/// See the file comment.
class Simulator {
 public:
  /// Builds the exchange and starts serving. Throws cts::Exception when the port cannot
  /// be bound or the options are inconsistent.
  explicit Simulator(SimulatorOptions options = {});
  /// Stops serving.
  ~Simulator();
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  /// "http://127.0.0.1:<port>" or "https://127.0.0.1:<port>".
  [[nodiscard]] std::string base_url() const;
  /// The bound port.
  [[nodiscard]] std::uint16_t port() const noexcept;
  /// Market streams base, "ws://127.0.0.1:<ws port>" ("wss://" with tls). Binance: raw
  /// streams at `/ws/<stream>`, combined at `/stream?streams=a/b`; Bybit: `/v5/public/spot`
  /// and `/v5/public/linear`; OKX: `/ws/v5/public`; BingX: `/swap-market`; OrangeX:
  /// `/ws/api/v1`; Pionex: `/wsPub`.
  [[nodiscard]] std::string ws_url() const;
  /// The private stream's URL: Binance's WebSocket API, ws_url() + "/ws-api/v3" (user
  /// data stream); Bybit's, ws_url() + "/v5/private"; OKX's, ws_url() +
  /// "/ws/v5/private"; BingX's, ws_url() + "/swap-market" (named by `?listenKey=`);
  /// OrangeX's, ws_url() + "/ws/api/v1"; Pionex's, ws_url() + "/ws" (authenticated by its
  /// query).
  [[nodiscard]] std::string ws_api_url() const;
  /// The private stream's URL for the venue's market `market` (the registry's name, e.g.
  /// "spot"): ws_api_url(), except BingX spot's account stream, ws_url() + "/market".
  [[nodiscard]] std::string ws_api_url(std::string_view market) const;
  /// The URL of WebSocket order entry: ws_api_url() for Binance (its WebSocket API) and
  /// OKX (its private stream), ws_url() + "/v5/trade" for Bybit.
  [[nodiscard]] std::string ws_order_url() const;
  /// The PEM certificate clients must trust (tls only; empty otherwise).
  [[nodiscard]] const std::string& certificate_pem() const noexcept { return certificate_pem_; }
  /// The funded test account.
  [[nodiscard]] AccountId account() const noexcept { return account_; }
  /// The options it was built with (the secret included: never log them).
  [[nodiscard]] const SimulatorOptions& options() const noexcept { return options_; }

  /// Runs `f(MatchingEngine&)` under the simulator's lock and returns its result.
  template <class F>
  decltype(auto) with_engine(F&& f) {
    std::lock_guard lock(mutex_);
    return std::forward<F>(f)(engine_);
  }
  /// Replaces the fault configuration of the REST front and the WebSocket side
  /// (thread-safe).
  void set_faults(const FaultConfig& faults);
  /// A snapshot of the serving front's counters (thread-safe).
  [[nodiscard]] FrontStats stats() const;
  /// A snapshot of the WebSocket side's counters (thread-safe).
  [[nodiscard]] StreamsStats ws_stats() const;
  /// Drops every open WebSocket connection abruptly (TCP reset, no close frame), as a
  /// network failure would (tests). Thread-safe.
  void drop_websockets();
  /// Stops serving; idempotent.
  void stop();

 private:
  net::ServerReply handle(const HttpRequest& request);
  void flush(std::vector<WsOutput>& out);
  void tick_streams(std::int64_t now_ms, std::vector<WsOutput>& out);
  void run_ticker();
  // Runs `f` on the WebSocket side of the venue served (exactly one exists).
  template <class F>
  decltype(auto) visit_streams(F&& f) const {
    if (bybit_streams_) return f(*bybit_streams_);
    if (okx_streams_) return f(*okx_streams_);
    if (bingx_streams_) return f(*bingx_streams_);
    if (orangex_streams_) return f(*orangex_streams_);
    if (pionex_streams_) return f(*pionex_streams_);
    return f(*streams_);
  }

  SimulatorOptions options_;
  mutable std::mutex mutex_;
  MatchingEngine engine_;
  std::unique_ptr<MarketFlow> flow_;
  BinanceFront front_;
  BybitFront bybit_front_;
  OkxFront okx_front_;
  BingxFront bingx_front_;
  OrangexFront orangex_front_;
  PionexFront pionex_front_;
  AccountId account_ = 0;
  std::string certificate_pem_;
  std::unique_ptr<BinanceStreams> streams_;         // venue binance
  std::unique_ptr<BybitStreams> bybit_streams_;     // venue bybit
  std::unique_ptr<OkxStreams> okx_streams_;         // venue okx
  std::unique_ptr<BingxStreams> bingx_streams_;     // venue bingx
  std::unique_ptr<OrangexStreams> orangex_streams_; // venue orangex
  std::unique_ptr<PionexStreams> pionex_streams_;   // venue pionex
  std::unique_ptr<net::HttpServer> server_;
  std::unique_ptr<net::WsServer> ws_server_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread ticker_;
};

}  // namespace cts::sim
