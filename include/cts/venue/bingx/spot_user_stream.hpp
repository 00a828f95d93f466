#pragma once
/// \file
/// BingX's spot account stream, sans I/O (docs v3 spot "Websocket Account Data": order
/// update event, account balance push): a connection on `/market?listenKey=<key>`
/// subscribes `spot.executionReport` and `ACCOUNT_UPDATE` with
/// `{"id","reqType":"sub","dataType"}`; frames are GZIP like the market stream's and the
/// server's `Ping` wants `Pong`. The key is the one the swap uses
/// (`POST /openApi/user/auth/userDataStream`, the gateway's; valid an hour, extended by
/// the engine's UserStream).
///
/// Events read:
/// - `{"code":0,"dataType":"spot.executionReport","data":{...}}`: `s` symbol, `c` client
///   id (its wire form; the docs' example has none, ccxt reads it), `i` order id, `S`
///   side, `o` type, `q` quantity, `p` price, `X` status, `x` execution type, `z` filled
///   quantity, `Z` filled quote amount, `T` trade time (the event's `E` when 0 or absent);
///   an execution (`x` TRADE with `l` > 0) carries its fill: `t` trade id, `l` quantity,
///   `L` price, `n` fee (written negative when charged: the fee is its negation) in `N`.
/// - `{"e":"ACCOUNT_UPDATE","E","a":{"B":[...]}}`: per asset `a`, `wb` the total after
///   the change and `lk` the frozen part: free wb − lk, locked lk.
/// - `listenKeyExpired` (the swap's documented event, assumed for spot): the key is
///   forgotten and the stream ends.
/// Subscription replies `{"code","id","msg"}`: ours on spot.executionReport with code 0
/// is the subscription; a non-zero code on either of ours is BingX's error.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cts/core/result.hpp"
#include "cts/sign/signer.hpp"
#include "cts/venue/bingx/listen_key_stream.hpp"
#include "cts/venue/user_stream.hpp"

namespace cts::venue::bingx {

/// The id of the spot order subscription.
inline constexpr std::string_view kSpotOrdersSubscriptionId = "cts-spot-orders";
/// The id of the spot balance subscription.
inline constexpr std::string_view kSpotBalanceSubscriptionId = "cts-spot-balance";

/// The seam's private-stream protocol of a BingX spot account. subscriptions(),
/// connection_target() and set_stream_key() are thread-safe.
class SpotUserStream final : public ListenKeyStream {
 public:
  /// A stream without a key until set_stream_key().
  SpotUserStream() : ListenKeyStream(kSpotStreamPath) {}

  /// The registry's factory. Any signer will do (the listen-key requests are signed by
  /// the gateway's sender): never fails.
  static Result<std::unique_ptr<UserStreamProtocol>> make(const sign::Signer& signer) {
    (void)signer;
    return make_stream<SpotUserStream>();
  }

  /// The subscriptions of spot.executionReport and ACCOUNT_UPDATE (`venue_now` is not
  /// used). Errors: invalid_argument while there is no key.
  [[nodiscard]] Result<std::vector<std::string>> subscriptions(SystemTime venue_now) const override;
  /// One frame (GZIP or plain) into its events, as the file comment lists. Errors:
  /// protocol_error for a frame that is neither `Ping` nor a JSON object, or an event
  /// with a malformed or missing required member; BingX's error for a refused
  /// subscription of ours.
  [[nodiscard]] Result<std::vector<UserEvent>> on_message(std::string_view text) override;
};

}  // namespace cts::venue::bingx
