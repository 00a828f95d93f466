#pragma once
/// \file
/// The reference market maker: each step reads the best bid/ask (from a MarketFeed's
/// fresh top of book when one is given, else REST book_ticker), synchronises the
/// executor with the venue, computes the desired two-sided quote (engine/quoting.hpp),
/// clamps it so that it never crosses the book it was priced from, and replaces a
/// resting quote only when it drifted beyond a tolerance. Quotes are post-only (the
/// venue's maker-only order type): one that would still take is refused by the venue,
/// never filled; on a venue without post-only orders (VenueCapabilities::post_only
/// false) they are GTC limits, kept off the book by the clamp. All orders go through the
/// OrderExecutor (risk, journal, unknown outcomes).

#include <chrono>
#include <cstdint>
#include <optional>

#include "cts/core/client_order_id.hpp"
#include "cts/core/clock.hpp"
#include "cts/core/decimal.hpp"
#include "cts/core/result.hpp"
#include "cts/engine/executor.hpp"
#include "cts/venue/gateway.hpp"
#include "cts/engine/market_feed.hpp"
#include "cts/engine/quoting.hpp"

namespace cts::engine {

/// Quotes one instrument. Not thread-safe: the session thread drives step().
///
/// The market maker owns every open order of its executor, not only the quotes it
/// placed itself: an order the executor tracks from before a restart, or adopted by
/// reconciliation, takes the empty quote slot of its side (and is then kept or
/// replaced like any quote) or is cancelled. So the venue never holds more of the
/// engine's orders than one bid and one ask, whatever happened before.
class MarketMaker {
 public:
  /// A market maker placing orders through `executor` and reading prices through
  /// `gateway` (both must outlive it). `tolerance` is the relative price change that
  /// makes a resting quote stale. With a `feed` (which must outlive it), prices come
  /// from its fresh top of book; when it has none (stale, resynchronising,
  /// disconnected) the step falls back to REST book_ticker.
  MarketMaker(OrderExecutor& executor, venue::Gateway& gateway, QuotingParams params, Decimal tolerance,
              const MarketFeed* feed = nullptr)
      : executor_(executor), gateway_(gateway), params_(params), tolerance_(tolerance), feed_(feed) {}

  /// Runs executor.sync() (REST) at most once per `interval` instead of every step
  /// (zero, the default: every step). With a live user data stream the stream brings
  /// the fills and REST only reconciles.
  void set_sync_interval(std::chrono::nanoseconds interval) noexcept { sync_interval_ = interval; }
  /// Steps whose prices came from REST because the feed had no fresh top.
  [[nodiscard]] std::uint64_t rest_fallbacks() const noexcept { return rest_fallbacks_; }

  /// One cycle at `now`. Errors: the first venue or risk error met (the cycle still
  /// does what it can; the caller logs it and steps again later).
  Result<void> step(SteadyTime now);

  /// Cancels both quotes and every other open order of the executor, and stops quoting
  /// until resume(). A cancel that fails is retried by the next step().
  void pause() {
    paused_ = true;
    for (auto* slot : {&bid_, &ask_}) {
      // A failed cancel leaves the order open: own_open_orders() retries it next step.
      if (*slot) (void)executor_.cancel(**slot);
      slot->reset();
    }
    (void)own_open_orders();  // same: whatever is still open is cancelled again next step
  }
  /// Quotes again from the next step().
  void resume() noexcept { paused_ = false; }
  /// The last mid price seen, if any.
  [[nodiscard]] std::optional<Decimal> last_mid() const noexcept { return mid_; }

 private:
  Result<void> maintain(std::optional<ClientOrderId>& slot, Side side, const std::optional<QuoteLevel>& wanted,
                        SteadyTime now);
  /// Every open order of the executor that is in no slot fills the empty slot of its
  /// side (while quoting) or is cancelled. Orders whose outcome is unknown wait for
  /// sync(). Returns the first cancel error.
  Result<void> own_open_orders();

  OrderExecutor& executor_;
  venue::Gateway& gateway_;
  QuotingParams params_;
  Decimal tolerance_;
  const MarketFeed* feed_ = nullptr;
  std::chrono::nanoseconds sync_interval_{0};
  std::optional<SteadyTime> last_sync_;
  std::uint64_t rest_fallbacks_ = 0;
  bool paused_ = false;
  std::optional<Decimal> mid_;
  std::optional<ClientOrderId> bid_;
  std::optional<ClientOrderId> ask_;
};

}  // namespace cts::engine
