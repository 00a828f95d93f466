#pragma once
/// \file
/// JSON string literals: the one escaper every component uses to write a string into
/// JSON it builds by hand (request bodies, stream frames, payloads, reports).
///
/// The output is a valid RFC 8259 string in UTF-8: `"` and `\` are escaped as \" and
/// \\, the control characters U+0000..U+001F as \u00XX (lower-case hex), and a byte
/// that does not start a well-formed UTF-8 sequence becomes \ufffd (RFC 8259 §8.1
/// requires UTF-8; a lone byte could not be represented otherwise). Everything else is
/// copied as it is.

#include <cstdint>
#include <string>
#include <string_view>

#include "cts/core/detail/utf8.hpp"

namespace cts {

/// What is escaped beyond what RFC 8259 requires.
enum class JsonEscaping : std::uint8_t {
  minimal,  ///< Only what RFC 8259 §7 requires (see the file comment).
  /// As Go's encoding/json does by default (so that output can match an Alertmanager
  /// payload byte for byte): \n \r \t in their short forms, and `<` `>` `&` U+2028
  /// U+2029 as \u escapes as well.
  go_html_safe,
};

/// Appends `text` to `out` as a JSON string literal, quotes included, escaped as
/// `escaping` says (see the file comment). Never fails; invalid UTF-8 becomes U+FFFD.
inline void append_json_string(std::string& out, std::string_view text, JsonEscaping escaping = JsonEscaping::minimal) {
  static constexpr char kHex[] = "0123456789abcdef";
  const bool go = escaping == JsonEscaping::go_html_safe;
  out.reserve(out.size() + text.size() + 2);
  out += '"';
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      ++i;
      if (c == '"' || c == '\\') {
        out += '\\';
        out += static_cast<char>(c);
      } else if (go && c == '\n') {
        out += "\\n";
      } else if (go && c == '\r') {
        out += "\\r";
      } else if (go && c == '\t') {
        out += "\\t";
      } else if (c < 0x20 || (go && (c == '<' || c == '>' || c == '&'))) {
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xF];
      } else {
        out += static_cast<char>(c);
      }
      continue;
    }
    const std::size_t n = detail::utf8_sequence_length(text, i);
    if (n == 0) {
      out += "\\ufffd";
      ++i;
      continue;
    }
    const std::string_view sequence = text.substr(i, n);
    if (go && sequence == "\xE2\x80\xA8") {
      out += "\\u2028";
    } else if (go && sequence == "\xE2\x80\xA9") {
      out += "\\u2029";
    } else {
      out += sequence;
    }
    i += n;
  }
  out += '"';
}

/// `text` as a JSON string literal, quotes included (see append_json_string()).
inline std::string json_string(std::string_view text, JsonEscaping escaping = JsonEscaping::minimal) {
  std::string out;
  append_json_string(out, text, escaping);
  return out;
}

}  // namespace cts
