#pragma once
/// \file
/// Binance spot's WebSocket API (wss://ws-api.binance.com:443/ws-api/v3), sans-I/O:
/// the order requests `order.place`, `order.cancel`, `order.status`,
/// `openOrders.status` and `order.cancelReplace`, the session requests `session.logon`,
/// `session.status` and `session.logout`, `userDataStream.subscribe`, and the reply
/// envelope `{"id","status","result"|"error","rateLimits"}` read into the unified types.
/// Facts from binance-spot-api-docs web-socket-api.md ("Request format", "Response
/// format", "Status codes", "Rate limits", "SIGNED request security", "Session
/// Authentication", "Trading requests", "Account requests") and errors.md.
///
/// The order requests carry exactly the parameters of the REST builders
/// (spot_requests.hpp), checked by them, so the two transports cannot drift: the
/// WebSocket API "accepts the same parameters, returns the same status and error codes"
/// and shares the REST limits (request weight per IP, order counts per account). A
/// request is authenticated one of two ways: signed on its own (signed_frame(): apiKey,
/// timestamp, recvWindow and signature among the params, over the params sorted by name;
/// HMAC or Ed25519 keys), or, on a connection logged in with session.logon (Ed25519
/// keys only), with its timestamp alone (session_frame()).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cts/core/clock.hpp"
#include "cts/core/http.hpp"
#include "cts/core/result.hpp"
#include "cts/sign/binance.hpp"
#include "cts/venue/binance/errors.hpp"
#include "cts/venue/json_reader.hpp"
#include "cts/venue/types.hpp"

namespace cts::venue::binance::ws_api {

/// Request parameters as (name, value) pairs, values unencoded (the WebSocket API signs
/// raw UTF-8 and carries JSON).
using Params = std::vector<std::pair<std::string, std::string>>;

/// One WebSocket API request before it is authenticated and framed.
struct Call {
  std::string_view method;         ///< "order.place", "order.cancel", ...
  Params params;                   ///< In the REST builder's order (the API ignores the order).
  std::string_view rate_endpoint;  ///< The REST endpoint the rate policy prices it as ("POST /api/v3/order").
  int weight = 1;                  ///< Documented request weight (as REST).
  int order_count = 0;             ///< Orders it adds to the account's order-count limits.
  Operation operation = Operation::read;  ///< mutation for place, cancel and cancel-replace.
};

/// What order.cancelReplace does when the cancel fails (`cancelReplaceMode`).
enum class CancelReplaceMode : std::uint8_t {
  stop_on_failure,  ///< STOP_ON_FAILURE: no new order when the cancel fails.
  allow_failure,    ///< ALLOW_FAILURE: the new order is attempted anyway.
};

/// Checks a request id we send as a JSON string: 1 to 36 characters of letters, digits
/// and `- _ . :` (a UUID fits; the API echoes the id back, so nothing needs escaping).
/// Errors: invalid_argument.
Result<void> check_request_id(std::string_view id);

/// order.place for `order`: the parameters of spot::new_order() (newOrderRespType=FULL).
/// Weight 1, one order. Errors: as spot::new_order().
Result<Call> place_order(const NewOrder& order);
/// order.cancel for `ref`: symbol, then orderId or origClientOrderId. Weight 1.
/// Errors: as spot::cancel_order().
Result<Call> cancel_order(const OrderRef& ref);
/// order.status for `ref`. Weight 4. Errors: as spot::query_order().
Result<Call> order_status(const OrderRef& ref);
/// openOrders.status for `symbol` (weight 6), or every symbol when it is empty (80).
Call open_orders_status(std::string_view symbol = {});
/// order.cancelReplace: cancels `cancel` (cancelOrderId or cancelOrigClientOrderId) and
/// places `replacement` on the same symbol. Weight 1, one order (counted even when the
/// new order is not attempted). Errors: invalid_argument for a replacement on another
/// symbol, and as place_order() and cancel_order().
Result<Call> cancel_replace(const OrderRef& cancel, const NewOrder& replacement,
                            CancelReplaceMode mode = CancelReplaceMode::stop_on_failure);

/// The request frame `{"id":...,"method":...,"params":{...}}` of `call` as it stands
/// (`params` omitted when empty). timestamp, recvWindow, orderId and cancelOrderId are
/// JSON numbers, every other value a JSON string. `id` must have passed
/// check_request_id().
std::string frame(std::string_view id, const Call& call);

/// Signs `call` with an HMAC key (apiKey, timestamp for `venue_now`, recvWindow when the
/// signer has one, and the hex signature of the params sorted by name) and frames it.
/// Errors: invalid_argument for a bad `id`; the signer's.
Result<std::string> signed_frame(std::string_view id, Call call, const sign::BinanceHmacSigner& signer,
                                 SystemTime venue_now);
/// signed_frame() with an Ed25519 key (base64 signature): a request authorised on its own
/// on a connection that is not logged in.
Result<std::string> signed_frame(std::string_view id, Call call, const sign::BinanceEd25519Signer& signer,
                                 SystemTime venue_now);
/// Frames `call` for a connection logged in with session.logon: timestamp for
/// `venue_now` and `recv_window_ms` when given, no apiKey or signature. Errors:
/// invalid_argument for a bad `id`.
Result<std::string> session_frame(std::string_view id, Call call, SystemTime venue_now,
                                  std::optional<std::int64_t> recv_window_ms = std::nullopt);

/// session.logon (weight 2) signed with `signer` for `venue_now`: apiKey, timestamp,
/// recvWindow (when the signer has one) and the signature. Only Ed25519 keys can log a
/// session on. The frame holds the API key, never the private key. Errors:
/// invalid_argument for a bad `id`; the signer's.
Result<std::string> session_logon(std::string_view id, const sign::BinanceEd25519Signer& signer,
                                  SystemTime venue_now);
/// session.status (weight 2): which key, if any, the connection is logged in with.
/// Errors: invalid_argument for a bad `id`.
Result<std::string> session_status(std::string_view id);
/// session.logout (weight 2): forgets the logged-in key. Errors: invalid_argument for a
/// bad `id`.
Result<std::string> session_logout(std::string_view id);
/// userDataStream.subscribe (weight 2, no params): the account's events on a connection
/// logged in with session.logon. Errors: invalid_argument for a bad `id`.
Result<std::string> user_data_subscribe(std::string_view id);

/// One entry of a reply's `rateLimits`: the usage of one limit after the request.
struct RateLimitUsage {
  std::string type;          ///< rateLimitType: "REQUEST_WEIGHT", "ORDERS".
  std::string interval;      ///< "SECOND", "MINUTE", "HOUR", "DAY".
  std::int64_t interval_num = 0;  ///< intervalNum: the interval's multiplier.
  std::int64_t limit = 0;    ///< The limit per interval.
  std::int64_t count = 0;    ///< The usage in the current interval.
};

/// A frame the WebSocket API sends: a reply to a request, or an event.
struct Reply {
  /// `id` as the request sent it (a number in its decimal text); empty when null.
  std::string id;
  int status = 0;                    ///< `status`, an HTTP status (0 for an event).
  std::string result;                ///< The raw JSON of `result` (status 200).
  std::string error;                 ///< The raw JSON of `error` ({"code","msg"[,"data"]}).
  std::vector<RateLimitUsage> rate_limits;  ///< `rateLimits`, when sent.
  bool event = false;  ///< The frame is an event ({"event":{...}}, with or without subscriptionId), not a reply.
};

/// Reads one received frame. Errors: protocol_error for malformed JSON, or a frame that
/// is neither an event nor a reply with a status.
Result<Reply> parse_reply(std::string_view frame, JsonReader& reader = thread_json_reader());

/// The refusal a reply carries (status other than 200), mapped like the REST reply of
/// the same status and body (errors.hpp make_http_error(): 429/418 rate_limited, a 5xx
/// on a mutation unknown_outcome, Binance's code mapped and kept in venue_code).
Error reply_error(const Reply& reply, Operation operation);

/// The order of an order.place, order.cancel or order.status reply, as parse_order()
/// reads the REST reply; or the reply's error (reply_error()).
Result<OrderReport> order_outcome(const Reply& reply, Operation operation, JsonReader& reader = thread_json_reader());
/// The orders of an openOrders.status reply; or its error.
Result<std::vector<OrderReport>> orders_outcome(const Reply& reply, JsonReader& reader = thread_json_reader());

/// Both halves of an order.cancelReplace, each as its own request would have answered.
struct CancelReplaceOutcome {
  Result<OrderReport> cancel;       ///< The cancelled order, or why the cancel failed.
  std::optional<Result<OrderReport>> placed;  ///< The new order or why it failed; none when not attempted.
};
/// The outcome of an order.cancelReplace reply: status 200 (both succeeded), or 400 / 409
/// with -2022 / -2021 and the halves in error.data. Errors: the reply's error when it
/// carries no halves (429 -1015, -1022, ...); protocol_error for malformed halves.
Result<CancelReplaceOutcome> cancel_replace_outcome(const Reply& reply, JsonReader& reader = thread_json_reader());

/// A session.logon, session.status or session.logout result.
struct SessionStatus {
  std::optional<std::string> api_key;            ///< The logged-in key; none when logged out.
  std::optional<std::int64_t> authorized_since;  ///< When it logged in (ms); none when logged out.
  std::int64_t connected_since = 0;              ///< When the connection opened (ms).
  std::int64_t server_time = 0;                  ///< serverTime (ms).
  std::optional<bool> user_data_stream;          ///< A subscription is active (null: not offered).
};
/// The session of a session.* reply; or its error (-1022 invalid_signature, -2015
/// auth_failed, ...).
Result<SessionStatus> session_outcome(const Reply& reply, JsonReader& reader = thread_json_reader());

/// Writes the reply's `rateLimits` as the REST usage headers the rate policy resyncs
/// from (X-MBX-USED-WEIGHT-1M, X-MBX-ORDER-COUNT-10S, X-MBX-ORDER-COUNT-1D; other
/// intervals are left out) into `out`, so that rate::Limiter::on_response() applies
/// them as it applies a REST reply's. Returns how many it wrote.
std::size_t usage_headers(const Reply& reply, HttpResponse& out);

}  // namespace cts::venue::binance::ws_api
