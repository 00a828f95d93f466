// Backend-neutral journal compaction (cts/store/compaction.hpp).
#include "cts/store/compaction.hpp"

#include <string>
#include <unordered_set>
#include <vector>

#include <fmt/format.h>

#include "cts/store/snapshot.hpp"

namespace cts::store {

Result<CompactionStats> compact_journal(Journal& journal, order::Account& scratch, SystemTime cutoff) {
  CompactionStats stats;
  const std::uint64_t up_to = journal.last_committed_seq();
  // The records the account accepted, in journal order: those of the kept orders are
  // carried into the snapshot; refused ones changed nothing and are dropped.
  std::vector<JournalRecord> accepted;
  Result<void> read = journal.replay(0, [&](const JournalRecord& record) -> Result<void> {
    ++stats.records_read;
    if (record.seq > up_to) return {};
    if (record.kind == RecordKind::snapshot) {
      Result<Snapshot> snapshot = decode_snapshot(record.snapshot);
      if (!snapshot) return snapshot.error();
      if (Result<void> ok = restore_snapshot(*snapshot, scratch); !ok) return ok;
      for (JournalRecord& kept : snapshot->orders) accepted.push_back(std::move(kept));
      return {};
    }
    if (record.kind == RecordKind::order_created) {
      if (scratch.positions().find_instrument(record.request.symbol) == nullptr) {
        return make_error(ErrorCode::invalid_argument,
                          fmt::format("journal record {} creates an order on {}, an instrument the compaction was not "
                                      "given: compacting would lose it",
                                      record.seq, record.request.symbol));
      }
      if (scratch.create(record.request)) accepted.push_back(record);
      return {};
    }
    if (scratch.apply(record.client_id, record.event)) accepted.push_back(record);
    return {};
  });
  if (!read) return read.error();
  std::unordered_set<std::string> folded;
  scratch.orders().for_each([&](const order::Order& order) {
    if (order.is_terminal() && order.ts_last() < cutoff) folded.insert(order.client_id().str());
  });
  stats.orders_folded = folded.size();
  stats.orders_kept = scratch.orders().size() - folded.size();
  if (folded.empty()) return stats;
  std::vector<JournalRecord> kept;
  for (JournalRecord& record : accepted) {
    if (folded.count(record.client_id.str()) == 0) kept.push_back(std::move(record));
  }
  scratch.fold_closed_cycles(cutoff);
  const Snapshot snapshot = take_snapshot(scratch, std::move(kept));
  if (Result<void> ok = journal.compact(JournalRecord::for_snapshot(encode_snapshot(snapshot)), up_to); !ok) {
    return ok.error();
  }
  stats.snapshot_seq = up_to;
  return stats;
}

}  // namespace cts::store
