#pragma once
/// \file
/// OrangeX's venue::Gateway for its perpetuals: the JSON-RPC builders (requests.hpp) and
/// parsers (replies.hpp) sent through a RequestSender, with the venue's token flow.
///
/// Token flow (the official SDK's signature.py and rest_auth_test.py): the first private
/// call logs in with `/public/auth` grant_type client_signature, signed by the
/// connection's OrangexSigner at the venue's clock (`/public/get_time` first, so the
/// local clock's skew does not matter), and hands the access token to the signer, which
/// sends it as `Authorization: bearer <token>` on every private call. Before the token's
/// expires_in runs out (refresh_margin before, at most half its life) it is refreshed
/// with grant_type refresh_token, or logged in again when that fails. A private call
/// answered 13009 (unauthorized: the token expired or was revoked) logs in again and is
/// sent once more (the venue did not execute it). A login refused for its credentials is
/// latched: no further private call is sent (credentials_refused()).

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cts/sign/orangex.hpp"
#include "cts/sign/signer.hpp"
#include "cts/venue/gateway.hpp"
#include "cts/venue/orangex/capabilities.hpp"
#include "cts/venue/orangex/replies.hpp"
#include "cts/venue/orangex/requests.hpp"

namespace cts::venue::orangex {

/// How a gateway keeps its session.
struct GatewayOptions {
  /// The clock token lifetimes are measured on (tests inject one); steady_clock::now
  /// when empty.
  std::function<std::chrono::steady_clock::time_point()> clock;
  /// How long before the token expires it is refreshed (at most half its lifetime).
  std::chrono::seconds refresh_margin{60};
  /// The currency /private/get_account_summary is asked for (the perpetuals' margin).
  std::string currency = "USDT";
};

/// The OrangeX perpetuals gateway.
class PerpetualGateway final : public Gateway {
 public:
  /// A gateway sending through `sender` and logging in with `signer` (both must outlive
  /// it). Without an OrangexSigner (null, or another venue's) private calls fail with
  /// auth_failed, nothing sent.
  PerpetualGateway(RequestSender& sender, const sign::Signer* signer, GatewayOptions options = {});

  [[nodiscard]] VenueId venue() const noexcept override { return VenueId::orangex; }
  [[nodiscard]] const VenueCapabilities& capabilities() const noexcept override { return kPerpetualCapabilities; }
  /// `/public/get_time`.
  [[nodiscard]] Result<std::int64_t> server_time_ms() override;
  /// `/public/get_instrument`. Errors: invalid_argument when the venue does not list
  /// `symbol` (its error reply), rejected when it is not active.
  [[nodiscard]] Result<Instrument> instrument(std::string_view symbol) override;
  /// `/public/ticker`'s best bid and ask.
  [[nodiscard]] Result<BookTicker> book_ticker(std::string_view symbol) override;
  /// `/public/get_order_book` with depth `limit` (1..kMaxBookDepth; invalid_argument
  /// outside, nothing sent).
  [[nodiscard]] Result<BookSnapshot> depth(std::string_view symbol, std::size_t limit) override;
  /// `/private/buy` or `/private/sell`: the order's state and the fills it took.
  [[nodiscard]] Result<OrderReport> create_order(const NewOrder& order) override;
  /// `/private/cancel` by venue id (found first by label when only the client id is
  /// known): the cancelled order. An order already final (10010, 11044) is answered by
  /// its state from a query.
  [[nodiscard]] Result<OrderReport> cancel_order(const OrderRef& ref) override;
  /// `/private/get_order_state`, or `/private/get_order_state_by_label` (the newest order
  /// with that label). Errors: order_not_found.
  [[nodiscard]] Result<OrderReport> query_order(const OrderRef& ref) override;
  /// `/private/get_open_orders_by_instrument`.
  [[nodiscard]] Result<std::vector<OrderReport>> open_orders(std::string_view symbol) override;
  /// The open orders (a query), then `/private/cancel_all_by_instrument`, which answers a
  /// count only: the orders listed before, reported cancelled. Errors: order_not_found
  /// when the venue cancelled none.
  [[nodiscard]] Result<std::vector<OrderReport>> cancel_open_orders(std::string_view symbol) override;
  /// `/private/get_user_trades_by_order`, oldest first.
  [[nodiscard]] Result<std::vector<AccountTrade>> order_trades(std::string_view symbol,
                                                               std::string_view order_id) override;
  /// `/private/get_user_trades_by_instrument` (newest `limit`, 1..kMaxTradesCount),
  /// returned oldest first.
  [[nodiscard]] Result<std::vector<AccountTrade>> recent_trades(std::string_view symbol, std::size_t limit) override;
  /// `/private/get_account_summary` of the options' currency: one balance.
  [[nodiscard]] Result<std::vector<Balance>> balances() override;
  /// `/private/get_position`: one one-way position (size 0 when flat).
  [[nodiscard]] Result<std::vector<Position>> positions(std::string_view symbol) override;
  [[nodiscard]] std::optional<Error> credentials_refused() const override { return latch_.refused(); }

  /// `/private/edit`: the order after the change (new total amount and price).
  [[nodiscard]] Result<OrderReport> amend_order(const OrderAmendment& amendment);

 private:
  // Logs in (or refreshes) unless the token lives longer than the margin; `force` logs in.
  Result<void> ensure_token(bool force);
  // One private call: `build(id)` sent with a live token, its reply read by
  // `parse(response, id)`; a 13009 answer logs in again and sends once more.
  template <class Build, class Parse>
  auto private_call(Build&& build, Parse&& parse) -> decltype(parse(std::declval<const HttpResponse&>(), std::int64_t{}));
  // query_order() without the latch check.
  Result<OrderReport> find_order(const OrderRef& ref);
  std::int64_t next_id() noexcept { return next_id_++; }
  std::chrono::steady_clock::time_point now() const;

  RequestSender& sender_;
  const sign::OrangexSigner* signer_;
  GatewayOptions options_;
  CredentialLatch latch_;
  std::int64_t next_id_ = 1;
  std::optional<std::chrono::steady_clock::time_point> refresh_at_;
  sign::Secret refresh_token_;
};

}  // namespace cts::venue::orangex
