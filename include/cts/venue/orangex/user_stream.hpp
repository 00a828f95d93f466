#pragma once
/// \file
/// OrangeX's private stream (venue::UserStreamProtocol), sans-I/O: on the WebSocket of
/// streams.hpp, `/public/auth` (grant_type client_signature, signed by the account's
/// OrangexSigner at the venue's time) logs the connection in; once it is answered,
/// `/private/subscribe` takes the followed instrument's `user.orders.<instrument>.raw`
/// and `user.trades.<instrument>.raw` and the margin currency's
/// `user.portfolio.<currency>`.
///
/// Verified against the official SDK (OrangeX-Global/orangex-api-python,
/// websocket_client.py and websocket_async.py): `/public/auth` sent on the connection
/// before subscribing, `/private/subscribe` with `params.channels`, the channel
/// `user.trades.<instrument>.raw`, the `PING`/`PONG` heartbeat. Assumed from Deribit's
/// API (docs/venues.md): the client_signature grant over the WebSocket (the SDK sends
/// client_credentials there, and client_signature over REST), the channels
/// `user.orders.<instrument>.raw` and `user.portfolio.<currency>`, and every channel's
/// data (the REST replies' order, trade and account-summary objects).

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "cts/core/result.hpp"
#include "cts/sign/orangex.hpp"
#include "cts/venue/orangex/streams.hpp"
#include "cts/venue/user_stream.hpp"

namespace cts::venue::orangex {

/// The JSON-RPC id of the stream's `/public/auth` call.
inline constexpr std::int64_t kStreamAuthCallId = 1;
/// The JSON-RPC id of the stream's `/private/subscribe` call.
inline constexpr std::int64_t kStreamSubscribeCallId = 2;

/// The private stream of one account (path kStreamPath).
class PrivateUserStream final : public UserStreamProtocol {
 public:
  /// Logging in with `signer` (which must outlive the stream); the portfolio channel of
  /// `currency` (the perpetuals' margin, "USDT").
  explicit PrivateUserStream(const sign::OrangexSigner& signer, std::string currency = "USDT")
      : signer_(signer), currency_(std::move(currency)) {}

  /// Makes the stream for `signer`: the registry's factory. Errors: invalid_argument when
  /// it is not OrangeX's.
  static Result<std::unique_ptr<UserStreamProtocol>> make(const sign::Signer& signer);

  /// `PING` (the SDK's heartbeat, answered `PONG`).
  [[nodiscard]] std::string_view application_ping() const noexcept override { return kPingFrame; }
  /// Subscribes the orders and trades of `venue_symbol` (before the first connection).
  void follow_symbol(std::string_view venue_symbol) override { symbol_.assign(venue_symbol); }
  /// `/public/auth` signed for `venue_now` (it carries the client id and a signature:
  /// never log it). Never fails.
  [[nodiscard]] Result<std::vector<std::string>> subscriptions(SystemTime venue_now) const override;
  /// `/private/subscribe` of the orders and trades of the followed symbol (none when no
  /// symbol is followed) and the portfolio.
  [[nodiscard]] std::vector<std::string> after_authentication() const override;
  /// The auth reply → UserAuthenticated (its error: the error, 13004 auth_failed, ...);
  /// the subscribe reply → UserSubscribed (its error: the error); an orders event →
  /// OrderUpdate per order (its state; no fill: the executor reads new fills by REST
  /// when the filled amount grows); a trades event → per trade of an order an orders
  /// event named and that was not final then, OrderUpdate with that state and the trade
  /// as last_fill (with its profit_loss); a portfolio event → BalancesUpdate; `PONG` and
  /// everything else → nothing. Errors: protocol_error for a malformed frame.
  [[nodiscard]] Result<std::vector<UserEvent>> on_message(std::string_view text) override;

 private:
  const sign::OrangexSigner& signer_;
  std::string currency_;
  std::string symbol_;
  // The last state of each working order an orders event named, by order id.
  std::unordered_map<std::string, OrderReport> working_;
};

}  // namespace cts::venue::orangex
