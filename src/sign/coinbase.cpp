// Coinbase Advanced Trade: CDP JWT (ES256 / EdDSA) and legacy HMAC.
#include "cts/sign/coinbase.hpp"

#include <openssl/crypto.h>

#include "cts/core/json_string.hpp"

#include "common.hpp"

namespace cts::sign {
namespace {

[[noreturn]] void bad_key(std::string_view why) { throw Exception(detail::bad_request("coinbase", why)); }

}  // namespace

CoinbaseJwtSigner::CoinbaseJwtSigner(std::string key_name, const Secret& secret, std::string host)
    : key_name_(std::move(key_name)), host_(host.empty() ? std::string("api.coinbase.com") : std::move(host)) {
  detail::require_credential("coinbase", "key name", !key_name_.empty());
  detail::require_credential("coinbase", "secret", !secret.empty());
  const std::string_view text = secret.reveal();
  if (text.find("-----BEGIN") != std::string_view::npos) {
    if (auto ec = Es256Key::from_pem(text)) {
      es256_ = std::move(*ec);
    } else if (auto ed = Ed25519Key::from_pem(text)) {
      ed25519_ = std::move(*ed);
    } else {
      bad_key("secret is a PEM but neither a P-256 EC key nor an Ed25519 key");
    }
    return;
  }
  auto raw = base64_decode(text);
  if (!raw || (raw->size() != 64 && raw->size() != 32)) {
    if (raw) OPENSSL_cleanse(raw->data(), raw->size());
    bad_key("secret is neither a PEM key nor base64 of a 32- or 64-byte Ed25519 key");
  }
  const auto* seed = reinterpret_cast<const std::uint8_t*>(raw->data());
  auto key = Ed25519Key::from_seed(std::span<const std::uint8_t>(seed, 32));
  const bool consistent = key && (raw->size() == 32 || std::equal(seed + 32, seed + 64, key->public_key().begin()));
  OPENSSL_cleanse(raw->data(), raw->size());
  if (!consistent) bad_key("Ed25519 secret: the public half does not match the seed");
  ed25519_ = std::move(*key);
}

std::string CoinbaseJwtSigner::build(std::optional<std::string_view> uri, SystemTime now,
                                     std::string_view nonce_text) const {
  const std::string nonce = nonce_text.empty() ? detail::random_hex(16) : std::string(nonce_text);
  const std::int64_t nbf = detail::unix_seconds(now);
  const std::string header = fmt::format(R"({{"alg":"{}","typ":"JWT","kid":{},"nonce":{}}})", algorithm(),
                                         cts::json_string(key_name_), cts::json_string(nonce));
  std::string payload =
      fmt::format(R"({{"sub":{},"iss":"cdp","nbf":{},"exp":{})", cts::json_string(key_name_), nbf, nbf + 120);
  if (uri) payload += fmt::format(R"(,"uri":{})", cts::json_string(*uri));
  payload.push_back('}');
  std::string jwt = base64url_encode(bytes(header));
  jwt.push_back('.');
  jwt += base64url_encode(bytes(payload));
  const auto signature = es256_ ? es256_->sign(jwt) : ed25519_->sign(jwt);
  jwt.push_back('.');
  jwt += base64url_encode(signature);
  return jwt;
}

std::string CoinbaseJwtSigner::jwt(HttpMethod method, std::string_view path, SystemTime now,
                                   std::string_view nonce_text) const {
  // jwt_generator.py: uri = f"{request_method} {request_host}{request_path}".
  const std::string uri = fmt::format("{} {}{}", to_string(method), host_, path);
  return build(uri, now, nonce_text);
}

std::string CoinbaseJwtSigner::ws_jwt(SystemTime now, std::string_view nonce_text) const {
  return build(std::nullopt, now, nonce_text);
}

Result<void> CoinbaseJwtSigner::sign(HttpRequest& request, const SigningContext& context) const {
  request.set_header("Authorization", "Bearer " + jwt(request.method, request.path, context.now, context.nonce_text));
  return {};
}

CoinbaseLegacySigner::CoinbaseLegacySigner(std::string api_key, const Secret& secret)
    : api_key_(std::move(api_key)), mac_(secret.reveal()) {
  detail::require_credential("coinbase", "API key", !api_key_.empty());
  detail::require_credential("coinbase", "secret", !secret.empty());
}

Result<void> CoinbaseLegacySigner::sign(HttpRequest& request, const SigningContext& context) const {
  detail::encode_unsafe_bytes(request.query);
  const std::string timestamp = detail::decimal(detail::unix_seconds(context.now));
  // Advanced Trade (/api/v3) signs the path without the query; the v2 API signs it with.
  const bool with_query = !request.query.empty() && request.path.rfind("/api/v3/", 0) != 0;
  const std::string_view question = with_query ? std::string_view("?") : std::string_view{};
  const std::string_view query = with_query ? std::string_view(request.query) : std::string_view{};
  const auto sig =
      detail::hex_of(mac_.digest({timestamp, to_string(request.method), request.path, question, query, request.body}));
  request.set_header("CB-ACCESS-KEY", api_key_);
  request.set_header("CB-ACCESS-SIGN", detail::view(sig));
  request.set_header("CB-ACCESS-TIMESTAMP", timestamp);
  return {};
}

}  // namespace cts::sign
