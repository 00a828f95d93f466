#pragma once
/// \file
/// Binance spot's venue::Gateway: the sans-I/O spot builders and parsers of this folder
/// sent through a RequestSender. Also what the embedded simulator's Binance front speaks.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "cts/venue/binance/capabilities.hpp"
#include "cts/venue/gateway.hpp"

namespace cts::venue::binance {

/// The Binance spot gateway. The first signed request the venue answers with a
/// credential error (-1002, -2014, -2015, -1022, HTTP 401) is the last one sent: a wrong
/// key or secret would be refused by every later one too.
class SpotGateway final : public Gateway {
 public:
  /// A gateway sending through `sender` (which must outlive it).
  explicit SpotGateway(RequestSender& sender) : sender_(sender) {}

  [[nodiscard]] VenueId venue() const noexcept override { return VenueId::binance_spot; }
  [[nodiscard]] const VenueCapabilities& capabilities() const noexcept override { return kSpotCapabilities; }
  /// GET /api/v3/time.
  [[nodiscard]] Result<std::int64_t> server_time_ms() override;
  /// GET /api/v3/exchangeInfo?symbol=.
  [[nodiscard]] Result<Instrument> instrument(std::string_view symbol) override;
  /// GET /api/v3/ticker/bookTicker.
  [[nodiscard]] Result<BookTicker> book_ticker(std::string_view symbol) override;
  /// GET /api/v3/depth (limit 1..5000).
  [[nodiscard]] Result<BookSnapshot> depth(std::string_view symbol, std::size_t limit) override;
  /// POST /api/v3/order.
  [[nodiscard]] Result<OrderReport> create_order(const NewOrder& order) override;
  /// DELETE /api/v3/order.
  [[nodiscard]] Result<OrderReport> cancel_order(const OrderRef& ref) override;
  /// GET /api/v3/order.
  [[nodiscard]] Result<OrderReport> query_order(const OrderRef& ref) override;
  /// GET /api/v3/openOrders?symbol=.
  [[nodiscard]] Result<std::vector<OrderReport>> open_orders(std::string_view symbol) override;
  /// DELETE /api/v3/openOrders.
  [[nodiscard]] Result<std::vector<OrderReport>> cancel_open_orders(std::string_view symbol) override;
  /// GET /api/v3/myTrades with orderId.
  [[nodiscard]] Result<std::vector<AccountTrade>> order_trades(std::string_view symbol,
                                                               std::string_view order_id) override;
  /// GET /api/v3/myTrades without orderId (limit 1..1000).
  [[nodiscard]] Result<std::vector<AccountTrade>> recent_trades(std::string_view symbol, std::size_t limit) override;
  /// GET /api/v3/account.
  [[nodiscard]] Result<std::vector<Balance>> balances() override;
  /// Unsupported, nothing sent: Binance reports a key's permissions at
  /// GET /sapi/v1/account/apiRestrictions, a wallet endpoint the spot testnet lacks.
  [[nodiscard]] Result<ApiPermissions> api_permissions() override;
  [[nodiscard]] std::optional<Error> credentials_refused() const override { return latch_.refused(); }

 private:
  RequestSender& sender_;
  CredentialLatch latch_;
};

}  // namespace cts::venue::binance
