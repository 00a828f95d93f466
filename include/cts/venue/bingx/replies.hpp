#pragma once
/// \file
/// BingX USDT-M perpetual swap REST reply parsers. A reply is the envelope
/// `{"code":0,"msg":"","data":...}`: a non-zero code becomes the unified error
/// (errors.hpp), an HTTP error status without an envelope the status error, and a zero
/// one hands `data` to the endpoint's reader. Decimals come as JSON strings (the
/// "Numbers" rule), except the few fields the docs show as JSON numbers (contracts'
/// tradeMinQuantity and tradeMinUSDT, bookTicker's prices and quantities, a position's
/// liquidationPrice), which are read exactly from their text. orderId is an int64 JSON
/// number in most replies and a string in others: both are read as the exact digits.
/// Unknown members are ignored; a malformed or missing required member is a
/// protocol_error naming the field. Fixtures: tests/fixtures/bingx/.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cts/core/http.hpp"
#include "cts/core/result.hpp"
#include "cts/venue/types.hpp"

namespace cts::venue::bingx {

/// data.serverTime (ms).
[[nodiscard]] Result<std::int64_t> parse_server_time(const HttpResponse& response);

/// data[] of GET /openApi/swap/v2/quote/contracts: symbol, asset (base), currency (quote
/// and settlement), pricePrecision and quantityPrecision (tick and step 10^-precision),
/// tradeMinQuantity (min quantity), tradeMinUSDT (min notional), status (1 online:
/// trading; 0 offline: closed; other values unknown) and, when present, apiStateOpen
/// "false" (the API may not open positions: halted). Kind linear_perpetual, multiplier 1
/// (quantities are in the base asset).
[[nodiscard]] Result<std::vector<ListedInstrument>> parse_contracts(const HttpResponse& response);

/// data of GET /openApi/swap/v2/quote/depth: T (event time), bids and asks (the docs show
/// asks highest first: both sides are put in book order, bids highest first and asks
/// lowest first). bidsCoin/asksCoin are ignored.
[[nodiscard]] Result<BookSnapshot> parse_depth(const HttpResponse& response);

/// data.book_ticker of GET /openApi/swap/v2/quote/bookTicker.
[[nodiscard]] Result<BookTicker> parse_book_ticker(const HttpResponse& response);

/// data.order of POST /openApi/swap/v2/trade/order: orderId, symbol and clientOrderId
/// (read back from its wire form; empty when absent or empty).
[[nodiscard]] Result<OrderAck> parse_order_ack(const HttpResponse& response);

/// data.order of GET or DELETE /openApi/swap/v2/trade/order. Statuses: NEW and PENDING
/// new; PARTIALLY_FILLED; FILLED; CANCELED and CANCELLED canceled; EXPIRED; FAILED
/// rejected. Types: LIMIT, MARKET, STOP and TRIGGER_LIMIT (stop_limit), STOP_MARKET and
/// TRIGGER_MARKET (stop_market), TAKE_PROFIT (take_profit_limit), TAKE_PROFIT_MARKET,
/// TRAILING_STOP_MARKET and TRAILING_TP_SL (trailing stop_market, take_profit_market);
/// any other is a protocol_error. The order's time is updateTime (time when absent).
[[nodiscard]] Result<OrderReport> parse_order(const HttpResponse& response, Operation operation);

/// data.orders[] of GET /openApi/swap/v2/trade/openOrders.
[[nodiscard]] Result<std::vector<OrderReport>> parse_open_orders(const HttpResponse& response);

/// data.success[] of DELETE /openApi/swap/v2/trade/allOpenOrders (data.failed is not
/// read: the orders it names stay open and show in the next open-orders listing).
[[nodiscard]] Result<std::vector<OrderReport>> parse_cancel_all(const HttpResponse& response);

/// What POST /openApi/swap/v1/trade/cancelReplace did: the cancel and the new order, each
/// with BingX's result and, when it failed, BingX's reason (a message: the reply carries
/// no code for either).
struct CancelReplaceReply {
  bool cancelled = false;                      ///< cancelResult "true".
  std::string cancel_message;                  ///< cancelMsg: why the cancel failed ("" when it did not).
  std::optional<OrderReport> cancelled_order;  ///< cancelResponse: the order as cancelled (required when cancelled).
  bool replaced = false;                       ///< replaceResult "true".
  std::string replace_message;                 ///< replaceMsg: why the new order was not placed.
  std::optional<OrderAck> new_order;           ///< newOrderResponse's ids (required when replaced).
};

/// data of POST /openApi/swap/v1/trade/cancelReplace: cancelResult and replaceResult
/// ("true"/"false" as strings, or JSON booleans), cancelMsg, replaceMsg, cancelResponse
/// (an order object as parse_order() reads it; null or {} read as none) and
/// newOrderResponse (orderId, symbol, clientOrderId; null or {} read as none). Errors:
/// the envelope's (a mutation's); protocol_error when a result is missing or the object
/// of a successful step is.
[[nodiscard]] Result<CancelReplaceReply> parse_cancel_replace(const HttpResponse& response);

/// The state of the dead-man switch cancelAllAfter reports.
enum class CancelAllAfterStatus : std::uint8_t {
  activated,  ///< ACTIVATED: armed, orders cancelled at trigger_time_s unless extended.
  closed,     ///< CLOSED: disarmed.
};

/// What POST /openApi/swap/v2/trade/cancelAllAfter answered.
struct CancelAllAfterAck {
  CancelAllAfterStatus status = CancelAllAfterStatus::closed;  ///< The switch's state.
  std::int64_t trigger_time_s = 0;  ///< triggerTime: when the orders are cancelled, seconds since the Unix epoch.
  std::string note;                 ///< BingX's explanation.
};

/// data of POST /openApi/swap/v2/trade/cancelAllAfter: triggerTime (seconds), status
/// ACTIVATED or CLOSED, note. Errors: the envelope's; rejected for status FAILED (with the
/// note); protocol_error for a missing or unknown status.
[[nodiscard]] Result<CancelAllAfterAck> parse_cancel_all_after(const HttpResponse& response);

/// data.fill_history_orders[] of GET /openApi/swap/v2/trade/fillHistory, in the order
/// given: tradeId, orderId, symbol, side (buy/sell in either case), role (maker/taker),
/// volume (quantity), price, commission (BingX writes a charge as negative: the fee
/// charged is its negation), commissionAsset, filledTm (ISO 8601 UTC, whole seconds).
/// quote_quantity is price · volume.
[[nodiscard]] Result<std::vector<AccountTrade>> parse_fills(const HttpResponse& response);

/// data[] of GET /openApi/swap/v3/user/balance: one Balance per asset, free the
/// availableMargin, locked usedMargin + freezedMargin.
[[nodiscard]] Result<std::vector<Balance>> parse_balances(const HttpResponse& response);

/// data[] of GET /openApi/swap/v2/user/positions: positionSide LONG (quantity
/// +positionAmt), SHORT (quantity -positionAmt) or BOTH (one-way mode: positionAmt as
/// signed), avgPrice, markPrice (when present), unrealizedProfit, liquidationPrice,
/// leverage, isolated, positionValue (notional, signed like the quantity, when present),
/// updateTime (when present).
[[nodiscard]] Result<std::vector<Position>> parse_positions(const HttpResponse& response);

/// `{"listenKey":"..."}` of POST /openApi/user/auth/userDataStream (also accepted inside
/// the envelope's data). Errors: the status error for a non-2xx status; protocol_error
/// for a missing or empty key.
[[nodiscard]] Result<std::string> parse_listen_key(const HttpResponse& response);

/// The reply to PUT or DELETE /openApi/user/auth/userDataStream: 200 and 204 succeed;
/// 404 ("This listenKey does not exist") is rejected; any other status its status error.
[[nodiscard]] Result<void> parse_listen_key_ack(const HttpResponse& response);

}  // namespace cts::venue::bingx
