#pragma once
/// \file
/// The reference market maker: each step reads the best bid/ask, synchronises the
/// executor with the venue, computes the desired two-sided quote (engine/quoting.hpp)
/// and replaces a resting quote only when it drifted beyond a tolerance. All orders go
/// through the OrderExecutor (risk, journal, unknown outcomes).

#include <optional>

#include "cts/core/client_order_id.hpp"
#include "cts/core/clock.hpp"
#include "cts/core/decimal.hpp"
#include "cts/core/result.hpp"
#include "cts/engine/executor.hpp"
#include "cts/engine/gateway.hpp"
#include "cts/engine/quoting.hpp"

namespace cts::engine {

/// Quotes one instrument. Not thread-safe: the session thread drives step().
class MarketMaker {
 public:
  /// A market maker placing orders through `executor` and reading prices through
  /// `gateway` (both must outlive it). `tolerance` is the relative price change that
  /// makes a resting quote stale.
  MarketMaker(OrderExecutor& executor, VenueGateway& gateway, QuotingParams params, Decimal tolerance)
      : executor_(executor), gateway_(gateway), params_(params), tolerance_(tolerance) {}

  /// One cycle at `now`. Errors: the first venue or risk error met (the cycle still
  /// does what it can; the caller logs it and steps again later).
  Result<void> step(SteadyTime now);

  /// Cancels both quotes and stops quoting until resume().
  void pause() {
    paused_ = true;
    for (auto* slot : {&bid_, &ask_}) {
      if (*slot) (void)executor_.cancel(**slot);
      slot->reset();
    }
  }
  /// Quotes again from the next step().
  void resume() noexcept { paused_ = false; }
  /// The last mid price seen, if any.
  [[nodiscard]] std::optional<Decimal> last_mid() const noexcept { return mid_; }

 private:
  Result<void> maintain(std::optional<ClientOrderId>& slot, Side side, const std::optional<QuoteLevel>& wanted,
                        SteadyTime now);

  OrderExecutor& executor_;
  VenueGateway& gateway_;
  QuotingParams params_;
  Decimal tolerance_;
  bool paused_ = false;
  std::optional<Decimal> mid_;
  std::optional<ClientOrderId> bid_;
  std::optional<ClientOrderId> ask_;
};

}  // namespace cts::engine
