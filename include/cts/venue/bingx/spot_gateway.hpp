#pragma once
/// \file
/// BingX's venue::Gateway for spot: the sans-I/O builders (spot_requests.hpp) and reply
/// parsers (spot_replies.hpp) of this folder sent through a RequestSender.
///
/// A place answers with the order as BingX booked it (usually PENDING); create_order()
/// reports it as acknowledged (pending_new), its state coming from the stream or a query,
/// as for the swap. A cancel answers with the cancelled order. Orders go over REST only
/// (no WebSocket order entry). Quantities are in the base asset. Spot has no positions.
/// BingX has no amend: cancel_replace() cancels and places in one request. The seam's
/// dead-man switch is spot's own cancelAllAfter (GatewayBase::arm_dead_man_switch).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cts/venue/bingx/capabilities.hpp"
#include "cts/venue/bingx/gateway_base.hpp"
#include "cts/venue/bingx/spot_requests.hpp"

namespace cts::venue::bingx {

/// The BingX spot gateway (server time, listen key and credential latch: GatewayBase).
class SpotGateway final : public GatewayBase {
 public:
  /// A gateway sending through `sender` (which must outlive it).
  explicit SpotGateway(RequestSender& sender) : GatewayBase(sender) {}

  [[nodiscard]] const VenueCapabilities& capabilities() const noexcept override { return kSpotCapabilities; }
  /// GET /openApi/spot/v1/common/symbols?symbol=. Errors: invalid_argument when the list
  /// does not hold `symbol`, rejected when it is listed but not trading.
  [[nodiscard]] Result<Instrument> instrument(std::string_view symbol) override;
  /// GET /openApi/spot/v1/ticker/bookTicker (update_id 0). Errors: protocol_error when the
  /// answer names another symbol.
  [[nodiscard]] Result<BookTicker> book_ticker(std::string_view symbol) override;
  /// GET /openApi/spot/v1/market/depth?limit= (1..1000; invalid_argument outside, nothing
  /// sent). last_update_id is the snapshot's ts.
  [[nodiscard]] Result<BookSnapshot> depth(std::string_view symbol, std::size_t limit) override;
  /// POST /openApi/spot/v1/trade/order: the acknowledged id, the order's own fields and
  /// status pending_new. Errors: rejected when BingX answers the order FAILED.
  [[nodiscard]] Result<OrderReport> create_order(const NewOrder& order) override;
  /// POST /openApi/spot/v1/trade/cancel: the cancelled order as BingX returns it (its
  /// client id from `ref` when the answer has none). A cancel refused because the order
  /// is no longer open or unknown (order_not_found) is answered by the order's state
  /// when a query finds it final, else by the refusal.
  [[nodiscard]] Result<OrderReport> cancel_order(const OrderRef& ref) override;
  /// GET /openApi/spot/v1/trade/query by orderId or clientOrderID.
  [[nodiscard]] Result<OrderReport> query_order(const OrderRef& ref) override;
  /// GET /openApi/spot/v1/trade/openOrders?symbol=.
  [[nodiscard]] Result<std::vector<OrderReport>> open_orders(std::string_view symbol) override;
  /// POST /openApi/spot/v1/trade/cancelOpenOrders: the orders BingX lists as cancelled.
  /// Errors: order_not_found when it cancelled none.
  [[nodiscard]] Result<std::vector<OrderReport>> cancel_open_orders(std::string_view symbol) override;
  /// GET /openApi/spot/v1/trade/myTrades?orderId=&limit=1000, oldest first.
  [[nodiscard]] Result<std::vector<AccountTrade>> order_trades(std::string_view symbol,
                                                               std::string_view order_id) override;
  /// GET /openApi/spot/v1/trade/myTrades?limit=`limit` (1..1000; invalid_argument outside,
  /// nothing sent), oldest first.
  [[nodiscard]] Result<std::vector<AccountTrade>> recent_trades(std::string_view symbol, std::size_t limit) override;
  /// GET /openApi/spot/v1/account/balance.
  [[nodiscard]] Result<std::vector<Balance>> balances() override;
  /// POST /openApi/spot/v1/trade/order/cancelReplace (spot_cancel_replace()): cancels
  /// `replace.cancel` and places `replace.replacement` (GTC) in one request. The cancelled
  /// order as BingX returns it (its client id from `replace.cancel` when the answer has
  /// none) or the cancel step's refusal (order_not_found for an order unknown or no longer
  /// open; rejected otherwise); the new order as create_order() reports it (pending_new)
  /// or the new order step's refusal (rejected when BingX answers it FAILED). Errors: the
  /// builder's (nothing sent); the venue's for the request as a whole (timeout/
  /// unknown_outcome: either step may have happened: query both orders, the new one by
  /// its client id).
  [[nodiscard]] Result<CancelReplaceReport> cancel_replace(const CancelReplace& replace);
  /// POST /openApi/spot/v1/trade/cancelAllAfter (GatewayBase::cancel_all_after): when the
  /// switch runs out BingX cancels every open spot order of the account.
  [[nodiscard]] Result<CancelAllAfterAck> cancel_all_after(int timeout_s) override;

 private:
  // query_order() without the latch check.
  Result<OrderReport> find_order(const OrderRef& ref);
  // `booked` (an order BingX answered a place with) as create_order() reports `order`:
  // acknowledged, pending_new. Errors: rejected when BingX booked it FAILED.
  static Result<OrderReport> acknowledged(const NewOrder& order, OrderReport booked);
  // Trades of `symbol` (and of one order when given), oldest first.
  Result<std::vector<AccountTrade>> trades(std::string_view symbol, std::optional<std::string_view> order_id,
                                           int limit);
};

}  // namespace cts::venue::bingx
