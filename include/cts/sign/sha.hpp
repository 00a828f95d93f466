#pragma once
/// \file
/// SHA-256 and SHA-512 digests (OpenSSL-backed; no allocation, no provider fetch per call).

#include <array>
#include <cstdint>
#include <initializer_list>
#include <string_view>

namespace cts::sign {

/// SHA-256 of `data`.
[[nodiscard]] std::array<std::uint8_t, 32> sha256(std::string_view data) noexcept;
/// SHA-256 of parts[0] || parts[1] || ..., without concatenating them.
[[nodiscard]] std::array<std::uint8_t, 32> sha256(std::initializer_list<std::string_view> parts) noexcept;
/// SHA-512 of `data`.
[[nodiscard]] std::array<std::uint8_t, 64> sha512(std::string_view data) noexcept;

}  // namespace cts::sign
