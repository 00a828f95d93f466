#pragma once
/// \file
/// The `rate.shared` URL of a Redis server: `redis://[[user]:password@]host[:port][/db]`,
/// split for a connection, with a redacted form (the password replaced by "***") for
/// every log line and error. The URL itself is never quoted in an error: it may carry
/// the password.

#include <string>
#include <string_view>

#include <fmt/format.h>

#include "cts/core/error.hpp"
#include "cts/core/result.hpp"
#include "cts/core/url.hpp"

namespace cts::rate {

/// A Redis server to connect to.
struct RedisEndpoint {
  std::string host;       ///< Host name or IP literal.
  int port = 6379;        ///< TCP port (Redis's default when the URL names none).
  unsigned database = 0;  ///< The logical database (SELECT), 0 when the URL names none.
  std::string user;       ///< The ACL user (AUTH user password); empty: the default user.
  std::string password;   ///< The password (AUTH); empty: none. Never log it.
  std::string redacted;   ///< The URL with the password replaced by "***": what logs and errors show.
};

/// Splits a `redis://` URL. Errors (invalid_argument, never quoting the URL): another
/// scheme (rediss:// TLS is not supported), no host, a bad port, a path other than a
/// database number 0..15, a query.
inline Result<RedisEndpoint> parse_redis_url(std::string_view url) {
  const auto bad = [](std::string_view why) {
    return make_error(ErrorCode::invalid_argument, fmt::format("rate.shared: {}", why));
  };
  constexpr std::string_view kScheme = "redis://";
  if (!url.starts_with(kScheme)) return bad("the URL must start with redis://");
  std::string_view rest = url.substr(kScheme.size());
  RedisEndpoint out;
  const std::size_t at = rest.substr(0, rest.find('/')).rfind('@');
  if (at != std::string_view::npos) {
    const std::string_view info = rest.substr(0, at);
    const std::size_t colon = info.find(':');
    if (colon == std::string_view::npos) return bad("user information must be [user]:password");
    out.user = std::string(info.substr(0, colon));
    out.password = std::string(info.substr(colon + 1));
    rest = rest.substr(at + 1);
  }
  const std::size_t slash = rest.find('/');
  const std::string_view authority = rest.substr(0, slash);
  const std::string_view path = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
  // core's splitter needs an explicit port to tell it from its scheme defaults.
  const bool has_port = authority.find(':', authority.find(']') == std::string_view::npos ? 0 : authority.find(']')) !=
                        std::string_view::npos;
  const std::string plain = fmt::format("redis://{}{}", authority, has_port ? "" : ":6379");
  Result<Url> split = split_url(plain, "redis", "rediss-unsupported");
  if (!split) return bad(split.error().message);
  if (split->target != "/") return bad("junk after the host");
  out.host = split->host;
  out.port = std::stoi(split->port);
  if (!path.empty()) {
    if (path.size() > 2 || path.find_first_not_of("0123456789") != std::string_view::npos) {
      return bad("the path must be a database number 0..15");
    }
    out.database = static_cast<unsigned>(std::stoul(std::string(path)));
    if (out.database > 15) return bad("the path must be a database number 0..15");
  }
  const std::string credentials =
      out.password.empty() && out.user.empty() ? "" : fmt::format("{}:***@", out.user);
  out.redacted = fmt::format("redis://{}{}:{}/{}", credentials, split->host_header.substr(0, split->host_header.rfind(':')),
                             out.port, out.database);
  return out;
}

}  // namespace cts::rate
