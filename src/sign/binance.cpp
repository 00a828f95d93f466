// Binance spot / USD-M HMAC-SHA256 signing (REST and WebSocket API).
#include "cts/sign/binance.hpp"

#include <algorithm>
#include <array>

#include "common.hpp"

namespace cts::sign {

namespace {

void require_binance(VenueId venue, std::string_view api_key) {
  if (venue != VenueId::binance_spot && venue != VenueId::binance_usdm) {
    throw Exception(make_error(ErrorCode::invalid_argument, "binance signer: venue is not Binance"));
  }
  detail::require_credential("binance", "API key", !api_key.empty());
}

}  // namespace

BinanceHmacSigner::BinanceHmacSigner(VenueId venue, std::string api_key, const Secret& secret,
                                     std::optional<std::int64_t> recv_window_ms)
    : venue_(venue), api_key_(std::move(api_key)), mac_(secret.reveal()), recv_window_ms_(recv_window_ms) {
  require_binance(venue, api_key_);
  detail::require_credential("binance", "secret", !secret.empty());
}

Result<void> BinanceHmacSigner::sign(HttpRequest& request, const SigningContext& context) const {
  // "the query string concatenated without separator to the HTTP body" (rest-api.md).
  return detail::sign_params_hmac(request, mac_, to_unix_millis(context.now), recv_window_ms_, "binance",
                                  "X-MBX-APIKEY", api_key_);
}

Result<void> BinanceHmacSigner::add_api_key(HttpRequest& request) const {
  request.set_header("X-MBX-APIKEY", api_key_);
  return {};
}

namespace {

// WebSocket API signing (web-socket-api.md "SIGNED request security"): adds apiKey,
// timestamp and recvWindow where absent, sorts every parameter by name, and returns
// `sign_payload` of "k=v&..." over the raw UTF-8 values, appended as `signature`.
template <class SignPayload>
Result<std::string> sign_ws_params_with(std::vector<std::pair<std::string, std::string>>& params,
                                        const SigningContext& context, const std::string& api_key,
                                        std::optional<std::int64_t> recv_window_ms, SignPayload&& sign_payload) {
  const auto has = [&](std::string_view name) {
    return std::any_of(params.begin(), params.end(), [&](const auto& p) { return p.first == name; });
  };
  if (has("signature")) return detail::bad_request("binance", "WebSocket params already carry a signature");
  if (!has("apiKey")) params.emplace_back("apiKey", api_key);
  if (!has("timestamp")) {
    params.emplace_back("timestamp", detail::decimal(to_unix_millis(context.now)));
    if (recv_window_ms && !has("recvWindow")) params.emplace_back("recvWindow", detail::decimal(*recv_window_ms));
  }
  std::sort(params.begin(), params.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string payload;
  for (const auto& [name, value] : params) append_param(payload, name, value);
  std::string signature = sign_payload(payload);
  params.emplace_back("signature", signature);
  return signature;
}

}  // namespace

Result<std::string> BinanceHmacSigner::sign_ws_params(std::vector<std::pair<std::string, std::string>>& params,
                                                      const SigningContext& context) const {
  return sign_ws_params_with(params, context, api_key_, recv_window_ms_,
                             [&](const std::string& payload) { return hex_lower(mac_.digest(payload)); });
}

BinanceEd25519Signer::BinanceEd25519Signer(VenueId venue, std::string api_key, Ed25519Key key,
                                           std::optional<std::int64_t> recv_window_ms)
    : venue_(venue), api_key_(std::move(api_key)), key_(std::move(key)), recv_window_ms_(recv_window_ms) {
  require_binance(venue, api_key_);
}

Result<void> BinanceEd25519Signer::sign(HttpRequest& request, const SigningContext& context) const {
  auto target = detail::prepare_params(request, to_unix_millis(context.now), recv_window_ms_, "binance");
  if (!target) return target.error();
  std::string payload;
  payload.reserve(request.query.size() + request.body.size());
  payload.append(request.query).append(request.body);
  // Base64 carries '+', '/' and '=': percent-encode it as a parameter value.
  const auto sig = key_.sign(payload);
  std::array<char, base64_size(64)> b64;
  base64_encode_to(sig, b64.data());
  std::string& out = **target;
  if (!out.empty()) out.push_back('&');
  out += "signature=";
  percent_encode_append(out, detail::view(b64));
  request.set_header("X-MBX-APIKEY", api_key_);
  return {};
}

Result<void> BinanceEd25519Signer::add_api_key(HttpRequest& request) const {
  request.set_header("X-MBX-APIKEY", api_key_);
  return {};
}

Result<std::string> BinanceEd25519Signer::sign_ws_params(std::vector<std::pair<std::string, std::string>>& params,
                                                         const SigningContext& context) const {
  // Base64 as is: a WebSocket API parameter is a JSON string, not percent-encoded.
  return sign_ws_params_with(params, context, api_key_, recv_window_ms_, [&](const std::string& payload) {
    const auto sig = key_.sign(payload);
    std::array<char, base64_size(64)> b64;
    base64_encode_to(sig, b64.data());
    return std::string(detail::view(b64));
  });
}

}  // namespace cts::sign
