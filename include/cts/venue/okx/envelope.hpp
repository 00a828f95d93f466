#pragma once
/// \file
/// Internal: the skeleton every OKX v5 REST parser shares, and the WebSocket order
/// replies, which wrap the same envelope in `id`, `op`, `inTime` and `outTime`. A reply is the envelope
/// `{"code":"0","msg":"","data":[...]}`: a non-zero code becomes the unified error
/// (errors.hpp), a zero one hands each element of `data` to the endpoint's reader.
/// Operations on orders answer per item as well (`sCode`, `sMsg`): OKX's code "1"
/// ("Operation failed") and "2" ("Bulk operation partially succeeded") carry the items'
/// own codes, which the order parsers read. Error replies may omit `data` (an invalid
/// key: HTTP 401 `{"msg":"Invalid OK-ACCESS-KEY","code":"50111"}`) or write `code` as
/// a JSON number (an unknown path: HTTP 404 `{"code":404,...}`).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "cts/core/http.hpp"
#include "cts/core/result.hpp"
#include "cts/venue/detail/json.hpp"
#include "cts/venue/detail/text_fields.hpp"
#include "cts/venue/json_reader.hpp"
#include "cts/venue/okx/errors.hpp"
#include "cts/venue/types.hpp"

namespace cts::venue::okx::detail {

namespace od = simdjson::ondemand;
using cts::venue::detail::decimal_or_empty;
using cts::venue::detail::digits_text;
using cts::venue::detail::FieldReader;
using cts::venue::detail::for_each_field;
using cts::venue::detail::Seen;
using cts::venue::detail::visit_array;
using cts::venue::detail::visit_object;

/// What the envelope said besides its data.
struct Envelope {
  long code = 0;          ///< 0, or 1 / 2 when the caller reads per-item codes.
  std::string message;    ///< `msg`.
  std::size_t items = 0;  ///< Elements of `data` read.
};

/// True for the codes whose items carry their own sCode (1: every item failed, 2: some did).
constexpr bool is_per_item_failure(long code) noexcept { return code == 1 || code == 2; }

/// The default for parse_envelope_text()'s `on_other`: members besides code, msg and
/// data are skipped.
struct SkipMember {
  bool operator()(std::string_view, od::value&, FieldReader&) const noexcept { return true; }
};

/// Reads an envelope `body` that came with HTTP status `status` (200 for a WebSocket
/// frame), calling `on_item(value, fields)` for every element of `data` while the code
/// read so far is 0 (or 1 / 2 when `per_item_codes`: the caller then looks at each
/// item's sCode) and `on_other(key, value, fields)` for every other member besides
/// `code` and `msg` (a WebSocket reply's `id`, `op`, `inTime`, `outTime`). Returns the
/// venue's error for any other non-zero code (an HTTP error status whose code is not an
/// OKX code, like 404's `404`, gives the status error), the status error for a non-2xx
/// status without an envelope, and a protocol_error naming `what` for malformed JSON, a
/// missing code or data, or whatever the readers refuse. A venue error wins over a
/// malformed member read after the code: the members before the failure have been seen.
template <class OnItem, class OnOther = SkipMember>
Result<Envelope> parse_envelope_text(std::string_view body, int status, Operation operation, JsonReader& reader,
                                     std::string_view what, OnItem&& on_item, bool per_item_codes = false,
                                     OnOther&& on_other = {}) {
  const bool success_status = status >= 200 && status < 300;
  if (!success_status && (body.empty() || body.front() != '{')) return http_status_error(status, operation);
  FieldReader fields(what);
  auto document = reader.iterate(body);
  if (document.error()) {
    if (!success_status) return http_status_error(status, operation);
    fields.fail_document(document.error());
    return fields.take_error();
  }
  std::int64_t code = 0;
  bool has_code = false;
  bool has_data = false;
  Envelope envelope;
  const auto reads_items = [&] {
    return !has_code || code == 0 || (per_item_codes && is_per_item_failure(static_cast<long>(code)));
  };
  const bool ok = cts::venue::detail::root_object(document.value_unsafe(), fields, [&](od::object& object) {
    return for_each_field(object, fields, [&](std::string_view key, od::value& value) {
      if (key == "code") return has_code = true, fields.int64_or_text(value, code, "code");
      if (key == "msg") return fields.optional_string(value, envelope.message, "msg");
      if (key == "data") {
        has_data = true;
        if (!reads_items()) return true;
        return visit_array(value, fields, "data", [&](od::value& item, std::size_t) {
          ++envelope.items;
          return on_item(item, fields);
        });
      }
      return on_other(key, value, fields);
    });
  });
  if (has_code && code != 0) {
    if (!success_status && code < 10000) return http_status_error(status, operation);
    if (!per_item_codes || !is_per_item_failure(static_cast<long>(code)) || envelope.items == 0) {
      return code_error(static_cast<long>(code), envelope.message, operation);
    }
  }
  if (!success_status) return http_status_error(status, operation);
  if (!ok) return fields.take_error();
  if (!has_code) return fields.missing("code"), fields.take_error();
  if (!has_data) return fields.missing("data"), fields.take_error();
  envelope.code = static_cast<long>(code);
  return envelope;
}

/// parse_envelope_text() of a REST `response` (its body and status), other members
/// skipped.
template <class OnItem>
Result<Envelope> parse_envelope(const HttpResponse& response, Operation operation, JsonReader& reader,
                                std::string_view what, OnItem&& on_item, bool per_item_codes = false) {
  return parse_envelope_text(response.body, response.status, operation, reader, what, std::forward<OnItem>(on_item),
                             per_item_codes);
}

/// parse_envelope() for a reply whose `data` holds exactly one object (server time,
/// order book, ticker): protocol_error naming `what` when it holds none or several.
template <class OnItem>
Result<void> parse_single(const HttpResponse& response, Operation operation, JsonReader& reader, std::string_view what,
                          OnItem&& on_item) {
  Result<Envelope> envelope = parse_envelope(response, operation, reader, what, std::forward<OnItem>(on_item));
  if (!envelope) return envelope.error();
  if (envelope->items != 1) {
    return make_error(ErrorCode::protocol_error,
                      fmt::format("{}: data holds {} elements, expected 1", what, envelope->items));
  }
  return {};
}

/// Reads one item's outcome (`sCode`, a numeric string, and `sMsg`) when `key` names
/// one of them; returns nullopt for other keys, else what the reader returned.
inline std::optional<bool> read_item_status(std::string_view key, od::value& value, FieldReader& fields,
                                            std::int64_t& code, std::string& message, bool& has_code) {
  if (key == "sCode") {
    has_code = true;
    return fields.int64_or_text(value, code, "sCode");
  }
  if (key == "sMsg") return fields.optional_string(value, message, "sMsg");
  return std::nullopt;
}

}  // namespace cts::venue::okx::detail
