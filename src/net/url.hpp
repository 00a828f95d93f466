#pragma once
// Internal to cts::net: splitting the URLs the clients are given (http(s):// base URLs,
// ws(s):// stream URLs) into what a connection needs.

#include <string>
#include <string_view>

namespace cts::net::detail {

/// The URL schemes of one client: the plain one and the TLS one ("http", "https").
struct UrlSchemes {
  std::string_view plain;  ///< e.g. "ws".
  std::string_view tls;    ///< e.g. "wss".
  std::string_view what;   ///< How errors name the URL: "base URL", "WebSocket URL".
};

/// A URL split for a connection.
struct Url {
  bool tls = false;         ///< The TLS scheme was used.
  std::string host;         ///< Host name or IP literal, without brackets.
  std::string port;         ///< Decimal 1..65535 (the scheme's default, 80 or 443, when absent).
  std::string target;       ///< Path and query, "/" at least (a bare "?q" becomes "/?q").
  std::string host_header;  ///< host[:port] for the Host header (IPv6 bracketed; default port left out).
};

/// Splits "scheme://host[:port][/path][?query]". Throws cts::Exception(invalid_argument)
/// "bad <what> "<url>": <why>" for another scheme, no host, user information, an
/// unterminated IPv6 literal, a port outside 1..65535, or a space, line break or '#' in
/// the target.
Url parse_url(std::string_view url, const UrlSchemes& schemes);

}  // namespace cts::net::detail
