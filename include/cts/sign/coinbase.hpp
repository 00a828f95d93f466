#pragma once
/// \file
/// Coinbase Advanced Trade authentication:
///  - CDP API keys: a JWT per request, `Authorization: Bearer <jwt>`, signed with ES256
///    (P-256 PEM key) or EdDSA (Ed25519 key given as base64 of seed || public key),
///    header {"alg","typ":"JWT","kid":<key name>,"nonce"} and claims {"sub":<key name>,
///    "iss":"cdp","nbf":now,"exp":now+120,"uri":"<METHOD> <host><path>"} (the query is
///    not part of `uri`) — coinbase/coinbase-advanced-py jwt_generator.py;
///  - legacy API keys: CB-ACCESS-KEY/-SIGN/-TIMESTAMP with hex(HMAC-SHA256(secret,
///    seconds + METHOD + requestPath + body)), requestPath without the query for
///    /api/v3 (Advanced Trade) and with it for /v2 (ccxt coinbase.js, citing the docs).

#include <optional>
#include <string>
#include <string_view>

#include "cts/sign/ed25519.hpp"
#include "cts/sign/es256.hpp"
#include "cts/sign/hmac.hpp"
#include "cts/sign/signer.hpp"

namespace cts::sign {

/// Coinbase CDP API key authentication (JWT). Thread-safe.
class CoinbaseJwtSigner final : public Signer {
 public:
  /// `key_name` is the CDP key name (organizations/{org}/apiKeys/{id}, or a bare id);
  /// `secret` is a PEM EC (P-256) or Ed25519 key, or base64 of a 64-byte Ed25519
  /// seed || public key (or a bare 32-byte seed). `host` is the API host the `uri`
  /// claim names. Throws cts::Exception(invalid_argument) for an empty key name or an
  /// unusable secret (the message never quotes it).
  CoinbaseJwtSigner(std::string key_name, const Secret& secret, std::string host = "api.coinbase.com");

  [[nodiscard]] VenueId venue() const noexcept override { return VenueId::coinbase; }
  [[nodiscard]] SignatureSlot signature_slot() const noexcept override {
    return {SignatureSlot::Where::header, "Authorization"};
  }
  /// Sets `Authorization: Bearer <jwt(request.method, request.path, ...)>`. Never fails.
  [[nodiscard]] Result<void> sign(HttpRequest& request, const SigningContext& context) const override;

  /// The JWT for one REST request. `nonce_text` empty means 16 random bytes in hex.
  [[nodiscard]] std::string jwt(HttpMethod method, std::string_view path, SystemTime now,
                                std::string_view nonce_text = {}) const;
  /// The JWT for a WebSocket subscribe message (no `uri` claim).
  [[nodiscard]] std::string ws_jwt(SystemTime now, std::string_view nonce_text = {}) const;
  /// "ES256" or "EdDSA".
  [[nodiscard]] std::string_view algorithm() const noexcept { return es256_ ? "ES256" : "EdDSA"; }

 private:
  [[nodiscard]] std::string build(std::optional<std::string_view> uri, SystemTime now, std::string_view nonce_text) const;

  std::string key_name_;
  std::string host_;
  std::optional<Es256Key> es256_;
  std::optional<Ed25519Key> ed25519_;
};

/// Coinbase legacy API key authentication (CB-ACCESS-* headers). Thread-safe.
class CoinbaseLegacySigner final : public Signer {
 public:
  /// Throws cts::Exception(invalid_argument) on an empty key or secret.
  CoinbaseLegacySigner(std::string api_key, const Secret& secret);

  [[nodiscard]] VenueId venue() const noexcept override { return VenueId::coinbase; }
  [[nodiscard]] SignatureSlot signature_slot() const noexcept override {
    return {SignatureSlot::Where::header, "CB-ACCESS-SIGN"};
  }
  /// Sets CB-ACCESS-KEY, CB-ACCESS-SIGN and CB-ACCESS-TIMESTAMP (Unix seconds). Never fails.
  [[nodiscard]] Result<void> sign(HttpRequest& request, const SigningContext& context) const override;

 private:
  std::string api_key_;
  HmacSha256 mac_;
};

}  // namespace cts::sign
