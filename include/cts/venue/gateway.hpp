#pragma once
/// \file
/// The seam between a venue's connector and the application: `RequestSender` is the
/// transport path the application provides (limiter, signer, HTTP client — the engine's
/// RestChannel), `Gateway` the unified operations a connector offers on top of it, each
/// a blocking call that builds the venue's request, sends it and parses the reply into
/// the unified types and errors. One implementation per venue lives in the venue's
/// folder (`venue/<name>/gateway.hpp`); applications reach them through the registry
/// (`venue/registry.hpp`).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cts/core/http.hpp"
#include "cts/core/instrument.hpp"
#include "cts/core/result.hpp"
#include "cts/venue/api_permissions.hpp"
#include "cts/venue/capabilities.hpp"
#include "cts/venue/types.hpp"

namespace cts::venue {

/// Sends built requests. Implementations price the request with the venue's rate
/// policy, add the API key and signature its `security` asks for, and send it; HTTP
/// error statuses come back as responses for the connector to parse. Errors: the
/// transport's (network: not sent; timeout/unknown_outcome: a mutation may have
/// executed), rate_limited, auth_failed (no credentials for a signed request).
class RequestSender {
 public:
  virtual ~RequestSender() = default;
  /// Sends `request` and returns the venue's response (see the class comment).
  [[nodiscard]] virtual Result<HttpResponse> execute(const Request& request) = 0;
};

/// The operations of one venue connection for one market (spot, linear, ...). Thread-
/// compatible: one thread calls them. The RequestSender a gateway is built on must
/// outlive it.
class Gateway {
 public:
  virtual ~Gateway() = default;
  /// The venue this gateway talks to.
  [[nodiscard]] virtual VenueId venue() const noexcept = 0;
  /// What the venue's API offers (order entry over WebSocket, batch sizes, ...).
  [[nodiscard]] virtual const VenueCapabilities& capabilities() const noexcept = 0;
  /// The venue's clock, ms since the Unix epoch.
  [[nodiscard]] virtual Result<std::int64_t> server_time_ms() = 0;
  /// The instrument `symbol` with its trading rules. Errors: invalid_argument when the
  /// venue does not list it, rejected when it is listed but not trading.
  [[nodiscard]] virtual Result<Instrument> instrument(std::string_view symbol) = 0;
  /// Best bid and ask.
  [[nodiscard]] virtual Result<BookTicker> book_ticker(std::string_view symbol) = 0;
  /// An order book snapshot of `symbol` with at most `limit` levels per side (the seed
  /// of a book kept from a diff stream). Errors: invalid_argument for a limit the venue
  /// does not accept; the venue's otherwise.
  [[nodiscard]] virtual Result<BookSnapshot> depth(std::string_view symbol, std::size_t limit) = 0;
  /// Creates an order. Errors as the connector maps them; timeout/unknown_outcome mean
  /// the order may exist: ask query_order (by client id) before anything else.
  [[nodiscard]] virtual Result<OrderReport> create_order(const NewOrder& order) = 0;
  /// Cancels an order.
  [[nodiscard]] virtual Result<OrderReport> cancel_order(const OrderRef& ref) = 0;
  /// Queries an order (by venue id or client id), open or recently closed. Errors:
  /// order_not_found when the venue has no such order.
  [[nodiscard]] virtual Result<OrderReport> query_order(const OrderRef& ref) = 0;
  /// Every open order of `symbol`.
  [[nodiscard]] virtual Result<std::vector<OrderReport>> open_orders(std::string_view symbol) = 0;
  /// Cancels every open order of `symbol` in one request (the venue's cancel-all), ours
  /// and anyone else's on the account, and returns the cancelled orders (a venue whose
  /// cancel-all answers with ids only reports those, with the symbol). Errors:
  /// order_not_found when nothing was open; unsupported (nothing sent) when the venue
  /// has no cancel-all, which is the default; the venue's otherwise.
  [[nodiscard]] virtual Result<std::vector<OrderReport>> cancel_open_orders(std::string_view symbol);
  /// The executions of one order, oldest first.
  [[nodiscard]] virtual Result<std::vector<AccountTrade>> order_trades(std::string_view symbol,
                                                                       std::string_view order_id) = 0;
  /// The account's most recent executions on `symbol` (every order, ours or not), at
  /// most `limit` of them, oldest first: the fills reconciliation compares with the
  /// journal. Errors: invalid_argument for a limit the venue does not accept.
  [[nodiscard]] virtual Result<std::vector<AccountTrade>> recent_trades(std::string_view symbol, std::size_t limit) = 0;
  /// The account's balances.
  [[nodiscard]] virtual Result<std::vector<Balance>> balances() = 0;
  /// The venue-side positions of `symbol` (derivatives). Errors: unsupported (nothing
  /// sent) for a market without positions, which is the default.
  [[nodiscard]] virtual Result<std::vector<Position>> positions(std::string_view symbol);
  /// What the API key may do (trade, withdraw, ...), as the venue reports it: a signed
  /// read. Errors: unsupported (nothing sent) when the connector cannot ask the venue,
  /// which is the default, with the reason; the venue's otherwise (a credential error
  /// is latched like any signed call's).
  [[nodiscard]] virtual Result<ApiPermissions> api_permissions();
  /// Opens the account's private-stream key (a listen key) where the capabilities say
  /// PrivateStreamLogin::listen_key; a venue that keeps one key per account may return
  /// the live one, extended. The key lives for capabilities().listen_key_validity unless
  /// extended. It names the account's stream: treat it like a credential (never log it).
  /// Errors: unsupported (nothing sent) for a venue without listen keys, which is the
  /// default; the venue's otherwise (a credential error is latched like a signed call's).
  [[nodiscard]] virtual Result<std::string> open_user_stream_key();
  /// Extends `key` for another listen_key_validity. Errors: unsupported (nothing sent) by
  /// default; rejected when the venue no longer knows the key (it expired or was closed:
  /// open a new one); the venue's otherwise.
  [[nodiscard]] virtual Result<void> extend_user_stream_key(std::string_view key);
  /// Closes `key`: the venue ends its stream. Errors: as extend_user_stream_key.
  [[nodiscard]] virtual Result<void> close_user_stream_key(std::string_view key);
  /// Arms the venue's dead-man switch of the account for `timeout` from now, or re-arms
  /// it from now when armed (a refresh); `timeout` 0 disarms it. While armed, the venue
  /// cancels every open order of the account (every symbol of the market, ours and
  /// anyone else's) once `timeout` passes without another call: orders of a process that
  /// died do not stay live. A mutation: it is sent through the RequestSender and charged
  /// to the venue's rate budget like any signed request. Errors: unsupported (nothing
  /// sent) for a venue without a switch, which is the default; invalid_argument (nothing
  /// sent) for a timeout outside the venue's range (capabilities().cancel_all_after_note
  /// says it); the venue's otherwise (a credential error is latched like a signed call's).
  [[nodiscard]] virtual Result<void> arm_dead_man_switch(std::chrono::seconds timeout);
  /// The error by which the venue refused the API credentials (a signed request
  /// answered auth_failed or invalid_signature), once it has; from then on a gateway
  /// that reports it sends no signed request (each returns this error at once). None
  /// by default.
  [[nodiscard]] virtual std::optional<Error> credentials_refused() const { return std::nullopt; }
};

/// Builds a request (or passes on the builder's error) and sends it through `sender`.
inline Result<HttpResponse> send(RequestSender& sender, const Result<Request>& request) {
  if (!request) return request.error();
  return sender.execute(*request);
}

/// Remembers the first credential error a venue answered (see
/// Gateway::credentials_refused): gateways pass every signed call's result through
/// checked() and ask refused() before sending the next one, or let call() do both.
class CredentialLatch {
 public:
  /// One signed call: the latched refusal at once (nothing sent); otherwise `request`
  /// (or the builder's error) sent through `sender` and its reply read by `parse`
  /// (`const HttpResponse&` → `Result<T>`), a credential error of either latched.
  template <class Parse>
  auto call(RequestSender& sender, const Result<Request>& request, Parse&& parse)
      -> decltype(parse(std::declval<const HttpResponse&>())) {
    using Reply = decltype(parse(std::declval<const HttpResponse&>()));
    if (refused_) return Reply(*refused_);
    Result<HttpResponse> response = send(sender, request);
    if (!response) return checked(Reply(response.error()));
    return checked(parse(*response));
  }

  /// `result`, unchanged; a credential error (auth_failed, invalid_signature) is
  /// latched the first time.
  template <class T>
  Result<T> checked(Result<T> result) {
    if (!result && is_credential_error(result.error().code) && !refused_) {
      refused_ = make_error(
          result.error().code,
          "the venue refused the API credentials (" + result.error().message + "); no further signed request is sent",
          result.error().venue_code);
    }
    return result;
  }
  /// The latched error, if any.
  [[nodiscard]] const std::optional<Error>& refused() const noexcept { return refused_; }

 private:
  std::optional<Error> refused_;
};

}  // namespace cts::venue
