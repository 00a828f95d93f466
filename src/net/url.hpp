#pragma once
// Internal to cts::net: the URLs the clients are given (http(s):// base URLs, ws(s)://
// stream URLs), split by core's split_url() into what a connection needs.

#include <string_view>

#include "cts/core/url.hpp"

namespace cts::net::detail {

using Url = cts::Url;

/// The URL schemes of one client: the plain one and the TLS one ("http", "https").
struct UrlSchemes {
  std::string_view plain;  ///< e.g. "ws".
  std::string_view tls;    ///< e.g. "wss".
  std::string_view what;   ///< How errors name the URL: "base URL", "WebSocket URL".
};

/// Splits `url` with cts::split_url(). Throws cts::Exception(invalid_argument)
/// "bad <what> "<url>": <why>" (a base or stream URL is no secret: the error quotes it).
Url parse_url(std::string_view url, const UrlSchemes& schemes);

}  // namespace cts::net::detail
