// Fuzz target "orangex": every OrangeX parser of outside input on any input (the
// fixtures tests/fixtures/orangex/*.json are seeds). The input is read as a JSON-RPC
// reply by every reply parser (cts/venue/orangex/replies.hpp, rpc.hpp), as the answer to
// the call whose id its first `"id":` names (so that the fuzzer reaches past the id
// check), as a 200 and as a 400; and as a WebSocket frame by parse_stream_frame() and
// the two stream protocols (streams.hpp: the book channel, after a snapshot; and
// user_stream.hpp: orders, trades, portfolio, the login and subscribe replies).
// Properties: nothing crashes or throws; every error carries a valid ErrorCode and a
// message and is never an internal error; a venue error keeps the venue's code; what a
// parser accepts holds what it promises (ids and names not empty, positive tick and
// step, a token with a positive lifetime, a non-negative cancel count, a book event
// with its instrument and change_id, a streamed order with its ids, a streamed fill
// with a trade id, a balance with its currency; a synced book is never crossed).
#include <charconv>
#include <cstdint>
#include <string_view>
#include <variant>

#include "cts/sign/orangex.hpp"
#include "cts/venue/orangex/replies.hpp"
#include "cts/venue/orangex/streams.hpp"
#include "cts/venue/orangex/user_stream.hpp"
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

// The input as one WebSocket frame: the classifier, the book protocol (fed a snapshot
// first, so that a book event reaches the synced path) and the private stream.
void read_orangex_frame(std::string_view input) {
  if (const auto frame = orangex::parse_stream_frame(input)) {
    if (const auto* book = std::get_if<orangex::BookEvent>(&*frame)) {
      require(!book->instrument.empty() && book->change_id > 0, "a book event names its instrument and change_id");
    }
  } else {
    cts::fuzz::require_reply_error(frame.error());
  }

  orangex::PublicMarketStream market("BTC-USDT-PERPETUAL");
  cts::venue::BookSnapshot snapshot;
  snapshot.last_update_id = 0;
  snapshot.bids.push_back({cts::Decimal::parse("1").value(), cts::Decimal::parse("1").value()});
  snapshot.asks.push_back({cts::Decimal::parse("2").value(), cts::Decimal::parse("1").value()});
  if (const auto loaded = market.on_snapshot(snapshot); !loaded) cts::fuzz::require_reply_error(loaded.error());
  if (const auto change = market.on_message(input); !change) cts::fuzz::require_reply_error(change.error());
  require(!market.synced() || !market.book().crossed(), "a synced book is never crossed");

  static const cts::sign::OrangexSigner signer("fuzz-client", cts::sign::Secret("fuzz-secret"));
  orangex::PrivateUserStream user(signer);
  user.follow_symbol("BTC-USDT-PERPETUAL");
  // Twice: the second read joins trades to the order states the first one kept.
  for (int pass = 0; pass < 2; ++pass) {
    const auto events = user.on_message(input);
    if (!events) {
      cts::fuzz::require_reply_error(events.error());
      continue;
    }
    for (const auto& event : *events) {
      if (const auto* update = std::get_if<cts::venue::OrderUpdate>(&event)) {
        require(!update->order.order_id.empty() && !update->order.symbol.empty(), "a streamed order has its ids");
        require(!update->last_fill || !update->last_fill->trade_id.empty(), "a streamed fill has a trade id");
      } else if (const auto* balances = std::get_if<cts::venue::BalancesUpdate>(&event)) {
        for (const auto& balance : balances->balances) require(!balance.asset.empty(), "a balance names its currency");
      }
    }
  }
}

}  // namespace

CTS_FUZZ_TARGET(orangex) {
  cts::HttpResponse response;
  response.body.assign(input);
  const std::int64_t id = first_call_id(input);
  response.status = 200;
  parse_all_orangex(response, id);
  response.status = 400;
  parse_all_orangex(response, id);
  read_orangex_frame(input);
}
