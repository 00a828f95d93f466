// Pionex REST and private WebSocket authentication.
#include "cts/sign/pionex.hpp"

#include <algorithm>

#include "common.hpp"
#include "cts/sign/encoding.hpp"

namespace cts::sign {

PionexSigner::PionexSigner(std::string api_key, const Secret& secret)
    : api_key_(std::move(api_key)), mac_(secret.reveal()) {
  detail::require_credential("pionex", "API key", !api_key_.empty());
  detail::require_credential("pionex", "secret", !secret.empty());
}

Result<void> PionexSigner::sign(HttpRequest& request, const SigningContext& context) const {
  detail::encode_unsafe_bytes(request.query);
  if (!find_param(request.query, "timestamp")) append_param(request.query, "timestamp", to_unix_millis(context.now));
  auto params = split_params(request.query);
  std::stable_sort(params.begin(), params.end(), [](const ParamView& a, const ParamView& b) { return a.name < b.name; });
  // The values are signed as they are, not URL-encoded ("no URL encoding for signature
  // values"): an escape the query carries is decoded for the prehash.
  std::string sorted;
  sorted.reserve(request.query.size());
  for (const auto& p : params) {
    if (p.value.find('%') == std::string_view::npos) {
      append_param(sorted, p.name, p.value);
      continue;
    }
    const Result<std::string> decoded = percent_decode(p.value);
    append_param(sorted, p.name, decoded ? std::string_view(*decoded) : p.value);
  }
  const auto sig = detail::hex_of(mac_.digest({to_string(request.method), request.path, "?", sorted, request.body}));
  request.set_header("PIONEX-KEY", api_key_);
  request.set_header("PIONEX-SIGNATURE", detail::view(sig));
  return {};
}

std::string PionexSigner::ws_auth_query(std::int64_t timestamp_ms) const {
  std::string query;
  append_param(query, "key", api_key_);
  append_param(query, "timestamp", timestamp_ms);
  const auto sig = detail::hex_of(mac_.digest({"/ws?", query, "websocket_auth"}));
  append_param(query, "signature", detail::view(sig));
  return query;
}

}  // namespace cts::sign
