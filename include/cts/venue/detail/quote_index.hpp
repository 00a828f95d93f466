#pragma once
/// \file
/// Internal: the positions of every '"' in a text, found 64 bytes at a time (SSE2 on
/// x86-64, 64-bit SWAR elsewhere). A scanner that accepts no escapes can then see each
/// string as the bytes between two consecutive quotes and everything else as the gaps
/// between them, without a byte-by-byte search whose latency chains one level to the next.

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace cts::venue::detail {

/// One bit per byte of the 64 bytes at `block` (first byte lowest): set where the byte
/// is '"'. Portable 64-bit SWAR; all 64 bytes must be readable.
inline std::uint64_t quote_bits_64_portable(const char* block) noexcept {
  std::uint64_t bits = 0;
  for (int i = 0; i < 8; ++i) {
    std::uint64_t word;
    std::memcpy(&word, block + std::ptrdiff_t{8} * i, 8);
    if constexpr (std::endian::native == std::endian::big) word = __builtin_bswap64(word);
    // Exact zero-byte test (no borrow between bytes): 0x80 in each byte that was '"'.
    const std::uint64_t x = word ^ 0x2222222222222222ULL;
    const std::uint64_t zero = ~(((x & 0x7F7F7F7F7F7F7F7FULL) + 0x7F7F7F7F7F7F7F7FULL) | x | 0x7F7F7F7F7F7F7F7FULL);
    // Gather the eight 0x80 flags into one byte (each lands on its own bit).
    bits |= (((zero >> 7) * 0x0102040810204080ULL) >> 56) << (8 * i);
  }
  return bits;
}

/// quote_bits_64_portable() with SSE2 where available (every x86-64 CPU).
[[gnu::always_inline]] inline std::uint64_t quote_bits_64(const char* block) noexcept {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  auto sixteen = [&](int i) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(block + std::ptrdiff_t{16} * i));
    return static_cast<std::uint64_t>(static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, quote))));
  };
  return sixteen(0) | (sixteen(1) << 16) | (sixteen(2) << 32) | (sixteen(3) << 48);
#else
  return quote_bits_64_portable(block);
#endif
}

/// The ascending positions of every '"' in a text, followed by one sentinel equal to the
/// text's size. Reused from text to text: after the first few it allocates nothing.
/// `Unconditional` positions are written per 64-byte block without a branch: about the
/// quotes a block of the texts indexed holds (see QuoteIndex and OkxQuoteIndex).
template <int Unconditional>
class BasicQuoteIndex {
 public:
  /// Indexes `text`. Returns false (the index is then unusable) when the text is 4 GiB
  /// or longer or holds more than `max_quotes` quotes; the caller then has no use for it.
  bool build(std::string_view text, std::size_t max_quotes) {
    if (text.size() >= (std::uint64_t{1} << 32) - 64) return false;
    // Room for the unconditional writes of a whole block past the last counted quote.
    reserve(max_quotes + kBlock + 1);
    std::uint32_t* const first = positions_.get();
    std::uint32_t* const out = find_quotes(text, first, max_quotes);
    if (out == nullptr) return false;
    count_ = static_cast<std::size_t>(out - first);
    *out = static_cast<std::uint32_t>(text.size());
    return true;
  }

  /// Number of quotes found by the last successful build().
  [[nodiscard]] std::size_t count() const noexcept { return count_; }
  /// The positions: count() quotes, then the sentinel (the text's size).
  [[nodiscard]] const std::uint32_t* positions() const noexcept { return positions_.get(); }

 private:
  static constexpr std::size_t kBlock = 64;
  static constexpr int kUnconditional = Unconditional;

  void reserve(std::size_t entries) {
    if (entries <= capacity_) return;
    positions_ = std::make_unique_for_overwrite<std::uint32_t[]>(entries);
    capacity_ = entries;
  }

  // Writes the positions from `first` on; returns the end, or nullptr past `limit`.
  [[gnu::always_inline]] static std::uint32_t* find_quotes_inline(std::string_view text, std::uint32_t* const first,
                                                                  std::size_t limit) noexcept {
    std::uint32_t* out = first;
    const char* const data = text.data();
    const std::size_t whole = text.size() / kBlock * kBlock;
    for (std::size_t base = 0; base < whole; base += kBlock) {
      append(out, quote_bits_64(data + base), static_cast<std::uint32_t>(base));
      if (static_cast<std::size_t>(out - first) > limit) return nullptr;
    }
    if (whole < text.size()) {
      char tail[kBlock] = {};
      std::memcpy(tail, data + whole, text.size() - whole);
      append(out, quote_bits_64(tail), static_cast<std::uint32_t>(whole));
      if (static_cast<std::size_t>(out - first) > limit) return nullptr;
    }
    return out;
  }

#if defined(__x86_64__) && !defined(__POPCNT__)
  // Baseline x86-64 has no popcnt (GCC would call a library routine for every block)
  // nor tzcnt: the same loop compiled for the CPUs that have them (all since 2013).
  [[gnu::target("popcnt,bmi")]] static std::uint32_t* find_quotes_popcnt(std::string_view text, std::uint32_t* first,
                                                                         std::size_t limit) noexcept {
    return find_quotes_inline(text, first, limit);
  }
  static std::uint32_t* find_quotes_baseline(std::string_view text, std::uint32_t* first, std::size_t limit) noexcept {
    return find_quotes_inline(text, first, limit);
  }
  static std::uint32_t* find_quotes(std::string_view text, std::uint32_t* first, std::size_t limit) noexcept {
    static const bool has_popcnt = __builtin_cpu_supports("popcnt") && __builtin_cpu_supports("bmi");
    return has_popcnt ? find_quotes_popcnt(text, first, limit) : find_quotes_baseline(text, first, limit);
  }
#else
  static std::uint32_t* find_quotes(std::string_view text, std::uint32_t* first, std::size_t limit) noexcept {
    return find_quotes_inline(text, first, limit);
  }
#endif

  // The index of the lowest set bit of `bits`; any value when bits is 0 (the slots
  // written then are junk past the end). On x86-64 one tzcnt (bsf on CPUs without BMI,
  // the same for non-zero input): std::countr_zero's defined result for 0 costs GCC a
  // branch per slot, mispredicted wherever the count of quotes per block varies.
  [[gnu::always_inline]] static std::uint32_t lowest_bit_index(std::uint64_t bits) noexcept {
#if defined(__x86_64__)
    std::uint64_t index;
    asm("tzcnt %1, %0" : "=r"(index) : "r"(bits) : "cc");
    return static_cast<std::uint32_t>(index);
#else
    return static_cast<std::uint32_t>(std::countr_zero(bits));
#endif
  }

  // Appends base + the position of every set bit of `bits`. The first kUnconditional
  // slots are written whatever the count (the extra ones hold junk past the new end).
  [[gnu::always_inline]] static void append(std::uint32_t*& out, std::uint64_t bits, std::uint32_t base) noexcept {
    const int count = std::popcount(bits);
    for (int i = 0; i < kUnconditional; ++i) {
      out[i] = base + lowest_bit_index(bits);
      bits &= bits - 1;
    }
    if (count > kUnconditional) [[unlikely]] {
      for (int i = kUnconditional; i < count; ++i) {
        out[i] = base + lowest_bit_index(bits);
        bits &= bits - 1;
      }
    }
    out += count;
  }

  std::unique_ptr<std::uint32_t[]> positions_;
  std::size_t capacity_ = 0;
  std::size_t count_ = 0;
};

/// The index for depth replies: a level ("64231.57000000" and "0.01500000" with their
/// brackets) takes about 32 bytes and holds 4 quotes, so a block rarely holds more than 8
/// and the branch for the rest is rarely taken.
using QuoteIndex = BasicQuoteIndex<8>;

/// The index for OKX books pushes: a level (["64231.6","0.015","0","3"]) takes about 30
/// bytes and holds 8 quotes, so a block holds up to about 18.
using OkxQuoteIndex = BasicQuoteIndex<16>;

}  // namespace cts::venue::detail
