// Kraken spot REST authentication.
#include "cts/sign/kraken.hpp"

#include <openssl/crypto.h>

#include "common.hpp"
#include "cts/sign/sha.hpp"

namespace cts::sign {
namespace {

HmacSha512 key_from_base64(const Secret& secret) {
  detail::require_credential("kraken", "secret", !secret.empty());
  auto decoded = base64_decode(secret.reveal());
  if (!decoded) throw Exception(detail::bad_request("kraken", "secret is not valid base64 (" + decoded.error().message + ")"));
  HmacSha512 mac{std::string_view(*decoded)};
  OPENSSL_cleanse(decoded->data(), decoded->size());
  return mac;
}

}  // namespace

KrakenSigner::KrakenSigner(std::string api_key, const Secret& secret_base64)
    : api_key_(std::move(api_key)), mac_(key_from_base64(secret_base64)) {
  detail::require_credential("kraken", "API key", !api_key_.empty());
}

void KrakenSigner::raise_nonce_floor(std::uint64_t floor) noexcept {
  std::uint64_t last = last_nonce_.load(std::memory_order_acquire);
  while (last < floor && !last_nonce_.compare_exchange_weak(last, floor, std::memory_order_acq_rel)) {
  }
}

Result<void> KrakenSigner::sign(HttpRequest& request, const SigningContext& context) const {
  if (find_param(request.body, "nonce")) return detail::bad_request("kraken", "body already carries a nonce");
  std::uint64_t last = last_nonce_.load(std::memory_order_acquire);
  std::uint64_t nonce = 0;
  do {
    if (context.nonce) {
      if (*context.nonce <= last) {
        return detail::bad_request(
            "kraken", fmt::format("nonce {} does not exceed the last nonce issued ({}); Kraken would reject it",
                                  *context.nonce, last));
      }
      nonce = *context.nonce;
    } else {
      const auto now_ms = static_cast<std::uint64_t>(std::max<std::int64_t>(0, to_unix_millis(context.now)));
      nonce = std::max(last + 1, now_ms);
    }
  } while (!last_nonce_.compare_exchange_weak(last, nonce, std::memory_order_acq_rel));

  detail::encode_unsafe_bytes(request.body);
  std::string body;
  body.reserve(request.body.size() + 28);
  append_param(body, "nonce", nonce);
  const std::size_t nonce_digits = body.size() - 6;
  if (!request.body.empty()) {
    body.push_back('&');
    body.append(request.body);
  }
  request.body.swap(body);
  const std::string_view nonce_text = std::string_view(request.body).substr(6, nonce_digits);
  const auto inner = sha256({nonce_text, request.body});
  const auto sig = detail::base64_of(mac_.digest({request.path, as_chars(inner)}));
  request.set_header("API-Key", api_key_);
  request.set_header("API-Sign", detail::view(sig));
  return {};
}

}  // namespace cts::sign
