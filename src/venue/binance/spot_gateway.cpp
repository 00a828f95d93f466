#include "cts/venue/binance/spot_gateway.hpp"

#include <fmt/format.h>

#include "cts/venue/binance/instruments.hpp"
#include "cts/venue/binance/rest_parsers.hpp"
#include "cts/venue/binance/spot_requests.hpp"

namespace cts::venue::binance {

Result<std::int64_t> SpotGateway::server_time_ms() {
  Result<HttpResponse> response = send(sender_, spot::server_time());
  if (!response) return response.error();
  return parse_server_time(*response);
}

Result<Instrument> SpotGateway::instrument(std::string_view symbol) {
  Result<HttpResponse> response = send(sender_, spot::exchange_info(symbol));
  if (!response) return response.error();
  Result<std::vector<ListedInstrument>> listed = parse_instruments(*response, Market::spot);
  if (!listed) return listed.error();
  for (ListedInstrument& entry : *listed) {
    if (entry.instrument.venue_symbol == symbol) {
      if (!entry.trading()) {
        return make_error(ErrorCode::rejected, fmt::format("{} is not trading (status {})", symbol, entry.status));
      }
      return std::move(entry.instrument);
    }
  }
  return make_error(ErrorCode::invalid_argument, fmt::format("the venue does not list {}", symbol));
}

Result<BookTicker> SpotGateway::book_ticker(std::string_view symbol) {
  Result<HttpResponse> response = send(sender_, spot::book_ticker(symbol));
  if (!response) return response.error();
  return parse_book_ticker(*response);
}

Result<BookSnapshot> SpotGateway::depth(std::string_view symbol, std::size_t limit) {
  if (limit == 0 || limit > 5000) return make_error(ErrorCode::invalid_argument, "depth limit must be in 1..5000");
  Result<HttpResponse> response = send(sender_, spot::order_book(symbol, static_cast<int>(limit)));
  if (!response) return response.error();
  BookSnapshot snapshot;
  if (Result<void> parsed = parse_order_book(*response, snapshot); !parsed) return parsed.error();
  return snapshot;
}

Result<OrderReport> SpotGateway::create_order(const NewOrder& order) {
  return latch_.call(sender_, spot::new_order(order),
                     [](const HttpResponse& r) { return parse_order(r, Market::spot, Operation::mutation); });
}

Result<OrderReport> SpotGateway::cancel_order(const OrderRef& ref) {
  return latch_.call(sender_, spot::cancel_order(ref),
                     [](const HttpResponse& r) { return parse_order(r, Market::spot, Operation::mutation); });
}

Result<OrderReport> SpotGateway::query_order(const OrderRef& ref) {
  return latch_.call(sender_, spot::query_order(ref),
                     [](const HttpResponse& r) { return parse_order(r, Market::spot, Operation::read); });
}

Result<std::vector<OrderReport>> SpotGateway::open_orders(std::string_view symbol) {
  return latch_.call(sender_, spot::open_orders(symbol),
                     [](const HttpResponse& r) { return parse_orders(r, Market::spot, Operation::read); });
}

Result<std::vector<OrderReport>> SpotGateway::cancel_open_orders(std::string_view symbol) {
  return latch_.call(sender_, spot::cancel_all_orders(symbol),
                     [](const HttpResponse& r) { return parse_orders(r, Market::spot, Operation::mutation); });
}

Result<std::vector<AccountTrade>> SpotGateway::order_trades(std::string_view symbol, std::string_view order_id) {
  return latch_.call(sender_, spot::my_trades(symbol, order_id),
                     [](const HttpResponse& r) { return parse_account_trades(r); });
}

Result<std::vector<AccountTrade>> SpotGateway::recent_trades(std::string_view symbol, std::size_t limit) {
  if (limit == 0 || limit > 1000) {
    return make_error(ErrorCode::invalid_argument, "recent trades limit must be in 1..1000");
  }
  return latch_.call(sender_, spot::my_trades(symbol, std::nullopt, static_cast<int>(limit)),
                     [](const HttpResponse& r) { return parse_account_trades(r); });
}

Result<std::vector<Balance>> SpotGateway::balances() {
  return latch_.call(sender_, spot::account(), [](const HttpResponse& r) { return parse_spot_balances(r); });
}

Result<ApiPermissions> SpotGateway::api_permissions() {
  return make_error(ErrorCode::unsupported,
                    "Binance reports a key's permissions under /sapi (GET /sapi/v1/account/apiRestrictions), which "
                    "the spot connector does not use and the spot testnet lacks");
}

}  // namespace cts::venue::binance
