#pragma once
/// \file
/// The embedded exchange `ctsctl run` trades against when no venue URL is configured:
/// the simulator speaking the configured venue's protocol on 127.0.0.1 (its REST front,
/// market streams and private stream), with a funded test account.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <cts/core/result.hpp>
#include <cts/core/venue_id.hpp>

namespace ctsctl {

/// A running in-process simulator; stops when destroyed.
class EmbeddedExchange {
 public:
  virtual ~EmbeddedExchange() = default;
  /// e.g. "http://127.0.0.1:41234".
  [[nodiscard]] virtual std::string base_url() const = 0;
  /// Market streams base, e.g. "ws://127.0.0.1:41235".
  [[nodiscard]] virtual std::string ws_url() const = 0;
  /// The private stream's URL, e.g. "ws://127.0.0.1:41235/ws-api/v3".
  [[nodiscard]] virtual std::string ws_api_url() const = 0;
  /// The URL of its WebSocket order entry, e.g. "ws://127.0.0.1:41235/ws/v5/private".
  [[nodiscard]] virtual std::string ws_order_url() const = 0;
  /// The funded test account's API key.
  [[nodiscard]] virtual std::string api_key() const = 0;
  /// The funded test account's API secret (a throw-away test secret).
  [[nodiscard]] virtual std::string api_secret() const = 0;
  /// The funded test account's API passphrase (OKX checks it; the other venues' fronts
  /// ignore it).
  [[nodiscard]] virtual std::string api_passphrase() const = 0;
};

/// Starts the simulator speaking `venue`'s protocol, with its default symbols (BTCUSDT,
/// ETHUSDT; OKX: BTC-USDT, ETH-USDT and BTC-USDT-SWAP) and market flow seeded with
/// `seed`; `market` (the registry's name, empty for the venue's default) selects the
/// private stream's URL (BingX spot's differs from its swap's). Errors: unsupported for a venue the simulator does not speak; the server could
/// not start.
cts::Result<std::unique_ptr<EmbeddedExchange>> start_embedded_exchange(cts::VenueId venue, std::uint64_t seed,
                                                                std::string_view market = {});

}  // namespace ctsctl
