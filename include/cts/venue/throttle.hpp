#pragma once
/// \file
/// How a venue says "too many requests" inside an answer whose HTTP status does not
/// (Bybit v5: HTTP 200 with `retCode` 10006 and an `X-Bapi-Limit-Reset-Timestamp`
/// header). Each venue that does so provides a ThrottleReader in its folder; the
/// registry's Connector carries it and the engine's RestChannel calls it on every
/// response, so the engine waits the throttle out without knowing the venue. Venues
/// that throttle with a status only (Binance: 429/418, handled by the rate policy's ban
/// rules) have none.

#include <optional>
#include <string_view>

#include "cts/core/clock.hpp"
#include "cts/core/detail/text.hpp"
#include "cts/core/http.hpp"

namespace cts::venue {

/// A throttle the venue declared in an answer.
struct ThrottleSignal {
  /// The venue's error code as text (e.g. "10006"): a view into the response body, valid
  /// while the response lives.
  std::string_view code;
  /// When the venue says the exhausted limit resets, on the venue's clock; empty when
  /// the answer does not say.
  std::optional<SystemTime> reset_at;
};

/// Reads a throttle from a response: the signal when the answer says the venue
/// throttled the request (one of the codes its rate policy lists as throttles), else
/// empty. Runs on every response, so it must be cheap on the common answer. Never
/// throws; an answer it cannot read is no throttle (the connector's parser reports it).
using ThrottleReader = std::optional<ThrottleSignal> (*)(const HttpResponse& response) noexcept;

/// The text of the first `"code"` member of `body`, an optional minus and its digits
/// (`{"code":"50011"`, `{"code":100410` or `"code":-32000`: quoted or not), for the
/// venues whose envelope carries its error code there (OKX, BingX; OrangeX inside its
/// `"error"` member). nullopt when there is none or it holds no digits.
constexpr std::optional<std::string_view> code_member_text(std::string_view body) noexcept {
  constexpr std::string_view kMember = R"("code")";
  const std::size_t member = body.find(kMember);
  if (member == std::string_view::npos) return std::nullopt;
  const std::string_view rest = cts::detail::trim_spaces(body.substr(member + kMember.size()), " \t\r\n");
  if (rest.empty() || rest.front() != ':') return std::nullopt;
  std::string_view value = cts::detail::trim_spaces(rest.substr(1), " \t\r\n");
  if (!value.empty() && value.front() == '"') value.remove_prefix(1);
  const std::size_t digits = !value.empty() && value.front() == '-' ? 1 : 0;
  std::size_t end = digits;
  while (end < value.size() && value[end] >= '0' && value[end] <= '9') ++end;
  if (end == digits) return std::nullopt;
  return value.substr(0, end);
}

}  // namespace cts::venue
