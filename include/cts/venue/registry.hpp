#pragma once
/// \file
/// The registry of connectors: for each venue market cts can trade (Binance spot, Bybit
/// spot and linear, ...), what it offers and how its gateway and stream protocols are
/// made. Applications (the engine's connection factory, `ctsctl`, the examples) find a
/// venue here and never name a venue's types: adding a venue is adding its folder and
/// one entry in `src/venue/registry.cpp`.

#include <memory>
#include <span>
#include <string_view>

#include "cts/core/result.hpp"
#include "cts/core/venue_id.hpp"
#include "cts/sign/signer.hpp"
#include "cts/venue/capabilities.hpp"
#include "cts/venue/gateway.hpp"
#include "cts/venue/market_stream.hpp"
#include "cts/venue/reply_error.hpp"
#include "cts/venue/throttle.hpp"
#include "cts/venue/types.hpp"
#include "cts/venue/user_stream.hpp"
#include "cts/venue/ws_order_entry.hpp"

namespace cts::venue {

/// Account-level choices a gateway applies to every request it makes. Each connector
/// says which it honours (Connector::demo_by_request, margin_mode_per_order).
struct GatewaySettings {
  /// Trade the venue's demo environment where each request selects it (OKX: the header
  /// `x-simulated-trading: 1`, with demo API keys).
  bool demo = false;
  /// The margin mode orders name where the venue takes it per order (OKX's tdMode of
  /// SWAP orders).
  MarginMode margin_mode = MarginMode::cross;
  /// The connection's signer, for a gateway that logs in itself (OrangeX: `/public/auth`
  /// signed with it, the session token handed back to it); null without credentials.
  /// It must outlive the gateway.
  const sign::Signer* signer = nullptr;
};

/// One tradable venue market. Entries live for the whole program.
struct Connector {
  VenueId venue = VenueId::binance_spot;      ///< The venue (selects the signer and the rate policy).
  std::string_view market;                    ///< The market or category: "spot", "linear".
  /// The symbol an engine trades when its configuration names none, in the venue's own
  /// spelling ("BTCUSDT", "BTC-USDT").
  std::string_view default_symbol;
  const VenueCapabilities* capabilities = nullptr;  ///< What the venue's API offers for this market.
  /// Makes the market's gateway over `sender` (which must outlive it) with `settings`
  /// (the ones the connector does not honour are ignored: check them first with
  /// check_settings()).
  std::unique_ptr<Gateway> (*make_gateway)(RequestSender& sender, const GatewaySettings& settings) = nullptr;
  /// Makes the public market-data protocol of `symbol`; null when the connector has
  /// none (the engine then prices from REST).
  std::unique_ptr<MarketStream> (*make_market_stream)(std::string_view symbol) = nullptr;
  /// Makes the private-stream protocol signing with `signer` (which must outlive it);
  /// null when the connector has none (fills are then found by REST). Errors:
  /// unsupported for a key that cannot sign it.
  Result<std::unique_ptr<UserStreamProtocol>> (*make_user_stream)(const sign::Signer& signer) = nullptr;
  /// Reads the throttle the venue declares inside an answer (Bybit: retCode 10006 in an
  /// HTTP 200); null when the venue throttles with HTTP statuses only (Binance: 429/418,
  /// which the rate policy's ban rules cover).
  ThrottleReader read_throttle = nullptr;
  /// GatewaySettings::demo is honoured: the venue selects its demo environment per
  /// request. False: its demo or testnet is a host of its own (set the base and stream
  /// URLs to it).
  bool demo_by_request = false;
  /// GatewaySettings::margin_mode is honoured: orders name their margin mode. False: the
  /// venue keeps the mode per account or symbol (or the market has no margin).
  bool margin_mode_per_order = false;
  /// Makes the order-entry protocol over the venue's WebSocket (venue/ws_order_entry.hpp),
  /// signing with `signer` and reading what it needs per symbol (OKX: instIdCode) from
  /// `gateway`, which make_gateway made for the same connection; both must outlive it.
  /// Null when the market has no WebSocket order entry (orders go over REST). Errors:
  /// unsupported for a key that cannot sign it (orders then go over REST).
  Result<std::unique_ptr<WsOrderProtocol>> (*make_ws_orders)(const sign::Signer& signer, Gateway& gateway,
                                                              const GatewaySettings& settings) = nullptr;
  /// Reads the error a venue answer carries in its body, mapped by the venue's error map
  /// as a read's (venue/reply_error.hpp): the engine retries a read whose answer carries
  /// a transient one (Bybit retCode 10016 in an HTTP 200). Null when the venue's server
  /// errors come with an HTTP 5xx (Binance, Pionex), which the engine retries by status.
  ReplyErrorReader read_error = nullptr;
};

/// Whether `connector` can honour `settings`. Errors: invalid_argument naming the
/// setting and what to do instead (demo trading on a venue whose demo is its own host,
/// isolated margin where orders do not name their margin mode).
[[nodiscard]] Result<void> check_settings(const Connector& connector, const GatewaySettings& settings);

/// Every connector, venues in VenueId order, a venue's default market first.
[[nodiscard]] std::span<const Connector> connectors() noexcept;

/// The connector of `venue`'s `market` (empty: the venue's default market, its first).
/// Errors: unsupported when cts cannot trade that venue or market yet, naming the ones
/// it can.
[[nodiscard]] Result<const Connector*> find_connector(VenueId venue, std::string_view market = {});

}  // namespace cts::venue
