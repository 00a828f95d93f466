#pragma once
/// \file
/// Bybit v5's venue::WsOrderProtocol: order entry over the trade WebSocket `/v5/trade`
/// (websocket/trade/guideline.mdx) for one category (spot or linear), on the frames and
/// the reply parser of trade_stream.hpp.
///
/// The connection logs in with the `auth` frame of the private stream (BybitSigner::
/// ws_auth_frame, expiring 10 s after the venue's clock); orders wait for its retCode 0.
/// Each create or cancel is `order.create` / `order.cancel` with the reqId
/// "<login tag>-<caller's id>" and the X-BAPI-TIMESTAMP header from the venue's clock
/// (X-BAPI-RECV-WINDOW 5000). Bybit refuses a reqId it has seen with 20006 and does not
/// say over which scope (connection, account, time): the login tag, the venue's time of
/// the login in hexadecimal milliseconds, keeps a restarted program's counter from
/// repeating an earlier session's reqIds. A reqId has at most 36 characters, so the
/// caller's ids at most 24 (before any login, the reqId is the caller's id alone). The venue
/// charges them to the account's per-endpoint limits, shared with REST: rate_endpoint is
/// the REST endpoint the Bybit rate policy prices ("POST /v5/order/create (spot)", ...).
/// The keep-alive is `{"op":"ping"}` (websocket/connect.mdx: every 20 s).
///
/// Replies are the REST gateway's results: a create is acknowledged with the order's ids
/// and status pending_new (V5Gateway::create_order); a cancel with the acknowledged ids
/// and status pending_cancel (what V5Gateway::cancel_order answers when its follow-up
/// query finds the order still working: the order stream, or a query, tells when it
/// leaves the book). Bybit's retCodes map as over REST (map_ret_code; 10429 and 10403 are
/// throttles, 10016 an unknown outcome, 10019 a restart that did not take the request).
///
/// Demo trading has no trade WebSocket: make() refuses GatewaySettings::demo with
/// unsupported (orders then go over REST).

#include <cstddef>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cts/core/result.hpp"
#include "cts/sign/bybit.hpp"
#include "cts/sign/signer.hpp"
#include "cts/venue/bybit/enums.hpp"
#include "cts/venue/registry.hpp"
#include "cts/venue/ws_order_entry.hpp"

namespace cts::venue::bybit {

/// See the file comment. Thread-compatible, like every WsOrderProtocol.
class TradeStreamOrders final : public WsOrderProtocol {
 public:
  /// How many requests are remembered for their replies: a request older than the last
  /// kMaxTracked built (never sent, or never answered) is forgotten, and its reply, should
  /// it come, is ignored.
  static constexpr std::size_t kMaxTracked = 64;

  /// Signing with `signer` (which must outlive it), for `category`.
  TradeStreamOrders(const sign::BybitSigner& signer, Category category) : signer_(signer), category_(category) {}

  /// Makes the protocol of `category` for `signer`. Errors: unsupported with
  /// `settings.demo` (Bybit's demo trading has no trade WebSocket); invalid_argument when
  /// `signer` is not Bybit's.
  static Result<std::unique_ptr<WsOrderProtocol>> make(const sign::Signer& signer, Category category,
                                                       const GatewaySettings& settings);
  /// make(signer, Category::spot, settings): the registry's factory of `bybit spot`.
  static Result<std::unique_ptr<WsOrderProtocol>> make_spot(const sign::Signer& signer, Gateway& /*gateway*/,
                                                            const GatewaySettings& settings) {
    return make(signer, Category::spot, settings);
  }
  /// make(signer, Category::linear, settings): the registry's factory of `bybit linear`.
  static Result<std::unique_ptr<WsOrderProtocol>> make_linear(const sign::Signer& signer, Gateway& /*gateway*/,
                                                              const GatewaySettings& settings) {
    return make(signer, Category::linear, settings);
  }

  /// `{"op":"ping"}`.
  [[nodiscard]] std::string_view application_ping() const noexcept override;
  /// `private_stream_url` with its path `/v5/private` replaced by `/v5/trade` (Bybit
  /// serves both on one host); empty for a URL that does not end in `/v5/private`.
  [[nodiscard]] std::string order_url(std::string_view private_stream_url) const override {
    constexpr std::string_view kPrivatePath = "/v5/private";
    if (!private_stream_url.ends_with(kPrivatePath)) return {};
    return std::string(private_stream_url.substr(0, private_stream_url.size() - kPrivatePath.size())) + "/v5/trade";
  }
  /// Forgets the login and the requests in flight (their replies cannot come any more).
  void on_connected() override;
  /// The `auth` frame, expiring 10 s after `venue_now`; `venue_now` becomes the login tag
  /// of the reqIds (see the file comment).
  [[nodiscard]] Result<std::vector<std::string>> login(SystemTime venue_now) override;
  [[nodiscard]] bool awaiting_login() const noexcept override { return awaiting_login_; }
  /// `order.create` for request `id` (reqId: see the file comment). Errors:
  /// invalid_argument for what create_order()'s builder refuses, an empty id, one whose
  /// reqId would exceed 36 characters, or an id already in flight.
  [[nodiscard]] Result<WsOrderRequest> create_order(const NewOrder& order, std::string_view id,
                                                    SystemTime venue_now) override;
  /// `order.cancel` for request `id`. Errors: as create_order().
  [[nodiscard]] Result<WsOrderRequest> cancel_order(const OrderRef& ref, std::string_view id,
                                                    SystemTime venue_now) override;
  /// The `auth` reply: WsOrderLoggedIn for retCode 0 (and 20001, already authenticated),
  /// else its error (invalid_signature for 10004, auth_failed otherwise, Bybit's code kept).
  /// The reply to a create or cancel in flight: WsOrderReply with the caller's id (see the
  /// file comment). A pong,
  /// a reply to a request not in flight (sent before the last on_connected()) or to another
  /// op: WsOrderIgnored. Errors: unsupported for the private stream's `auth` reply (the
  /// connection is /v5/private, which takes no orders: point the order URL at /v5/trade);
  /// protocol_error for another frame parse_trade_reply() refuses, or an order op's reply
  /// without a reqId.
  [[nodiscard]] Result<WsOrderEvent> on_message(std::string_view text) override;

 private:
  // What a request in flight asked, to build its report when the reply comes.
  struct Pending {
    bool create = true;
    NewOrder order;  // create
    OrderRef ref;    // cancel
  };
  // The reqId of request `id`, or invalid_argument.
  Result<std::string> req_id(std::string_view id) const;
  // Registers request `id` sent as `frame`.
  Result<WsOrderRequest> track(std::string_view id, Result<std::string> frame, std::string_view rate_endpoint,
                               Pending pending);

  const sign::BybitSigner& signer_;
  Category category_;
  bool awaiting_login_ = false;
  std::string login_tag_;                                  // "<hex ms>-" of the last login, or empty
  std::map<std::string, Pending, std::less<>> in_flight_;  // caller's id → request
  std::deque<std::string> sent_order_;                     // the last kMaxTracked ids built, oldest first
};

}  // namespace cts::venue::bybit
