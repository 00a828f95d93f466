#pragma once
/// \file
/// Journal compaction, the same for every backend: closed orders whose last event is
/// older than a cutoff are folded into a snapshot (their fills stay in the positions),
/// which replaces every earlier record through Journal::compact.

#include <cstdint>

#include "cts/core/clock.hpp"
#include "cts/core/result.hpp"
#include "cts/order/account.hpp"
#include "cts/store/journal.hpp"

namespace cts::store {

/// What a compaction did.
struct CompactionStats {
  std::uint64_t records_read = 0;    ///< Records read (a previous snapshot counts one).
  std::uint64_t orders_folded = 0;   ///< Closed orders forgotten (0: nothing was written).
  std::uint64_t orders_kept = 0;     ///< Orders the snapshot keeps (open, or closed after the cutoff).
  std::uint64_t snapshot_seq = 0;    ///< Seq of the snapshot written (0 when none was).
};

/// Replays `journal` into `scratch` (an Account with every traded instrument registered
/// and no order), then, when some closed order's last event is before `cutoff`, writes
/// a snapshot of the positions (their cycles closed before `cutoff` folded into one,
/// see PositionBook::fold_closed_cycles) and of the other orders' records in place of every
/// committed record (Journal::compact, one transaction). Nothing is written when no
/// order is old enough. Errors: invalid_argument when a creation record trades an
/// instrument `scratch` does not know (the compaction would lose the order); those of
/// replay and of Journal::compact (the journal is then unchanged).
Result<CompactionStats> compact_journal(Journal& journal, order::Account& scratch, SystemTime cutoff);

}  // namespace cts::store
