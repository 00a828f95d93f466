#pragma once
/// \file
/// Pionex: `timestamp` (ms) query parameter, PIONEX-KEY and PIONEX-SIGNATURE headers,
/// where the signature is hex(HMAC-SHA256(secret, METHOD + path + "?" +
/// sorted_query + body)) (pionex-open-api openapi.yaml and the "Authentication" page).

#include <string>

#include "cts/sign/hmac.hpp"
#include "cts/sign/signer.hpp"

namespace cts::sign {

/// Pionex REST and private WebSocket authentication. Thread-safe.
class PionexSigner final : public Signer {
 public:
  /// Throws cts::Exception(invalid_argument) on an empty key or secret.
  PionexSigner(std::string api_key, const Secret& secret);

  [[nodiscard]] VenueId venue() const noexcept override { return VenueId::pionex; }
  [[nodiscard]] SignatureSlot signature_slot() const noexcept override {
    return {SignatureSlot::Where::header, "PIONEX-SIGNATURE"};
  }
  /// Appends `timestamp` to the query (unless present), then signs METHOD + path + "?" +
  /// the query parameters sorted by name (ASCII), their values decoded ("no URL encoding
  /// for signature values"; a malformed escape is signed as sent), joined with '&' + the
  /// body (the
  /// docs' steps append it for POST and DELETE; a GET has none, and the docs' own GET
  /// example with a body signs it too). The query on the wire keeps its order. Never fails.
  [[nodiscard]] Result<void> sign(HttpRequest& request, const SigningContext& context) const override;

  /// The query of the private WebSocket URL: `key=<key>&timestamp=<ms>&signature=<hex>`,
  /// signature = hex(HMAC-SHA256(secret, "/ws?key=<key>&timestamp=<ms>websocket_auth")).
  [[nodiscard]] std::string ws_auth_query(std::int64_t timestamp_ms) const;

 private:
  std::string api_key_;
  HmacSha256 mac_;
};

}  // namespace cts::sign
