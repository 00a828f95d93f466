// BingX REST authentication.
#include "cts/sign/bingx.hpp"

#include "common.hpp"

namespace cts::sign {

BingxSigner::BingxSigner(std::string api_key, const Secret& secret, std::optional<std::int64_t> recv_window_ms)
    : api_key_(std::move(api_key)), mac_(secret.reveal()), recv_window_ms_(recv_window_ms) {
  detail::require_credential("bingx", "API key", !api_key_.empty());
  detail::require_credential("bingx", "secret", !secret.empty());
}

Result<void> BingxSigner::sign(HttpRequest& request, const SigningContext& context) const {
  return detail::sign_params_hmac(request, mac_, to_unix_millis(context.now), recv_window_ms_, "bingx", "X-BX-APIKEY",
                                  api_key_);
}

}  // namespace cts::sign
