// Fuzz target "orangex_rest": every OrangeX reply parser (cts/venue/orangex/replies.hpp,
// rpc.hpp) on any input (the fixtures tests/fixtures/orangex/*.json are seeds). The
// input is a JSON-RPC reply, read as the answer to the call whose id its first `"id":`
// names (so that the fuzzer reaches past the id check), as a 200 and as a 400. Properties:
// nothing crashes or throws; every error carries a valid ErrorCode and a message and is
// never an internal error; a venue error keeps the venue's code; what a parser accepts
// holds what it promises (ids and names not empty, positive tick and step, a token with
// a positive lifetime, a non-negative cancel count).
#include <charconv>
#include <cstdint>
#include <string_view>

#include "cts/venue/orangex/replies.hpp"
#include "fuzz_target.hpp"

namespace {

using cts::fuzz::require;
namespace orangex = cts::venue::orangex;
using cts::venue::Operation;

// The integer after the first `"id":` of `input`, 0 when there is none.
std::int64_t first_call_id(std::string_view input) {
  const std::size_t at = input.find("\"id\":");
  if (at == std::string_view::npos) return 0;
  std::int64_t id = 0;
  const std::string_view rest = input.substr(at + 5);
  std::from_chars(rest.data(), rest.data() + rest.size(), id);
  return id;
}

template <class T>
void check_orangex(const cts::Result<T>& result) {
  if (result) return;
  cts::fuzz::require_reply_error(result.error());
}

void parse_all_orangex(const cts::HttpResponse& response, std::int64_t id) {
  if (const auto token = orangex::parse_auth(response, id)) {
    require(!token->access_token.empty() && token->expires_in_s > 0, "a token has a value and a lifetime");
  } else {
    cts::fuzz::require_reply_error(token.error());
  }
  check_orangex(orangex::parse_server_time(response, id));
  if (const auto listed = orangex::parse_instrument(response, id)) {
    require(listed->instrument.tick_size.is_positive() && listed->instrument.step_size.is_positive(),
            "an instrument has a positive tick and step");
  } else {
    cts::fuzz::require_reply_error(listed.error());
  }
  check_orangex(orangex::parse_order_book(response, id));
  check_orangex(orangex::parse_ticker(response, id));
  for (const Operation operation : {Operation::read, Operation::mutation}) {
    const auto reply = orangex::parse_order_reply(response, id, operation);
    if (reply) {
      require(!reply->order_id.empty() && !reply->symbol.empty(), "an order has an id and an instrument");
    } else {
      cts::fuzz::require_reply_error(reply.error());
      if (reply.error().code == cts::ErrorCode::unknown_outcome) {
        require(operation == Operation::mutation || response.status >= 500, "only a mutation's outcome is unknown");
      }
    }
    check_orangex(orangex::parse_order(response, id, operation));
  }
  if (const auto orders = orangex::parse_orders(response, id)) {
    for (const auto& order : *orders) require(!order.order_id.empty(), "every listed order has an id");
  } else {
    cts::fuzz::require_reply_error(orders.error());
  }
  if (const auto count = orangex::parse_cancel_count(response, id)) {
    require(*count >= 0, "a cancel count is not negative");
  } else {
    cts::fuzz::require_reply_error(count.error());
    const bool venue_error = !count.error().venue_code.empty();
    require(!venue_error || count.error().message.starts_with("orangex "), "a venue error names the venue");
  }
  if (const auto trades = orangex::parse_user_trades(response, id)) {
    for (const auto& trade : *trades) require(!trade.id.empty() && !trade.order_id.empty(), "a trade has its ids");
  } else {
    cts::fuzz::require_reply_error(trades.error());
  }
  check_orangex(orangex::parse_account_summary(response, id));
  check_orangex(orangex::parse_position(response, id));
}

}  // namespace

CTS_FUZZ_TARGET(orangex_rest) {
  cts::HttpResponse response;
  response.body.assign(input);
  const std::int64_t id = first_call_id(input);
  response.status = 200;
  parse_all_orangex(response, id);
  response.status = 400;
  parse_all_orangex(response, id);
}
