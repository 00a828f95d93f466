#pragma once
/// \file
/// Internal: exact 128×128→256-bit multiplication and 256÷128-bit division used by
/// Decimal. Not part of the public API.

#include <array>
#include <bit>
#include <cstdint>

namespace cts::detail {

using u64 = std::uint64_t;
using u128 = unsigned __int128;
using i128 = __int128;

/// A 256-bit unsigned value as four little-endian 64-bit limbs.
struct U256 {
  std::array<u64, 4> limb{};
};

/// Full product of two 128-bit values.
constexpr U256 mul_128x128(u128 a, u128 b) noexcept {
  const u64 a0 = static_cast<u64>(a), a1 = static_cast<u64>(a >> 64);
  const u64 b0 = static_cast<u64>(b), b1 = static_cast<u64>(b >> 64);
  const u128 p00 = static_cast<u128>(a0) * b0;
  const u128 p01 = static_cast<u128>(a0) * b1;
  const u128 p10 = static_cast<u128>(a1) * b0;
  const u128 p11 = static_cast<u128>(a1) * b1;
  U256 r;
  r.limb[0] = static_cast<u64>(p00);
  const u128 mid = (p00 >> 64) + static_cast<u64>(p01) + static_cast<u64>(p10);
  r.limb[1] = static_cast<u64>(mid);
  const u128 high = (mid >> 64) + (p01 >> 64) + (p10 >> 64) + static_cast<u64>(p11);
  r.limb[2] = static_cast<u64>(high);
  r.limb[3] = static_cast<u64>((high >> 64) + (p11 >> 64));
  return r;
}

/// Quotient and remainder of a 256-bit value divided by a 128-bit divisor; `overflow`
/// is set when the quotient does not fit 128 bits (quotient is then meaningless).
struct DivResult {
  u128 quotient = 0;
  u128 remainder = 0;
  bool overflow = false;
};

/// Divides `n` by `d` (d != 0) with Knuth's algorithm D on 64-bit limbs.
constexpr DivResult div_256_by_128(const U256& n, u128 d) noexcept {
  DivResult out;
  if (n.limb[3] == 0 && n.limb[2] == 0) {
    const u128 value = (static_cast<u128>(n.limb[1]) << 64) | n.limb[0];
    out.quotient = value / d;
    out.remainder = value % d;
    return out;
  }
  const u64 d_hi = static_cast<u64>(d >> 64);
  if (d_hi == 0) {
    // Short division by a single limb, from the top.
    const u64 dv = static_cast<u64>(d);
    std::array<u64, 4> q{};
    u128 rem = 0;
    for (int i = 3; i >= 0; --i) {
      const u128 cur = (rem << 64) | n.limb[static_cast<std::size_t>(i)];
      q[static_cast<std::size_t>(i)] = static_cast<u64>(cur / dv);
      rem = cur % dv;
    }
    out.overflow = q[3] != 0 || q[2] != 0;
    out.quotient = (static_cast<u128>(q[1]) << 64) | q[0];
    out.remainder = rem;
    return out;
  }
  // Two-limb divisor: normalise so the divisor's top bit is set.
  const int shift = std::countl_zero(d_hi);
  const u128 dn = d << shift;
  const u64 v1 = static_cast<u64>(dn >> 64), v0 = static_cast<u64>(dn);
  std::array<u64, 5> u{};
  if (shift == 0) {
    for (std::size_t i = 0; i < 4; ++i) u[i] = n.limb[i];
    u[4] = 0;
  } else {
    u[4] = n.limb[3] >> (64 - shift);
    for (std::size_t i = 3; i > 0; --i) u[i] = (n.limb[i] << shift) | (n.limb[i - 1] >> (64 - shift));
    u[0] = n.limb[0] << shift;
  }
  std::array<u64, 3> q{};
  for (int j = 2; j >= 0; --j) {
    const auto uj = static_cast<std::size_t>(j);
    const u128 top = (static_cast<u128>(u[uj + 2]) << 64) | u[uj + 1];
    u128 qhat = top / v1;
    u128 rhat = top % v1;
    while (qhat >> 64 != 0 || qhat * v0 > ((rhat << 64) | u[uj])) {
      --qhat;
      rhat += v1;
      if (rhat >> 64 != 0) break;
    }
    // The true digit is below 2^64; an estimate of exactly 2^64 is one too large.
    if (qhat >> 64 != 0) qhat = (static_cast<u128>(1) << 64) - 1;
    // Multiply and subtract qhat * (v1:v0) from u[j..j+2].
    const u128 p0 = qhat * v0;
    const u128 p1 = qhat * v1 + (p0 >> 64);
    const u64 s0 = static_cast<u64>(p0), s1 = static_cast<u64>(p1), s2 = static_cast<u64>(p1 >> 64);
    u128 t = static_cast<u128>(u[uj]) - s0;
    u[uj] = static_cast<u64>(t);
    u64 borrow = (t >> 64) != 0 ? 1 : 0;
    t = static_cast<u128>(u[uj + 1]) - s1 - borrow;
    u[uj + 1] = static_cast<u64>(t);
    borrow = (t >> 64) != 0 ? 1 : 0;
    t = static_cast<u128>(u[uj + 2]) - s2 - borrow;
    u[uj + 2] = static_cast<u64>(t);
    borrow = (t >> 64) != 0 ? 1 : 0;
    if (borrow != 0) {
      // qhat was one too large: add the divisor back.
      --qhat;
      u128 c = static_cast<u128>(u[uj]) + v0;
      u[uj] = static_cast<u64>(c);
      c = static_cast<u128>(u[uj + 1]) + v1 + static_cast<u64>(c >> 64);
      u[uj + 1] = static_cast<u64>(c);
      u[uj + 2] += static_cast<u64>(c >> 64);
    }
    q[uj] = static_cast<u64>(qhat);
  }
  out.overflow = q[2] != 0;
  out.quotient = (static_cast<u128>(q[1]) << 64) | q[0];
  const u128 rem_n = (static_cast<u128>(u[1]) << 64) | u[0];
  out.remainder = rem_n >> shift;
  if (shift != 0) out.remainder |= static_cast<u128>(u[2]) << (128 - shift);
  return out;
}

}  // namespace cts::detail
