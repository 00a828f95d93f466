#pragma once
/// \file
/// cts::store::Snapshot: the account as of one journal seq, which compaction writes in
/// place of every earlier record: every position (its cycles' accumulated state, so
/// the fills of forgotten orders stay in it) and the records of the orders kept (open
/// ones, and closed ones within the retention, so late events for them still apply).

#include <string>
#include <string_view>
#include <vector>

#include "cts/core/result.hpp"
#include "cts/order/account.hpp"
#include "cts/store/record.hpp"

namespace cts::store {

/// One position of a snapshot.
struct SnapshotPosition {
  std::vector<order::Position> closed;  ///< Its closed cycles, oldest first.
  order::Position current;              ///< Its current cycle.

  friend bool operator==(const SnapshotPosition&, const SnapshotPosition&) = default;
};

/// The state replay needs to resume without the records a compaction removed.
struct Snapshot {
  std::vector<SnapshotPosition> positions;  ///< Every position of the account.
  /// Creation and event records of the orders kept, in journal order (seq ignored).
  std::vector<JournalRecord> orders;

  friend bool operator==(const Snapshot&, const Snapshot&) = default;
};

/// The snapshot of `account`'s positions with `kept_orders` (the records of the
/// orders that stay, in journal order).
Snapshot take_snapshot(const order::Account& account, std::vector<JournalRecord> kept_orders);

/// The text of `snapshot`: one line per position cycle and per order record, fields as
/// in record bodies (exact decimals, percent-escaped strings).
std::string encode_snapshot(const Snapshot& snapshot);

/// Parses encode_snapshot's text. protocol_error naming the line on malformed content.
Result<Snapshot> decode_snapshot(std::string_view text);

/// Restores `snapshot` into `account`, whose tracker must hold no order: sets every
/// position, then re-creates the kept orders from their records in the tracker only
/// (their fills are in the positions already). Errors: protocol_error when a kept
/// record is refused (a snapshot that does not match itself).
Result<void> restore_snapshot(const Snapshot& snapshot, order::Account& account);

}  // namespace cts::store
