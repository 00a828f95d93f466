#pragma once
/// \file
/// Gate APIv4: KEY, Timestamp (Unix seconds) and SIGN headers, where
/// SIGN = hex(HMAC-SHA512(secret, METHOD\npath\nquery\nhex(SHA512(body))\ntimestamp))
/// (gate.com/docs/developers/apiv4 "API Signature string generation"); and the
/// WebSocket v4 channel auth signature.

#include <string>
#include <string_view>

#include "cts/sign/hmac.hpp"
#include "cts/sign/signer.hpp"

namespace cts::sign {

/// Gate APIv4 REST and WebSocket authentication. Thread-safe.
class GateSigner final : public Signer {
 public:
  /// Throws cts::Exception(invalid_argument) on an empty key or secret.
  GateSigner(std::string api_key, const Secret& secret);

  [[nodiscard]] VenueId venue() const noexcept override { return VenueId::gate; }
  [[nodiscard]] SignatureSlot signature_slot() const noexcept override { return {SignatureSlot::Where::header, "SIGN"}; }
  /// Sets KEY, Timestamp and SIGN. request.path must be the full path, /api/v4
  /// included; the query is signed exactly as sent. Never fails.
  [[nodiscard]] Result<void> sign(HttpRequest& request, const SigningContext& context) const override;

  /// hex(HMAC-SHA512(secret, "channel=<channel>&event=<event>&time=<unix_seconds>")),
  /// the SIGN of a WebSocket v4 `auth` object ({"method":"api_key","KEY":..,"SIGN":..}).
  [[nodiscard]] std::string ws_channel_signature(std::string_view channel, std::string_view event,
                                                 std::int64_t unix_seconds) const;

 private:
  std::string api_key_;
  HmacSha512 mac_;
};

}  // namespace cts::sign
