#pragma once
/// \file
/// DeadManSwitch: keeps the venue's dead-man switch (Gateway::arm_dead_man_switch) armed
/// while a session runs, so that the venue cancels the account's open orders when the
/// process dies and nobody restarts it. Time-injected: the session calls maintain() every
/// step with its clock; the switch is armed at the first call and refreshed every
/// timeout / 3 (a failed attempt is tried again after kRetryInterval, sooner when the
/// refresh interval is shorter). Once no attempt has succeeded for the whole timeout
/// since the last success, the venue may have cancelled every order of the account: the
/// owner must ask the venue what is open (maintain() says so once per lapse, and again
/// when the switch is re-armed after a lapse, since the venue may have fired it before
/// that re-arm). Not thread-safe: one thread calls it.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include "cts/core/clock.hpp"
#include "cts/core/error.hpp"
#include "cts/core/result.hpp"
#include "cts/venue/gateway.hpp"

namespace cts::engine {

/// What one DeadManSwitch::maintain() call did.
enum class DeadManEvent : std::uint8_t {
  none,           ///< Nothing due (or the switch is off).
  armed,          ///< The switch was armed or refreshed.
  failed,         ///< An attempt failed; the last success is less than a timeout ago.
  lapsed,         ///< No success for a whole timeout: the venue may have cancelled the account's orders.
  rearmed,        ///< Armed again after a lapse: the venue may have cancelled them before.
  unsupported,    ///< The venue has no switch: it is off from now on.
};

/// "none", "armed", "failed", "lapsed", "rearmed" or "unsupported".
constexpr std::string_view to_string(DeadManEvent event) noexcept {
  switch (event) {
    case DeadManEvent::none: return "none";
    case DeadManEvent::armed: return "armed";
    case DeadManEvent::failed: return "failed";
    case DeadManEvent::lapsed: return "lapsed";
    case DeadManEvent::rearmed: return "rearmed";
    case DeadManEvent::unsupported: return "unsupported";
  }
  return "none";
}

/// The venue's dead-man switch of one session (see the file comment).
class DeadManSwitch {
 public:
  /// How soon a failed attempt is tried again (at most the refresh interval).
  static constexpr std::chrono::seconds kRetryInterval{2};

  /// A switch of `timeout` over `gateway`, which must outlive it; `timeout` 0: off (no
  /// request is ever sent).
  DeadManSwitch(venue::Gateway& gateway, std::chrono::seconds timeout) noexcept;

  /// Arms or refreshes the switch when due at `now` and reports what happened (see
  /// DeadManEvent). A venue without a switch answers unsupported once, which turns the
  /// switch off.
  DeadManEvent maintain(SteadyTime now);
  /// Disarms the switch at the venue (a timeout of 0) when it was armed, and turns it
  /// off: no later maintain() sends anything. Errors: the gateway's (the switch may stay
  /// armed at the venue; it fires unless someone refreshes or disarms it).
  Result<void> disarm();

  /// False when the timeout is 0, the venue has no switch, or it was disarmed.
  [[nodiscard]] bool enabled() const noexcept { return enabled_; }
  /// True while the last success is less than a timeout old at `now`.
  [[nodiscard]] bool armed(SteadyTime now) const noexcept;
  /// The configured timeout.
  [[nodiscard]] std::chrono::seconds timeout() const noexcept { return timeout_; }
  /// The refresh interval: timeout / 3.
  [[nodiscard]] std::chrono::milliseconds refresh_interval() const noexcept;
  /// The error of the last attempt when it failed; empty after a success.
  [[nodiscard]] const std::optional<Error>& last_error() const noexcept { return last_error_; }
  /// Successful arms and refreshes.
  [[nodiscard]] std::uint64_t arms() const noexcept { return arms_; }
  /// Failed attempts.
  [[nodiscard]] std::uint64_t failures() const noexcept { return failures_; }

 private:
  venue::Gateway& gateway_;
  std::chrono::seconds timeout_;
  bool enabled_;
  std::optional<SteadyTime> last_success_;
  std::optional<SteadyTime> next_attempt_;  // empty: at once
  bool lapse_reported_ = false;
  std::optional<Error> last_error_;
  std::uint64_t arms_ = 0;
  std::uint64_t failures_ = 0;
};

}  // namespace cts::engine
