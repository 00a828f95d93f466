#pragma once
// Internal to cts::venue: the reply of BingX's cancelAllAfter, the same for the swap
// (POST /openApi/swap/v2/trade/cancelAllAfter) and spot (POST
// /openApi/spot/v1/trade/cancelAllAfter), read with each market's error map.

#include <string>
#include <string_view>

#include <fmt/format.h>

#include "cts/core/error.hpp"
#include "cts/core/http.hpp"
#include "cts/core/result.hpp"
#include "cts/venue/bingx/replies.hpp"
#include "envelope.hpp"

namespace cts::venue::bingx::detail {

/// data of a cancelAllAfter reply: triggerTime (seconds), status ACTIVATED or CLOSED,
/// note; `what` names it in messages, `to_error` maps a non-zero code. Errors: the
/// envelope's; rejected for status FAILED (with the note); protocol_error for a missing
/// or unknown status.
inline Result<CancelAllAfterAck> read_cancel_all_after(const HttpResponse& response, std::string_view what,
                                                       CodeError to_error) {
  namespace od = simdjson::ondemand;
  using cts::venue::detail::FieldReader;
  CancelAllAfterAck ack;
  std::string status;
  Result<void> read = read_envelope(
      response, Operation::mutation, what,
      [&](od::value& data, FieldReader& fields) {
        return cts::venue::detail::visit_object(data, fields, "data", [&](std::string_view key, od::value& value) {
          if (key == "triggerTime") return fields.int64(value, ack.trigger_time_s, "triggerTime");
          if (key == "status") return fields.string(value, status, "status");
          if (key == "note") return fields.optional_string(value, ack.note, "note");
          return true;
        });
      },
      to_error);
  if (!read) return read.error();
  if (status == "ACTIVATED") {
    ack.status = CancelAllAfterStatus::activated;
  } else if (status == "CLOSED") {
    ack.status = CancelAllAfterStatus::closed;
  } else if (status == "FAILED") {
    return make_error(ErrorCode::rejected, fmt::format("{} failed: {}", what, ack.note.substr(0, 256)));
  } else {
    return make_error(ErrorCode::protocol_error,
                      status.empty() ? fmt::format("{}: field \"status\" is missing", what)
                                     : fmt::format("{}: unknown status \"{}\"", what, status.substr(0, 32)));
  }
  return ack;
}

}  // namespace cts::venue::bingx::detail
