#pragma once
/// \file
/// BingX: `timestamp` (ms) and `signature=hex(HMAC-SHA256(secret, query + body))`
/// parameters, API key in X-BX-APIKEY (BingX swap-v2 and spot API docs, "Signature").

#include <optional>
#include <string>

#include "cts/sign/hmac.hpp"
#include "cts/sign/signer.hpp"

namespace cts::sign {

/// BingX REST authentication; the same parameter rules as BinanceHmacSigner
/// (unsafe bytes percent-encoded, caller's `timestamp` kept if present, `signature`
/// appended last, query and body concatenated without separator). Parameters are
/// signed in the order given: the server accepts any order as long as the bytes signed
/// are the bytes sent. Thread-safe.
class BingxSigner final : public Signer {
 public:
  /// Throws cts::Exception(invalid_argument) on an empty key or secret.
  BingxSigner(std::string api_key, const Secret& secret, std::optional<std::int64_t> recv_window_ms = std::nullopt);

  [[nodiscard]] VenueId venue() const noexcept override { return VenueId::bingx; }
  [[nodiscard]] SignatureSlot signature_slot() const noexcept override {
    return {SignatureSlot::Where::param, "signature"};
  }
  /// Adds `recvWindow`, `timestamp`, `signature` and X-BX-APIKEY. Errors:
  /// invalid_argument when the request already carries a signature.
  [[nodiscard]] Result<void> sign(HttpRequest& request, const SigningContext& context) const override;

 private:
  std::string api_key_;
  HmacSha256 mac_;
  std::optional<std::int64_t> recv_window_ms_;
};

}  // namespace cts::sign
