#include "cts/venue/registry.hpp"

#include <array>
#include <string>

#include <fmt/format.h>

#include "cts/venue/binance/spot_gateway.hpp"
#include "cts/venue/binance/spot_streams.hpp"
#include "cts/venue/binance/spot_ws_orders.hpp"
#include "cts/venue/binance/usdm_gateway.hpp"
#include "cts/venue/binance/usdm_streams.hpp"
#include "cts/venue/bingx/errors.hpp"
#include "cts/venue/bingx/gateway.hpp"
#include "cts/venue/bingx/rate_limit.hpp"
#include "cts/venue/bingx/spot_gateway.hpp"
#include "cts/venue/bingx/spot_user_stream.hpp"
#include "cts/venue/bingx/streams.hpp"
#include "cts/venue/bingx/user_stream.hpp"
#include "cts/venue/bybit/errors.hpp"
#include "cts/venue/bybit/gateway.hpp"
#include "cts/venue/bybit/rate_limit.hpp"
#include "cts/venue/bybit/stream_protocols.hpp"
#include "cts/venue/bybit/ws_orders.hpp"
#include "cts/venue/okx/errors.hpp"
#include "cts/venue/okx/gateway.hpp"
#include "cts/venue/okx/rate_limit.hpp"
#include "cts/venue/okx/stream_protocols.hpp"
#include "cts/venue/okx/ws_order_entry.hpp"
#include "cts/venue/orangex/errors.hpp"
#include "cts/venue/orangex/gateway.hpp"
#include "cts/venue/orangex/streams.hpp"
#include "cts/venue/orangex/user_stream.hpp"
#include "cts/venue/orangex/ws_orders.hpp"
#include "cts/venue/pionex/gateway.hpp"
#include "cts/venue/pionex/stream_protocols.hpp"

namespace cts::venue {

namespace {

/// OKX's gateway options from the unified settings (SPOT orders trade cash whatever the
/// margin mode).
okx::GatewayOptions okx_options(const GatewaySettings& settings) {
  okx::GatewayOptions options;
  options.swap_trade_mode = settings.margin_mode == MarginMode::isolated ? okx::TradeMode::isolated : okx::TradeMode::cross;
  options.demo = settings.demo;
  return options;
}

const std::array kConnectors{
    Connector{VenueId::binance_spot, "spot", "BTCUSDT", &binance::kSpotCapabilities,
              [](RequestSender& sender, const GatewaySettings& /*settings*/) -> std::unique_ptr<Gateway> {
                return std::make_unique<binance::SpotGateway>(sender);
              },
              [](std::string_view symbol) -> std::unique_ptr<MarketStream> {
                return std::make_unique<binance::SpotMarketStream>(std::string(symbol));
              },
              &binance::SpotUserStream::make, /*read_throttle=*/nullptr, /*demo_by_request=*/false,
              /*margin_mode_per_order=*/false, &binance::SpotWsOrders::make},
    Connector{VenueId::binance_usdm, "usdm", "BTCUSDT", &binance::kUsdmCapabilities,
              [](RequestSender& sender, const GatewaySettings& /*settings*/) -> std::unique_ptr<Gateway> {
                return std::make_unique<binance::UsdmGateway>(sender);
              },
              [](std::string_view symbol) -> std::unique_ptr<MarketStream> {
                return std::make_unique<binance::UsdmMarketStream>(std::string(symbol));
              },
              &binance::UsdmUserStream::make},
    // Bybit: linear (the USDT perpetuals) is the default market; orders over the trade
    // WebSocket /v5/trade (none in demo trading). Bybit throttles inside an HTTP 200
    // (retCode 10006), read by bybit::throttle_signal, and answers its server errors
    // there too (10016), read by bybit::reply_error.
    Connector{VenueId::bybit, "linear", "BTCUSDT", &bybit::kLinearCapabilities,
              [](RequestSender& sender, const GatewaySettings& /*settings*/) -> std::unique_ptr<Gateway> {
                return std::make_unique<bybit::V5Gateway>(sender, bybit::Category::linear);
              },
              [](std::string_view symbol) -> std::unique_ptr<MarketStream> {
                return std::make_unique<bybit::PublicMarketStream>(std::string(symbol), bybit::Category::linear);
              },
              &bybit::PrivateUserStream::make_linear, &bybit::throttle_signal,
              /*demo_by_request=*/false, /*margin_mode_per_order=*/false, &bybit::TradeStreamOrders::make_linear,
              &bybit::reply_error},
    Connector{VenueId::bybit, "spot", "BTCUSDT", &bybit::kSpotCapabilities,
              [](RequestSender& sender, const GatewaySettings& /*settings*/) -> std::unique_ptr<Gateway> {
                return std::make_unique<bybit::V5Gateway>(sender, bybit::Category::spot);
              },
              [](std::string_view symbol) -> std::unique_ptr<MarketStream> {
                return std::make_unique<bybit::PublicMarketStream>(std::string(symbol), bybit::Category::spot);
              },
              &bybit::PrivateUserStream::make_spot, &bybit::throttle_signal,
              /*demo_by_request=*/false, /*margin_mode_per_order=*/false, &bybit::TradeStreamOrders::make_spot,
              &bybit::reply_error},
    // OKX: spot is the default market; the books channel in the stream, the private
    // stream logged in by a signed login op. OKX throttles inside an HTTP 200 too (code
    // 50011), read by okx::throttle_signal.
    Connector{VenueId::okx, "spot", "BTC-USDT", &okx::kSpotCapabilities,
              [](RequestSender& sender, const GatewaySettings& settings) -> std::unique_ptr<Gateway> {
                return std::make_unique<okx::V5Gateway>(sender, okx::InstType::spot, okx_options(settings));
              },
              &okx::PublicMarketStream::make, &okx::PrivateUserStream::make_spot, &okx::throttle_signal,
              /*demo_by_request=*/true, /*margin_mode_per_order=*/false, &okx::WsOrderEntry::make, &okx::reply_error},
    Connector{VenueId::okx, "swap", "BTC-USDT-SWAP", &okx::kSwapCapabilities,
              [](RequestSender& sender, const GatewaySettings& settings) -> std::unique_ptr<Gateway> {
                return std::make_unique<okx::V5Gateway>(sender, okx::InstType::swap, okx_options(settings));
              },
              &okx::PublicMarketStream::make, &okx::PrivateUserStream::make_swap, &okx::throttle_signal,
              /*demo_by_request=*/true, /*margin_mode_per_order=*/true, &okx::WsOrderEntry::make, &okx::reply_error},
    // BingX: the USDT-M perpetual swap; the partial depth in the stream (GZIP frames);
    // the account stream by listen key (order updates without their fills, which the
    // executor reads over REST); orders over REST (no WebSocket order entry); BingX
    // throttles inside an HTTP 200 too (code 100410), read by
    // bingx::throttle_signal. Its demo (VST) is a host of its own.
    Connector{VenueId::bingx, "swap", "BTC-USDT", &bingx::kSwapCapabilities,
              [](RequestSender& sender, const GatewaySettings& /*settings*/) -> std::unique_ptr<Gateway> {
                return std::make_unique<bingx::SwapGateway>(sender);
              },
              &bingx::PublicMarketStream::make, &bingx::SwapUserStream::make, &bingx::throttle_signal,
              /*demo_by_request=*/false, /*margin_mode_per_order=*/false, /*make_ws_orders=*/nullptr,
              &bingx::reply_error},
    // BingX spot: the partial depth on /market; the account stream by the same listen key,
    // subscribed to spot.executionReport (with its fills) and ACCOUNT_UPDATE; orders over
    // REST; the swap's throttle code.
    Connector{VenueId::bingx, "spot", "BTC-USDT", &bingx::kSpotCapabilities,
              [](RequestSender& sender, const GatewaySettings& /*settings*/) -> std::unique_ptr<Gateway> {
                return std::make_unique<bingx::SpotGateway>(sender);
              },
              &bingx::PublicMarketStream::make_spot, &bingx::SpotUserStream::make, &bingx::throttle_signal,
              /*demo_by_request=*/false, /*margin_mode_per_order=*/false, /*make_ws_orders=*/nullptr,
              &bingx::reply_error},
    // Pionex: spot only; the DEPTH topic in the stream, the private stream authenticated
    // by its URL; no WebSocket order entry; throttles with HTTP 429 only.
    Connector{VenueId::pionex, "spot", "BTC_USDT", &pionex::kSpotCapabilities,
              [](RequestSender& sender, const GatewaySettings& /*settings*/) -> std::unique_ptr<Gateway> {
                return std::make_unique<pionex::SpotGateway>(sender);
              },
              &pionex::PublicMarketStream::make, &pionex::PrivateUserStream::make},
    // OrangeX: the USDT perpetuals over JSON-RPC; the gateway logs in with the
    // connection's signer (GatewaySettings::signer). The book comes from the
    // book.<instrument>.raw channel joined to the REST snapshot; the account from the
    // user.orders, user.trades and user.portfolio channels after /public/auth on the
    // connection; orders as JSON-RPC calls on a WebSocket connection of their own (the
    // same URL), logged in the same way.
    Connector{VenueId::orangex, "perpetual", "BTC-USDT-PERPETUAL", &orangex::kPerpetualCapabilities,
              [](RequestSender& sender, const GatewaySettings& settings) -> std::unique_ptr<Gateway> {
                return std::make_unique<orangex::PerpetualGateway>(sender, settings.signer);
              },
              &orangex::PublicMarketStream::make, &orangex::PrivateUserStream::make, /*read_throttle=*/nullptr,
              /*demo_by_request=*/false, /*margin_mode_per_order=*/false, &orangex::PrivateStreamOrders::make,
              &orangex::reply_error},
};

std::string known_markets() {
  std::string names;
  for (const Connector& connector : kConnectors) {
    if (!names.empty()) names += ", ";
    names += fmt::format("{} {}", to_string(connector.venue), connector.market);
  }
  return names;
}

}  // namespace

std::span<const Connector> connectors() noexcept { return kConnectors; }

Result<void> check_settings(const Connector& connector, const GatewaySettings& settings) {
  if (settings.demo && !connector.demo_by_request) {
    return make_error(ErrorCode::invalid_argument,
                      fmt::format("demo: {} {} has no per-request demo switch; its demo or testnet is a host of its "
                                  "own: set base_url, ws_url and ws_api_url to it",
                                  to_string(connector.venue), connector.market));
  }
  if (settings.margin_mode == MarginMode::isolated && !connector.margin_mode_per_order) {
    return make_error(ErrorCode::invalid_argument,
                      fmt::format("margin_mode: {} {} orders do not name a margin mode (the venue keeps it per "
                                  "account or symbol, or the market has none)",
                                  to_string(connector.venue), connector.market));
  }
  return {};
}

Result<const Connector*> find_connector(VenueId venue, std::string_view market) {
  for (const Connector& connector : kConnectors) {
    if (connector.venue == venue && (market.empty() || connector.market == market)) return &connector;
  }
  return make_error(ErrorCode::unsupported, fmt::format("cts cannot trade {}{}{} yet (it trades: {})", to_string(venue),
                                                        market.empty() ? "" : " ", market, known_markets()));
}

}  // namespace cts::venue
