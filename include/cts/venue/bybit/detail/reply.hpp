#pragma once
/// \file
/// Internal: the skeleton every Bybit v5 REST parser shares. A reply is the envelope
/// `{"retCode":0,"retMsg":"OK","result":{...},"retExtInfo":{...},"time":...}`; a non-zero
/// retCode becomes the unified error (errors.hpp), a zero one hands `result` (and
/// `retExtInfo`) to the endpoint's reader.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cts/core/detail/text.hpp"
#include "cts/core/http.hpp"
#include "cts/core/result.hpp"
#include "cts/venue/bybit/errors.hpp"
#include "cts/venue/detail/json.hpp"
#include "cts/venue/detail/text_fields.hpp"
#include "cts/venue/json_reader.hpp"
#include "cts/venue/types.hpp"

namespace cts::venue::bybit::detail {

namespace od = simdjson::ondemand;
using cts::venue::detail::decimal_or_empty;
using cts::venue::detail::digits_text;
using cts::venue::detail::FieldReader;
using cts::venue::detail::for_each_element;
using cts::venue::detail::for_each_field;
using cts::venue::detail::Seen;
using cts::venue::detail::visit_array;
using cts::venue::detail::visit_object;

/// Reads the envelope of `response`, calling `on_result(value, fields)` for `result`
/// and `on_ext(value, fields)` for `retExtInfo` while the retCode read so far is 0 (Bybit
/// sends retCode first). Returns the venue's error for a non-zero retCode, the status
/// error for a non-2xx status without an envelope, and a protocol_error naming `what` for
/// malformed JSON, a missing retCode or result, or whatever the readers refuse.
/// `time_ms`, when given, receives the envelope's `time`.
template <class OnResult, class OnExt>
Result<void> parse_reply(const HttpResponse& response, Operation operation, JsonReader& reader, std::string_view what,
                         OnResult&& on_result, OnExt&& on_ext, std::int64_t* time_ms = nullptr) {
  const bool success_status = response.status >= 200 && response.status < 300;
  const std::string_view body = response.body;
  if (!success_status && (body.empty() || body.front() != '{')) return http_status_error(response.status, operation);
  FieldReader fields(what);
  auto document = reader.iterate(body);
  if (document.error()) {
    if (!success_status) return http_status_error(response.status, operation);
    fields.fail_document(document.error());
    return fields.take_error();
  }
  std::int64_t code = 0;
  bool has_code = false;
  bool has_result = false;
  std::string message;
  std::int64_t time = 0;
  const bool ok = cts::venue::detail::root_object(document.value_unsafe(), fields, [&](od::object& object) {
    return for_each_field(object, fields, [&](std::string_view key, od::value& value) {
      if (key == "retCode") return has_code = true, fields.int64(value, code, "retCode");
      if (key == "retMsg") return fields.optional_string(value, message, "retMsg");
      if (key == "result") {
        has_result = true;
        return (has_code && code != 0) || on_result(value, fields);
      }
      if (key == "retExtInfo") return (has_code && code != 0) || on_ext(value, fields);
      if (key == "time") return fields.int64(value, time, "time");
      return true;
    });
  });
  if (has_code && code != 0) return ret_code_error(static_cast<long>(code), message, operation);
  if (!success_status) return http_status_error(response.status, operation);
  if (!ok) return fields.take_error();
  if (!has_code) return fields.missing("retCode"), fields.take_error();
  if (!has_result) return fields.missing("result"), fields.take_error();
  if (time_ms != nullptr) *time_ms = time;
  return {};
}

/// parse_reply() without a retExtInfo reader.
template <class OnResult>
Result<void> parse_result(const HttpResponse& response, Operation operation, JsonReader& reader, std::string_view what,
                          OnResult&& on_result, std::int64_t* time_ms = nullptr) {
  return parse_reply(
      response, operation, reader, what, std::forward<OnResult>(on_result),
      [](od::value&, FieldReader&) { return true; }, time_ms);
}

/// Reads `list` (an array of objects) of a result object into `out`, one T per element
/// through `element(value, fields, item)`; other members of the result are offered to
/// `other(key, value)` (e.g. nextPageCursor). A missing `list` is a protocol error.
template <class T, class Element, class Other>
bool result_list(od::value& result, FieldReader& fields, std::vector<T>& out, Element&& element, Other&& other) {
  bool has_list = false;
  const bool ok = visit_object(result, fields, "result", [&](std::string_view key, od::value& value) {
    if (key == "list") {
      has_list = true;
      out.clear();
      return visit_array(value, fields, "list",
                         [&](od::value& item, std::size_t) { return element(item, fields, out.emplace_back()); });
    }
    return other(key, value);
  });
  return ok && (has_list || fields.missing("list"));
}

/// Reads `nextPageCursor` into `cursor`; other keys are ignored.
inline auto cursor_reader(FieldReader& fields, std::string& cursor) {
  return [&fields, &cursor](std::string_view key, od::value& value) {
    if (key == "nextPageCursor") return fields.optional_string(value, cursor, key);
    return true;
  };
}

}  // namespace cts::venue::bybit::detail
