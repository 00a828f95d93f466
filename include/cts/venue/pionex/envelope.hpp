#pragma once
/// \file
/// Internal: the skeleton every Pionex REST parser shares. A reply is the object
/// `{"result":true,"data":{...},"timestamp":1566691672311}`, or on failure
/// `{"result":false,"code":"TRADE_INVALID_SYMBOL","message":"Invalid symbol","timestamp":...}`
/// (pionex-open-api openapi.yaml, "Response Format"); a failure becomes the unified error
/// (errors.hpp), a success hands `data` to the endpoint's reader. Some successes carry no
/// data (cancel, cancel-all: the BaseResponse schema). Unknown members are skipped.

#include <cstdint>
#include <string>
#include <string_view>

#include "cts/core/http.hpp"
#include "cts/core/result.hpp"
#include "cts/venue/detail/json.hpp"
#include "cts/venue/json_reader.hpp"
#include "cts/venue/pionex/errors.hpp"
#include "cts/venue/types.hpp"

namespace cts::venue::pionex::detail {

namespace od = simdjson::ondemand;
using cts::venue::detail::FieldReader;
using cts::venue::detail::for_each_field;
using cts::venue::detail::Seen;
using cts::venue::detail::visit_array;
using cts::venue::detail::visit_object;

/// Whether a reply must carry `data`.
enum class Data : std::uint8_t {
  required,  ///< Endpoints that answer with data (every GET, a new order).
  none,      ///< Endpoints whose success is the bare envelope (cancel, cancel-all).
};

/// Reads `body`, which came with HTTP `status` (429: rate_limited at once), calling `on_data(value, fields)` for its
/// `data` member. Returns the envelope's `timestamp` (0 when absent). Errors: the venue's
/// for `"result":false` (its code mapped for `operation`); the status error for a
/// non-2xx status without a Pionex code; protocol_error naming `what` for malformed JSON,
/// a missing or non-boolean `result`, missing data where `data` is required, or whatever
/// `on_data` refuses.
template <class OnData>
Result<std::int64_t> parse_envelope_text(std::string_view body, int status, Operation operation, JsonReader& reader,
                                         std::string_view what, Data data, OnData&& on_data) {
  const bool success_status = status >= 200 && status < 300;
  // 429 is the rate limit whatever the body says (the venue bans the IP or account).
  if (status == 429 || (!success_status && (body.empty() || body.front() != '{'))) {
    return http_status_error(status, operation);
  }
  FieldReader fields(what);
  auto document = reader.iterate(body);
  if (document.error()) {
    if (!success_status) return http_status_error(status, operation);
    fields.fail_document(document.error());
    return fields.take_error();
  }
  bool has_result = false;
  bool result = false;
  bool has_data = false;
  std::string code;
  std::string message;
  std::int64_t timestamp = 0;
  const bool ok = cts::venue::detail::root_object(document.value_unsafe(), fields, [&](od::object& object) {
    return for_each_field(object, fields, [&](std::string_view key, od::value& value) {
      if (key == "result") return has_result = true, fields.boolean(value, result, key);
      if (key == "code") return fields.optional_string(value, code, key);
      if (key == "message") return fields.optional_string(value, message, key);
      if (key == "timestamp") return fields.int64(value, timestamp, key);
      if (key == "data") {
        auto null = value.is_null();
        if (!null.error() && null.value_unsafe()) return true;
        has_data = true;
        if (has_result && !result) return true;
        return on_data(value, fields);
      }
      return true;
    });
  });
  if (has_result && !result && !code.empty()) return code_error(code, message, operation);
  if (!success_status) return http_status_error(status, operation);
  if (!ok) return fields.take_error();
  if (!has_result) return fields.missing("result"), fields.take_error();
  if (!result) return fields.fail("result", "is false without a code"), fields.take_error();
  if (data == Data::required && !has_data) return fields.missing("data"), fields.take_error();
  return timestamp;
}

/// parse_envelope_text() of a REST `response` (its body and status).
template <class OnData>
Result<std::int64_t> parse_envelope(const HttpResponse& response, Operation operation, JsonReader& reader,
                                    std::string_view what, Data data, OnData&& on_data) {
  return parse_envelope_text(response.body, response.status, operation, reader, what, data,
                             std::forward<OnData>(on_data));
}

/// parse_envelope() for a reply whose data is an object holding one array `member`:
/// `visit(element, fields)` for each element; other members of data are skipped.
template <class OnElement>
Result<std::int64_t> parse_list(const HttpResponse& response, Operation operation, JsonReader& reader,
                                std::string_view what, std::string_view member, OnElement&& on_element) {
  return parse_envelope(response, operation, reader, what, Data::required, [&](od::value& data, FieldReader& fields) {
    bool seen = false;
    const bool ok = visit_object(data, fields, "data", [&](std::string_view key, od::value& value) {
      if (key != member) return true;
      seen = true;
      auto null = value.is_null();
      if (!null.error() && null.value_unsafe()) return true;  // an empty list written as null
      return visit_array(value, fields, member,
                         [&](od::value& element, std::size_t) { return on_element(element, fields); });
    });
    return ok && (seen || fields.missing(member));
  });
}

}  // namespace cts::venue::pionex::detail
