#pragma once
/// \file
/// cts::store::Journal: the durable, append-only log of order records behind an
/// interface (SQLite: sqlite_journal.hpp; PostgreSQL, shared by several processes:
/// postgres_journal.hpp), its compaction into a snapshot, and replay into an Account.

#include <cstdint>
#include <functional>
#include <optional>

#include "cts/core/result.hpp"
#include "cts/order/account.hpp"
#include "cts/store/record.hpp"
#include "cts/store/snapshot.hpp"

namespace cts::store {

/// How much a commit() survives. Set when the journal is opened.
enum class Durability : std::uint8_t {
  none,    ///< No fsync: survives nothing beyond a clean close (tests, simulations).
  process, ///< Survives a crash of the process (SQLite WAL, synchronous=NORMAL; PostgreSQL synchronous_commit on): the default.
  power,   ///< Survives power loss too (SQLite synchronous=FULL: fsync on every commit; PostgreSQL as process, the server's fsync deciding).
};

/// An append-only journal of order records. Appends are staged and become durable
/// together at commit() (group commit): the engine appends an order's creation and
/// its `submitted` event, commits, and only then sends the request. Not thread-safe:
/// one owner.
class Journal {
 public:
  /// Closes the journal; staged, uncommitted records are discarded.
  virtual ~Journal() = default;

  /// Stages `record` (its seq is ignored) and returns the seq it will have. Errors:
  /// a storage error (internal, with the backend's message: a full disk, an I/O
  /// error); every record staged since the last commit is discarded then, as by a
  /// failed commit.
  virtual Result<std::uint64_t> append(const JournalRecord& record) = 0;
  /// Makes every staged record durable to the configured Durability. On error the
  /// staged records are discarded (none of them is in the journal).
  virtual Result<void> commit() = 0;
  /// Calls `visit` with every committed record whose seq is above `after`, in seq
  /// order; stops at, and returns, the first error of `visit`. Errors: protocol_error
  /// for a damaged record (checksum, decoding) or a gap in the sequence.
  virtual Result<void> replay(std::uint64_t after, const std::function<Result<void>(const JournalRecord&)>& visit) = 0;
  /// The highest committed seq (0 for an empty journal).
  [[nodiscard]] virtual std::uint64_t last_committed_seq() const noexcept = 0;
  /// Replaces every committed record up to `up_to_seq` with `snapshot` (a record of
  /// kind snapshot, see cts/store/compaction.hpp), which takes seq `up_to_seq`: in one
  /// transaction, so a failure or a crash leaves either every old record or the
  /// snapshot, never a mix. Later records keep their seq; replay then starts at the
  /// snapshot. Errors: invalid_argument while records are staged, for a record that is
  /// not a snapshot, or for `up_to_seq` beyond last_committed_seq() or 0; a storage
  /// error as append's (nothing changed); unsupported for a backend without compaction
  /// (the default).
  virtual Result<void> compact(const JournalRecord& snapshot, std::uint64_t up_to_seq) {
    (void)snapshot;
    (void)up_to_seq;
    return make_error(ErrorCode::unsupported, "this journal backend cannot compact");
  }
  /// The bytes the journal takes in its storage (for a metric), or nothing where it
  /// cannot tell (the default: a journal held in memory).
  [[nodiscard]] virtual std::optional<std::uint64_t> size_bytes() const { return std::nullopt; }
};

/// Counts of a replay.
struct ReplayStats {
  std::uint64_t records = 0;  ///< Records read.
  std::uint64_t refused = 0;  ///< Records the account refused, exactly as it did live.
};

/// Rebuilds `account` (with its instruments already registered and no order) from every
/// record of `journal`, starting at its snapshot when it was compacted (see
/// restore_snapshot; a snapshot that does not decode or restore is a protocol_error). A record the account refuses with a business error (invalid_transition,
/// duplicate_fill, invalid_argument, order_not_found, duplicate_client_order_id) was
/// refused the same way when it was journaled and is skipped; any other error stops
/// the replay and is returned.
inline Result<ReplayStats> replay_into(Journal& journal, order::Account& account) {
  ReplayStats stats;
  Result<void> ok = journal.replay(0, [&](const JournalRecord& record) -> Result<void> {
    ++stats.records;
    Error error;
    if (record.kind == RecordKind::snapshot) {
      Result<Snapshot> snapshot = decode_snapshot(record.snapshot);
      if (!snapshot) return snapshot.error();
      return restore_snapshot(*snapshot, account);
    }
    if (record.kind == RecordKind::order_created) {
      Result<const order::Order*> r = account.create(record.request);
      if (r) return {};
      error = r.error();
    } else {
      Result<const order::Order*> r = account.apply(record.client_id, record.event);
      if (r) return {};
      error = r.error();
    }
    switch (error.code) {
      case ErrorCode::invalid_transition:
      case ErrorCode::duplicate_fill:
      case ErrorCode::invalid_argument:
      case ErrorCode::order_not_found:
      case ErrorCode::duplicate_client_order_id: ++stats.refused; return {};
      default: return error;
    }
  });
  if (!ok) return ok.error();
  return stats;
}

}  // namespace cts::store
