// BingX REST authentication: parameters in the order sent (query string or form body),
// or a flat JSON body signed over its members sorted a-z.
#include "cts/sign/bingx.hpp"

#include <algorithm>
#include <vector>

#include "common.hpp"

namespace cts::sign {

namespace {

/// One member of a flat JSON object: its key and the value as BingX signs it (a string's
/// characters without quotes, any other scalar's text as written).
struct Member {
  std::string_view key;
  std::string_view value;
};

constexpr bool is_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::size_t skip_space(std::string_view text, std::size_t at) noexcept {
  while (at < text.size() && is_space(text[at])) ++at;
  return at;
}

/// The characters of the string starting at `at` (a quote); `at` moves past the closing
/// quote. Escapes are refused: the signed text would differ from the bytes sent.
std::optional<std::string_view> read_string(std::string_view text, std::size_t& at) {
  if (at >= text.size() || text[at] != '"') return std::nullopt;
  const std::size_t close = text.find_first_of("\"\\", at + 1);
  if (close == std::string_view::npos || text[close] != '"') return std::nullopt;
  const std::string_view chars = text.substr(at + 1, close - at - 1);
  at = close + 1;
  return chars;
}

/// The members of a flat JSON object (scalar values only) and the offset of its closing
/// brace; nullopt when the body is not such an object.
std::optional<std::pair<std::vector<Member>, std::size_t>> read_flat_object(std::string_view body) {
  std::vector<Member> members;
  std::size_t at = skip_space(body, 0);
  if (at >= body.size() || body[at] != '{') return std::nullopt;
  at = skip_space(body, at + 1);
  if (at < body.size() && body[at] == '}') return std::pair{std::move(members), at};
  while (true) {
    const auto key = read_string(body, at);
    if (!key) return std::nullopt;
    at = skip_space(body, at);
    if (at >= body.size() || body[at] != ':') return std::nullopt;
    at = skip_space(body, at + 1);
    if (at >= body.size()) return std::nullopt;
    std::string_view value;
    if (body[at] == '"') {
      const auto chars = read_string(body, at);
      if (!chars) return std::nullopt;
      value = *chars;
    } else {
      const std::size_t end = body.find_first_of(",} \t\r\n", at);
      if (end == std::string_view::npos || end == at || body[at] == '{' || body[at] == '[') return std::nullopt;
      value = body.substr(at, end - at);
      at = end;
    }
    members.push_back({*key, value});
    at = skip_space(body, at);
    if (at >= body.size()) return std::nullopt;
    if (body[at] == '}') break;
    if (body[at] != ',') return std::nullopt;
    at = skip_space(body, at + 1);
  }
  if (skip_space(body, at + 1) != body.size()) return std::nullopt;
  return std::pair{std::move(members), at};
}

bool starts_json_object(std::string_view body) noexcept {
  const std::size_t at = skip_space(body, 0);
  return at < body.size() && body[at] == '{';
}

}  // namespace

BingxSigner::BingxSigner(std::string api_key, const Secret& secret, std::optional<std::int64_t> recv_window_ms)
    : api_key_(std::move(api_key)), mac_(secret.reveal()), recv_window_ms_(recv_window_ms) {
  detail::require_credential("bingx", "API key", !api_key_.empty());
  detail::require_credential("bingx", "secret", !secret.empty());
}

Result<void> BingxSigner::sign(HttpRequest& request, const SigningContext& context) const {
  if (starts_json_object(request.body)) return sign_json_body(request, to_unix_millis(context.now));
  return detail::sign_params_hmac(request, mac_, to_unix_millis(context.now), recv_window_ms_, "bingx", "X-BX-APIKEY",
                                  api_key_);
}

Result<void> BingxSigner::sign_json_body(HttpRequest& request, std::int64_t now_ms) const {
  auto object = read_flat_object(request.body);
  if (!object) return detail::bad_request("bingx", "JSON body must be a flat object without string escapes");
  std::vector<Member>& members = object->first;
  const std::size_t close = object->second;
  const auto has = [&members](std::string_view name) {
    return std::any_of(members.begin(), members.end(), [name](const Member& m) { return m.key == name; });
  };
  if (has("signature")) return detail::bad_request("bingx", "request already carries a signature");
  if (!request.query.empty()) return detail::bad_request("bingx", "a JSON body request carries no query string");
  // The members added here go at the end of the object, after the caller's.
  const bool had_members = !members.empty();
  const std::string recv_window = recv_window_ms_ ? detail::decimal(*recv_window_ms_) : std::string();
  const std::string timestamp = detail::decimal(now_ms);
  std::string appended;
  const auto add = [&](std::string_view key, std::string_view value) {
    members.push_back({key, value});
    appended += fmt::format(",\"{}\":{}", key, value);
  };
  if (recv_window_ms_ && !has("recvWindow")) add("recvWindow", recv_window);
  if (!has("timestamp")) add("timestamp", timestamp);
  std::sort(members.begin(), members.end(), [](const Member& a, const Member& b) { return a.key < b.key; });
  std::string signed_text;
  for (const Member& m : members) {
    if (!signed_text.empty()) signed_text += '&';
    signed_text.append(m.key).append("=").append(m.value);
  }
  const auto hex = detail::hex_of(mac_.digest(signed_text));
  appended += fmt::format(",\"signature\":\"{}\"", detail::view(hex));
  if (!had_members) appended.erase(0, 1);
  request.body.insert(close, appended);
  request.set_header("X-BX-APIKEY", api_key_);
  return {};
}

Result<void> BingxSigner::add_api_key(HttpRequest& request) const {
  request.set_header("X-BX-APIKEY", api_key_);
  return {};
}

}  // namespace cts::sign
