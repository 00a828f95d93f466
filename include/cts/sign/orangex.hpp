#pragma once
/// \file
/// OrangeX (JSON-RPC 2.0, Deribit-style): `/public/auth` with grant_type
/// client_signature, where signature = hex(ascii(hex(HMAC-SHA256(client_secret,
/// client_id + "\n" + timestamp + "\n" + nonce + "\n")))) — the official SDK's
/// "double hex" (OrangeX-Global/orangex-api-python, signature_util.py); then every
/// private call carries `Authorization: bearer <access_token>`.
///
/// Sources are thin (no public docs were available); the double-hex form is what the
/// official SDK sends and its self-test vector is reproduced exactly.

#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "cts/sign/hmac.hpp"
#include "cts/sign/signer.hpp"

namespace cts::sign {

/// The params of a `/public/auth` client_signature call.
struct OrangexAuthParams {
  std::string client_id;  ///< The API client id.
  std::int64_t timestamp_ms = 0;  ///< Milliseconds since the epoch.
  std::string nonce;      ///< Any string; a fresh random one per call.
  std::string signature;  ///< 128 hex chars (double hex).
};

/// OrangeX authentication. Thread-safe: the access token is guarded by a mutex.
class OrangexSigner final : public Signer {
 public:
  /// Throws cts::Exception(invalid_argument) on an empty client id or secret.
  OrangexSigner(std::string client_id, const Secret& client_secret);

  [[nodiscard]] VenueId venue() const noexcept override { return VenueId::orangex; }
  [[nodiscard]] SignatureSlot signature_slot() const noexcept override {
    return {SignatureSlot::Where::header, "Authorization"};
  }
  /// Sets `Authorization: bearer <access_token>`. Errors: auth_failed when no token
  /// has been set (call /public/auth with auth_params() first).
  [[nodiscard]] Result<void> sign(HttpRequest& request, const SigningContext& context) const override;

  /// The `/public/auth` params for `context` (timestamp = now in ms; nonce =
  /// context.nonce_text, or 16 random bytes in hex when empty).
  [[nodiscard]] OrangexAuthParams auth_params(const SigningContext& context) const;
  /// The double-hex client_signature for the given timestamp and nonce.
  [[nodiscard]] std::string client_signature(std::int64_t timestamp_ms, std::string_view nonce) const;
  /// Stores the access token returned by /public/auth (replacing any previous one). The
  /// token is the session's state, not the key's: a const signer takes it (the gateway
  /// that logs in holds the connection's signer as const).
  void set_access_token(Secret token) const;

 private:
  std::string client_id_;
  HmacSha256 mac_;
  mutable std::mutex token_mutex_;
  mutable Secret token_;
};

}  // namespace cts::sign
