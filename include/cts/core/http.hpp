#pragma once
/// \file
/// Transport-neutral HTTP messages. Connectors build HttpRequest values and parse
/// HttpResponse values (sans-I/O); signers add authentication to an HttpRequest; the
/// transport (cts::net) sends them. No I/O here.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "cts/core/http_headers.hpp"

namespace cts {

/// HTTP request method.
enum class HttpMethod : std::uint8_t { get, post, put, delete_, patch };

/// "GET", "POST", "PUT", "DELETE" or "PATCH".
constexpr std::string_view to_string(HttpMethod method) noexcept {
  switch (method) {
    case HttpMethod::get: return "GET";
    case HttpMethod::post: return "POST";
    case HttpMethod::put: return "PUT";
    case HttpMethod::delete_: return "DELETE";
    case HttpMethod::patch: return "PATCH";
  }
  return "INVALID";
}

/// The method `name` spells exactly as to_string() writes it; nullopt for anything else
/// (lower case included).
constexpr std::optional<HttpMethod> parse_http_method(std::string_view name) noexcept {
  for (HttpMethod method : {HttpMethod::get, HttpMethod::post, HttpMethod::put, HttpMethod::delete_, HttpMethod::patch}) {
    if (to_string(method) == name) return method;
  }
  return std::nullopt;
}

/// A request as a venue expects it, before or after signing.
struct HttpRequest {
  HttpMethod method = HttpMethod::get;  ///< Method.
  std::string path;                     ///< Path only, e.g. "/api/v3/order".
  std::string query;                    ///< Encoded query without '?', e.g. "symbol=BTCUSDT&limit=5".
  std::string body;                     ///< Encoded body (form or JSON), possibly empty.
  HttpHeaders headers;                  ///< Header fields in sending order.

  /// The request target: path plus "?query" when the query is not empty.
  [[nodiscard]] std::string target() const { return query.empty() ? path : path + "?" + query; }
  /// The value of header `name` (case-insensitive), if present.
  [[nodiscard]] std::optional<std::string_view> header(std::string_view name) const {
    return headers.find(name);
  }
  /// Sets header `name` to `value`, replacing an existing field of that name.
  void set_header(std::string_view name, std::string_view value) { headers.set(name, value); }
};

/// A response as received.
struct HttpResponse {
  int status = 0;                   ///< Status code, e.g. 200, 429.
  HttpHeaders headers;              ///< Header fields as received.
  std::string body;                 ///< Decoded body.

  /// The value of header `name` (case-insensitive), if present.
  [[nodiscard]] std::optional<std::string_view> header(std::string_view name) const {
    return headers.find(name);
  }
  /// Sets header `name` to `value`, replacing an existing field of that name.
  void set_header(std::string_view name, std::string_view value) { headers.set(name, value); }
};

}  // namespace cts
