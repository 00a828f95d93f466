// Binance spot / USD-M HMAC-SHA256 signing (REST and WebSocket API).
#include "cts/sign/binance.hpp"

#include <algorithm>

#include "common.hpp"

namespace cts::sign {

BinanceHmacSigner::BinanceHmacSigner(VenueId venue, std::string api_key, const Secret& secret,
                                     std::optional<std::int64_t> recv_window_ms)
    : venue_(venue), api_key_(std::move(api_key)), mac_(secret.reveal()), recv_window_ms_(recv_window_ms) {
  if (venue != VenueId::binance_spot && venue != VenueId::binance_usdm) {
    throw Exception(make_error(ErrorCode::invalid_argument, "BinanceHmacSigner: venue is not Binance"));
  }
  detail::require_credential("binance", "API key", !api_key_.empty());
  detail::require_credential("binance", "secret", !secret.empty());
}

Result<void> BinanceHmacSigner::sign(HttpRequest& request, const SigningContext& context) const {
  // "the query string concatenated without separator to the HTTP body" (rest-api.md).
  return detail::sign_params_hmac(request, mac_, to_unix_millis(context.now), recv_window_ms_, "binance",
                                  "X-MBX-APIKEY", api_key_);
}

Result<std::string> BinanceHmacSigner::sign_ws_params(std::vector<std::pair<std::string, std::string>>& params,
                                                      const SigningContext& context) const {
  const auto has = [&](std::string_view name) {
    return std::any_of(params.begin(), params.end(), [&](const auto& p) { return p.first == name; });
  };
  if (has("signature")) return detail::bad_request("binance", "WebSocket params already carry a signature");
  if (!has("apiKey")) params.emplace_back("apiKey", api_key_);
  if (!has("timestamp")) {
    params.emplace_back("timestamp", detail::decimal(to_unix_millis(context.now)));
    if (recv_window_ms_ && !has("recvWindow")) params.emplace_back("recvWindow", detail::decimal(*recv_window_ms_));
  }
  // web-socket-api.md "SIGNED request security": all params except signature, sorted by name.
  std::sort(params.begin(), params.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string payload;
  for (const auto& [name, value] : params) append_param(payload, name, value);
  std::string signature = hex_lower(mac_.digest(payload));
  params.emplace_back("signature", signature);
  return signature;
}

}  // namespace cts::sign
