// OKX v5 REST and WebSocket authentication.
#include "cts/sign/okx.hpp"

#include "cts/core/json_string.hpp"

#include "common.hpp"

namespace cts::sign {

OkxSigner::OkxSigner(std::string api_key, const Secret& secret, Secret passphrase)
    : api_key_(std::move(api_key)), mac_(secret.reveal()), passphrase_(std::move(passphrase)) {
  detail::require_credential("okx", "API key", !api_key_.empty());
  detail::require_credential("okx", "secret", !secret.empty());
  detail::require_credential("okx", "passphrase", !passphrase_.empty());
}

Result<void> OkxSigner::sign(HttpRequest& request, const SigningContext& context) const {
  detail::encode_unsafe_bytes(request.query);
  const detail::TimestampText timestamp = detail::iso8601_millis(context.now);
  // "timestamp + method + requestPath + body"; for GET the query belongs to requestPath.
  const std::string_view question = request.query.empty() ? std::string_view{} : std::string_view{"?"};
  const auto sig = detail::base64_of(
      mac_.digest({timestamp.view(), to_string(request.method), request.path, question, request.query, request.body}));
  request.set_header("OK-ACCESS-KEY", api_key_);
  request.set_header("OK-ACCESS-SIGN", detail::view(sig));
  request.set_header("OK-ACCESS-TIMESTAMP", timestamp.view());
  request.set_header("OK-ACCESS-PASSPHRASE", passphrase_.reveal());
  return {};
}

std::string OkxSigner::ws_login_signature(std::int64_t unix_seconds) const {
  return base64_encode(mac_.digest({detail::decimal(unix_seconds), "GET", "/users/self/verify"}));
}

std::string OkxSigner::ws_login_frame(std::int64_t unix_seconds) const {
  return fmt::format(R"({{"op":"login","args":[{{"apiKey":{},"passphrase":{},"timestamp":"{}","sign":"{}"}}]}})",
                     cts::json_string(api_key_), cts::json_string(passphrase_.reveal()), unix_seconds,
                     ws_login_signature(unix_seconds));
}

}  // namespace cts::sign
