#pragma once
// Internal to cts::engine: the JSON answers of the control API (control_api.cpp) and of
// its operations routes (ops_api.cpp), and the test for a request no HTML form can send.
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "cts/core/detail/ascii.hpp"
#include "cts/core/detail/text.hpp"
#include "cts/core/http.hpp"
#include "cts/core/json_string.hpp"
#include "cts/engine/control_api.hpp"

namespace cts::engine::detail {

/// `body` (JSON, a newline appended) with `status`.
inline HttpResponse json_response(int status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.set_header("Content-Type", "application/json");
  response.body = std::move(body);
  response.body += '\n';
  return response;
}

/// `{"error":"<message>"}` with `status`.
inline HttpResponse error_response(int status, std::string_view message) {
  std::string body = "{\"error\":";
  cts::append_json_string(body, message);
  body += '}';
  return json_response(status, std::move(body));
}

/// 405 naming the method the route takes.
inline HttpResponse wrong_method(std::string_view allow) {
  HttpResponse response = error_response(405, "method not allowed");
  response.set_header("Allow", allow);
  return response;
}

/// A request a cross-site HTML form cannot send: JSON, or our own header.
inline bool is_programmatic(const HttpRequest& request) {
  if (request.header(kControlHeader)) return true;
  const std::optional<std::string_view> type = request.header("Content-Type");
  if (!type) return false;
  const std::string_view media = cts::detail::trim_spaces(type->substr(0, type->find(';')));
  return cts::detail::iequals(media, "application/json");
}

/// The 415 of a state change is_programmatic() refuses.
inline HttpResponse not_programmatic() {
  return error_response(415, fmt::format("a state change needs Content-Type: application/json or a {} header",
                                         kControlHeader));
}

}  // namespace cts::engine::detail
