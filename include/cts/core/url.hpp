#pragma once
/// \file
/// Splitting an absolute URL ("https://host:port/path?query", "wss://...") into what a
/// connection needs: the one URL splitter of the project (net's HTTP and WebSocket
/// clients, health's webhook channels).

#include <string>
#include <string_view>

#include "cts/core/error.hpp"
#include "cts/core/result.hpp"

namespace cts {

/// A URL split for a connection.
struct Url {
  bool tls = false;         ///< The TLS scheme ("https", "wss") was used.
  std::string host;         ///< Host name or IP literal, without brackets.
  std::string port;         ///< Decimal 1..65535 (the scheme's default, 80 or 443, when absent).
  std::string target;       ///< Path and query, "/" at least (a bare "?q" becomes "/?q").
  std::string host_header;  ///< host[:port] for the Host header (IPv6 bracketed; default port left out).
};

/// Splits "scheme://host[:port][/path][?query]" whose scheme is `plain_scheme` ("http",
/// "ws"; default port 80) or `tls_scheme` ("https", "wss"; default port 443).
/// Errors (invalid_argument, saying what is wrong without quoting any part of the URL,
/// which may be a credential): another scheme, no host, user information, an
/// unterminated IPv6 literal, a port outside 1..65535, a space, line break or '#' in
/// the path.
inline Result<Url> split_url(std::string_view url, std::string_view plain_scheme, std::string_view tls_scheme) {
  const auto bad = [](std::string why) { return make_error(ErrorCode::invalid_argument, std::move(why)); };
  Url out;
  const std::size_t scheme_end = url.find("://");
  const std::string_view scheme = scheme_end == std::string_view::npos ? std::string_view{} : url.substr(0, scheme_end);
  if (scheme == tls_scheme) {
    out.tls = true;
  } else if (scheme != plain_scheme) {
    return bad("the scheme must be " + std::string(plain_scheme) + ":// or " + std::string(tls_scheme) + "://");
  }
  const std::string_view rest = url.substr(scheme_end + 3);
  const std::size_t target_start = rest.find_first_of("/?#");
  const std::string_view authority = rest.substr(0, target_start);
  out.target = target_start == std::string_view::npos ? "/" : std::string(rest.substr(target_start));
  if (out.target.front() == '?') out.target.insert(out.target.begin(), '/');
  if (out.target.find_first_of(" \r\n#") != std::string::npos) {
    return bad("the path contains a space, line break or fragment");
  }
  if (authority.empty()) return bad("no host");
  if (authority.find('@') != std::string_view::npos) return bad("user information is not supported");
  std::string_view port;
  if (authority.front() == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return bad("unterminated IPv6 literal");
    out.host = std::string(authority.substr(1, close - 1));
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return bad("junk after the IPv6 literal");
      port = after.substr(1);
    }
  } else {
    const std::size_t colon = authority.rfind(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
  }
  if (out.host.empty()) return bad("no host");
  const std::string_view default_port = out.tls ? "443" : "80";
  if (port.empty()) port = default_port;
  unsigned value = 0;
  for (const char c : port) {
    if (c < '0' || c > '9' || value > 65535) return bad("the port must be a number in 1..65535");
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  if (value == 0 || value > 65535) return bad("the port must be a number in 1..65535");
  out.port = std::to_string(value);
  const std::string bracketed = out.host.find(':') != std::string::npos ? "[" + out.host + "]" : out.host;
  out.host_header = out.port == default_port ? bracketed : bracketed + ":" + out.port;
  return out;
}

}  // namespace cts
