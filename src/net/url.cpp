#include "url.hpp"

#include <fmt/format.h>

#include "cts/core/error.hpp"

namespace cts::net::detail {
namespace {

[[noreturn]] void bad_url(std::string_view url, const UrlSchemes& schemes, std::string_view why) {
  throw Exception(
      make_error(ErrorCode::invalid_argument, fmt::format("bad {} \"{}\": {}", schemes.what, url.substr(0, 200), why)));
}

}  // namespace

Url parse_url(std::string_view url, const UrlSchemes& schemes) {
  Url out;
  const std::size_t scheme_end = url.find("://");
  const std::string_view scheme = scheme_end == std::string_view::npos ? std::string_view{} : url.substr(0, scheme_end);
  if (scheme == schemes.tls) {
    out.tls = true;
  } else if (scheme != schemes.plain) {
    bad_url(url, schemes, fmt::format("the scheme must be {}:// or {}://", schemes.plain, schemes.tls));
  }
  const std::string_view rest = url.substr(scheme_end + 3);
  const std::size_t target_start = rest.find_first_of("/?#");
  const std::string_view authority = rest.substr(0, target_start);
  out.target = target_start == std::string_view::npos ? "/" : std::string(rest.substr(target_start));
  if (out.target.front() == '?') out.target.insert(out.target.begin(), '/');
  if (out.target.find_first_of(" \r\n#") != std::string::npos) {
    bad_url(url, schemes, "the path contains a space, line break or fragment");
  }
  if (authority.empty()) bad_url(url, schemes, "no host");
  if (authority.find('@') != std::string_view::npos) bad_url(url, schemes, "user information is not supported");
  std::string_view port;
  if (authority.front() == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) bad_url(url, schemes, "unterminated IPv6 literal");
    out.host = std::string(authority.substr(1, close - 1));
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') bad_url(url, schemes, "junk after the IPv6 literal");
      port = after.substr(1);
    }
  } else {
    const std::size_t colon = authority.rfind(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
  }
  if (out.host.empty()) bad_url(url, schemes, "no host");
  const std::string_view default_port = out.tls ? "443" : "80";
  if (port.empty()) port = default_port;
  unsigned value = 0;
  for (const char c : port) {
    if (c < '0' || c > '9' || value > 65535) bad_url(url, schemes, "the port must be a number in 1..65535");
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  if (value == 0 || value > 65535) bad_url(url, schemes, "the port must be a number in 1..65535");
  out.port = std::to_string(value);
  const std::string bracketed = out.host.find(':') != std::string::npos ? "[" + out.host + "]" : out.host;
  out.host_header = out.port == default_port ? bracketed : bracketed + ":" + out.port;
  return out;
}

}  // namespace cts::net::detail
