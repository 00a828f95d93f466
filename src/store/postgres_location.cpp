// The location of a PostgreSQL journal: its URL, stream and redacted form
// (cts/store/postgres_journal.hpp).
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "cts/store/postgres_journal.hpp"

namespace cts::store {
namespace {

constexpr std::string_view kSchemes[] = {"postgresql://", "postgres://"};
constexpr std::size_t kMaxStream = 200;

// The parameters of `query` ("a=1&b=2"), in order; empty ones dropped.
std::vector<std::string_view> split_query(std::string_view query) {
  std::vector<std::string_view> out;
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view param = query.substr(0, amp);
    if (!param.empty()) out.push_back(param);
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return out;
}

std::string join(const std::vector<std::string_view>& params) {
  std::string out;
  for (std::string_view p : params) {
    if (!out.empty()) out += '&';
    out += p;
  }
  return out;
}

bool valid_stream(std::string_view stream) {
  if (stream.empty() || stream.size() > kMaxStream) return false;
  for (const char c : stream) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
                    c == ':' || c == '/' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Error bad_stream(std::string_view redacted) {
  return make_error(ErrorCode::invalid_argument,
                    fmt::format("journal {}: the stream must be 1 to {} letters, digits or ._:/- characters", redacted,
                                kMaxStream));
}

}  // namespace

bool is_postgres_url(std::string_view journal) noexcept {
  for (std::string_view scheme : kSchemes) {
    if (journal.starts_with(scheme)) return true;
  }
  return false;
}

std::string redact_url(std::string_view url) {
  const std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::string(url);
  const std::size_t authority_start = scheme_end + 3;
  const std::size_t authority_end = std::min(url.find_first_of("/?", authority_start), url.size());
  std::string out(url.substr(0, authority_start));
  const std::string_view authority = url.substr(authority_start, authority_end - authority_start);
  const std::size_t at = authority.rfind('@');
  if (at != std::string_view::npos) {
    const std::string_view userinfo = authority.substr(0, at);
    const std::size_t colon = userinfo.find(':');
    out += colon == std::string_view::npos ? userinfo : std::string(userinfo.substr(0, colon)) + ":***";
    out += authority.substr(at);
  } else {
    out += authority;
  }
  const std::string_view rest = url.substr(authority_end);
  const std::size_t question = rest.find('?');
  out += rest.substr(0, question);
  if (question == std::string_view::npos) return out;
  std::vector<std::string_view> params = split_query(rest.substr(question + 1));
  std::string query;
  for (std::string_view p : params) {
    if (!query.empty()) query += '&';
    query += p.starts_with("password=") ? std::string_view("password=***") : p;
  }
  return out + "?" + query;
}

Result<PostgresLocation> PostgresLocation::parse(std::string_view url) {
  PostgresLocation out;
  out.redacted = redact_url(url);
  if (!is_postgres_url(url)) {
    return make_error(ErrorCode::invalid_argument,
                      fmt::format("journal {}: a PostgreSQL journal URL starts with postgresql:// or postgres://", out.redacted));
  }
  if (url.find_first_of(" \t\r\n#") != std::string_view::npos) {
    return make_error(ErrorCode::invalid_argument,
                      fmt::format("journal {}: the URL contains a space, line break or fragment", out.redacted));
  }
  const std::size_t question = url.find('?');
  std::vector<std::string_view> kept;
  bool has_stream = false;
  if (question != std::string_view::npos) {
    for (std::string_view p : split_query(url.substr(question + 1))) {
      if (!p.starts_with("stream=")) {
        kept.push_back(p);
        continue;
      }
      if (has_stream) {
        return make_error(ErrorCode::invalid_argument, fmt::format("journal {}: the stream is given twice", out.redacted));
      }
      has_stream = true;
      out.stream = std::string(p.substr(7));
      if (!valid_stream(out.stream)) return bad_stream(out.redacted);
    }
  }
  out.conninfo = std::string(url.substr(0, question));
  if (!kept.empty()) out.conninfo += "?" + join(kept);
  return out;
}

Result<PostgresLocation> PostgresLocation::with_stream(std::string_view stream) const {
  if (!valid_stream(stream)) return bad_stream(redact_url(conninfo));
  PostgresLocation out = *this;
  out.stream = std::string(stream);
  out.redacted = redact_url(out.url());
  return out;
}

std::string PostgresLocation::url() const {
  if (stream.empty()) return conninfo;
  return conninfo + (conninfo.find('?') == std::string::npos ? "?" : "&") + "stream=" + stream;
}

}  // namespace cts::store
