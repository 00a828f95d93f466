#pragma once
/// \file
/// BingX spot REST reply parsers. A reply is BingX's envelope `{"code":0,"msg":"",
/// "data":...}` (replies.hpp); a non-zero code becomes the unified error through the spot
/// map (errors.hpp map_spot_code), an HTTP error status without an envelope the status
/// error. Decimals come as JSON strings, except those the docs print as JSON numbers
/// (symbols' minQty, maxQty, minNotional, tickSize, stepSize; a fill's commission), read
/// exactly from their text (an exponent such as 1e-05 included). orderId is an int64 JSON
/// number, read as its exact digits. Unknown members are ignored; a malformed or missing
/// required member is a protocol_error naming the field. Fixtures:
/// tests/fixtures/bingx/spot_*.json.

#include <vector>

#include "cts/core/http.hpp"
#include "cts/core/result.hpp"
#include "cts/venue/bingx/replies.hpp"
#include "cts/venue/types.hpp"

namespace cts::venue::bingx {

/// data.symbols[] of GET /openApi/spot/v1/common/symbols: symbol (BASE-QUOTE, the base
/// and quote read from it), tickSize, stepSize, minQty, maxQty, minNotional, status (1
/// online: trading; 0 offline: closed; other values unknown). Kind spot.
[[nodiscard]] Result<std::vector<ListedInstrument>> parse_spot_symbols(const HttpResponse& response);

/// data of GET /openApi/spot/v1/market/depth: bids and asks (asks printed highest first:
/// both sides put in book order), ts (last_update_id and event time).
[[nodiscard]] Result<BookSnapshot> parse_spot_depth(const HttpResponse& response);

/// The first entry of data[] of GET /openApi/spot/v1/ticker/bookTicker: symbol,
/// bidPrice, bidVolume, askPrice, askVolume. Errors: protocol_error for an empty list.
[[nodiscard]] Result<BookTicker> parse_spot_book_ticker(const HttpResponse& response);

/// data of POST /openApi/spot/v1/trade/order, POST /openApi/spot/v1/trade/cancel and GET
/// /openApi/spot/v1/trade/query: symbol, orderId, clientOrderID (its wire form read back;
/// none when absent), side, type (LIMIT, MARKET; TAKE_STOP_LIMIT and TRIGGER_LIMIT
/// stop_limit; TAKE_STOP_MARKET and TRIGGER_MARKET stop_market), status (NEW and PENDING
/// new, PARTIALLY_FILLED, FILLED, CANCELED, FAILED rejected), price, stopPrice (or
/// StopPrice), origQty, executedQty, cummulativeQuoteQty, avgPrice; the time is
/// updateTime, else time, else transactTime.
[[nodiscard]] Result<OrderReport> parse_spot_order(const HttpResponse& response, Operation operation);

/// data.orders[] of GET /openApi/spot/v1/trade/openOrders.
[[nodiscard]] Result<std::vector<OrderReport>> parse_spot_open_orders(const HttpResponse& response);

/// data.orders[] of POST /openApi/spot/v1/trade/cancelOpenOrders (the cancelled orders).
[[nodiscard]] Result<std::vector<OrderReport>> parse_spot_cancel_open_orders(const HttpResponse& response);

/// data.balances[] of GET /openApi/spot/v1/account/balance: asset, free, locked.
[[nodiscard]] Result<std::vector<Balance>> parse_spot_balances(const HttpResponse& response);

/// data.fills[] of GET /openApi/spot/v1/trade/myTrades, in the order given: id, orderId,
/// symbol, price, qty, quoteQty, commission (written negative when charged: the fee is
/// its negation), commissionAsset, time, isBuyer (the side), isMaker.
[[nodiscard]] Result<std::vector<AccountTrade>> parse_spot_trades(const HttpResponse& response);

/// What POST /openApi/spot/v1/trade/order/cancelReplace did, each step's outcome.
struct SpotCancelReplaceReply {
  /// orderCancelResponse (the order as cancelled), or why it was not cancelled.
  Result<OrderReport> cancelled;
  /// orderOpenResponse (the new order as booked), or why it was not placed.
  Result<OrderReport> opened;
};

/// data of POST /openApi/spot/v1/trade/order/cancelReplace: cancelResult and openResult
/// ({code, msg, result}), orderCancelResponse and orderOpenResponse (spot order objects
/// as parse_spot_order() reads them; BingX's placeholder for an order a step did not
/// produce, symbol "" and orderId 0, or null read as none). A step with result true and
/// code 0 gives its order; any other gives its error: the step's code through the spot
/// map (map_spot_code), read as rejected where that would be an unknown outcome (BingX
/// reported the step not done), or rejected with its msg when the code is 0. Errors: the
/// envelope's (a mutation's) for the request as a whole; protocol_error when a result
/// object is missing or has no result, or a step done has no order object.
[[nodiscard]] Result<SpotCancelReplaceReply> parse_spot_cancel_replace(const HttpResponse& response);

/// data of POST /openApi/spot/v1/trade/cancelAllAfter, as parse_cancel_all_after() reads
/// the swap's (triggerTime in seconds, status ACTIVATED or CLOSED, note), a non-zero code
/// through the spot map. Errors: the envelope's; rejected for status FAILED (BingX refuses
/// while it is still cancelling after a switch ran out); protocol_error for a missing or
/// unknown status.
[[nodiscard]] Result<CancelAllAfterAck> parse_spot_cancel_all_after(const HttpResponse& response);

}  // namespace cts::venue::bingx
