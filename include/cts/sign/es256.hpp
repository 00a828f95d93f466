#pragma once
/// \file
/// ECDSA P-256 with SHA-256 in JWS form (ES256, RFC 7518 §3.4): the signature is the
/// raw 64-byte r || s, not the DER that OpenSSL produces. For Coinbase CDP API keys.

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "cts/core/result.hpp"

namespace cts::sign {

/// A P-256 private key. Copies share the same immutable key; sign() is thread-safe.
class Es256Key {
 public:
  /// Parses a PEM holding a P-256 key: SEC1 ("-----BEGIN EC PRIVATE KEY-----", as
  /// Coinbase issues) or PKCS#8 ("-----BEGIN PRIVATE KEY-----"). Errors:
  /// invalid_argument for malformed PEM, another key type or another curve.
  static Result<Es256Key> from_pem(std::string_view pem);

  /// ES256 signature of `message`: SHA-256, ECDSA with a random k, r || s as two
  /// 32-byte big-endian integers, s normalised to the low half (s <= n/2). Throws
  /// cts::Exception(internal) only if OpenSSL fails.
  [[nodiscard]] std::array<std::uint8_t, 64> sign(std::string_view message) const;
  /// True when `signature` (r || s) is a valid ES256 signature of `message` under this
  /// key's public half.
  [[nodiscard]] bool verify(std::string_view message, std::span<const std::uint8_t, 64> signature) const;

  struct Impl;  ///< Opaque OpenSSL key holder.

 private:
  explicit Es256Key(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

}  // namespace cts::sign
