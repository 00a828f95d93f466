#pragma once
/// \file
/// Internal: CRC-32 as zlib, gzip and PNG compute it (ISO-HDLC: reflected polynomial
/// 0xEDB88320, initial value and final XOR 0xFFFFFFFF), fed in pieces. OKX checks its
/// order books with it; nothing here depends on zlib.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace cts::detail {

/// The tables of the reflected polynomial 0xEDB88320 for eight bytes at a time
/// ("slicing by 8"): kCrc32Tables[0] is the byte-at-a-time table, kCrc32Tables[k][i] the
/// CRC state of byte i followed by k zero bytes.
inline constexpr std::array<std::array<std::uint32_t, 256>, 8> kCrc32Tables = [] {
  std::array<std::array<std::uint32_t, 256>, 8> tables{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int bit = 0; bit < 8; ++bit) c = (c & 1u) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    tables[0][i] = c;
  }
  for (std::size_t k = 1; k < 8; ++k) {
    for (std::size_t i = 0; i < 256; ++i) {
      const std::uint32_t previous = tables[k - 1][i];
      tables[k][i] = (previous >> 8) ^ tables[0][previous & 0xFFu];
    }
  }
  return tables;
}();

/// A running CRC-32: update() with each piece, then value(). crc32("123456789") is
/// 0xCBF43926.
class Crc32 {
 public:
  /// Adds `bytes`, eight at a time (one lookup in each of the eight tables, independent
  /// of one another) and the rest one at a time.
  constexpr void update(std::string_view bytes) noexcept {
    const auto& t = kCrc32Tables;
    const char* p = bytes.data();
    std::size_t left = bytes.size();
    std::uint32_t c = state_;
    const auto byte = [&](std::size_t i) { return static_cast<std::uint32_t>(static_cast<unsigned char>(p[i])); };
    for (; left >= 8; left -= 8, p += 8) {
      const std::uint32_t low = c ^ (byte(0) | byte(1) << 8 | byte(2) << 16 | byte(3) << 24);
      const std::uint32_t high = byte(4) | byte(5) << 8 | byte(6) << 16 | byte(7) << 24;
      c = t[7][low & 0xFFu] ^ t[6][(low >> 8) & 0xFFu] ^ t[5][(low >> 16) & 0xFFu] ^ t[4][low >> 24] ^
          t[3][high & 0xFFu] ^ t[2][(high >> 8) & 0xFFu] ^ t[1][(high >> 16) & 0xFFu] ^ t[0][high >> 24];
    }
    for (; left > 0; --left, ++p) c = t[0][(c ^ byte(0)) & 0xFFu] ^ (c >> 8);
    state_ = c;
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
