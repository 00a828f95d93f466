#pragma once
/// \file
/// BingX: `timestamp` (ms) and `signature=hex(HMAC-SHA256(secret, params))`, API key in
/// X-BX-APIKEY (BingX API docs v3, "Signature Description"; swap-v2 and spot docs).

#include <cstdint>
#include <optional>
#include <string>

#include "cts/sign/hmac.hpp"
#include "cts/sign/signer.hpp"

namespace cts::sign {

/// BingX REST authentication, in the two forms of the docs:
/// - query string or form body: the same parameter rules as BinanceHmacSigner (unsafe
///   bytes percent-encoded, caller's `timestamp` kept if present, `signature` appended
///   last, query and body concatenated without separator), signed in the order sent;
/// - JSON body (the body starts with `{`): a flat object of scalar members, signed over
///   `key=value&...` with its members sorted a-z (a string's characters without quotes,
///   other values as written), `recvWindow`/`timestamp` added unless present and
///   `signature` added last, all into the object; the query must be empty.
/// Thread-safe.
class BingxSigner final : public Signer {
 public:
  /// Throws cts::Exception(invalid_argument) on an empty key or secret.
  BingxSigner(std::string api_key, const Secret& secret, std::optional<std::int64_t> recv_window_ms = std::nullopt);

  [[nodiscard]] VenueId venue() const noexcept override { return VenueId::bingx; }
  [[nodiscard]] SignatureSlot signature_slot() const noexcept override {
    return {SignatureSlot::Where::param, "signature"};
  }
  /// Adds `recvWindow`, `timestamp`, `signature` and X-BX-APIKEY. Errors:
  /// invalid_argument (request unchanged) when the request already carries a signature,
  /// or has a JSON body that is not a flat object without string escapes, or has both a
  /// JSON body and a query.
  [[nodiscard]] Result<void> sign(HttpRequest& request, const SigningContext& context) const override;
  /// Adds X-BX-APIKEY only: the listen-key requests are keyed, not signed (swap-v2
  /// "generate Listen Key": `curl -X POST ... --header "X-BX-APIKEY:..."`).
  [[nodiscard]] Result<void> add_api_key(HttpRequest& request) const override;

 private:
  /// The JSON-body form of sign().
  [[nodiscard]] Result<void> sign_json_body(HttpRequest& request, std::int64_t now_ms) const;

  std::string api_key_;
  HmacSha256 mac_;
  std::optional<std::int64_t> recv_window_ms_;
};

}  // namespace cts::sign
