#pragma once
// Internal to cts::venue: BingX's REST envelope `{"code","msg","data"}`, read by the swap
// and the spot reply parsers alike.

#include <cstdint>
#include <string>
#include <string_view>

#include "cts/core/detail/text.hpp"
#include "cts/core/http.hpp"
#include "cts/venue/bingx/errors.hpp"
#include "cts/venue/detail/json.hpp"
#include "cts/venue/json_reader.hpp"

namespace cts::venue::bingx::detail {


/// The market's map of a BingX code to its Error (code_error for the swap).
using CodeError = Error (*)(long code, std::string_view message, Operation operation);

/// Reads the envelope of `response`, calling `on_data(value, fields)` for `data` while
/// the code read so far is 0. Returns `to_error` of a non-zero code (the market's error
/// map), the status error for a non-2xx status without one, a protocol_error naming
/// `what` otherwise.
template <class OnData>
Result<void> read_envelope(const HttpResponse& response, Operation operation, std::string_view what, OnData&& on_data,
                           CodeError to_error = &code_error) {
  const int status = response.status;
  const bool success_status = status >= 200 && status < 300;
  const std::string_view body = response.body;
  const std::string_view trimmed = cts::detail::trim_spaces(body, " \t\r\n");
  if (!success_status && (trimmed.empty() || trimmed.front() != '{')) return http_status_error(status, operation);
  cts::venue::detail::FieldReader fields(what);
  auto document = thread_json_reader().iterate(body);
  if (document.error()) {
    if (!success_status) return http_status_error(status, operation);
    fields.fail_document(document.error());
    return fields.take_error();
  }
  std::int64_t code = 0;
  bool has_code = false;
  bool has_data = false;
  std::string message;
  const bool ok = cts::venue::detail::root_object(document.value_unsafe(), fields, [&](simdjson::ondemand::object& object) {
    return cts::venue::detail::for_each_field(object, fields, [&](std::string_view key, simdjson::ondemand::value& value) {
      if (key == "code") return has_code = true, fields.int64_or_text(value, code, "code");
      if (key == "msg") return fields.optional_string(value, message, "msg");
      if (key == "data") {
        has_data = true;
        if (has_code && code != 0) return true;
        return on_data(value, fields);
      }
      return true;
    });
  });
  if (has_code && code != 0) return to_error(static_cast<long>(code), message, operation);
  if (!success_status) return http_status_error(status, operation);
  if (!ok) return fields.take_error();
  if (!has_code) return fields.missing("code"), fields.take_error();
  if (!has_data) return fields.missing("data"), fields.take_error();
  return {};
}

}  // namespace cts::venue::bingx::detail
