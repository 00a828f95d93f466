#pragma once
/// \file
/// OKX v5's throttle inside an answer: code 50011 ("Rate limit reached", sent in an HTTP
/// 200 as well as a 429) and 50061 (the sub-account's order rate), the throttle codes of
/// rate::kOkxPolicy, read by throttle_signal() for the engine's request path. OKX
/// documents no reset time, so the signal carries none (the engine then waits its
/// default).

#include <optional>
#include <string_view>

#include "cts/core/http.hpp"
#include "cts/rate/policies/okx.hpp"
#include "cts/venue/throttle.hpp"

namespace cts::venue::okx {

/// The envelope's `code` as text ("50011"; OKX also writes it as a JSON number, e.g.
/// 404): venue::code_member_text().
constexpr std::optional<std::string_view> code_text(std::string_view body) noexcept { return code_member_text(body); }

/// OKX's venue::ThrottleReader: the signal, without a reset time, when the reply's code
/// is one of rate::kOkxPolicy's throttle codes (50011, 50061); empty for every other
/// reply.
inline std::optional<ThrottleSignal> throttle_signal(const HttpResponse& response) noexcept {
  const std::optional<std::string_view> code = code_text(response.body);
  if (!code || !rate::kOkxPolicy.is_throttle_code(*code)) return std::nullopt;
  return ThrottleSignal{*code, std::nullopt};
}

}  // namespace cts::venue::okx
