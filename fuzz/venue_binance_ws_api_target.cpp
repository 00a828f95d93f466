// Fuzz target "binance_ws_api": the reply reader of Binance's WebSocket API
// (cts/venue/binance/ws_api.hpp) on any input. The input is a frame for parse_reply()
// (the fixtures tests/fixtures/binance/spot_wsapi_*.json are seeds); a reply it accepts
// goes through every outcome reader (an order, open orders, both halves of a
// cancel-replace, a session) and usage_headers(). Properties: nothing crashes or throws;
// every error carries a valid ErrorCode and a message and is never an internal error; a
// refusal keeps Binance's code when the reply's error names one; usage_headers() writes
// at most the three usage headers the rate policy reads, each a decimal count.
#include <string_view>

#include "cts/core/http.hpp"
#include "cts/venue/binance/ws_api.hpp"
#include "fuzz_target.hpp"

namespace {

using cts::fuzz::require;
namespace ws_api = cts::venue::binance::ws_api;

// Checks a result's error, if it has one.
template <class T>
void check_result(const cts::Result<T>& result) {
  if (!result) cts::fuzz::require_reply_error(result.error());
}

// True for a non-empty run of decimal digits, with a leading minus at most.
bool is_count(std::string_view text) {
  if (!text.empty() && text.front() == '-') text.remove_prefix(1);
  if (text.empty()) return false;
  for (const char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

CTS_FUZZ_TARGET(binance_ws_api) {
  const auto reply = ws_api::parse_reply(input);
  if (!reply) {
    cts::fuzz::require_reply_error(reply.error());
    return;
  }
  if (reply->event) return;
  for (const auto operation : {cts::venue::Operation::read, cts::venue::Operation::mutation}) {
    if (reply->status != 200) cts::fuzz::require_reply_error(ws_api::reply_error(*reply, operation));
    check_result(ws_api::order_outcome(*reply, operation));
  }
  check_result(ws_api::orders_outcome(*reply));
  if (const auto halves = ws_api::cancel_replace_outcome(*reply); !halves) {
    cts::fuzz::require_reply_error(halves.error());
  } else {
    check_result(halves->cancel);
    if (halves->placed) check_result(*halves->placed);
  }
  check_result(ws_api::session_outcome(*reply));

  cts::HttpResponse usage;
  const std::size_t written = ws_api::usage_headers(*reply, usage);
  require(written <= reply->rate_limits.size(), "one header at most per rateLimits entry");
  std::size_t seen = 0;
  for (const auto header : usage.headers) {
    require(header.name == "X-MBX-USED-WEIGHT-1M" || header.name == "X-MBX-ORDER-COUNT-10S" ||
                header.name == "X-MBX-ORDER-COUNT-1D",
            "only the usage headers the rate policy reads");
    require(is_count(header.value), "a usage header is a decimal count");
    ++seen;
  }
  require(seen <= 3, "at most the three usage headers");
}
