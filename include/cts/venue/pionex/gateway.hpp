#pragma once
/// \file
/// Pionex spot's venue::Gateway: the sans-I/O builders (requests.hpp) and reply parsers
/// (market.hpp, orders.hpp, account.hpp) of this folder sent through a RequestSender.
///
/// Pionex acknowledges a new order with its ids only and a cancel with a bare success,
/// so the reports of those two operations say what is known (see create_order() and
/// cancel_order()). Pionex has no server-time endpoint: every reply carries the venue's
/// clock in its envelope, and server_time_ms() reads it from the cheapest public call.
/// Lists Pionex returns newest first (fills) are returned oldest first, as venue::Gateway
/// asks.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cts/venue/gateway.hpp"
#include "cts/venue/pionex/capabilities.hpp"

namespace cts::venue::pionex {

/// Most pages of fills order_trades() follows through `fromId` (100 a page) before it
/// gives up with protocol_error rather than return a list it knows to be incomplete.
inline constexpr std::size_t kMaxFillPages = 100;

/// Most fills recent_trades() reads: what the engine's reconciliation asks for by
/// default, in pages of 100 going back in time.
inline constexpr std::size_t kMaxRecentTrades = 1000;

/// The symbol whose one-level book server_time_ms() asks for until instrument() has named
/// another.
inline constexpr std::string_view kClockSymbol = "BTC_USDT";

/// The Pionex spot gateway. The first signed request the venue answers with a credential
/// error (INVALID_APIKEY, INVALID_SIGNATURE, IP_NOT_WHITELISTED, PERMISSION_DENIED, ... or
/// HTTP 401/403) is the last one sent: every later one would be refused too.
class SpotGateway final : public Gateway {
 public:
  /// A gateway sending through `sender` (which must outlive it).
  explicit SpotGateway(RequestSender& sender) : sender_(sender) {}

  [[nodiscard]] VenueId venue() const noexcept override { return VenueId::pionex; }
  [[nodiscard]] const VenueCapabilities& capabilities() const noexcept override { return kSpotCapabilities; }
  /// The envelope `timestamp` of GET /api/v1/market/depth?limit=1 of the last symbol
  /// instrument() read (kClockSymbol before).
  [[nodiscard]] Result<std::int64_t> server_time_ms() override;
  /// GET /api/v1/common/symbols?symbols=. Errors: invalid_argument when the reply does
  /// not list `symbol`, rejected when it is not enabled.
  [[nodiscard]] Result<Instrument> instrument(std::string_view symbol) override;
  /// GET /api/v1/market/bookTickers?symbol= (update_id 0). Errors: protocol_error when the
  /// reply does not hold `symbol`.
  [[nodiscard]] Result<BookTicker> book_ticker(std::string_view symbol) override;
  /// GET /api/v1/market/depth (limit 1..1000; invalid_argument outside, nothing sent).
  [[nodiscard]] Result<BookSnapshot> depth(std::string_view symbol, std::size_t limit) override;
  /// POST /api/v1/trade/order: the report carries the acknowledged ids, the order's own
  /// fields and status pending_new.
  [[nodiscard]] Result<OrderReport> create_order(const NewOrder& order) override;
  /// DELETE /api/v1/trade/order by order id (a reference by client id is first resolved by
  /// GET /api/v1/trade/orderByClientOrderId), then a query for the order's state: final, or
  /// pending_cancel when the query fails or still finds it open. A cancel Pionex refuses
  /// (TRADE_ORDER_NOT_FOUND, TRADE_OPERATION_DENIED: the order is already final) is
  /// answered by the order's final state when a query finds one, else by the refusal.
  [[nodiscard]] Result<OrderReport> cancel_order(const OrderRef& ref) override;
  /// GET /api/v1/trade/order?orderId= (preferred) or /api/v1/trade/orderByClientOrderId.
  /// Errors: order_not_found (TRADE_ORDER_NOT_FOUND, or an order of another symbol).
  [[nodiscard]] Result<OrderReport> query_order(const OrderRef& ref) override;
  /// GET /api/v1/trade/openOrders?symbol= (at most 200 a symbol, one page).
  [[nodiscard]] Result<std::vector<OrderReport>> open_orders(std::string_view symbol) override;
  /// GET /api/v1/trade/openOrders, then DELETE /api/v1/trade/allOrders: the orders that were
  /// open, each pending_cancel (Pionex answers a bare success). Errors: order_not_found
  /// (nothing sent but the listing) when none was open; the venue's.
  [[nodiscard]] Result<std::vector<OrderReport>> cancel_open_orders(std::string_view symbol) override;
  /// GET /api/v1/trade/fillsByOrderId, following `fromId` back to the first fill, oldest
  /// first.
  [[nodiscard]] Result<std::vector<AccountTrade>> order_trades(std::string_view symbol,
                                                               std::string_view order_id) override;
  /// GET /api/v1/trade/fills?symbol= (limit 1..kMaxRecentTrades; invalid_argument outside,
  /// nothing sent): the newest `limit` fills, oldest first. Pionex returns the latest 100
  /// up to `endTime`; further pages ask up to the oldest fill's time, dropping the fills
  /// already read (by id), until a page is short or adds nothing.
  [[nodiscard]] Result<std::vector<AccountTrade>> recent_trades(std::string_view symbol, std::size_t limit) override;
  /// GET /api/v1/account/balances: free → free, frozen → locked.
  [[nodiscard]] Result<std::vector<Balance>> balances() override;
  [[nodiscard]] std::optional<Error> credentials_refused() const override { return latch_.refused(); }

 private:
  // query_order() without the latch check.
  Result<OrderReport> find_order(const OrderRef& ref);

  RequestSender& sender_;
  CredentialLatch latch_;
  std::string clock_symbol_{kClockSymbol};
};

}  // namespace cts::venue::pionex
