#pragma once
// Internal to cts::venue: a BingX depth's `data` (`bids`, `asks`, asks printed highest
// first), read alike from the swap and spot REST replies and the market stream's pushes.

#include <cstdint>
#include <string_view>

#include <fmt/format.h>

#include "cts/core/http.hpp"
#include "cts/venue/detail/json.hpp"
#include "cts/venue/types.hpp"
#include "envelope.hpp"
#include "fields.hpp"

namespace cts::venue::bingx::detail {

/// The levels and time of one depth, read member by member.
struct DepthReader {
  BookSnapshot book;      ///< What was read.
  bool has_bids = false;  ///< `bids` was read.
  bool has_asks = false;  ///< `asks` was read.

  /// Reads member `key` of the depth's `data`: `bids`, `asks` and, when `time_key` is not
  /// empty, the time member of that name (ms); others are ignored. False (the error in
  /// `fields`) for a malformed one.
  bool field(std::string_view key, simdjson::ondemand::value& value, cts::venue::detail::FieldReader& fields,
             std::string_view time_key) {
    if (key == "bids") return has_bids = true, cts::venue::detail::price_levels(value, fields, "bids", book.bids);
    if (key == "asks") return has_asks = true, cts::venue::detail::price_levels(value, fields, "asks", book.asks);
    if (!time_key.empty() && key == time_key) return fields.int64(value, book.event_time_ms, time_key);
    return true;
  }

  /// The book in book order, its last_update_id its time. Errors: protocol_error naming
  /// `what` when a side is missing.
  Result<BookSnapshot> finish(std::string_view what) {
    if (!has_bids || !has_asks) {
      return make_error(ErrorCode::protocol_error,
                        fmt::format("{}: field \"{}\" is missing", what, has_bids ? "asks" : "bids"));
    }
    put_in_book_order(book);
    book.last_update_id = static_cast<std::uint64_t>(book.event_time_ms);
    return std::move(book);
  }
};

/// The depth of a REST reply (`{"code","msg","data":{bids,asks,<time_key>}}`), BingX's
/// codes mapped by `to_error`. Errors: as read_envelope(), or DepthReader::finish().
inline Result<BookSnapshot> read_depth_reply(const HttpResponse& response, std::string_view what,
                                             std::string_view time_key, CodeError to_error) {
  DepthReader depth;
  Result<void> read = read_envelope(
      response, Operation::read, what,
      [&](simdjson::ondemand::value& data, cts::venue::detail::FieldReader& fields) {
        return cts::venue::detail::visit_object(data, fields, "data",
                                                [&](std::string_view key, simdjson::ondemand::value& value) {
                                                  return depth.field(key, value, fields, time_key);
                                                });
      },
      to_error);
  if (!read) return read.error();
  return depth.finish(what);
}

}  // namespace cts::venue::bingx::detail
