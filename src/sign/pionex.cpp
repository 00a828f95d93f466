// Pionex REST and private WebSocket authentication.
#include "cts/sign/pionex.hpp"

#include <algorithm>

#include "common.hpp"

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
  std::string sorted;
  sorted.reserve(request.query.size());
  for (const auto& p : params) append_param(sorted, p.name, p.value);
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
