#pragma once
/// \file
/// BingX's throttle inside an answer: code 100410 ("Rate limit exceeded", sent in an
/// HTTP 200 body as well as with a 429), the throttle code of rate::kBingxPolicy, read
/// by throttle_signal() for the engine's request path. BingX documents no reset time in
/// the body, so the signal carries none (the engine then waits its default).

#include <optional>
#include <string_view>

#include "cts/core/http.hpp"
#include "cts/rate/policies/bingx.hpp"
#include "cts/venue/throttle.hpp"

namespace cts::venue::bingx {

/// BingX's venue::ThrottleReader: the signal, without a reset time, when the reply's
/// `code` is one of rate::kBingxPolicy's throttle codes; empty for every other reply.
inline std::optional<ThrottleSignal> throttle_signal(const HttpResponse& response) noexcept {
  const std::optional<std::string_view> code = code_member_text(response.body);
  if (!code || !rate::kBingxPolicy.is_throttle_code(*code)) return std::nullopt;
  return ThrottleSignal{*code, std::nullopt};
}

}  // namespace cts::venue::bingx
