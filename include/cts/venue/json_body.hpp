#pragma once
/// \file
/// JsonBody: a compact JSON request body written in the order its members are added
/// (venues that sign the body, like Bybit, sign these exact bytes). Strings go through
/// the one JSON escaper (cts::append_json_string); decimals are written as JSON strings
/// in their shortest exact form ("0.01", "28000"), the way venues take prices and
/// quantities, so no value passes through a binary float.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "cts/core/decimal.hpp"
#include "cts/core/json_string.hpp"

namespace cts::venue {

/// Builds one JSON value (usually an object) member by member. Nesting is limited to
/// kMaxDepth levels; the caller closes what it opens (the builders that use it are
/// straight-line code, so a mismatch is a bug caught by their tests).
class JsonBody {
 public:
  /// Deepest nesting of objects and arrays.
  static constexpr std::size_t kMaxDepth = 8;

  /// Opens an object as the next array element or as the root.
  JsonBody& begin_object() { return open('{'); }
  /// Opens an object as member `key` of the enclosing object.
  JsonBody& begin_object(std::string_view key) { return member(key).open_nested('{'); }
  /// Closes the innermost object.
  JsonBody& end_object() { return close('}'); }
  /// Opens an array as the next array element or as the root (OKX's batch bodies are
  /// arrays).
  JsonBody& begin_array() { return open('['); }
  /// Opens an array as member `key` of the enclosing object.
  JsonBody& begin_array(std::string_view key) { return member(key).open_nested('['); }
  /// Closes the innermost array.
  JsonBody& end_array() { return close(']'); }

  /// Adds `"key":"value"` (escaped).
  JsonBody& string(std::string_view key, std::string_view value) {
    member(key);
    append_json_string(text_, value);
    return *this;
  }
  /// Adds `"key":"<decimal>"`, the decimal as a JSON string in its shortest exact form.
  JsonBody& decimal(std::string_view key, Decimal value) {
    member(key);
    char buffer[Decimal::kMaxChars];
    char* end = value.to_chars(buffer, buffer + sizeof(buffer));
    text_.push_back('"');
    text_.append(buffer, end);
    text_.push_back('"');
    return *this;
  }
  /// Adds `"key":<integer>`.
  JsonBody& integer(std::string_view key, std::int64_t value) {
    member(key);
    fmt::format_to(std::back_inserter(text_), "{}", value);
    return *this;
  }
  /// Adds `"key":true` or `"key":false`.
  JsonBody& boolean(std::string_view key, bool value) {
    member(key);
    text_.append(value ? "true" : "false");
    return *this;
  }
  /// Adds `"key":null` (a member of a fixed set that has no value here).
  JsonBody& null(std::string_view key) {
    member(key);
    text_.append("null");
    return *this;
  }

  /// The text so far.
  [[nodiscard]] const std::string& str() const noexcept { return text_; }
  /// Moves the text out.
  [[nodiscard]] std::string take() && { return std::move(text_); }

 private:
  JsonBody& open(char bracket) {
    separate();
    return open_nested(bracket);
  }
  JsonBody& open_nested(char bracket) {
    text_.push_back(bracket);
    if (depth_ < kMaxDepth) first_[depth_] = true;
    ++depth_;
    return *this;
  }
  JsonBody& close(char bracket) {
    text_.push_back(bracket);
    if (depth_ > 0) --depth_;
    return *this;
  }
  void separate() {
    if (depth_ == 0 || depth_ > kMaxDepth) return;
    if (!first_[depth_ - 1]) text_.push_back(',');
    first_[depth_ - 1] = false;
  }
  JsonBody& member(std::string_view key) {
    separate();
    append_json_string(text_, key);
    text_.push_back(':');
    return *this;
  }

  std::string text_;
  std::array<bool, kMaxDepth> first_{};
  std::size_t depth_ = 0;
};

}  // namespace cts::venue
