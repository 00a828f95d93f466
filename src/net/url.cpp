#include "url.hpp"

#include <fmt/format.h>

#include "cts/core/error.hpp"

namespace cts::net::detail {

Url parse_url(std::string_view url, const UrlSchemes& schemes) {
  Result<Url> split = split_url(url, schemes.plain, schemes.tls);
  if (!split) {
    throw Exception(make_error(ErrorCode::invalid_argument, fmt::format("bad {} \"{}\": {}", schemes.what,
                                                                        url.substr(0, 200), split.error().message)));
  }
  return std::move(*split);
}

}  // namespace cts::net::detail
