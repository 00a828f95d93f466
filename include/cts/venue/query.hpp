#pragma once
/// \file
/// QueryBuilder: request parameters, `key=value` joined by `&`, in the order they are
/// added, each value percent-encoded. Venues that sign the exact bytes sent (Binance,
/// Bybit) sign the builder's output, which is also the wire form.

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

#include "cts/core/decimal.hpp"
#include "cts/sign/encoding.hpp"

namespace cts::venue {

/// Builds an encoded parameter string. Keys are written as given (venues' keys are plain
/// ASCII names); values are percent-encoded (RFC 3986 unreserved characters kept, every
/// other byte as %XX with upper-case hex: cts::sign::percent_encode_append).
class QueryBuilder {
 public:
  /// Adds `key=value`.
  QueryBuilder& add(std::string_view key, std::string_view value) {
    start(key);
    sign::percent_encode_append(text_, value);
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

}  // namespace cts::venue
