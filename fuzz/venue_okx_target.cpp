// Fuzz target "okx_ws_orders": the reply parser of OKX's WebSocket order entry
// (cts/venue/okx/ws_orders.hpp) on any input. The input is a frame for
// parse_ws_order_reply() (the fixtures tests/fixtures/okx/ws_order*.json,
// ws_cancel_order*.json, ws_amend_order*.json and ws_batch_*.json are seeds); a reply it
// accepts goes through ws_order_ack(), ws_batch_outcomes() and a WsOrderCorrelator
// awaiting a request of its id and op. Properties: nothing crashes or throws; every
// error carries a valid ErrorCode and a message and is never an internal error; a
// request refused as a whole and every refused item keep OKX's code; the correlator
// matches a reply to the request it was told about.
#include <string_view>

#include "cts/venue/okx/ws_orders.hpp"
#include "fuzz_target.hpp"

namespace {

using cts::fuzz::require;
namespace okx = cts::venue::okx;

}  // namespace

CTS_FUZZ_TARGET(okx_ws_orders) {
  const auto reply = okx::parse_ws_order_reply(input);
  if (!reply) {
    cts::fuzz::require_reply_error(reply.error());
    return;
  }
  if (reply->error) {
    cts::fuzz::require_reply_error(*reply->error);
    require(!reply->error->venue_code.empty(), "a request refused as a whole keeps OKX's code");
    require(reply->items.empty(), "a request refused as a whole has no items");
  }
  for (const okx::ItemOutcome& item : reply->items) {
    if (!item.error) continue;
    cts::fuzz::require_reply_error(*item.error);
    require(!item.error->venue_code.empty(), "a refused item keeps its sCode");
  }
  if (const auto ack = okx::ws_order_ack(*reply); !ack) cts::fuzz::require_reply_error(ack.error());
  if (const auto outcomes = okx::ws_batch_outcomes(*reply); !outcomes) cts::fuzz::require_reply_error(outcomes.error());

  okx::WsOrderCorrelator correlator;
  okx::WsOrderFrame sent;
  sent.id = reply->id;
  sent.op = reply->op;
  sent.items = reply->items.size();
  require(static_cast<bool>(correlator.sent(sent)), "a first request is recorded");
  const auto matched = correlator.answer(*reply);
  require(matched.has_value() && matched->op == reply->op, "a reply matches the request of its id and op");
  require(correlator.awaiting() == 0, "an answered request no longer awaits");
}
