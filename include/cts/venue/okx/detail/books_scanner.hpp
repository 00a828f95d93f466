#pragma once
/// \file
/// Internal: a dedicated scanner for OKX's `books` push in its documented shape
/// (okx.com/docs-v5/en "WebSocket > Order book channel"),
///
///     {"arg":{"channel":"books","instId":"ID"},"action":"snapshot"|"update",
///      "data":[{"asks":[["P","S","0","N"],...],"bids":[...],"ts":"T",
///               "checksum":C,"prevSeqId":P,"seqId":S}]}
///
/// with JSON whitespace wherever JSON allows it and the members of the data object in any
/// order (asks, bids, ts and seqId required, each member at most once). It validates
/// everything it accepts and declines (returns false) anything else: another channel,
/// other members or member order in the frame or in `arg`, unknown members in the data
/// object, escapes, an instId or a level's third or fourth string with a byte outside
/// printable ASCII, a level of other than four strings, prices and sizes that are not
/// 1-8 digits with an optional point and 1-8 decimals, `ts` that is not 1-18 digits, an
/// integer that is not plain (no leading zeros, at most 19 digits, -0, a fraction or an
/// exponent) or out of its range (checksum 32-bit, prevSeqId 64-bit signed, seqId
/// unsigned), trailing content, truncation. The caller then runs the generic simdjson
/// parser, which gives the same BookUpdate for every frame the scanner accepts, tolerates
/// unknown members and diagnoses the rest.
///
/// How: the quote pass and the level conversion of depth_scanner.hpp. A level is eight
/// quote positions; its three inner gaps must be "," and the gap to the next level
/// `"],[` (one compare each; gaps with whitespace the slow way). Price and size, whose
/// forms change from level to level, are converted together without a branch on their
/// forms (parse_level_strings_any_form()).

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "cts/venue/detail/depth_scanner.hpp"
#include "cts/venue/detail/json.hpp"
#include "cts/venue/detail/quote_index.hpp"
#include "cts/venue/okx/book_update.hpp"

namespace cts::venue::okx::detail {

using cts::venue::detail::gap_matches;
using cts::venue::detail::is_json_whitespace;
using cts::venue::detail::is_printable_ascii;
using cts::venue::detail::kNextLevel;
using cts::venue::detail::leading_digit_count;
using cts::venue::detail::load_le32;
using cts::venue::detail::load_le64;
using cts::venue::detail::OkxQuoteIndex;
using cts::venue::detail::parse_level_strings_any_form;
using cts::venue::detail::parse_plain_uint;

/// Scans OKX `books` pushes of the shape above into a BookUpdate. Holds the quote index
/// it reuses from frame to frame; one per thread (thread_books_scanner()).
class BooksScanner {
 public:
  /// Scans `frame` into `out` (its level vectors' capacity reused). True when the frame
  /// was of the handled shape and `out` now holds it; false otherwise, `out` then holding
  /// partial data: the caller must parse the frame another way. Reads only inside `frame`.
  bool scan(std::string_view frame, BookUpdate& out) {
    // Other frames (trades, orders, event replies) are told apart before the quote pass:
    // a books push names its channel within its first bytes.
    if (frame.substr(0, 96).find("\"books\"") == std::string_view::npos) return false;
    if (!quotes_.build(frame, frame.size() / 2 + 16)) return false;
    text_ = frame.data();
    end_ = text_ + frame.size();
    quote_ = quotes_.positions();
    count_ = quotes_.count();
    // {"arg":{"channel":"books","instId":"ID"},"action":"A","data":[{  then quote 16 opens
    // the first member of the data object.
    if (count_ < 18 || !gap_matches(text_, text_ + quote_[0], "{") || !string_is(0, "arg") || !gap_after(1, ":{") ||
        !string_is(2, "channel") || !gap_after(3, ":") || !string_is(4, "books") || !gap_after(5, ",") ||
        !string_is(6, "instId") || !gap_after(7, ":") || !printable(8) || !gap_after(9, "},") ||
        !string_is(10, "action") || !gap_after(11, ":") || !gap_after(13, ",") || !string_is(14, "data") ||
        !gap_after(15, ":[{")) {
      return false;
    }
    if (string_is(12, "snapshot")) {
      out.snapshot = true;
    } else if (string_is(12, "update")) {
      out.snapshot = false;
    } else {
      return false;
    }
    out.channel = "books";
    out.inst_id.assign(text_ + quote_[8] + 1, quote_[9] - quote_[8] - 1);
    return data_members(out);
  }

 private:
  // What follows a member's value: another member, or the end of the data object, of
  // `data` and of the frame.
  enum class After : std::uint8_t { member, end };

  // Members of the data object, one bit each, to refuse repeats and require some.
  enum Member : unsigned { kAsks = 1, kBids = 2, kTs = 4, kChecksum = 8, kPrevSeqId = 16, kSeqId = 32 };

  // Reads the data object's members from quote 16 to the end of the frame.
  bool data_members(BookUpdate& out) {
    unsigned seen = 0;
    out.checksum = 0;
    out.prev_seq_id = -1;
    out.book.sequence = 0;
    std::size_t k = 16;
    After after = After::member;
    while (after == After::member) {
      if (k + 2 > count_) return false;
      const std::string_view key(text_ + quote_[k] + 1, quote_[k + 1] - quote_[k] - 1);
      unsigned member = 0;
      bool ok = false;
      if (key == "asks") {
        member = kAsks;
        ok = side(k, out.book.asks, after);
      } else if (key == "bids") {
        member = kBids;
        ok = side(k, out.book.bids, after);
      } else if (key == "ts") {
        member = kTs;
        ok = timestamp(k, out.book.event_time_ms, after);
      } else if (key == "checksum") {
        member = kChecksum;
        std::int64_t checksum = 0;
        ok = integer(k, checksum, after) && checksum >= INT32_MIN && checksum <= INT32_MAX;
        out.checksum = static_cast<std::int32_t>(checksum);
      } else if (key == "prevSeqId") {
        member = kPrevSeqId;
        ok = integer(k, out.prev_seq_id, after);
      } else if (key == "seqId") {
        member = kSeqId;
        ok = unsigned_integer(k, out.book.last_update_id, after);
      }
      if (!ok || (seen & member) != 0) return false;
      seen |= member;
    }
    return (seen & (kAsks | kBids | kTs | kSeqId)) == (kAsks | kBids | kTs | kSeqId);
  }

  // True when the string opened by quote `opening` is exactly `expected`.
  bool string_is(std::size_t opening, std::string_view expected) const noexcept {
    return quote_[opening + 1] - quote_[opening] - 1 == expected.size() &&
           std::memcmp(text_ + quote_[opening] + 1, expected.data(), expected.size()) == 0;
  }

  // True when the gap between quote `closing` and the next one is `pattern`.
  bool gap_after(std::size_t closing, std::string_view pattern) const noexcept {
    return gap_matches(text_ + quote_[closing] + 1, text_ + quote_[closing + 1], pattern);
  }

  // True when the string opened by quote `opening` holds only printable ASCII (so that
  // simdjson reads the same bytes as valid UTF-8 without escapes). Order counts and the
  // deprecated "0" are short digit strings: one word tells.
  [[gnu::always_inline]] bool printable(std::size_t opening) const noexcept {
    const char* const first = text_ + quote_[opening] + 1;
    const std::size_t size = quote_[opening + 1] - quote_[opening] - 1;
    if (size - 1 < 8 && end_ - first >= 8 && static_cast<std::size_t>(leading_digit_count(load_le64(first))) >= size)
        [[likely]] {
      return true;
    }
    return is_printable_ascii(first, size);
  }

  // Moves `p` past the characters of `pattern` in order, with JSON whitespace before
  // each; false when [p, last) does not start that way.
  static bool consume(const char*& p, const char* last, std::string_view pattern) noexcept {
    for (const char expected : pattern) {
      while (p != last && is_json_whitespace(*p)) ++p;
      if (p == last || *p != expected) return false;
      ++p;
    }
    return true;
  }

  // Reads what ends a member, [p, text + quote[next]): "," before the next member, or
  // "}]}" closing the data object, `data` and the frame, then only whitespace to the end.
  bool separator(const char* p, std::size_t next, After& after) const noexcept {
    const char* const last = text_ + quote_[next];
    if (gap_matches(p, last, ",")) {
      after = After::member;
      return true;
    }
    after = After::end;
    return next == count_ && gap_matches(p, last, "}]}");
  }

  // Reads `"key": "digits"` at quote `k` into `out` (1 to 18 digits, which is what the
  // generic reader's from_chars takes without overflow); advances `k` past it.
  bool timestamp(std::size_t& k, std::int64_t& out, After& after) const noexcept {
    if (k + 4 > count_ || !gap_after(k + 1, ":")) return false;
    const char* digit = text_ + quote_[k + 2] + 1;
    const char* const last = text_ + quote_[k + 3];
    if (digit == last || last - digit > 18) return false;
    std::int64_t value = 0;
    for (; digit != last; ++digit) {
      if (*digit < '0' || *digit > '9') return false;
      value = value * 10 + (*digit - '0');
    }
    out = value;
    if (!separator(text_ + quote_[k + 3] + 1, k + 4, after)) return false;
    k += 4;
    return true;
  }

  // Reads `"key": N` at quote `k`, N a plain JSON integer (an optional minus, no leading
  // zeros, at most 19 digits): its sign and magnitude; advances `k` past the key.
  bool plain_integer(std::size_t& k, bool& negative, std::uint64_t& magnitude, After& after) const noexcept {
    const char* p = text_ + quote_[k + 1] + 1;
    const char* const last = text_ + quote_[k + 2];
    if (!consume(p, last, ":")) return false;
    while (p != last && is_json_whitespace(*p)) ++p;
    negative = p != last && *p == '-';
    if (negative) ++p;
    const char* const number = p;
    while (p != last && *p >= '0' && *p <= '9') ++p;
    if (!parse_plain_uint(number, p, magnitude) || (negative && magnitude == 0)) return false;
    if (!separator(p, k + 2, after)) return false;
    k += 2;
    return true;
  }

  // plain_integer() within the range of std::int64_t.
  bool integer(std::size_t& k, std::int64_t& out, After& after) const noexcept {
    bool negative = false;
    std::uint64_t magnitude = 0;
    if (!plain_integer(k, negative, magnitude, after) || magnitude > static_cast<std::uint64_t>(INT64_MAX)) {
      return false;
    }
    out = negative ? -static_cast<std::int64_t>(magnitude) : static_cast<std::int64_t>(magnitude);
    return true;
  }

  // plain_integer() without a minus.
  bool unsigned_integer(std::size_t& k, std::uint64_t& out, After& after) const noexcept {
    bool negative = false;
    return plain_integer(k, negative, out, after) && !negative;
  }

  // Reads one side at quote `k` (its key): `:[` then levels of four strings, or nothing,
  // then `]` and the member's end; advances `k` to the quote after the side.
  bool side(std::size_t& k, std::vector<PriceLevel>& levels, After& after) const {
    levels.clear();
    const char* p = text_ + quote_[k + 1] + 1;
    const char* const gap_end = text_ + quote_[k + 2];
    k += 2;
    if (!consume(p, gap_end, ":[")) return false;
    while (p != gap_end && is_json_whitespace(*p)) ++p;
    if (p != gap_end && *p == ']') return separator(p + 1, k, after);
    if (!gap_matches(p, gap_end, "[")) return false;
    levels.reserve((count_ - k) / 8);
    for (;;) {
      if (k + 8 > count_) return false;  // quote[k + 8] is at most the sentinel
      const std::uint32_t* const q = quote_ + k;
      // Filled in place (see DepthScanner::side). The strings have the frame's checked
      // beginning ({"arg":... "data":[{) before them: more than the 6 bytes the
      // conversion may read before a string.
      PriceLevel& level = levels.emplace_back();
      if (!parse_level_strings_any_form(text_ + q[0] + 1, q[1] - q[0] - 1, text_ + q[2] + 1, q[3] - q[2] - 1, end_,
                                        level)) {
        return false;
      }
      // "," between the four strings. The third is OKX's deprecated field, always "0":
      // `","0","` from the size's closing quote is then one compare (the quotes in it are
      // the next three the index holds, as the bytes between them are not quotes).
      const bool zero_between =
          end_ - (text_ + q[3]) >= 8 && (load_le64(text_ + q[3]) & kSevenBytes) == kZeroBetweenStrings;
      if (!zero_between || q[2] != q[1] + 2 || text_[q[1] + 1] != ',') [[unlikely]] {
        if (q[2] != q[1] + 2 || q[4] != q[3] + 2 || q[6] != q[5] + 2 || text_[q[1] + 1] != ',' ||
            text_[q[3] + 1] != ',' || text_[q[5] + 1] != ',') {
          if (!gap_after(k + 1, ",") || !gap_after(k + 3, ",") || !gap_after(k + 5, ",")) return false;
        }
        if (!printable(k + 4)) return false;
      }
      if (!printable(k + 6)) return false;
      const std::uint32_t close = q[7];
      const std::uint32_t following = q[8];
      k += 8;
      // "],[ to the next level; anything else (whitespace, the end of the side) the slow way.
      if (following == close + 4 && load_le32(text_ + close) == kNextLevel) [[likely]] {
        continue;
      }
      const char* from = text_ + close + 1;
      const char* const to = text_ + following;
      if (gap_matches(from, to, "],[")) continue;
      return consume(from, to, "]]") && separator(from, k, after);
    }
  }

  // The low seven bytes of a word, and `","0","` in them (first byte lowest).
  static constexpr std::uint64_t kSevenBytes = 0x00FFFFFFFFFFFFFFULL;
  static constexpr std::uint64_t kZeroBetweenStrings = 0x22ULL | (0x2CULL << 8) | (0x22ULL << 16) | (0x30ULL << 24) |
                                                       (0x22ULL << 32) | (0x2CULL << 40) | (0x22ULL << 48);

  OkxQuoteIndex quotes_;
  const char* text_ = nullptr;
  const char* end_ = nullptr;
  const std::uint32_t* quote_ = nullptr;
  std::size_t count_ = 0;
};

/// The calling thread's BooksScanner (its quote index is reused from frame to frame).
inline BooksScanner& thread_books_scanner() {
  thread_local BooksScanner scanner;
  return scanner;
}

}  // namespace cts::venue::okx::detail
