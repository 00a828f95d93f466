#pragma once
/// \file
/// One run summary from the summaries of several sessions (`ctsctl run` with several
/// symbols writes one summary file).

#include <span>

#include "cts/engine/session.hpp"

namespace cts::engine {

/// Adds the order counters of `from` to `into` (every field of ExecutorStats).
void add_order_counters(ExecutorStats& into, const ExecutorStats& from) noexcept;

/// Merges the summaries of several sessions: order counters and 429/418 counts summed,
/// positions and fees merged (sums per key), the venue's positions merged (one account:
/// the last summary's figure of a symbol), realized PnL summed (it is in each quote
/// asset: meaningful when the symbols share it), balances taken from the last summary
/// that has them (every session reads the same account), orders left open
/// concatenated, health the worst and every health reason kept. One summary is
/// returned unchanged; none gives an empty summary.
SessionSummary merge_summaries(std::span<const SessionSummary> summaries);

}  // namespace cts::engine
