#include "cts/venue/binance/usdm_gateway.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "cts/venue/binance/instruments.hpp"
#include "cts/venue/binance/rest_parsers.hpp"
#include "cts/venue/binance/usdm_requests.hpp"

namespace cts::venue::binance {

Result<std::int64_t> UsdmGateway::server_time_ms() {
  Result<HttpResponse> response = sender_.execute(usdm::server_time());
  if (!response) return response.error();
  return parse_server_time(*response);
}

Result<Instrument> UsdmGateway::instrument(std::string_view symbol) {
  Result<HttpResponse> response = sender_.execute(usdm::exchange_info());
  if (!response) return response.error();
  Result<std::vector<ListedInstrument>> listed = parse_instruments(*response, Market::usdm);
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

Result<BookTicker> UsdmGateway::book_ticker(std::string_view symbol) {
  Result<HttpResponse> response = send(sender_, usdm::book_ticker(symbol));
  if (!response) return response.error();
  return parse_book_ticker(*response);
}

Result<BookSnapshot> UsdmGateway::depth(std::string_view symbol, std::size_t limit) {
  static constexpr std::array<std::size_t, 7> kLimits{5, 10, 20, 50, 100, 500, 1000};
  const auto chosen = std::find_if(kLimits.begin(), kLimits.end(), [&](std::size_t l) { return l >= limit; });
  if (limit == 0 || chosen == kLimits.end()) {
    return make_error(ErrorCode::invalid_argument, "depth limit must be in 1..1000");
  }
  Result<HttpResponse> response = send(sender_, usdm::order_book(symbol, static_cast<int>(*chosen)));
  if (!response) return response.error();
  BookSnapshot snapshot;
  if (Result<void> parsed = parse_order_book(*response, snapshot); !parsed) return parsed.error();
  return snapshot;
}

Result<OrderReport> UsdmGateway::create_order(const NewOrder& order) {
  return latch_.call(sender_, usdm::new_order(order),
                     [](const HttpResponse& r) { return parse_order(r, Market::usdm, Operation::mutation); });
}

Result<OrderReport> UsdmGateway::cancel_order(const OrderRef& ref) {
  return latch_.call(sender_, usdm::cancel_order(ref),
                     [](const HttpResponse& r) { return parse_order(r, Market::usdm, Operation::mutation); });
}

Result<OrderReport> UsdmGateway::query_order(const OrderRef& ref) {
  return latch_.call(sender_, usdm::query_order(ref),
                     [](const HttpResponse& r) { return parse_order(r, Market::usdm, Operation::read); });
}

Result<std::vector<OrderReport>> UsdmGateway::open_orders(std::string_view symbol) {
  return latch_.call(sender_, usdm::open_orders(symbol),
                     [](const HttpResponse& r) { return parse_orders(r, Market::usdm, Operation::read); });
}

Result<std::vector<OrderReport>> UsdmGateway::cancel_open_orders(std::string_view symbol) {
  Result<std::vector<OrderReport>> open = open_orders(symbol);
  if (!open) return open.error();
  if (open->empty()) return make_error(ErrorCode::order_not_found, fmt::format("no open order on {}", symbol));
  Result<HttpResponse> response = send(sender_, usdm::cancel_all_orders(symbol));
  if (!response) return latch_.checked<std::vector<OrderReport>>(response.error());
  if (Result<void> acknowledged = latch_.checked(parse_acknowledgement(*response)); !acknowledged) {
    return acknowledged.error();
  }
  for (OrderReport& report : *open) report.status = OrderStatus::canceled;
  return open;
}

Result<std::vector<AccountTrade>> UsdmGateway::order_trades(std::string_view symbol, std::string_view order_id) {
  return latch_.call(sender_, usdm::my_trades(symbol, order_id, 1000),
                     [](const HttpResponse& r) { return parse_account_trades(r); });
}

Result<std::vector<AccountTrade>> UsdmGateway::recent_trades(std::string_view symbol, std::size_t limit) {
  if (limit == 0 || limit > 1000) {
    return make_error(ErrorCode::invalid_argument, "recent trades limit must be in 1..1000");
  }
  return latch_.call(sender_, usdm::my_trades(symbol, std::nullopt, static_cast<int>(limit)),
                     [](const HttpResponse& r) { return parse_account_trades(r); });
}

Result<std::vector<Balance>> UsdmGateway::balances() {
  return latch_.call(sender_, usdm::balances(), [](const HttpResponse& r) -> Result<std::vector<Balance>> {
    Result<std::vector<FuturesBalance>> futures = parse_futures_balances(r);
    if (!futures) return futures.error();
    std::vector<Balance> out;
    out.reserve(futures->size());
    for (const FuturesBalance& f : *futures) {
      Balance balance;
      balance.asset = f.asset;
      balance.free = f.available_balance;
      // Available exceeds the wallet balance when cross positions are in profit: nothing
      // is held then.
      const Decimal held = f.wallet_balance - f.available_balance;
      balance.locked = held.is_positive() ? held : Decimal{};
      out.push_back(std::move(balance));
    }
    return out;
  });
}

Result<std::vector<Position>> UsdmGateway::positions(std::string_view symbol) {
  return latch_.call(sender_, usdm::positions(symbol), [](const HttpResponse& r) { return parse_positions(r); });
}

Result<std::string> UsdmGateway::open_user_stream_key() {
  return latch_.call(sender_, usdm::start_user_stream(), [](const HttpResponse& r) { return parse_listen_key(r); });
}

Result<void> UsdmGateway::extend_user_stream_key(std::string_view key) {
  if (key.empty()) return make_error(ErrorCode::invalid_argument, "no listen key to extend");
  // USD-M keeps one key per account: the request names none.
  return latch_.call(sender_, usdm::keepalive_user_stream(),
                     [](const HttpResponse& r) { return parse_listen_key_reply(r); });
}

Result<void> UsdmGateway::close_user_stream_key(std::string_view key) {
  if (key.empty()) return make_error(ErrorCode::invalid_argument, "no listen key to close");
  return latch_.call(sender_, usdm::close_user_stream(), [](const HttpResponse& r) { return parse_listen_key_reply(r); });
}

}  // namespace cts::venue::binance
