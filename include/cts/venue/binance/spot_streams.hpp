#pragma once
/// \file
/// Binance spot's stream protocols on the venue seam: SpotMarketStream (the
/// `<symbol>@depth@100ms` and `<symbol>@bookTicker` market streams of DepthMarketStream,
/// the book kept by Binance's documented procedure through BookSync: buffer the diffs,
/// seed from a REST snapshot, apply in sequence, start again on a gap) and SpotUserStream (the user data
/// stream through the WebSocket API, the listenKey endpoints being retired:
/// `userDataStream.subscribe.signature` with an HMAC key, `session.logon` then
/// `userDataStream.subscribe` with an Ed25519 key).

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

/// The spot user data stream of one account over the WebSocket API. An HMAC key signs
/// `userDataStream.subscribe.signature` on its own; an Ed25519 key logs the connection
/// on (`session.logon`, the only key type Binance lets log on) and subscribes once the
/// logon is accepted (`userDataStream.subscribe`, unsigned).
class SpotUserStream final : public UserStreamProtocol {
 public:
  /// Signing with the HMAC `signer` (which must outlive the stream); request ids
  /// "<request_id_prefix>-<n>".
  explicit SpotUserStream(const sign::BinanceHmacSigner& signer, std::string request_id_prefix = "cts-uds");
  /// Logging on with the Ed25519 `signer` (which must outlive the stream); the logon is
  /// request "<request_id_prefix>-logon", the subscription "<request_id_prefix>-subscribe".
  explicit SpotUserStream(const sign::BinanceEd25519Signer& signer, std::string request_id_prefix = "cts-uds");

  /// Makes the stream for `signer`. Errors: unsupported for a key that is neither HMAC
  /// nor Ed25519 (RSA keys).
  static Result<std::unique_ptr<UserStreamProtocol>> make(const sign::Signer& signer);

  /// HMAC: one userDataStream.subscribe.signature request signed at `venue_now`, with a
  /// new request id. Ed25519: the session.logon request signed at `venue_now`.
  [[nodiscard]] Result<std::vector<std::string>> subscriptions(SystemTime venue_now) const override;
  /// Ed25519: the userDataStream.subscribe request, sent once the logon is accepted.
  [[nodiscard]] std::vector<std::string> after_authentication() const override;
  /// The logon reply → UserAuthenticated (its error → the error), the subscribe reply →
  /// UserSubscribed (its error → the error), executionReport → OrderUpdate,
  /// outboundAccountPosition → BalancesUpdate, eventStreamTerminated → UserStreamEnded;
  /// balanceUpdate and others → nothing (the next outboundAccountPosition carries the
  /// balance).
  [[nodiscard]] Result<std::vector<UserEvent>> on_message(std::string_view text) override;

 private:
  const sign::BinanceHmacSigner* hmac_ = nullptr;
  const sign::BinanceEd25519Signer* ed25519_ = nullptr;
  std::string request_id_prefix_;
  mutable std::atomic<std::uint64_t> next_request_{1};
};

}  // namespace cts::venue::binance
