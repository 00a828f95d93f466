#pragma once
/// \file
/// Internal: CRC-32 as zlib, gzip and PNG compute it (ISO-HDLC: reflected polynomial
/// 0xEDB88320, initial value and final XOR 0xFFFFFFFF), fed in pieces. OKX checks its
/// order books with it; nothing here depends on zlib.

#include <array>
#include <cstdint>
#include <string_view>

namespace cts::detail {

/// The byte-at-a-time table of the reflected polynomial 0xEDB88320.
inline constexpr std::array<std::uint32_t, 256> kCrc32Table = [] {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int bit = 0; bit < 8; ++bit) c = (c & 1u) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[i] = c;
  }
  return table;
}();

/// A running CRC-32: update() with each piece, then value(). crc32("123456789") is
/// 0xCBF43926.
class Crc32 {
 public:
  /// Adds `bytes`.
  constexpr void update(std::string_view bytes) noexcept {
    for (const char c : bytes) state_ = kCrc32Table[(state_ ^ static_cast<unsigned char>(c)) & 0xFFu] ^ (state_ >> 8);
  }
  /// The CRC of everything added so far.
  [[nodiscard]] constexpr std::uint32_t value() const noexcept { return state_ ^ 0xFFFFFFFFu; }

 private:
  std::uint32_t state_ = 0xFFFFFFFFu;
};

/// The CRC-32 of `bytes`.
constexpr std::uint32_t crc32(std::string_view bytes) noexcept {
  Crc32 crc;
  crc.update(bytes);
  return crc.value();
}

}  // namespace cts::detail
