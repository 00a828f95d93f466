// OrangeX client_signature auth and bearer-token request signing.
#include "cts/sign/orangex.hpp"

#include "common.hpp"

#include <openssl/crypto.h>

namespace cts::sign {

OrangexSigner::OrangexSigner(std::string client_id, const Secret& client_secret)
    : client_id_(std::move(client_id)), mac_(client_secret.reveal()) {
  detail::require_credential("orangex", "client id", !client_id_.empty());
  detail::require_credential("orangex", "client secret", !client_secret.empty());
}

Result<void> OrangexSigner::sign(HttpRequest& request, const SigningContext&) const {
  const std::lock_guard lock(token_mutex_);
  if (token_.empty()) {
    return make_error(ErrorCode::auth_failed, "orangex: no access token; call /public/auth first");
  }
  std::string value = "bearer ";
  value.append(token_.reveal());
  request.set_header("Authorization", value);
  OPENSSL_cleanse(value.data(), value.size());
  return {};
}

std::string OrangexSigner::client_signature(std::int64_t timestamp_ms, std::string_view nonce) const {
  // signature_util.py: StringToSign = client_id\ntimestamp\nnonce\n (trailing newline),
  // hex digest, then to_hex_str() re-encodes the ASCII of that hex as hex.
  const auto once = detail::hex_of(mac_.digest({client_id_, "\n", detail::decimal(timestamp_ms), "\n", nonce, "\n"}));
  return hex_lower(bytes(detail::view(once)));
}

OrangexAuthParams OrangexSigner::auth_params(const SigningContext& context) const {
  OrangexAuthParams params;
  params.client_id = client_id_;
  params.timestamp_ms = to_unix_millis(context.now);
  params.nonce = context.nonce_text.empty() ? detail::random_hex(16) : std::string(context.nonce_text);
  params.signature = client_signature(params.timestamp_ms, params.nonce);
  return params;
}

void OrangexSigner::set_access_token(Secret token) const {
  const std::lock_guard lock(token_mutex_);
  token_ = std::move(token);
}

}  // namespace cts::sign
