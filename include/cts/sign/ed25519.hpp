#pragma once
/// \file
/// Ed25519 signing keys (RFC 8032), for Binance Ed25519 API keys and Coinbase CDP
/// EdDSA keys. OpenSSL-backed; no OpenSSL type appears here.

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "cts/core/result.hpp"

namespace cts::sign {

/// An Ed25519 private key. Copies share the same immutable key; sign() is thread-safe.
class Ed25519Key {
 public:
  /// The key whose 32-byte RFC 8032 seed ("secret key") is `seed`. Errors:
  /// invalid_argument when `seed` is not 32 bytes.
  static Result<Ed25519Key> from_seed(std::span<const std::uint8_t> seed);
  /// Parses a PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----") holding an Ed25519 key.
  /// Errors: invalid_argument for malformed PEM or another key type (the message
  /// never quotes the PEM).
  static Result<Ed25519Key> from_pem(std::string_view pem);

  /// The 64-byte signature of `message` (deterministic, RFC 8032 §5.1.6). Throws
  /// cts::Exception(internal) only if OpenSSL fails.
  [[nodiscard]] std::array<std::uint8_t, 64> sign(std::string_view message) const;
  /// The 32-byte public key.
  [[nodiscard]] std::array<std::uint8_t, 32> public_key() const;

  struct Impl;  ///< Opaque OpenSSL key holder.

 private:
  explicit Ed25519Key(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

/// True when `signature` is a valid Ed25519 signature of `message` under `public_key`.
[[nodiscard]] bool ed25519_verify(std::span<const std::uint8_t, 32> public_key, std::string_view message,
                                  std::span<const std::uint8_t, 64> signature);

}  // namespace cts::sign
