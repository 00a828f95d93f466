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
#include "cts/venue/throttle.hpp"
#include "cts/venue/user_stream.hpp"

namespace cts::venue {

/// One tradable venue market. Entries live for the whole program.
struct Connector {
  VenueId venue = VenueId::binance_spot;      ///< The venue (selects the signer and the rate policy).
  std::string_view market;                    ///< The market or category: "spot", "linear".
  /// The symbol an engine trades when its configuration names none, in the venue's own
  /// spelling ("BTCUSDT", "BTC-USDT").
  std::string_view default_symbol;
  const VenueCapabilities* capabilities = nullptr;  ///< What the venue's API offers for this market.
  /// Makes the market's gateway over `sender` (which must outlive it).
  std::unique_ptr<Gateway> (*make_gateway)(RequestSender& sender) = nullptr;
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
};

/// Every connector, venues in VenueId order, a venue's default market first.
[[nodiscard]] std::span<const Connector> connectors() noexcept;

/// The connector of `venue`'s `market` (empty: the venue's default market, its first).
/// Errors: unsupported when cts cannot trade that venue or market yet, naming the ones
/// it can.
[[nodiscard]] Result<const Connector*> find_connector(VenueId venue, std::string_view market = {});

}  // namespace cts::venue
