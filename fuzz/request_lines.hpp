#pragma once
// The input format the simulator-front fuzz targets share: an optional first line
// `faults SPEC` (FaultConfig::parse), then one request per line, 250 ms apart.

#include <cstdint>
#include <optional>
#include <string_view>

#include "cts/core/http.hpp"
#include "cts/sim/faults.hpp"
#include "fuzz_target.hpp"

namespace cts::fuzz {

/// Reads a leading `faults SPEC` line of `input` into `faults` (a spec FaultConfig::parse
/// refuses must be invalid_argument, and leaves `faults` as it is); returns the lines
/// after it (all of `input` when it has none).
inline std::string_view read_fault_line(std::string_view input, sim::FaultConfig& faults) {
  if (!input.starts_with("faults ")) return input;
  const std::size_t eol = input.find('\n');
  const auto parsed = sim::FaultConfig::parse(input.substr(7, eol == std::string_view::npos ? eol : eol - 7));
  if (parsed) faults = *parsed;
  if (!parsed) require(parsed.error().code == ErrorCode::invalid_argument, "a bad fault spec is invalid_argument");
  return eol == std::string_view::npos ? std::string_view{} : input.substr(eol + 1);
}

/// Hands each line of `lines` to `request(line, now_ms)`, the time 250 ms after
/// `start_ms` for the first line and 250 ms later for each next one; `request` returns
/// whether the line was a request, and at most 64 requests are made.
template <class Request>
void for_each_request_line(std::string_view lines, std::int64_t start_ms, Request&& request) {
  std::int64_t now_ms = start_ms;
  int requests = 0;
  while (!lines.empty() && requests < 64) {
    const std::size_t eol = lines.find('\n');
    const std::string_view line = lines.substr(0, eol);
    lines = eol == std::string_view::npos ? std::string_view{} : lines.substr(eol + 1);
    now_ms += 250;
    if (request(line, now_ms)) ++requests;
  }
}

/// The unsigned request a line `METHOD PATH[?QUERY][ BODY]` describes (the target
/// split at its first '?', the body after the first space past it), or nothing for a
/// line without a space or with an unknown method.
inline std::optional<HttpRequest> parse_request_line(std::string_view line) {
  const std::size_t space = line.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  const auto method = parse_http_method(line.substr(0, space));
  if (!method) return std::nullopt;
  line.remove_prefix(space + 1);
  const std::size_t body_at = line.find(' ');
  const std::string_view target = line.substr(0, body_at);
  HttpRequest r;
  r.method = *method;
  if (body_at != std::string_view::npos) r.body.assign(line.substr(body_at + 1));
  const std::size_t question = target.find('?');
  r.path.assign(target.substr(0, question));
  if (question != std::string_view::npos) r.query.assign(target.substr(question + 1));
  return r;
}

}  // namespace cts::fuzz
