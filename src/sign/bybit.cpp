// Bybit v5 REST and WebSocket authentication.
#include "cts/sign/bybit.hpp"

#include <array>
#include <charconv>
#include <cstring>

#include "cts/core/json_string.hpp"

#include "common.hpp"

namespace cts::sign {

BybitSigner::BybitSigner(std::string api_key, const Secret& secret, std::int64_t recv_window_ms)
    : api_key_(std::move(api_key)),
      mac_(secret.reveal()),
      recv_window_(detail::decimal(recv_window_ms)),
      key_and_window_(api_key_ + recv_window_) {
  detail::require_credential("bybit", "API key", !api_key_.empty());
  detail::require_credential("bybit", "secret", !secret.empty());
  if (recv_window_ms <= 0) throw Exception(detail::bad_request("bybit", "recv window must be positive"));
}

Result<void> BybitSigner::sign(HttpRequest& request, const SigningContext& context) const {
  detail::encode_unsafe_bytes(request.query);
  // The signed prefix timestamp + api_key + recv_window written into one stack buffer:
  // one hash update instead of three, and nothing allocated for the timestamp.
  std::array<char, 128> prefix;
  const std::int64_t now_ms = to_unix_millis(context.now);
  char* const digits_end = std::to_chars(prefix.data(), prefix.data() + 20, now_ms).ptr;
  const std::string_view timestamp(prefix.data(), static_cast<std::size_t>(digits_end - prefix.data()));
  // guide.mdx: GET signs timestamp+api_key+recv_window+queryString, POST ...+jsonBodyString.
  const std::string_view payload = request.method == HttpMethod::get ? request.query : request.body;
  HmacSha256::Digest digest;
  if (key_and_window_.size() <= prefix.size() - timestamp.size()) {
    std::memcpy(digits_end, key_and_window_.data(), key_and_window_.size());
    digest = mac_.digest({std::string_view(prefix.data(), timestamp.size() + key_and_window_.size()), payload});
  } else {
    digest = mac_.digest({timestamp, key_and_window_, payload});
  }
  const auto hex = detail::hex_of(digest);
  request.set_header("X-BAPI-API-KEY", api_key_);
  request.set_header("X-BAPI-TIMESTAMP", timestamp);
  request.set_header("X-BAPI-RECV-WINDOW", recv_window_);
  request.set_header("X-BAPI-SIGN", detail::view(hex));
  return {};
}

std::string BybitSigner::ws_auth_signature(std::int64_t expires_ms) const {
  return hex_lower(mac_.digest({"GET/realtime", detail::decimal(expires_ms)}));
}

std::string BybitSigner::ws_auth_frame(std::int64_t expires_ms) const {
  return fmt::format(R"({{"op":"auth","args":[{},{},"{}"]}})", cts::json_string(api_key_), expires_ms,
                     ws_auth_signature(expires_ms));
}

}  // namespace cts::sign
