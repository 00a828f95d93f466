#pragma once
/// \file
/// JsonReader: a reusable simdjson on-demand parser with its own padded input buffer,
/// so that parsers can read any body (an HttpResponse's std::string, a WebSocket frame)
/// without the caller having to provide SIMDJSON_PADDING spare bytes.

#include <cstring>
#include <memory>
#include <string_view>

#include <simdjson.h>

namespace cts::venue {

/// Owns a simdjson::ondemand::parser and a padded copy of the text being parsed.
///
/// Each call to iterate() copies the text into the reader's buffer (which only grows)
/// and starts a new document; the previous document and every value or string_view
/// obtained from it become invalid. One reader serves one document at a time: use one
/// reader per thread (thread_json_reader()) or per connection. After the first few
/// documents a reader allocates nothing.
class JsonReader {
 public:
  /// Starts iterating `text`. The returned document lives until the next iterate() on
  /// this reader. Errors are simdjson's (e.g. capacity, empty input); syntax errors show
  /// up while the document is read.
  simdjson::simdjson_result<simdjson::ondemand::document> iterate(std::string_view text) & {
    const std::size_t needed = text.size() + simdjson::SIMDJSON_PADDING;
    if (needed > capacity_) {
      buffer_ = std::make_unique<char[]>(needed);
      capacity_ = needed;
    }
    if (!text.empty()) std::memcpy(buffer_.get(), text.data(), text.size());
    std::memset(buffer_.get() + text.size(), 0, simdjson::SIMDJSON_PADDING);
    return parser_.iterate(buffer_.get(), text.size(), capacity_);
  }

 private:
  simdjson::ondemand::parser parser_;
  std::unique_ptr<char[]> buffer_;
  std::size_t capacity_ = 0;
};

/// The calling thread's reader, used by every parser overload that takes no reader.
/// Valid for the life of the thread; do not hold a document across another parse on
/// the same thread.
inline JsonReader& thread_json_reader() {
  thread_local JsonReader reader;
  return reader;
}

}  // namespace cts::venue
