// The venue's dead-man switch kept armed (cts/engine/dead_man_switch.hpp).
#include "cts/engine/dead_man_switch.hpp"

#include <algorithm>

namespace cts::engine {

DeadManSwitch::DeadManSwitch(venue::Gateway& gateway, std::chrono::seconds timeout) noexcept
    : gateway_(gateway), timeout_(timeout), enabled_(timeout.count() > 0) {}

std::chrono::milliseconds DeadManSwitch::refresh_interval() const noexcept {
  return std::chrono::duration_cast<std::chrono::milliseconds>(timeout_) / 3;
}

bool DeadManSwitch::armed(SteadyTime now) const noexcept {
  return enabled_ && last_success_ && now - *last_success_ < timeout_;
}

DeadManEvent DeadManSwitch::maintain(SteadyTime now) {
  if (!enabled_) return DeadManEvent::none;
  const bool lapsed = last_success_ && now - *last_success_ >= timeout_;
  if (next_attempt_ && now < *next_attempt_) {
    if (!lapsed || lapse_reported_) return DeadManEvent::none;
    lapse_reported_ = true;
    return DeadManEvent::lapsed;
  }
  // `now` is taken before the request is sent: the venue's countdown starts later, so
  // the lapse is never reported after the venue could have fired.
  Result<void> armed = gateway_.arm_dead_man_switch(timeout_);
  if (armed) {
    ++arms_;
    last_error_.reset();
    last_success_ = now;
    next_attempt_ = now + refresh_interval();
    const bool after_lapse = lapse_reported_ || lapsed;
    lapse_reported_ = false;
    return after_lapse ? DeadManEvent::rearmed : DeadManEvent::armed;
  }
  if (armed.error().code == ErrorCode::unsupported) {
    enabled_ = false;
    last_error_ = armed.error();
    return DeadManEvent::unsupported;
  }
  ++failures_;
  last_error_ = armed.error();
  next_attempt_ = now + std::min<std::chrono::milliseconds>(kRetryInterval, refresh_interval());
  if (lapsed && !lapse_reported_) {
    lapse_reported_ = true;
    return DeadManEvent::lapsed;
  }
  return DeadManEvent::failed;
}

Result<void> DeadManSwitch::disarm() {
  if (!enabled_) return {};
  enabled_ = false;
  // An attempt that failed may still have reached the venue.
  if (arms_ + failures_ == 0) return {};
  return gateway_.arm_dead_man_switch(std::chrono::seconds{0});
}

}  // namespace cts::engine
