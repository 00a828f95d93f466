#pragma once
/// \file
/// HMAC-SHA256 and HMAC-SHA512 keyed once per secret and reused for every request.
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

/// HMAC-SHA256 with a key fixed at construction.
///
/// Thread safety: digest() is const and touches only the caller's stack, so any number
/// of threads may call it concurrently on one object. Copying is cheap (two hash states,
/// no allocation). The destructor wipes the key-equivalent states with OPENSSL_cleanse.
class HmacSha256 {
 public:
  /// Size of the MAC in bytes.
  static constexpr std::size_t kDigestSize = 32;
  /// The MAC value.
  using Digest = std::array<std::uint8_t, kDigestSize>;

  /// Keys the MAC with the raw bytes of `key` (any length; keys longer than the 64-byte
  /// block are hashed first, as RFC 2104 says). Throws cts::Exception(internal) if
  /// OpenSSL fails. `key` is not retained.
  explicit HmacSha256(std::string_view key);
  /// Same, for a binary key.
  explicit HmacSha256(std::span<const std::uint8_t> key);
  /// Copies the keyed states (cheap: no allocation).
  HmacSha256(const HmacSha256& other) noexcept = default;
  /// Copies the keyed states.
  HmacSha256& operator=(const HmacSha256& other) noexcept = default;
  /// Wipes the keyed states.
  ~HmacSha256();

  /// HMAC-SHA256(key, message).
  [[nodiscard]] Digest digest(std::string_view message) const noexcept;
  /// HMAC-SHA256(key, parts[0] || parts[1] || ...), without concatenating the parts.
  [[nodiscard]] Digest digest(std::initializer_list<std::string_view> parts) const noexcept;
  /// Same, for parts held in a span.
  [[nodiscard]] Digest digest(std::span<const std::string_view> parts) const noexcept;

 private:
  alignas(8) std::array<unsigned char, 2 * 112> state_{};  // inner and outer SHA256_CTX
};

/// HMAC-SHA512 with a key fixed at construction. Same contract as HmacSha256: digest()
/// is thread-safe on one object, copies are cheap, destruction wipes the states.
class HmacSha512 {
 public:
  /// Size of the MAC in bytes.
  static constexpr std::size_t kDigestSize = 64;
  /// The MAC value.
  using Digest = std::array<std::uint8_t, kDigestSize>;

  /// Keys the MAC with the raw bytes of `key` (keys longer than the 128-byte block are
  /// hashed first). Throws cts::Exception(internal) if OpenSSL fails.
  explicit HmacSha512(std::string_view key);
  /// Same, for a binary key (e.g. Kraken's base64-decoded secret).
  explicit HmacSha512(std::span<const std::uint8_t> key);
  /// Copies the keyed states (cheap: no allocation).
  HmacSha512(const HmacSha512& other) noexcept = default;
  /// Copies the keyed states.
  HmacSha512& operator=(const HmacSha512& other) noexcept = default;
  /// Wipes the keyed states.
  ~HmacSha512();

  /// HMAC-SHA512(key, message).
  [[nodiscard]] Digest digest(std::string_view message) const noexcept;
  /// HMAC-SHA512(key, parts[0] || parts[1] || ...), without concatenating the parts.
  [[nodiscard]] Digest digest(std::initializer_list<std::string_view> parts) const noexcept;
  /// Same, for parts held in a span.
  [[nodiscard]] Digest digest(std::span<const std::string_view> parts) const noexcept;

 private:
  alignas(8) std::array<unsigned char, 2 * 216> state_{};  // inner and outer SHA512_CTX
};

/// Views the bytes of `digest` (or any byte array) as a string_view, e.g. to feed a
/// binary digest into a multi-part HMAC. The view lives as long as `bytes`.
template <std::size_t N>
[[nodiscard]] std::string_view as_chars(const std::array<std::uint8_t, N>& bytes) noexcept {
  return {reinterpret_cast<const char*>(bytes.data()), N};
}

}  // namespace cts::sign
