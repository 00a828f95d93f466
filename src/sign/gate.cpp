// Gate APIv4 REST and WebSocket authentication.
#include "cts/sign/gate.hpp"

#include "common.hpp"
#include "cts/sign/sha.hpp"

namespace cts::sign {

GateSigner::GateSigner(std::string api_key, const Secret& secret) : api_key_(std::move(api_key)), mac_(secret.reveal()) {
  detail::require_credential("gate", "API key", !api_key_.empty());
  detail::require_credential("gate", "secret", !secret.empty());
}

Result<void> GateSigner::sign(HttpRequest& request, const SigningContext& context) const {
  detail::encode_unsafe_bytes(request.query);
  const std::string timestamp = detail::decimal(detail::unix_seconds(context.now));
  const auto body_hash = detail::hex_of(sha512(request.body));
  const auto sig = detail::hex_of(mac_.digest({to_string(request.method), "\n", request.path, "\n", request.query, "\n",
                                               detail::view(body_hash), "\n", timestamp}));
  request.set_header("KEY", api_key_);
  request.set_header("Timestamp", timestamp);
  request.set_header("SIGN", detail::view(sig));
  return {};
}

std::string GateSigner::ws_channel_signature(std::string_view channel, std::string_view event,
                                             std::int64_t unix_seconds) const {
  return hex_lower(
      mac_.digest({"channel=", channel, "&event=", event, "&time=", detail::decimal(unix_seconds)}));
}

}  // namespace cts::sign
