// HTX signature v2 (REST) and v2.1 (WebSocket v2).
#include "cts/sign/htx.hpp"

#include <algorithm>
#include <vector>

#include "cts/core/json_string.hpp"

#include "common.hpp"

namespace cts::sign {

HtxSigner::HtxSigner(std::string api_key, const Secret& secret, std::string host)
    : api_key_(std::move(api_key)), mac_(secret.reveal()), host_(std::move(host)) {
  detail::require_credential("htx", "API key", !api_key_.empty());
  detail::require_credential("htx", "secret", !secret.empty());
  if (host_.empty()) host_ = "api.huobi.pro";
  std::transform(host_.begin(), host_.end(), host_.begin(), [](char c) { return cts::detail::ascii_lower(c); });
}

Result<void> HtxSigner::sign(HttpRequest& request, const SigningContext& context) const {
  std::vector<std::pair<std::string, std::string>> params;  // decoded name, decoded value
  for (const ParamView& p : split_params(request.query)) {
    auto name = percent_decode(p.name);
    auto value = percent_decode(p.value);
    if (!name || !value) return detail::bad_request("htx", "query has a malformed %-escape");
    for (std::string_view reserved : {"AccessKeyId", "SignatureMethod", "SignatureVersion", "Timestamp", "Signature"}) {
      if (*name == reserved) return detail::bad_request("htx", fmt::format("query already carries {}", reserved));
    }
    params.emplace_back(std::move(*name), std::move(*value));
  }
  params.emplace_back("AccessKeyId", api_key_);
  params.emplace_back("SignatureMethod", "HmacSHA256");
  params.emplace_back("SignatureVersion", "2");
  params.emplace_back("Timestamp", detail::iso8601_seconds_no_zone(context.now));
  // "sorted by ASCII order of the parameter name" (uppercase before lowercase).
  std::stable_sort(params.begin(), params.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string query;
  for (const auto& [name, value] : params) {
    if (!query.empty()) query.push_back('&');
    percent_encode_append(query, name);
    query.push_back('=');
    percent_encode_append(query, value);
  }
  const auto sig = detail::base64_of(
      mac_.digest({to_string(request.method), "\n", host_, "\n", request.path, "\n", query}));
  query += "&Signature=";
  percent_encode_append(query, detail::view(sig));
  request.query.swap(query);
  return {};
}

std::string HtxSigner::ws_auth_signature(SystemTime now) const {
  std::string params = "accessKey=";
  percent_encode_append(params, api_key_);
  params += "&signatureMethod=HmacSHA256&signatureVersion=2.1&timestamp=";
  percent_encode_append(params, detail::iso8601_seconds_no_zone(now));
  return base64_encode(mac_.digest({"GET\n", host_, "\n/ws/v2\n", params}));
}

std::string HtxSigner::ws_auth_frame(SystemTime now) const {
  return fmt::format(
      R"({{"action":"req","ch":"auth","params":{{"authType":"api","accessKey":{},"signatureMethod":"HmacSHA256",)"
      R"("signatureVersion":"2.1","timestamp":"{}","signature":"{}"}}}})",
      cts::json_string(api_key_), detail::iso8601_seconds_no_zone(now), ws_auth_signature(now));
}

}  // namespace cts::sign
