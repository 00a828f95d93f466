#pragma once
/// \file
/// BingX's venue::Gateway for the USDT-M perpetual swap: the sans-I/O builders
/// (requests.hpp) and reply parsers (replies.hpp) of this folder sent through a
/// RequestSender.
///
/// BingX answers a create with the order's ids only, so create_order() reports
/// pending_new (acknowledged_order()); a cancel answers with the cancelled order. Orders
/// go over REST only (BingX has no WebSocket order entry). Quantities are in the base
/// asset.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cts/venue/bingx/capabilities.hpp"
#include "cts/venue/bingx/gateway_base.hpp"
#include "cts/venue/bingx/replies.hpp"
#include "cts/venue/bingx/requests.hpp"

namespace cts::venue::bingx {

/// How far back order_trades() and recent_trades() look (BingX's fill history takes a
/// start and an end time; the docs give no longest window: 7 days is assumed).
inline constexpr std::int64_t kFillWindowMs = 7LL * 24 * 60 * 60 * 1000;

/// The BingX perpetual swap gateway (server time, listen key and credential latch:
/// GatewayBase).
class SwapGateway final : public GatewayBase {
 public:
  /// A gateway sending through `sender` (which must outlive it).
  explicit SwapGateway(RequestSender& sender) : GatewayBase(sender) {}

  [[nodiscard]] const VenueCapabilities& capabilities() const noexcept override { return kSwapCapabilities; }
  /// GET /openApi/swap/v2/quote/contracts?symbol=. Errors: invalid_argument when the list
  /// does not hold `symbol`, rejected when it is listed but not trading.
  [[nodiscard]] Result<Instrument> instrument(std::string_view symbol) override;
  /// GET /openApi/swap/v2/quote/bookTicker (update_id 0).
  [[nodiscard]] Result<BookTicker> book_ticker(std::string_view symbol) override;
  /// GET /openApi/swap/v2/quote/depth with the smallest accepted limit of at least
  /// `limit` (1..1000; invalid_argument outside, nothing sent), cut to `limit` levels.
  /// last_update_id is the snapshot's time T (the REST depth carries no sequence).
  [[nodiscard]] Result<BookSnapshot> depth(std::string_view symbol, std::size_t limit) override;
  /// POST /openApi/swap/v2/trade/order: the report carries the acknowledged ids, the
  /// order's own fields and status pending_new.
  [[nodiscard]] Result<OrderReport> create_order(const NewOrder& order) override;
  /// DELETE /openApi/swap/v2/trade/order: the cancelled order as BingX returns it. A
  /// cancel refused because the order is already final or unknown (80018, 80016,
  /// 109414) is answered by the order's state when a query finds it final, else by the
  /// refusal.
  [[nodiscard]] Result<OrderReport> cancel_order(const OrderRef& ref) override;
  /// GET /openApi/swap/v2/trade/order by orderId or clientOrderId. Errors:
  /// order_not_found (80016, 109414).
  [[nodiscard]] Result<OrderReport> query_order(const OrderRef& ref) override;
  /// GET /openApi/swap/v2/trade/openOrders?symbol=.
  [[nodiscard]] Result<std::vector<OrderReport>> open_orders(std::string_view symbol) override;
  /// DELETE /openApi/swap/v2/trade/allOpenOrders: the orders BingX lists as cancelled.
  /// Errors: order_not_found when it cancelled none.
  [[nodiscard]] Result<std::vector<OrderReport>> cancel_open_orders(std::string_view symbol) override;
  /// GET /openApi/swap/v2/trade/fillHistory?orderId= over the last kFillWindowMs of the
  /// venue's clock (one server-time request first), oldest first.
  [[nodiscard]] Result<std::vector<AccountTrade>> order_trades(std::string_view symbol,
                                                               std::string_view order_id) override;
  /// GET /openApi/swap/v2/trade/fillHistory?pageSize=`limit` (1..1000; invalid_argument
  /// outside, nothing sent) over the last kFillWindowMs, oldest first.
  [[nodiscard]] Result<std::vector<AccountTrade>> recent_trades(std::string_view symbol, std::size_t limit) override;
  /// GET /openApi/swap/v3/user/balance.
  [[nodiscard]] Result<std::vector<Balance>> balances() override;
  /// GET /openApi/swap/v2/user/positions?symbol= (entries of other symbols dropped).
  [[nodiscard]] Result<std::vector<Position>> positions(std::string_view symbol) override;
  /// POST /openApi/swap/v1/trade/cancelReplace: cancels `replace.cancel` and places
  /// `replace.replacement` in one request (BingX has no amend). Errors: the builder's
  /// (nothing sent); the venue's for the request as a whole (timeout/unknown_outcome:
  /// either step may have happened: query both orders, the new one by its client id).
  [[nodiscard]] Result<CancelReplaceReport> cancel_replace(const CancelReplace& replace);
  /// POST /openApi/swap/v2/trade/cancelAllAfter (GatewayBase::cancel_all_after): when
  /// the switch runs out BingX cancels every open swap order of the account.
  [[nodiscard]] Result<CancelAllAfterAck> cancel_all_after(int timeout_s) override;

 private:
  // query_order() without the latch check.
  Result<OrderReport> find_order(const OrderRef& ref);
  // Fills of `symbol` (and of one order when given), oldest first.
  Result<std::vector<AccountTrade>> fills(std::string_view symbol, std::optional<std::string_view> order_id,
                                          int page_size);
};

}  // namespace cts::venue::bingx
