#pragma once
/// \file
/// Binance USD-M futures' venue::Gateway: the sans-I/O USD-M builders and parsers of this
/// folder sent through a RequestSender, with venue-side positions (one-way mode: the
/// `both` leg; hedge mode: one entry per leg).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "cts/venue/binance/capabilities.hpp"
#include "cts/venue/gateway.hpp"

namespace cts::venue::binance {

/// The Binance USD-M futures gateway. The first signed request the venue answers with a
/// credential error (-1002, -2014, -2015, -1022, HTTP 401) is the last one sent.
class UsdmGateway final : public Gateway {
 public:
  /// A gateway sending through `sender` (which must outlive it).
  explicit UsdmGateway(RequestSender& sender) : sender_(sender) {}

  [[nodiscard]] VenueId venue() const noexcept override { return VenueId::binance_usdm; }
  [[nodiscard]] const VenueCapabilities& capabilities() const noexcept override { return kUsdmCapabilities; }
  /// GET /fapi/v1/time.
  [[nodiscard]] Result<std::int64_t> server_time_ms() override;
  /// GET /fapi/v1/exchangeInfo (every symbol; the one asked for is picked).
  [[nodiscard]] Result<Instrument> instrument(std::string_view symbol) override;
  /// GET /fapi/v1/ticker/bookTicker.
  [[nodiscard]] Result<BookTicker> book_ticker(std::string_view symbol) override;
  /// GET /fapi/v1/depth; `limit` one of 5, 10, 20, 50, 100, 500, 1000 (the smallest of
  /// those at least `limit` is asked, so a caller gets at most what it can use).
  /// invalid_argument above 1000 or for 0.
  [[nodiscard]] Result<BookSnapshot> depth(std::string_view symbol, std::size_t limit) override;
  /// POST /fapi/v1/order.
  [[nodiscard]] Result<OrderReport> create_order(const NewOrder& order) override;
  /// DELETE /fapi/v1/order.
  [[nodiscard]] Result<OrderReport> cancel_order(const OrderRef& ref) override;
  /// GET /fapi/v1/order.
  [[nodiscard]] Result<OrderReport> query_order(const OrderRef& ref) override;
  /// GET /fapi/v1/openOrders?symbol=.
  [[nodiscard]] Result<std::vector<OrderReport>> open_orders(std::string_view symbol) override;
  /// DELETE /fapi/v1/allOpenOrders, which answers a code, not the orders: the orders open
  /// just before are listed first and reported cancelled. order_not_found when none was.
  [[nodiscard]] Result<std::vector<OrderReport>> cancel_open_orders(std::string_view symbol) override;
  /// GET /fapi/v1/userTrades with orderId.
  [[nodiscard]] Result<std::vector<AccountTrade>> order_trades(std::string_view symbol,
                                                               std::string_view order_id) override;
  /// GET /fapi/v1/userTrades without orderId (limit 1..1000).
  [[nodiscard]] Result<std::vector<AccountTrade>> recent_trades(std::string_view symbol, std::size_t limit) override;
  /// GET /fapi/v3/balance: per margin asset, free = availableBalance and locked = wallet
  /// balance − available balance (margin held by orders and positions; 0 when cross
  /// positions in profit make the available balance the larger).
  [[nodiscard]] Result<std::vector<Balance>> balances() override;
  /// GET /fapi/v2/positionRisk?symbol=.
  [[nodiscard]] Result<std::vector<Position>> positions(std::string_view symbol) override;
  /// POST /fapi/v1/listenKey: the account's key (the live one, extended, when there is
  /// one); the user data stream subscribes to it (UsdmUserStream).
  [[nodiscard]] Result<std::string> open_user_stream_key() override;
  /// PUT /fapi/v1/listenKey: extends the account's key by 60 minutes (the request names
  /// none: `key` is only checked to be non-empty).
  [[nodiscard]] Result<void> extend_user_stream_key(std::string_view key) override;
  /// DELETE /fapi/v1/listenKey: closes the account's key (as extend: `key` not sent).
  [[nodiscard]] Result<void> close_user_stream_key(std::string_view key) override;
  [[nodiscard]] std::optional<Error> credentials_refused() const override { return latch_.refused(); }

 private:
  RequestSender& sender_;
  CredentialLatch latch_;
};

}  // namespace cts::venue::binance
