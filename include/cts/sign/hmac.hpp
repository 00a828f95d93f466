#pragma once
/// \file
/// HMAC-SHA256 and HMAC-SHA512 (one class template) keyed once per secret and reused for
/// every request.
///
/// The key is absorbed once at construction into precomputed inner and outer hash
/// states (RFC 2104); each digest() copies those states and hashes only the message,
/// which is what makes per-request signing cost about one hash of the message instead
/// of an OpenSSL one-shot HMAC() (provider fetch + allocation per call, ~10x slower).
/// No OpenSSL type appears here: the states live in opaque inline storage.

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string_view>

namespace cts::sign {

/// The hash function of an Hmac.
enum class HmacHash : std::uint8_t {
  sha256,  ///< SHA-256: 64-byte blocks, 32-byte MAC.
  sha512,  ///< SHA-512: 128-byte blocks, 64-byte MAC.
};

/// HMAC (RFC 2104) over the SHA-2 function `H`, with a key fixed at construction. Use
/// the aliases HmacSha256 and HmacSha512.
///
/// Thread safety: digest() is const and touches only the caller's stack, so any number
/// of threads may call it concurrently on one object. Copying is cheap (two hash states,
/// no allocation). The destructor wipes the key-equivalent states with OPENSSL_cleanse.
template <HmacHash H>
class Hmac {
 public:
  /// Size of the MAC in bytes.
  static constexpr std::size_t kDigestSize = H == HmacHash::sha256 ? 32 : 64;
  /// The MAC value.
  using Digest = std::array<std::uint8_t, kDigestSize>;

  /// Keys the MAC with the raw bytes of `key` (any length; keys longer than the hash's
  /// block, 64 or 128 bytes, are hashed first, as RFC 2104 says). Throws
  /// cts::Exception(internal) if OpenSSL fails. `key` is not retained.
  explicit Hmac(std::string_view key);
  /// Same, for a binary key (e.g. Kraken's base64-decoded secret).
  explicit Hmac(std::span<const std::uint8_t> key);
  /// Copies the keyed states (cheap: no allocation).
  Hmac(const Hmac& other) noexcept = default;
  /// Copies the keyed states.
  Hmac& operator=(const Hmac& other) noexcept = default;
  /// Wipes the keyed states.
  ~Hmac();

  /// HMAC(key, message).
  [[nodiscard]] Digest digest(std::string_view message) const noexcept;
  /// HMAC(key, parts[0] || parts[1] || ...), without concatenating the parts.
  [[nodiscard]] Digest digest(std::initializer_list<std::string_view> parts) const noexcept;
  /// Same, for parts held in a span.
  [[nodiscard]] Digest digest(std::span<const std::string_view> parts) const noexcept;

 private:
  // Room for the inner and outer SHA256_CTX (2 x 112 bytes) or SHA512_CTX (2 x 216).
  static constexpr std::size_t kStateBytes = H == HmacHash::sha256 ? 2 * 112 : 2 * 216;
  alignas(8) std::array<unsigned char, kStateBytes> state_{};
};

// Both instantiations are compiled once, in src/sign/hmac.cpp.
extern template class Hmac<HmacHash::sha256>;
extern template class Hmac<HmacHash::sha512>;

/// HMAC-SHA256 with a key fixed at construction.
using HmacSha256 = Hmac<HmacHash::sha256>;
/// HMAC-SHA512 with a key fixed at construction.
using HmacSha512 = Hmac<HmacHash::sha512>;

/// Views the bytes of `digest` (or any byte array) as a string_view, e.g. to feed a
/// binary digest into a multi-part HMAC. The view lives as long as `bytes`.
template <std::size_t N>
[[nodiscard]] std::string_view as_chars(const std::array<std::uint8_t, N>& bytes) noexcept {
  return {reinterpret_cast<const char*>(bytes.data()), N};
}

}  // namespace cts::sign
