#pragma once
/// \file
/// Bybit v5: X-BAPI-* headers, HMAC-SHA256 lowercase hex over
/// timestamp + api_key + recv_window + (query for GET | body otherwise)
/// (bybit-exchange/docs v5/guide.mdx "Authentication"), and the private WebSocket
/// `auth` frame (v5/websocket/wss-authentication.mdx).

#include <string>

#include "cts/sign/hmac.hpp"
#include "cts/sign/signer.hpp"

namespace cts::sign {

/// Bybit v5 REST and WebSocket authentication. Thread-safe.
class BybitSigner final : public Signer {
 public:
  /// Throws cts::Exception(invalid_argument) on an empty key or secret or a
  /// non-positive window. `recv_window_ms` is sent as X-BAPI-RECV-WINDOW.
  BybitSigner(std::string api_key, const Secret& secret, std::int64_t recv_window_ms = 5000);

  [[nodiscard]] VenueId venue() const noexcept override { return VenueId::bybit; }
  [[nodiscard]] SignatureSlot signature_slot() const noexcept override {
    return {SignatureSlot::Where::header, "X-BAPI-SIGN"};
  }
  /// Sets X-BAPI-API-KEY, X-BAPI-TIMESTAMP (ms), X-BAPI-RECV-WINDOW and X-BAPI-SIGN.
  /// GET signs the query (as sent: unsafe bytes are percent-encoded first), any other
  /// method the body. Never fails for a well-formed request.
  [[nodiscard]] Result<void> sign(HttpRequest& request, const SigningContext& context) const override;

  /// hex(HMAC-SHA256(secret, "GET/realtime" + expires_ms)).
  [[nodiscard]] std::string ws_auth_signature(std::int64_t expires_ms) const;
  /// `{"op":"auth","args":["<key>",<expires_ms>,"<signature>"]}`; `expires_ms` is a
  /// future time in ms (now + a few seconds).
  [[nodiscard]] std::string ws_auth_frame(std::int64_t expires_ms) const;

 private:
  std::string api_key_;
  HmacSha256 mac_;
  std::string recv_window_;
  std::string key_and_window_;  // api_key_ + recv_window_, the middle of every signed text
};

}  // namespace cts::sign
