#pragma once
/// \file
/// Binance USD-M futures' stream protocols on the venue seam: UsdmMarketStream (the
/// `<symbol>@depth@100ms`, `<symbol>@bookTicker` and optionally `<symbol>@aggTrade`
/// market streams of DepthMarketStream, the book kept by USD-M's continuity rule: drop
/// events older than the REST snapshot of `GET /fapi/v1/depth`, the first applied one
/// must have `U <= lastUpdateId <= u`, each later one's `pu` must equal the previous
/// `u`, and a break or a crossed book starts again from a new snapshot) and
/// UsdmUserStream (the user data stream by listen key: the key comes from `POST
/// /fapi/v1/listenKey` through Gateway::open_user_stream_key and is subscribed to like a
/// stream, `{"method":"SUBSCRIBE","params":["<listenKey>"],"id":N}` on the market-stream
/// endpoint `<ws base>/ws`, as Binance's own futures connector does; connecting to
/// `<ws base>/ws/<listenKey>` would serve the same events without a reply to wait for).

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cts/core/result.hpp"
#include "cts/sign/signer.hpp"
#include "cts/venue/binance/depth_market_stream.hpp"
#include "cts/venue/user_stream.hpp"

namespace cts::venue::binance {

/// Options of a UsdmMarketStream.
using UsdmMarketStreamOptions = MarketStreamOptions;

/// The market streams of one USD-M symbol on the raw-stream endpoint (path "/ws" under
/// wss://fstream.binance.com).
class UsdmMarketStream final : public DepthMarketStream {
 public:
  /// For `symbol` (e.g. "BTCUSDT").
  explicit UsdmMarketStream(std::string symbol, UsdmMarketStreamOptions options = {})
      : DepthMarketStream(std::move(symbol), Market::usdm, options) {}
};

/// The USD-M user data stream of one account, subscribed by listen key. The key names
/// the account's stream: the subscribe frame carries it, so do not log the frames.
class UsdmUserStream final : public UserStreamProtocol {
 public:
  /// A stream whose SUBSCRIBE frames carry request id `subscribe_id`; it has no key
  /// until set_stream_key().
  explicit UsdmUserStream(std::uint64_t subscribe_id = 1) : subscribe_id_(subscribe_id) {}

  /// Makes the stream. Any signer will do (the listen-key requests carry the API key
  /// only, which the caller's RequestSender adds): never fails.
  static Result<std::unique_ptr<UserStreamProtocol>> make(const sign::Signer& signer);

  /// Keeps `key` for the next subscriptions(). Errors: invalid_argument for an empty key,
  /// one longer than 256 characters or one with other than ASCII letters and digits
  /// (Binance's keys are 60-odd of those). Thread-safe.
  [[nodiscard]] Result<void> set_stream_key(std::string key) override;
  /// One SUBSCRIBE frame naming the key (`venue_now` is not used: nothing is signed).
  /// Errors: invalid_argument while there is no key (none set yet, or the venue expired
  /// it). Thread-safe.
  [[nodiscard]] Result<std::vector<std::string>> subscriptions(SystemTime venue_now) const override;
  /// The reply to our SUBSCRIBE → UserSubscribed (an error reply → its error);
  /// ORDER_TRADE_UPDATE → OrderUpdate (the fill's `rp` as realized_pnl);
  /// ACCOUNT_UPDATE → BalancesUpdate (each margin asset's wallet balance `wb` as free and
  /// 0 locked: the event does not carry the margin orders and positions hold, which
  /// Gateway::balances() splits off; free + locked is the wallet balance either way) and
  /// PositionsUpdate (`a.P`: signed size, entry price, unrealised PnL, margin mode,
  /// leg); listenKeyExpired → UserStreamEnded, and the key is forgotten (a new one must be
  /// set before subscribing again); the other documented events and replies to other
  /// requests → nothing.
  [[nodiscard]] Result<std::vector<UserEvent>> on_message(std::string_view text) override;

 private:
  std::uint64_t subscribe_id_;
  mutable std::mutex mutex_;  // guards key_ (subscriptions() runs on the WebSocket io thread)
  std::string key_;
};

}  // namespace cts::venue::binance
