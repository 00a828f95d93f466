#include <fmt/format.h>

#include "cts/engine/gateway.hpp"
#include "cts/engine/session_failure.hpp"
#include "cts/venue/binance/instruments.hpp"
#include "cts/venue/binance/rest_parsers.hpp"
#include "cts/venue/binance/spot_requests.hpp"

namespace cts::engine {

namespace spot = venue::binance::spot;
using venue::binance::Market;
using venue::binance::Operation;

Result<std::vector<venue::OrderReport>> VenueGateway::cancel_open_orders(std::string_view symbol) {
  return make_error(ErrorCode::unsupported, fmt::format("the venue has no cancel-all (symbol {})", symbol));
}

namespace {
/// Sends a built request (or passes on the builder's error).
Result<HttpResponse> send(RestChannel& channel, Result<venue::Request> request) {
  if (!request) return request.error();
  return channel.execute(*request);
}
}  // namespace

template <class T>
Result<T> BinanceSpotGateway::checked(Result<T> result) {
  if (!result && is_credential_error(result.error().code) && !credentials_refused_) {
    credentials_refused_ = make_error(result.error().code,
                                      fmt::format("the venue refused the API credentials ({}); no further signed "
                                                  "request is sent",
                                                  result.error().message),
                                      result.error().venue_code);
  }
  return result;
}

Result<std::int64_t> BinanceSpotGateway::server_time_ms() {
  Result<HttpResponse> response = send(channel_, spot::server_time());
  if (!response) return response.error();
  return venue::binance::parse_server_time(*response);
}

Result<Instrument> BinanceSpotGateway::instrument(std::string_view symbol) {
  Result<HttpResponse> response = send(channel_, spot::exchange_info(symbol));
  if (!response) return response.error();
  Result<std::vector<venue::ListedInstrument>> listed = venue::binance::parse_instruments(*response, Market::spot);
  if (!listed) return listed.error();
  for (venue::ListedInstrument& entry : *listed) {
    if (entry.instrument.venue_symbol == symbol) {
      if (!entry.trading()) {
        return make_error(ErrorCode::rejected, fmt::format("{} is not trading (status {})", symbol, entry.status));
      }
      return std::move(entry.instrument);
    }
  }
  return make_error(ErrorCode::invalid_argument, fmt::format("the venue does not list {}", symbol));
}

Result<venue::BookTicker> BinanceSpotGateway::book_ticker(std::string_view symbol) {
  Result<HttpResponse> response = send(channel_, spot::book_ticker(symbol));
  if (!response) return response.error();
  return venue::binance::parse_book_ticker(*response);
}

Result<venue::BookSnapshot> BinanceSpotGateway::depth(std::string_view symbol, std::size_t limit) {
  if (limit == 0 || limit > 5000) return make_error(ErrorCode::invalid_argument, "depth limit must be in 1..5000");
  Result<HttpResponse> response = send(channel_, spot::order_book(symbol, static_cast<int>(limit)));
  if (!response) return response.error();
  venue::BookSnapshot snapshot;
  if (Result<void> parsed = venue::binance::parse_order_book(*response, snapshot); !parsed) return parsed.error();
  return snapshot;
}

Result<venue::OrderReport> BinanceSpotGateway::create_order(const venue::NewOrder& order) {
  if (credentials_refused_) return *credentials_refused_;
  Result<HttpResponse> response = send(channel_, spot::new_order(order));
  if (!response) return checked<venue::OrderReport>(response.error());
  return checked(venue::binance::parse_order(*response, Market::spot, Operation::mutation));
}

Result<venue::OrderReport> BinanceSpotGateway::cancel_order(const venue::OrderRef& ref) {
  if (credentials_refused_) return *credentials_refused_;
  Result<HttpResponse> response = send(channel_, spot::cancel_order(ref));
  if (!response) return checked<venue::OrderReport>(response.error());
  return checked(venue::binance::parse_order(*response, Market::spot, Operation::mutation));
}

Result<venue::OrderReport> BinanceSpotGateway::query_order(const venue::OrderRef& ref) {
  if (credentials_refused_) return *credentials_refused_;
  Result<HttpResponse> response = send(channel_, spot::query_order(ref));
  if (!response) return checked<venue::OrderReport>(response.error());
  return checked(venue::binance::parse_order(*response, Market::spot, Operation::read));
}

Result<std::vector<venue::OrderReport>> BinanceSpotGateway::open_orders(std::string_view symbol) {
  if (credentials_refused_) return *credentials_refused_;
  Result<HttpResponse> response = channel_.execute(spot::open_orders(symbol));
  if (!response) return checked<std::vector<venue::OrderReport>>(response.error());
  return checked(venue::binance::parse_orders(*response, Market::spot, Operation::read));
}

Result<std::vector<venue::OrderReport>> BinanceSpotGateway::cancel_open_orders(std::string_view symbol) {
  if (credentials_refused_) return *credentials_refused_;
  Result<HttpResponse> response = send(channel_, spot::cancel_all_orders(symbol));
  if (!response) return checked<std::vector<venue::OrderReport>>(response.error());
  return checked(venue::binance::parse_orders(*response, Market::spot, Operation::mutation));
}

Result<std::vector<venue::AccountTrade>> BinanceSpotGateway::order_trades(std::string_view symbol,
                                                                          std::string_view order_id) {
  if (credentials_refused_) return *credentials_refused_;
  Result<HttpResponse> response = send(channel_, spot::my_trades(symbol, order_id));
  if (!response) return checked<std::vector<venue::AccountTrade>>(response.error());
  return checked(venue::binance::parse_account_trades(*response));
}

Result<std::vector<venue::AccountTrade>> BinanceSpotGateway::recent_trades(std::string_view symbol, std::size_t limit) {
  if (limit == 0 || limit > 1000) {
    return make_error(ErrorCode::invalid_argument, "recent trades limit must be in 1..1000");
  }
  Result<HttpResponse> response = send(channel_, spot::my_trades(symbol, std::nullopt, static_cast<int>(limit)));
  if (!response) return response.error();
  return venue::binance::parse_account_trades(*response);
}

Result<std::vector<venue::Balance>> BinanceSpotGateway::balances() {
  if (credentials_refused_) return *credentials_refused_;
  Result<HttpResponse> response = channel_.execute(spot::account());
  if (!response) return checked<std::vector<venue::Balance>>(response.error());
  return checked(venue::binance::parse_spot_balances(*response));
}

}  // namespace cts::engine
