#pragma once
/// \file
/// BingX's swap account stream, sans I/O (swap-v2 "Websocket account information push",
/// docs v3 "Account Data Push"): a connection on `/swap-market?listenKey=<key>` receives
/// every account event with no subscription to send; frames are GZIP like the market
/// stream's and the server's `Ping` wants `Pong`. The key comes from
/// `POST /openApi/user/auth/userDataStream` (Gateway::open_user_stream_key), lives an
/// hour, and is extended with PUT and closed with DELETE (the gateway's; the engine's
/// UserStream schedules them from the capabilities).
///
/// Events read:
/// - `ORDER_TRADE_UPDATE`: `o.s` symbol, `o.c` client id (its wire form), `o.i` order id,
///   `o.S` side, `o.o` type, `o.q` quantity, `o.p` price, `o.sp` trigger price, `o.ap`
///   average price, `o.X` status, `o.z` filled quantity, `o.ps` position side, `o.T`
///   transaction time (the event's `E` when 0 or absent), `o.rp` the transaction's
///   realised PnL. BingX documents no trade id and no last-fill quantity or price in this
///   event, so the update carries no fill: its filled quantity tells the executor that
///   fills happened, and the executor reads them by order id over REST (fillHistory, with
///   their trade ids), so each is applied once whichever path sees it first.
/// - `ACCOUNT_UPDATE`: `a.B[]` balances (`a` asset, `wb` wallet balance as free, 0
///   locked: the event does not split off the margin in use) and `a.P[]` positions (`s`,
///   `pa`, `ep`, `up`, `mt`, `ps`; a SHORT leg negative, as the REST reader signs it).
/// - `listenKeyExpired`: the subscription ended; the key is forgotten.
/// Others (`ACCOUNT_CONFIG_UPDATE`, ...) give no event.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cts/core/result.hpp"
#include "cts/sign/signer.hpp"
#include "cts/venue/bingx/listen_key_stream.hpp"
#include "cts/venue/user_stream.hpp"

namespace cts::venue::bingx {

/// The seam's private-stream protocol of BingX's USDT-M perpetual swap account.
/// subscriptions(), connection_target() and set_stream_key() are thread-safe.
class SwapUserStream final : public ListenKeyStream {
 public:
  /// A stream without a key until set_stream_key().
  SwapUserStream() : ListenKeyStream(kSwapStreamPath) {}

  /// The registry's factory. Any signer will do (the listen-key requests are signed by
  /// the gateway's sender): never fails.
  static Result<std::unique_ptr<UserStreamProtocol>> make(const sign::Signer& signer) {
    (void)signer;
    return make_stream<SwapUserStream>();
  }

  /// No frame: the connection's target subscribes (`venue_now` is not used). Errors:
  /// invalid_argument while there is no key (none set yet, or it expired).
  [[nodiscard]] Result<std::vector<std::string>> subscriptions(SystemTime venue_now) const override;
  /// True: connecting with the key is the subscription.
  [[nodiscard]] bool subscribed_by_connecting() const noexcept override { return true; }
  /// One frame (GZIP or plain) into its events, as the file comment lists; `Ping` gives
  /// none (answer() answers it). Errors: protocol_error for a frame that
  /// is neither `Ping` nor a JSON object, or an event with a malformed or missing
  /// required member.
  [[nodiscard]] Result<std::vector<UserEvent>> on_message(std::string_view text) override;
};

}  // namespace cts::venue::bingx
