// Fuzz target "venue_rest": every Binance REST reply parser on the input as the body.
//
// The input is the body as it is (so the fixtures in tests/fixtures/binance are seeds),
// given to every parser with status 200 and, for the error mapping, once more with a
// non-2xx status chosen by the input's length. Properties: no parser crashes or
// throws; every error carries a valid ErrorCode and a message; at status 200 a
// reply parser fails only with protocol_error (a bad body is never mistaken for a
// venue verdict); the events derived from a parsed order reply either build or fail
// with invalid_argument.
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "cts/venue/binance/instruments.hpp"
#include "cts/venue/binance/order_events.hpp"
#include "cts/venue/binance/rest_parsers.hpp"
#include "fuzz_target.hpp"

namespace {

using cts::ErrorCode;
using cts::fuzz::require;
using namespace cts::venue::binance;
using cts::venue::OrderReport;

constexpr std::array kErrorStatuses = {400, 401, 403, 404, 408, 409, 418, 429, 500, 502, 503, 504, 302};

// Checks a parser's result for a reply of `status`.
template <class R>
void check(const R& result, int status) {
  if (result) return;
  const cts::Error& error = result.error();
  require(static_cast<std::size_t>(error.code) < cts::kErrorCodeCount, "an error carries a valid ErrorCode");
  require(!error.message.empty(), "an error says what is wrong");
  if (status == 200) require(error.code == ErrorCode::protocol_error, "a 200 reply fails only with protocol_error");
  if (status != 200) require(error.code != ErrorCode::internal, "an error reply is never an internal error");
}

void check_events(const cts::Result<OrderReport>& report) {
  if (!report) return;
  std::vector<cts::order::OrderEvent> events;
  const auto built = append_order_events(*report, events);
  if (!built)
    require(built.error().code == ErrorCode::invalid_argument, "order events fail only with invalid_argument");
}

void parse_all(const cts::HttpResponse& response) {
  const int status = response.status;
  check(parse_server_time(response), status);
  check(parse_order_book(response), status);
  check(parse_trades(response), status);
  check(parse_book_ticker(response), status);
  for (const Market market : {Market::spot, Market::usdm}) {
    for (const Operation operation : {Operation::read, Operation::mutation}) {
      const auto order = parse_order(response, market, operation);
      check(order, status);
      check_events(order);
      const auto orders = parse_orders(response, market, operation);
      check(orders, status);
      if (orders) {
        for (const OrderReport& report : *orders) check_events(report);
      }
    }
    check(parse_instruments(response, market), status);
  }
  check(parse_spot_balances(response), status);
  check(parse_futures_balances(response), status);
  check(parse_account_trades(response), status);
  check(parse_positions(response), status);
  check(parse_leverage(response), status);
  check(parse_listen_key(response), status);
  check(parse_listen_key_reply(response), status);
  const auto batch = parse_batch_orders(response);
  check(batch, status);
  if (batch) {
    for (const auto& item : *batch) {
      if (item) check_events(item);
      if (!item) require(!item.error().message.empty(), "a batch item's error says what is wrong");
    }
  }
  // The acknowledgement maps a {"code":..,"msg":..} body: its verdicts are not
  // protocol errors, so only validity is checked.
  check(parse_acknowledgement(response, Operation::mutation), 0);
  check(parse_acknowledgement(response, Operation::read), 0);
}

}  // namespace

CTS_FUZZ_TARGET(venue_rest) {
  cts::HttpResponse response;
  response.body.assign(input);
  response.status = 200;
  parse_all(response);
  response.status = kErrorStatuses[input.size() % kErrorStatuses.size()];
  if (input.size() % 3 == 0) response.headers.push_back({"Retry-After", std::string(input.substr(0, 24))});
  parse_all(response);
  const auto body = parse_error_body(input);
  if (body) require(body->msg.size() <= input.size(), "an error body's message comes from the body");
}
