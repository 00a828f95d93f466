#pragma once
/// \file
/// Bybit v5's venue::Gateway for one category (spot or linear): the sans-I/O builders
/// (requests.hpp) and reply parsers (market.hpp, orders.hpp, account.hpp) of this folder
/// sent through a RequestSender. Also what the embedded simulator's Bybit front speaks.
///
/// Bybit acknowledges creates and cancels before it carries them out (the reply names
/// the order, not its state), so the reports of those two operations say what is known:
/// see create_order() and cancel_order(). Lists Bybit returns newest first (executions)
/// are returned oldest first, as venue::Gateway asks. Bybit leaves an execution's
/// feeCurrency empty for derivatives, whose fees are paid in the settlement coin: the
/// linear gateway fills it in with the symbol's settleCoin (remembered from instrument(),
/// or asked once of /v5/market/instruments-info).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cts/venue/bybit/capabilities.hpp"
#include "cts/venue/bybit/enums.hpp"
#include "cts/venue/gateway.hpp"

namespace cts::venue::bybit {

/// Most pages a listing follows through nextPageCursor (open orders: 50 per page, so at
/// most 5000 orders; executions of one order: 100 per page) before it gives up with
/// protocol_error rather than return a list it knows to be incomplete.
inline constexpr std::size_t kMaxPages = 100;

/// Most executions recent_trades() reads: what the engine's reconciliation asks for by
/// default, in pages of 100 (execution.mdx's largest).
inline constexpr std::size_t kMaxRecentTrades = 1000;

/// The Bybit v5 gateway of one category. The first signed request the venue answers
/// with a credential error (retCode 10003 invalid key, 10004 bad signature, 10005
/// permission denied, 10007, 10010 IP not allowed, 33004 key expired, HTTP 401) is the
/// last one sent: a wrong key or secret would be refused by every later one too.
class V5Gateway final : public Gateway {
 public:
  /// A gateway for `category` sending through `sender` (which must outlive it).
  V5Gateway(RequestSender& sender, Category category) : sender_(sender), category_(category) {}

  [[nodiscard]] VenueId venue() const noexcept override { return VenueId::bybit; }
  [[nodiscard]] const VenueCapabilities& capabilities() const noexcept override {
    return bybit::capabilities(category_);
  }
  /// The category this gateway trades.
  [[nodiscard]] Category category() const noexcept { return category_; }
  /// GET /v5/market/time (timeNano, to the millisecond).
  [[nodiscard]] Result<std::int64_t> server_time_ms() override;
  /// GET /v5/market/instruments-info?category=&symbol=. Errors: invalid_argument when
  /// the list does not hold `symbol`, rejected when its status is not Trading. Linear:
  /// remembers the settlement coin (see the file comment).
  [[nodiscard]] Result<Instrument> instrument(std::string_view symbol) override;
  /// GET /v5/market/tickers?category=&symbol= (bid1/ask1; update_id 0, the reply has
  /// none). Errors: invalid_argument when the list does not hold `symbol`.
  [[nodiscard]] Result<BookTicker> book_ticker(std::string_view symbol) override;
  /// GET /v5/market/orderbook (limit 1..1000 for spot and linear, market/orderbook.mdx;
  /// invalid_argument outside, nothing sent).
  [[nodiscard]] Result<BookSnapshot> depth(std::string_view symbol, std::size_t limit) override;
  /// POST /v5/order/create. Bybit's reply is an acknowledgement (orderId, orderLinkId):
  /// the report carries those ids, the order's own fields and status pending_new
  /// (accepted, its state not yet known: a query, the order stream or the next sync
  /// tells whether it rests, filled or was cancelled, e.g. a PostOnly that would take).
  [[nodiscard]] Result<OrderReport> create_order(const NewOrder& order) override;
  /// POST /v5/order/cancel, then query_order() by the acknowledged orderId for the
  /// order's state (its executed quantity included). When that query fails, or still
  /// finds the order working (Bybit cancels asynchronously), the report is the
  /// acknowledgement with status pending_cancel.
  [[nodiscard]] Result<OrderReport> cancel_order(const OrderRef& ref) override;
  /// GET /v5/order/realtime by orderId or orderLinkId (Bybit ignores openOnly for a
  /// query by id and answers for open orders and the 500 most recent closed ones), then
  /// GET /v5/order/history by the same id when realtime has nothing (older closed
  /// orders: cancelled and rejected ones for 24 hours, others for 7 days, orders with
  /// fills beyond). Errors: order_not_found when neither lists it.
  [[nodiscard]] Result<OrderReport> query_order(const OrderRef& ref) override;
  /// GET /v5/order/realtime?openOnly=0 (50 a page), following nextPageCursor.
  [[nodiscard]] Result<std::vector<OrderReport>> open_orders(std::string_view symbol) override;
  /// POST /v5/order/cancel-all. Bybit's reply lists the cancelled orders' orderId and
  /// orderLinkId only: each report carries those ids, `symbol` and status canceled
  /// (side, prices and quantities are not known and left at their defaults; Bybit
  /// cancels asynchronously, and a fill that raced the cancel shows in query_order()).
  /// Errors: order_not_found when the list is empty (nothing was open).
  [[nodiscard]] Result<std::vector<OrderReport>> cancel_open_orders(std::string_view symbol) override;
  /// GET /v5/execution/list?orderId= (100 a page), following nextPageCursor, oldest
  /// first. Bybit searches the last 7 days when no time range is given. Errors also
  /// those of the settlement-coin lookup (see the file comment).
  [[nodiscard]] Result<std::vector<AccountTrade>> order_trades(std::string_view symbol,
                                                               std::string_view order_id) override;
  /// GET /v5/execution/list?limit= (limit 1..kMaxRecentTrades; invalid_argument
  /// outside, nothing sent): the newest `limit` executions of the last 7 days, in pages
  /// of at most 100 following nextPageCursor, returned oldest first. Errors also those
  /// of the settlement-coin lookup.
  [[nodiscard]] Result<std::vector<AccountTrade>> recent_trades(std::string_view symbol, std::size_t limit) override;
  /// GET /v5/account/wallet-balance?accountType=UNIFIED: one Balance per coin,
  /// walletBalance − locked free.
  [[nodiscard]] Result<std::vector<Balance>> balances() override;
  /// Linear: GET /v5/position/list?category=linear&symbol= (one entry per leg, an
  /// empty position with size 0). Spot: unsupported, nothing sent.
  [[nodiscard]] Result<std::vector<Position>> positions(std::string_view symbol) override;
  /// GET /v5/user/query-api: can_trade from this category's permission (see
  /// parse_api_key_info()).
  [[nodiscard]] Result<ApiPermissions> api_permissions() override;
  [[nodiscard]] std::optional<Error> credentials_refused() const override { return latch_.refused(); }

 private:
  // query_order() without the latch check (cancel_order() uses it after its own).
  Result<OrderReport> find_order(const OrderRef& ref);
  // The instrument `symbol` as listed, whatever its status.
  Result<ListedInstrument> listing(std::string_view symbol);
  // Sets the commission asset of linear executions that have none to their symbol's
  // settlement coin.
  Result<void> fill_fee_assets(std::vector<AccountTrade>& trades);

  RequestSender& sender_;
  Category category_;
  CredentialLatch latch_;
  std::map<std::string, std::string, std::less<>> settle_coins_;  // linear symbol → settleCoin
};

}  // namespace cts::venue::bybit
