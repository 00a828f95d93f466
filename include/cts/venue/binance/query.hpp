#pragma once
/// \file
/// QueryBuilder: Binance request parameters, `key=value` joined by `&`, in the order they
/// are added, each value percent-encoded (RFC 3986 unreserved characters kept, every
/// other byte as %XX with upper-case hex). Binance signs the exact bytes sent and, since
/// 2026-01-15, requires the payload to be percent-encoded before signing (spot CHANGELOG
/// 2025-12-17), so the builder's output is both the wire form and the signing input.

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

#include "cts/core/decimal.hpp"

namespace cts::venue::binance {

/// Appends `text` to `out`, percent-encoding every byte outside A-Z a-z 0-9 - _ . ~.
inline void percent_encode_append(std::string& out, std::string_view text) {
  constexpr char kHex[] = "0123456789ABCDEF";
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    const bool unreserved = (byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') ||
                            (byte >= '0' && byte <= '9') || byte == '-' || byte == '_' || byte == '.' || byte == '~';
    if (unreserved) {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0x0F]);
    }
  }
}

/// Builds an encoded parameter string. Keys are written as given (Binance's keys are
/// plain ASCII names); values are percent-encoded.
class QueryBuilder {
 public:
  /// Adds `key=value`.
  QueryBuilder& add(std::string_view key, std::string_view value) {
    start(key);
    percent_encode_append(text_, value);
    return *this;
  }
  /// Adds `key=value` with the decimal in its shortest exact form ("0.1", "9000").
  QueryBuilder& add(std::string_view key, Decimal value) {
    char buffer[Decimal::kMaxChars];
    char* end = value.to_chars(buffer, buffer + sizeof(buffer));
    start(key);
    text_.append(buffer, end);
    return *this;
  }
  /// Adds `key=value` for an integer.
  QueryBuilder& add_integer(std::string_view key, std::int64_t value) {
    char buffer[24];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), value);
    start(key);
    text_.append(buffer, end);
    return *this;
  }
  /// Adds `key=value` for an unsigned integer.
  QueryBuilder& add_unsigned(std::string_view key, std::uint64_t value) {
    char buffer[24];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), value);
    start(key);
    text_.append(buffer, end);
    return *this;
  }
  /// The encoded parameters so far.
  [[nodiscard]] const std::string& str() const noexcept { return text_; }
  /// Moves the encoded parameters out.
  [[nodiscard]] std::string take() && { return std::move(text_); }

 private:
  void start(std::string_view key) {
    if (!text_.empty()) text_.push_back('&');
    text_.append(key);
    text_.push_back('=');
  }
  std::string text_;
};

}  // namespace cts::venue::binance
