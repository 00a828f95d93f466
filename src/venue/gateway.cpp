#include "cts/venue/gateway.hpp"

#include <fmt/format.h>

namespace cts::venue {

Result<std::vector<OrderReport>> Gateway::cancel_open_orders(std::string_view symbol) {
  return make_error(ErrorCode::unsupported, fmt::format("the venue has no cancel-all (symbol {})", symbol));
}

Result<std::vector<Position>> Gateway::positions(std::string_view symbol) {
  return make_error(ErrorCode::unsupported, fmt::format("this market has no positions (symbol {})", symbol));
}

Result<ApiPermissions> Gateway::api_permissions() {
  return make_error(ErrorCode::unsupported, "the connector cannot read the API key's permissions from the venue");
}

Result<std::string> Gateway::open_user_stream_key() {
  return make_error(ErrorCode::unsupported, "the venue's private stream takes no listen key");
}

Result<void> Gateway::extend_user_stream_key(std::string_view) {
  return make_error(ErrorCode::unsupported, "the venue's private stream takes no listen key");
}

Result<void> Gateway::close_user_stream_key(std::string_view) {
  return make_error(ErrorCode::unsupported, "the venue's private stream takes no listen key");
}

Result<void> Gateway::arm_dead_man_switch(std::chrono::seconds) {
  return make_error(ErrorCode::unsupported, "the venue has no dead-man switch (cancel-all-after) in cts");
}

}  // namespace cts::venue
