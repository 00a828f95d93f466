#pragma once
/// \file
/// HTX (Huobi) signature version 2: AccessKeyId, SignatureMethod, SignatureVersion and
/// Timestamp query parameters; Signature = base64(HMAC-SHA256(secret, METHOD\nhost\npath\n
/// sorted-url-encoded-params)), URL-encoded as the last query parameter
/// (huobiapi.github.io/docs/spot/v1/en/#authentication); and WebSocket v2 auth.

#include <string>

#include "cts/sign/hmac.hpp"
#include "cts/sign/signer.hpp"

namespace cts::sign {

/// HTX REST (signature v2) and WebSocket v2 (signature v2.1) authentication. Thread-safe.
class HtxSigner final : public Signer {
 public:
  /// `host` is the lowercase host the request goes to ("api.huobi.pro" by default;
  /// "api-aws.huobi.pro" must be signed as such). Throws cts::Exception
  /// (invalid_argument) on an empty key or secret.
  HtxSigner(std::string api_key, const Secret& secret, std::string host = "api.huobi.pro");

  [[nodiscard]] VenueId venue() const noexcept override { return VenueId::htx; }
  [[nodiscard]] SignatureSlot signature_slot() const noexcept override {
    return {SignatureSlot::Where::param, "Signature"};
  }
  /// Rewrites the query as every parameter (the caller's plus the four auth ones,
  /// Timestamp = YYYY-MM-DDThh:mm:ss UTC) percent-encoded per RFC 3986 with uppercase
  /// hex, sorted by name in ASCII order, then `&Signature=<url-encoded base64>`. The
  /// body (POST JSON) is not signed, as HTX specifies. Errors (request unchanged):
  /// invalid_argument when the query already carries an auth parameter or a malformed
  /// %-escape.
  [[nodiscard]] Result<void> sign(HttpRequest& request, const SigningContext& context) const override;

  /// The WebSocket v2 auth frame: {"action":"req","ch":"auth","params":{"authType":"api",
  /// "accessKey":..,"signatureMethod":"HmacSHA256","signatureVersion":"2.1","timestamp":..,
  /// "signature":..}}, signed over GET\nhost\n/ws/v2\n<sorted camelCase params>; the
  /// signature is plain base64 (not URL-encoded) inside the JSON.
  [[nodiscard]] std::string ws_auth_frame(SystemTime now) const;
  /// Just the signature of ws_auth_frame().
  [[nodiscard]] std::string ws_auth_signature(SystemTime now) const;

 private:
  std::string api_key_;
  HmacSha256 mac_;
  std::string host_;
};

}  // namespace cts::sign
