#pragma once
/// \file
/// Binance spot's stream protocols on the venue seam: SpotMarketStream (the
/// `<symbol>@depth@100ms` and `<symbol>@bookTicker` market streams of DepthMarketStream,
/// the book kept by Binance's documented procedure through BookSync: buffer the diffs,
/// seed from a REST snapshot, apply in sequence, start again on a gap) and SpotUserStream (the user data
/// stream through the WebSocket API, `userDataStream.subscribe.signature`, the
/// listenKey endpoints being retired).

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cts/core/result.hpp"
#include "cts/sign/binance.hpp"
#include "cts/sign/signer.hpp"
#include "cts/venue/binance/depth_market_stream.hpp"
#include "cts/venue/market_stream.hpp"
#include "cts/venue/user_stream.hpp"

namespace cts::venue::binance {

/// Options of a SpotMarketStream.
using SpotMarketStreamOptions = MarketStreamOptions;

/// The market streams of one spot symbol, on the raw-stream endpoint (path "/ws"): the
/// spot continuity rule (each diff's U follows the book's update id).
class SpotMarketStream final : public DepthMarketStream {
 public:
  /// For `symbol` (e.g. "BTCUSDT").
  explicit SpotMarketStream(std::string symbol, SpotMarketStreamOptions options = {})
      : DepthMarketStream(std::move(symbol), Market::spot, options, "/ws") {}
};

/// The spot user data stream of one account over the WebSocket API. Only an HMAC key
/// can sign WebSocket API parameters per request (an Ed25519 key needs session.logon,
/// which this stream does not send).
class SpotUserStream final : public UserStreamProtocol {
 public:
  /// Signing with `signer` (which must outlive the stream); request ids
  /// "<request_id_prefix>-<n>".
  explicit SpotUserStream(const sign::BinanceHmacSigner& signer, std::string request_id_prefix = "cts-uds");

  /// Makes the stream for `signer`. Errors: unsupported for a key that is not HMAC.
  static Result<std::unique_ptr<UserStreamProtocol>> make(const sign::Signer& signer);

  /// One userDataStream.subscribe.signature request signed at `venue_now`, with a new
  /// request id.
  [[nodiscard]] Result<std::vector<std::string>> subscriptions(SystemTime venue_now) const override;
  /// The subscribe reply → UserSubscribed (its error → the error), executionReport →
  /// OrderUpdate, outboundAccountPosition → BalancesUpdate, eventStreamTerminated →
  /// UserStreamEnded; balanceUpdate and others → nothing (the next
  /// outboundAccountPosition carries the balance).
  [[nodiscard]] Result<std::vector<UserEvent>> on_message(std::string_view text) override;

 private:
  const sign::BinanceHmacSigner& signer_;
  std::string request_id_prefix_;
  mutable std::atomic<std::uint64_t> next_request_{1};
};

}  // namespace cts::venue::binance
