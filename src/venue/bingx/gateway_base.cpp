// What BingX's swap and spot gateways share.
#include "cts/venue/bingx/gateway_base.hpp"

#include <algorithm>
#include <cstdint>
#include <utility>

#include <fmt/format.h>

#include "cts/core/error.hpp"
#include "cts/venue/bingx/replies.hpp"
#include "cts/venue/bingx/requests.hpp"

namespace cts::venue::bingx {

Result<std::int64_t> GatewayBase::server_time_ms() {
  Result<HttpResponse> response = sender_.execute(server_time());
  if (!response) return response.error();
  return parse_server_time(*response);
}

Result<Instrument> GatewayBase::listed_instrument(std::vector<ListedInstrument>& listed, std::string_view symbol,
                                                  std::string_view market) {
  for (ListedInstrument& entry : listed) {
    if (entry.instrument.venue_symbol != symbol) continue;
    if (!entry.trading()) {
      return make_error(ErrorCode::rejected, fmt::format("{} is not trading (status {})", symbol, entry.status));
    }
    return std::move(entry.instrument);
  }
  return make_error(ErrorCode::invalid_argument, fmt::format("bingx does not list {} as {}", symbol, market));
}

Result<std::string> GatewayBase::open_user_stream_key() {
  return latch_.call(sender_, create_listen_key(), parse_listen_key);
}

Result<void> GatewayBase::extend_user_stream_key(std::string_view key) {
  return latch_.call(sender_, listen_key_request(HttpMethod::put, key), parse_listen_key_ack);
}

Result<void> GatewayBase::close_user_stream_key(std::string_view key) {
  return latch_.call(sender_, listen_key_request(HttpMethod::delete_, key), parse_listen_key_ack);
}

Result<void> GatewayBase::arm_dead_man_switch(std::chrono::seconds timeout) {
  Result<CancelAllAfterAck> ack =
      cancel_all_after(static_cast<int>(std::clamp<std::int64_t>(timeout.count(), -1, INT32_MAX)));
  if (!ack) return ack.error();
  return {};
}

}  // namespace cts::venue::bingx
