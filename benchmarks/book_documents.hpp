#pragma once
/// \file
/// Generated order-book documents the venue benchmarks parse: price levels around
/// 64231.57 as Binance-style 8-decimal strings, and Binance's GET /api/v3/depth reply.
/// cts-bench --write_binance_depth_1000=PATH writes the 1000-level reply to a file, so
/// that the peer benchmark (benchmarks/peers/) parses the same bytes.

#include <cstdint>
#include <string>

namespace cts_bench {

/// Appends `units` (in 1e-8) as a Binance 8-decimal string, e.g. 6423157000000 →
/// "64231.57000000". `units` must not be negative.
inline void append_fixed8(std::string& out, std::int64_t units) {
  const std::string digits = std::to_string(units);
  const std::string padded = digits.size() <= 8 ? std::string(9 - digits.size(), '0') + digits : digits;
  out += padded.substr(0, padded.size() - 8);
  out += '.';
  out += padded.substr(padded.size() - 8);
}

/// One side of a generated book: `levels` [price, quantity] string pairs from `start`
/// (in 1e-8) by `step`, with deterministic quantities of up to 8 decimals.
inline std::string side_levels(int levels, std::int64_t start, std::int64_t step) {
  std::string json;
  for (int i = 0; i < levels; ++i) {
    if (i > 0) json += ',';
    json += "[\"";
    append_fixed8(json, start + step * i);
    json += "\",\"";
    append_fixed8(json, 1000 + (static_cast<std::int64_t>(i) * 7919 % 100000) * 1237);
    json += "\"]";
  }
  return json;
}

/// `levels` bids one cent apart, descending from 64231.57.
inline std::string bid_levels(int levels) { return side_levels(levels, 6423157000000, -1000000); }
/// `levels` asks one cent apart, ascending from 64231.58.
inline std::string ask_levels(int levels) { return side_levels(levels, 6423158000000, 1000000); }

/// A GET /api/v3/depth reply with `levels` levels a side.
inline std::string depth_document(int levels) {
  return R"({"lastUpdateId":1027024,"bids":[)" + bid_levels(levels) + R"(],"asks":[)" + ask_levels(levels) + "]}";
}

/// The GET /api/v3/depth?limit=1000 reply Parse/binance_depth_1000 parses (built once).
inline const std::string& depth_1000() {
  static const std::string document = depth_document(1000);
  return document;
}

}  // namespace cts_bench
