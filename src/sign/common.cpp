// Internal helpers shared by the venue schemes.
#include "common.hpp"

#include "cts/sign/binance.hpp"

#include <algorithm>
#include <bit>
#include <charconv>
#include <chrono>
#include <cstring>

#if defined(__SSE2__)
#include <immintrin.h>
#endif

#include <openssl/crypto.h>
#include <openssl/rand.h>

namespace cts::sign::detail {
namespace {

constexpr std::array<bool, 256> raw_ok_table() {
  std::array<bool, 256> table{};
  for (int c = 0x21; c < 0x7f; ++c) table[static_cast<std::size_t>(c)] = true;
  for (char c : std::string_view("\"#<>[\\]^`{|}")) table[static_cast<unsigned char>(c)] = false;
  return table;
}
constexpr auto kRawOk = raw_ok_table();

struct Civil {
  std::int64_t year;
  unsigned month, day, hour, minute, second, millis;
};

// The UTC calendar date and time of day of `t`, to the millisecond (floor).
Civil civil(SystemTime t) {
  const auto ms = std::chrono::floor<std::chrono::milliseconds>(t);
  const auto day = std::chrono::floor<std::chrono::days>(ms);
  const std::chrono::year_month_day date{day};
  const std::chrono::hh_mm_ss time{ms - day};
  return {static_cast<int>(date.year()),
          static_cast<unsigned>(date.month()),
          static_cast<unsigned>(date.day()),
          static_cast<unsigned>(time.hours().count()),
          static_cast<unsigned>(time.minutes().count()),
          static_cast<unsigned>(time.seconds().count()),
          static_cast<unsigned>(time.subseconds().count())};
}

}  // namespace

void encode_unsafe_bytes(std::string& params) {
  std::size_t extra = 0;
  for (char c : params) {
    if (!kRawOk[static_cast<unsigned char>(c)]) extra += 2;
  }
  if (extra == 0) return;
  std::string out;
  out.reserve(params.size() + extra);
  for (char c : params) {
    const auto b = static_cast<unsigned char>(c);
    if (kRawOk[b]) {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(detail::kHexUpper[b >> 4]);
      out.push_back(detail::kHexUpper[b & 0x0f]);
    }
  }
  params.swap(out);
}

TimestampText iso8601_millis(SystemTime t) {
  const Civil c = civil(t);
  TimestampText text;
  if (c.year < 0 || c.year > 9999) {
    const auto written =
        fmt::format_to_n(text.chars.data(), text.chars.size(), "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", c.year,
                         c.month, c.day, c.hour, c.minute, c.second, c.millis);
    text.size = std::min(written.size, text.chars.size());
    return text;
  }
  // Digits written directly, without fmt's formatting machinery: this is on every OKX request's path.
  char* p = text.chars.data();
  const auto digits = [&p](unsigned value, int width, char after) {
    for (int i = width - 1; i >= 0; --i, value /= 10) p[i] = static_cast<char>('0' + value % 10);
    p += width;
    *p++ = after;
  };
  digits(static_cast<unsigned>(c.year), 4, '-');
  digits(c.month, 2, '-');
  digits(c.day, 2, 'T');
  digits(c.hour, 2, ':');
  digits(c.minute, 2, ':');
  digits(c.second, 2, '.');
  digits(c.millis, 3, 'Z');
  text.size = static_cast<std::size_t>(p - text.chars.data());
  return text;
}

std::string iso8601_seconds_no_zone(SystemTime t) {
  const Civil c = civil(t);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", c.year, c.month, c.day, c.hour, c.minute, c.second);
}

std::int64_t unix_seconds(SystemTime t) {
  const std::int64_t ms = to_unix_millis(t);
  return ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
}

std::string decimal(std::int64_t value) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof(buf), value);
  return {buf, static_cast<std::size_t>(r.ptr - buf)};
}

std::string random_hex(std::size_t bytes) {
  std::array<std::uint8_t, 64> buf{};
  if (bytes > buf.size() || RAND_bytes(buf.data(), static_cast<int>(bytes)) != 1) {
    throw Exception(make_error(ErrorCode::internal, "OpenSSL RAND_bytes failed"));
  }
  return hex_lower(std::span<const std::uint8_t>(buf.data(), bytes));
}

namespace {

// Whether `params` holds a parameter named `name` starting at `p` (name then '=', '&' or end).
[[gnu::always_inline]] inline bool name_at(const char* p, const char* end, std::string_view name) noexcept {
  const auto left = static_cast<std::size_t>(end - p);
  if (left < name.size() || std::memcmp(p, name.data(), name.size()) != 0) return false;
  return left == name.size() || p[name.size()] == '=' || p[name.size()] == '&';
}

// One pass over a parameter string: which of the names the parameter schemes care about
// are present, and whether any byte needs percent-encoding.
struct ParamScan {
  bool unsafe = false;
  bool signature = false;
  bool timestamp = false;
  bool recv_window = false;
};

// Records the parameter names that start at the positions of `starts` (bit i: a name
// starts at p[i]); `end` bounds the names. Inlined into the block loops: a call per block
// cost about 6 ns of a Binance signature.
[[gnu::always_inline]] inline void scan_names(const char* p, const char* end, std::uint32_t starts, ParamScan& scan) noexcept {
  for (; starts != 0; starts &= starts - 1) {
    const char* name = p + std::countr_zero(starts);
    switch (*name) {
      case 's': scan.signature = scan.signature || name_at(name, end, "signature"); break;
      case 't': scan.timestamp = scan.timestamp || name_at(name, end, "timestamp"); break;
      case 'r': scan.recv_window = scan.recv_window || name_at(name, end, "recvWindow"); break;
      default: break;
    }
  }
}

#if defined(__SSE2__)

// The W bytes from `p` when that many are left before `end`; else the bytes left, copied
// to `tail` and padded with a byte that is safe, not '&' and starts no name.
template <std::size_t W>
const char* block_at(const char* p, const char* end, char (&tail)[W]) noexcept {
  const auto left = static_cast<std::size_t>(end - p);
  if (left >= W) return p;
  std::memset(tail, 'a', W);
  std::memcpy(tail, p, left);
  return tail;
}

// Bit i set where byte i of `x` must be percent-encoded (the complement of kRawOk).
unsigned unsafe_bytes(__m128i x) noexcept {
  // Bytes in [lo, lo + width): shifted so that the range starts at -128, then one signed compare.
  const auto in_range = [x](int lo, int width) {
    const __m128i shifted = _mm_add_epi8(x, _mm_set1_epi8(static_cast<char>(0x80 - lo)));
    return _mm_cmplt_epi8(shifted, _mm_set1_epi8(static_cast<char>(width - 128)));
  };
  __m128i bad = _mm_cmplt_epi8(x, _mm_set1_epi8(0x21));  // controls, space and (as negative) 0x80-0xff
  bad = _mm_or_si128(bad, in_range(0x22, 2));             // " #
  bad = _mm_or_si128(bad, _mm_cmpeq_epi8(x, _mm_set1_epi8('<')));
  bad = _mm_or_si128(bad, _mm_cmpeq_epi8(x, _mm_set1_epi8('>')));
  bad = _mm_or_si128(bad, in_range(0x5b, 4));  // [ \ ] ^
  bad = _mm_or_si128(bad, _mm_cmpeq_epi8(x, _mm_set1_epi8('`')));
  bad = _mm_or_si128(bad, in_range(0x7b, 3));  // { | }
  bad = _mm_or_si128(bad, _mm_cmpeq_epi8(x, _mm_set1_epi8(0x7f)));
  return static_cast<unsigned>(_mm_movemask_epi8(bad));
}

// The bytes to percent-encode (the complement of kRawOk) as nibble classes, for a
// two-table lookup: byte b must be encoded exactly when kUnsafeLow[b & 15] &
// kUnsafeHigh[b >> 4] is non-zero. Bit 0 marks every byte of the rows 0x0_, 0x1_ and
// 0x8_-0xf_; bits 1-5 the listed columns of the rows 0x2_, 0x3_, 0x5_, 0x6_ and 0x7_.
constexpr std::array<std::uint8_t, 16> kUnsafeHigh = {1, 1, 2, 4, 0, 8, 16, 32, 1, 1, 1, 1, 1, 1, 1, 1};
constexpr std::array<std::uint8_t, 16> unsafe_low_table() {
  std::array<std::uint8_t, 16> table{};
  for (auto& bits : table) bits = 1;
  for (int low : {0x0, 0x2, 0x3}) table[static_cast<std::size_t>(low)] |= 2;        // space " #
  for (int low : {0xc, 0xe}) table[static_cast<std::size_t>(low)] |= 4;             // < >
  for (int low : {0xb, 0xc, 0xd, 0xe}) table[static_cast<std::size_t>(low)] |= 8;   // [ \ ] ^
  table[0x0] |= 16;                                                                 // `
  for (int low : {0xb, 0xc, 0xd, 0xf}) table[static_cast<std::size_t>(low)] |= 32;  // { | } DEL
  return table;
}
constexpr auto kUnsafeLow = unsafe_low_table();
constexpr bool nibble_classes_match_table() {
  for (std::size_t b = 0; b < 256; ++b) {
    if (((kUnsafeLow[b & 15] & kUnsafeHigh[b >> 4]) != 0) == kRawOk[b]) return false;
  }
  return true;
}
static_assert(nibble_classes_match_table());

// scan_params 32 bytes at a time with AVX2 (chosen at run time): the unsafe bytes by
// the nibble tables above (two byte shuffles), the parameter starts as below.
__attribute__((target("avx2"))) void scan_params_avx2(std::string_view params, ParamScan& scan) noexcept {
  const char* const begin = params.data();
  const char* const end = begin + params.size();
  const __m256i low_table = _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(kUnsafeLow.data())));
  const __m256i high_table = _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(kUnsafeHigh.data())));
  const __m256i nibble = _mm256_set1_epi8(0x0f);
  __m256i unsafe = _mm256_setzero_si256();
  std::uint32_t carry = 1;  // a name starts at the first byte
  for (const char* p = begin; p < end; p += 32) {
    char tail[32];
    const __m256i x = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(block_at(p, end, tail)));
    const __m256i low = _mm256_shuffle_epi8(low_table, _mm256_and_si256(x, nibble));
    const __m256i high = _mm256_shuffle_epi8(high_table, _mm256_and_si256(_mm256_srli_epi16(x, 4), nibble));
    unsafe = _mm256_or_si256(unsafe, _mm256_and_si256(low, high));
    const auto amps = static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(x, _mm256_set1_epi8('&'))));
    const __m256i initials = _mm256_or_si256(
        _mm256_or_si256(_mm256_cmpeq_epi8(x, _mm256_set1_epi8('s')), _mm256_cmpeq_epi8(x, _mm256_set1_epi8('t'))),
        _mm256_cmpeq_epi8(x, _mm256_set1_epi8('r')));
    const std::uint32_t starts = (amps << 1) | carry;
    carry = amps >> 31;
    scan_names(p, end, starts & static_cast<std::uint32_t>(_mm256_movemask_epi8(initials)), scan);
  }
  scan.unsafe = scan.unsafe || _mm256_testz_si256(unsafe, unsafe) == 0;
}

// One pass, 16 bytes at a time: the unsafe bytes, and the parameter starts (the first
// byte and every byte after '&') that begin with 's', 't' or 'r', checked by name.
void scan_params_sse2(std::string_view params, ParamScan& scan) noexcept {
  const char* const begin = params.data();
  const char* const end = begin + params.size();
  unsigned unsafe = 0;
  unsigned carry = 1;  // a name starts at the first byte
  for (const char* p = begin; p < end; p += 16) {
    char tail[16];
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(block_at(p, end, tail)));
    unsafe |= unsafe_bytes(x);
    const auto amps = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8('&'))));
    const __m128i initials = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('s')), _mm_cmpeq_epi8(x, _mm_set1_epi8('t'))),
                                          _mm_cmpeq_epi8(x, _mm_set1_epi8('r')));
    const unsigned starts = ((amps << 1) | carry) & 0xffffu;
    carry = amps >> 15;
    scan_names(p, end, starts & static_cast<unsigned>(_mm_movemask_epi8(initials)), scan);
  }
  scan.unsafe = scan.unsafe || unsafe != 0;
}

// Whether the CPU runs AVX2 (read once, at load time).
const bool kHasAvx2 = (__builtin_cpu_init(), __builtin_cpu_supports("avx2") != 0);

// The AVX2 scan where the CPU has it (about three times fewer instructions over a
// 169-byte Binance query), else the SSE2 one.
void scan_params(std::string_view params, ParamScan& scan) noexcept {
  if (kHasAvx2) {
    scan_params_avx2(params, scan);
  } else {
    scan_params_sse2(params, scan);
  }
}

#else

// True when every byte of `s` may appear raw in an encoded query: a branch-free
// table reduction, unrolled so that the loads overlap.
bool all_raw_ok(std::string_view s) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  unsigned a = 1, b = 1, c = 1, d = 1;
  for (; i + 4 <= n; i += 4) {
    a &= kRawOk[p[i]];
    b &= kRawOk[p[i + 1]];
    c &= kRawOk[p[i + 2]];
    d &= kRawOk[p[i + 3]];
  }
  for (; i < n; ++i) a &= kRawOk[p[i]];
  return (a & b & c & d) != 0;
}

void scan_params(std::string_view params, ParamScan& scan) noexcept {
  scan.unsafe = scan.unsafe || !all_raw_ok(params);
  const char* p = params.data();
  const char* const end = p + params.size();
  while (p < end) {
    scan_names(p, end, 1, scan);
    const void* amp = std::memchr(p, '&', static_cast<std::size_t>(end - p));
    if (amp == nullptr) break;
    p = static_cast<const char*>(amp) + 1;
  }
}

#endif

}  // namespace

namespace {

// Writes `name=<digits of value>` at `out` (`name_eq` is the name and '='), with a '&'
// first when `separate`; returns the end. Room for 20 digits must follow the name.
template <std::size_t N>
char* put_param(char* out, bool separate, const char (&name_eq)[N], std::int64_t value) noexcept {
  *out = '&';
  out += separate ? 1 : 0;
  std::memcpy(out, name_eq, N - 1);
  out += N - 1;
  return std::to_chars(out, out + 20, value).ptr;
}

}  // namespace

Result<void> plan_params(HttpRequest& request, std::int64_t now_ms, std::optional<std::int64_t> recv_window_ms,
                         std::string_view venue, ParamsPlan& plan) {
  ParamScan scan;
  scan_params(request.query, scan);
  scan_params(request.body, scan);
  if (scan.signature) return bad_request(venue, "request already carries a signature parameter");
  if (scan.unsafe) {
    encode_unsafe_bytes(request.query);
    encode_unsafe_bytes(request.body);
  }
  plan.target = request.body.empty() ? &request.query : &request.body;
  if (!scan.timestamp) {
    char* out = plan.suffix.data();
    if (recv_window_ms && !scan.recv_window) out = put_param(out, !plan.target->empty(), "recvWindow=", *recv_window_ms);
    out = put_param(out, !plan.target->empty() || out != plan.suffix.data(), "timestamp=", now_ms);
    plan.suffix_size = static_cast<std::size_t>(out - plan.suffix.data());
  }
  return {};
}

Result<std::string*> prepare_params(HttpRequest& request, std::int64_t now_ms,
                                    std::optional<std::int64_t> recv_window_ms, std::string_view venue) {
  ParamsPlan plan;
  if (auto planned = plan_params(request, now_ms, recv_window_ms, venue, plan); !planned) return planned.error();
  plan.target->reserve(plan.target->size() + BinanceHmacSigner::kAppendedBytes);  // one growth at most
  plan.target->append(plan.suffix_text());
  return plan.target;
}

Result<void> sign_params_hmac(HttpRequest& request, const HmacSha256& mac, std::int64_t now_ms,
                              std::optional<std::int64_t> recv_window_ms, std::string_view venue,
                              std::string_view key_header, std::string_view api_key) {
  ParamsPlan plan;
  if (auto planned = plan_params(request, now_ms, recv_window_ms, venue, plan); !planned) return planned.error();
  // The signed text is query + body with the suffix at the end of the target (the body
  // when there is one, else the query, so in both cases after query + body): it is
  // hashed in place, then the suffix and the signature go into the target in one append.
  const auto digest = mac.digest({request.query, request.body, plan.suffix_text()});
  constexpr std::string_view kName = "signature=";
  char* out = plan.suffix.data() + plan.suffix_size;
  if (!plan.target->empty() || plan.suffix_size != 0) *out++ = '&';
  std::memcpy(out, kName.data(), kName.size());
  out = hex_lower_to(digest, out + kName.size());
  plan.target->append(plan.suffix.data(), static_cast<std::size_t>(out - plan.suffix.data()));
  request.set_header(key_header, api_key);
  return {};
}

void require_credential(std::string_view venue, std::string_view what, bool present) {
  if (!present) throw Exception(make_error(ErrorCode::invalid_argument, fmt::format("{}: {} is empty", venue, what)));
}

}  // namespace cts::sign::detail
