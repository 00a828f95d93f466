#pragma once
/// \file
/// Health statuses, check kinds and the configurable "worst wins" order.
/// Default severity order, worst first: fail, out-of-service, unknown, warn, pass.
/// Unlike Spring Boot, unknown ranks *worse* than pass: a check that has not reported,
/// or whose reporter died, must never count as healthy for a trading gate.

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace cts::health {

/// The outcome of a health check.
enum class Status : std::uint8_t { pass, warn, unknown, out_of_service, fail };

/// "pass", "warn", "unknown", "out-of-service" or "fail".
constexpr std::string_view to_string(Status s) noexcept {
  switch (s) {
    case Status::pass: return "pass";
    case Status::warn: return "warn";
    case Status::unknown: return "unknown";
    case Status::out_of_service: return "out-of-service";
    case Status::fail: return "fail";
  }
  return "invalid";
}

/// What a check gates: process progress (liveness), permission to trade (readiness),
/// or completed start-up. Liveness must never depend on an exchange.
enum class CheckKind : std::uint8_t { liveness, readiness, startup };

/// "liveness", "readiness" or "startup".
constexpr std::string_view to_string(CheckKind k) noexcept {
  switch (k) {
    case CheckKind::liveness: return "liveness";
    case CheckKind::readiness: return "readiness";
    case CheckKind::startup: return "startup";
  }
  return "invalid";
}

/// A non-critical check's failure degrades an aggregate to warn but never fails it.
enum class Criticality : std::uint8_t { critical, non_critical };

/// The HTTP status for `s` on an endpoint of kind `k`: pass and warn give 200; fail and
/// out-of-service give 503; unknown gives 503 for readiness and startup (not ready
/// until proven) and 200 for liveness (do not restart a process for a missing report).
constexpr int http_status(Status s, CheckKind k) noexcept {
  switch (s) {
    case Status::pass:
    case Status::warn: return 200;
    case Status::unknown: return k == CheckKind::liveness ? 200 : 503;
    case Status::out_of_service:
    case Status::fail: return 503;
  }
  return 503;
}

/// The IETF health+json status ("pass", "warn" or "fail") consistent with
/// http_status(s, k): a 2xx status renders pass or warn, a 5xx renders fail.
constexpr std::string_view to_ietf(Status s, CheckKind k) noexcept {
  if (http_status(s, k) != 200) return "fail";
  return s == Status::pass ? "pass" : "warn";
}

/// A "worst wins" order over status codes, worst first (Spring's status.order). Codes
/// not in the order are ignored; when no known code is present the result is
/// "unknown". Custom codes (e.g. "fatal") are allowed.
class StatusOrder {
 public:
  /// The default order: fail, out-of-service, unknown, warn, pass.
  StatusOrder() : StatusOrder({"fail", "out-of-service", "unknown", "warn", "pass"}) {}
  /// A custom order, worst first. Throws std::invalid_argument when empty or duplicated.
  StatusOrder(std::initializer_list<std::string_view> worst_first) {
    for (const auto c : worst_first) {
      if (std::find(codes_.begin(), codes_.end(), c) != codes_.end()) {
        throw std::invalid_argument("StatusOrder: duplicate code");
      }
      codes_.emplace_back(c);
    }
    if (codes_.empty()) throw std::invalid_argument("StatusOrder: empty order");
  }

  /// The rank of `code` (0 = worst), or -1 when the order does not know it.
  [[nodiscard]] int rank(std::string_view code) const noexcept {
    const auto it = std::find(codes_.begin(), codes_.end(), code);
    return it == codes_.end() ? -1 : static_cast<int>(it - codes_.begin());
  }
  /// The worst known code among `codes`, or "unknown" when none is known.
  [[nodiscard]] std::string_view worst(std::span<const std::string_view> codes) const noexcept {
    int best = -1;
    for (const auto c : codes) {
      const int r = rank(c);
      if (r >= 0 && (best < 0 || r < best)) best = r;
    }
    return best < 0 ? std::string_view("unknown") : std::string_view(codes_[static_cast<std::size_t>(best)]);
  }
  /// The worst of `statuses` under this order; unknown when none is known (or empty).
  [[nodiscard]] Status worst(std::span<const Status> statuses) const noexcept {
    int best = -1;
    Status out = Status::unknown;
    for (const auto s : statuses) {
      const int r = rank(to_string(s));
      if (r >= 0 && (best < 0 || r < best)) {
        best = r;
        out = s;
      }
    }
    return out;
  }

 private:
  std::vector<std::string> codes_;
};

}  // namespace cts::health
