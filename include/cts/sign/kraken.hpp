#pragma once
/// \file
/// Kraken spot REST: API-Key and API-Sign headers, where
/// API-Sign = base64(HMAC-SHA512(base64decode(secret), uri_path || SHA256(nonce || postdata)))
/// and `nonce` is the first form parameter of the body, strictly increasing per key
/// (docs.kraken.com/api/docs/guides/spot-rest-auth).

#include <atomic>
#include <cstdint>
#include <string>

#include "cts/sign/hmac.hpp"
#include "cts/sign/signer.hpp"

namespace cts::sign {

/// Kraken spot REST authentication with a strictly increasing nonce.
///
/// Nonces: without SigningContext::nonce, the nonce is max(last + 1, now in ms), so it
/// follows the wall clock and stays ahead of every nonce issued before — also across
/// restarts, because a restarted process starts from the (later) clock, and the
/// counter runs ahead of the clock by at most the number of requests issued in the
/// same millisecond. A deployment that restores state from a journal can also call
/// raise_nonce_floor() with the last nonce it persisted. An explicit nonce must exceed
/// every nonce issued before; otherwise sign() fails and nothing is signed.
/// Thread-safe: the high-water mark is an atomic; concurrent sign() calls get distinct
/// increasing nonces (Kraken may still see them out of order on the wire: use one key
/// per concurrent worker, as Kraken advises).
class KrakenSigner final : public Signer {
 public:
  /// Throws cts::Exception(invalid_argument) on an empty key or secret, or a secret
  /// that is not valid base64 (the message never quotes it).
  KrakenSigner(std::string api_key, const Secret& secret_base64);

  [[nodiscard]] VenueId venue() const noexcept override { return VenueId::kraken; }
  [[nodiscard]] SignatureSlot signature_slot() const noexcept override {
    return {SignatureSlot::Where::header, "API-Sign"};
  }
  /// Prepends `nonce=<n>` to the form body, then sets API-Key and API-Sign (over
  /// request.path, which must start with /0/private/). Errors (request unchanged):
  /// invalid_argument when the body already has a nonce or the explicit nonce does
  /// not exceed the last one issued.
  [[nodiscard]] Result<void> sign(HttpRequest& request, const SigningContext& context) const override;

  /// The largest nonce issued so far (0 before the first).
  [[nodiscard]] std::uint64_t last_nonce() const noexcept { return last_nonce_.load(std::memory_order_acquire); }
  /// Ensures every later nonce exceeds `floor` (e.g. the last nonce a journal persisted).
  void raise_nonce_floor(std::uint64_t floor) noexcept;

 private:
  std::string api_key_;
  HmacSha512 mac_;
  mutable std::atomic<std::uint64_t> last_nonce_{0};
};

}  // namespace cts::sign
