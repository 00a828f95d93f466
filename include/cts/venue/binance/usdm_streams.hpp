#pragma once
/// \file
/// Binance USD-M futures' stream protocols on the venue seam. Binance routes USD-M's
/// WebSocket streams by path (since 2026-04-23 the unrouted ones are retired):
/// `/public` carries the high-frequency market data (`@depth`, `@bookTicker`), `/market`
/// the rest (`@aggTrade`, `@markPrice`, ...), `/private` the user data; a stream asked
/// on the wrong path is silently not delivered.
///
/// UsdmMarketStream: `<symbol>@depth@100ms` and `<symbol>@bookTicker` on `/public/ws`
/// (DepthMarketStream), the book kept by USD-M's continuity rule: drop events older than
/// the REST snapshot of `GET /fapi/v1/depth`, the first applied one must have
/// `U <= lastUpdateId <= u`, each later one's `pu` must equal the previous `u`, and a
/// break or a crossed book starts again from a new snapshot.
///
/// UsdmUserStream: the user data stream by listen key. The key comes from `POST
/// /fapi/v1/listenKey` (Gateway::open_user_stream_key) and names the stream in the
/// connection's URL, `<private URL>/ws?listenKey=<key>` under
/// `wss://fstream.binance.com/private`; connecting is subscribing (no frame, no reply).

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cts/core/result.hpp"
#include "cts/sign/signer.hpp"
#include "cts/venue/binance/depth_market_stream.hpp"
#include "cts/venue/listen_key_slot.hpp"
#include "cts/venue/user_stream.hpp"

namespace cts::venue::binance {

/// Options of a UsdmMarketStream (no trade stream: USD-M serves it on `/market`, another
/// connection).
struct UsdmMarketStreamOptions {
  bool fast_depth = true;             ///< The 100 ms diff-depth stream (else the 250 ms one).
  std::uint64_t subscribe_id = 1;     ///< Request id of the SUBSCRIBE frame.
  std::size_t snapshot_limit = 1000;  ///< Levels of the REST snapshot (GET /fapi/v1/depth; 1000 weighs 20).
};

/// The market streams of one USD-M symbol on the routed public endpoint (path
/// "/public/ws" under wss://fstream.binance.com).
class UsdmMarketStream final : public DepthMarketStream {
 public:
  /// For `symbol` (e.g. "BTCUSDT").
  explicit UsdmMarketStream(std::string symbol, UsdmMarketStreamOptions options = {})
      : DepthMarketStream(std::move(symbol), Market::usdm,
                          MarketStreamOptions{.fast_depth = options.fast_depth,
                                              .subscribe_id = options.subscribe_id,
                                              .snapshot_limit = options.snapshot_limit,
                                              .aggregate_trades = false},
                          "/public/ws") {}
};

/// The USD-M user data stream of one account, named by its listen key in the
/// connection's URL. The key names the account's stream: do not log the target.
class UsdmUserStream final : public UserStreamProtocol {
 public:
  /// A stream without a key until set_stream_key().
  UsdmUserStream() = default;

  /// Makes the stream. Any signer will do (the listen-key requests carry the API key
  /// only, which the caller's RequestSender adds): never fails.
  static Result<std::unique_ptr<UserStreamProtocol>> make(const sign::Signer& signer);

  /// Keeps `key` for the next subscriptions(). Errors: invalid_argument for an empty key,
  /// one longer than 256 characters or one with other than ASCII letters and digits
  /// (Binance's keys are 60-odd of those). Thread-safe.
  [[nodiscard]] Result<void> set_stream_key(std::string key) override;
  /// No frame: the connection's target subscribes (`venue_now` is not used). Errors:
  /// invalid_argument while there is no key (none set yet, or the venue expired it).
  /// Thread-safe.
  [[nodiscard]] Result<std::vector<std::string>> subscriptions(SystemTime venue_now) const override;
  /// `url_target` (a trailing '/' dropped) + "/ws?listenKey=<key>"; `url_target` alone
  /// while there is no key. Thread-safe.
  [[nodiscard]] std::string connection_target(std::string_view url_target) const override;
  /// True: connecting with the key is the subscription.
  [[nodiscard]] bool subscribed_by_connecting() const noexcept override { return true; }
  /// An error reply to a request → its error; ORDER_TRADE_UPDATE → OrderUpdate (the fill's `rp` as realized_pnl);
  /// ACCOUNT_UPDATE → BalancesUpdate (each margin asset's wallet balance `wb` as free and
  /// 0 locked: the event does not carry the margin orders and positions hold, which
  /// Gateway::balances() splits off; free + locked is the wallet balance either way) and
  /// PositionsUpdate (`a.P`: signed size, entry price, unrealised PnL, margin mode,
  /// leg); listenKeyExpired → UserStreamEnded, and the key is forgotten (a new one must be
  /// set before subscribing again); the other documented events and replies to other
  /// requests → nothing.
  [[nodiscard]] Result<std::vector<UserEvent>> on_message(std::string_view text) override;

 private:
  ListenKeySlot key_;
};

}  // namespace cts::venue::binance
