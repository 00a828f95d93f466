#pragma once
/// \file
/// OKX v5: OK-ACCESS-* headers, base64(HMAC-SHA256(secret, timestamp + METHOD +
/// requestPath[?query] + body)) with an ISO-8601 millisecond timestamp
/// (okx.com/docs-v5 "REST Authentication"), and the WebSocket login frame (Unix
/// seconds, "GET/users/self/verify").

#include <string>

#include "cts/sign/hmac.hpp"
#include "cts/sign/signer.hpp"

namespace cts::sign {

/// OKX v5 REST and WebSocket authentication. Thread-safe.
class OkxSigner final : public Signer {
 public:
  /// Throws cts::Exception(invalid_argument) when the key, secret or passphrase is
  /// empty. The secret is used as raw ASCII (never hex-decoded).
  OkxSigner(std::string api_key, const Secret& secret, Secret passphrase);

  [[nodiscard]] VenueId venue() const noexcept override { return VenueId::okx; }
  [[nodiscard]] SignatureSlot signature_slot() const noexcept override {
    return {SignatureSlot::Where::header, "OK-ACCESS-SIGN"};
  }
  /// Sets OK-ACCESS-KEY, OK-ACCESS-SIGN, OK-ACCESS-TIMESTAMP (e.g.
  /// 2020-12-08T09:08:57.715Z) and OK-ACCESS-PASSPHRASE. Never fails.
  [[nodiscard]] Result<void> sign(HttpRequest& request, const SigningContext& context) const override;

  /// base64(HMAC-SHA256(secret, unix_seconds + "GET" + "/users/self/verify")).
  [[nodiscard]] std::string ws_login_signature(std::int64_t unix_seconds) const;
  /// `{"op":"login","args":[{"apiKey":..,"passphrase":..,"timestamp":"<s>","sign":..}]}`.
  /// The frame carries the passphrase: never log it.
  [[nodiscard]] std::string ws_login_frame(std::int64_t unix_seconds) const;

 private:
  std::string api_key_;
  HmacSha256 mac_;
  Secret passphrase_;
};

}  // namespace cts::sign
