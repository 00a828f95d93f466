#pragma once
/// \file
/// sweep_open_orders: the verified cancel. Cancels every order of ours on one symbol at
/// the venue, then asks the venue until it lists none of them, retrying with
/// exponential backoff within a deadline; what is still listed when the deadline passes
/// is returned, order by order, for the operator. Needs no journal: a cancel cannot
/// create a position, so it is safe to send with nothing recorded (the path taken when
/// the journal can no longer be written).

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cts/core/clock.hpp"
#include "cts/core/result.hpp"
#include "cts/venue/gateway.hpp"
#include "cts/venue/types.hpp"

namespace cts::engine {

/// How a sweep retries.
struct SweepOptions {
  /// Give up this long after the start: the last listing is taken at the deadline at
  /// the latest. A request in flight when it passes completes first (bounded by the HTTP
  /// client's request timeout).
  std::chrono::milliseconds deadline{10'000};
  std::chrono::milliseconds first_backoff{100};  ///< Wait after the first cancel round.
  std::chrono::milliseconds max_backoff{2'000};  ///< The wait doubles up to this.
  /// Use the venue's cancel-all (venue::Gateway::cancel_open_orders) when every order it
  /// lists on the symbol is ours; with a foreign order listed, or without cancel-all at
  /// the venue, ours are cancelled one by one by client order id (foreign orders are
  /// never touched).
  bool use_cancel_all = true;
  /// Monotonic time (tests inject a manual clock).
  std::function<SteadyTime()> now = [] { return RealClock{}.steady_now(); };
  /// Waits between rounds (tests inject one that advances their clock).
  std::function<void(std::chrono::milliseconds)> sleep;
};

/// What a sweep saw.
struct SweepResult {
  bool confirmed = false;  ///< The venue's last listing held no order of ours.
  bool listed = false;     ///< At least one listing succeeded (else still_open is unknown, empty).
  /// Ours in the venue's last successful listing (empty when confirmed).
  std::vector<venue::OrderReport> still_open;
  std::vector<venue::OrderReport> foreign;  ///< Not ours, in the last listing: left alone.
  std::uint32_t rounds = 0;                 ///< Listings asked for.
  std::uint32_t cancel_requests = 0;        ///< Cancel requests sent (cancel-all or one order).
  std::uint32_t cancel_failures = 0;        ///< Of those, failed (an order already gone is not a failure).
  std::optional<Error> last_error;          ///< The last failure of a listing or a cancel.
};

/// Sweeps `symbol` (the venue's symbol): list the open orders; those whose client
/// order id satisfies `is_ours` are cancelled (cancel-all when allowed, see
/// SweepOptions::use_cancel_all); wait (first_backoff, doubling to max_backoff) and list
/// again, until a listing holds none of ours or the deadline passes. A failed listing
/// or cancel is retried the same way. Blocking; the gateway's thread only.
SweepResult sweep_open_orders(venue::Gateway& gateway, std::string_view symbol,
                              const std::function<bool(std::string_view client_order_id)>& is_ours,
                              const SweepOptions& options = {});

/// One line for an order left open: "BTCUSDT buy 0.001 @ 59990.5 client id <id>
/// (venue order <n>, executed 0)".
std::string describe_open_order(const venue::OrderReport& order);

}  // namespace cts::engine
