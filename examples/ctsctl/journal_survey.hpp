#pragma once
/// \file
/// What `ctsctl journal inspect` and `compact` learn from a journal before replaying it:
/// its records counted by kind, their seqs and times, the snapshot, and the symbols it
/// trades; and the scratch account a replay needs (an instrument per symbol). The
/// journal records each order's symbol but not its contract size: a snapshot carries
/// the size of the positions it holds, spot trades have none, and any other size is
/// given on the command line (`--multiplier SYMBOL=SIZE`).

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <cts/core/clock.hpp>
#include <cts/core/decimal.hpp>
#include <cts/core/result.hpp>
#include <cts/order/account.hpp>
#include <cts/store/journal.hpp>

namespace ctsctl {

/// One pass over a journal's committed records.
struct JournalSurvey {
  std::uint64_t records = 0;         ///< Every record read (a snapshot counts one).
  std::uint64_t orders_created = 0;  ///< Records of kind order_created.
  std::uint64_t order_events = 0;    ///< Records of kind order_event.
  std::uint64_t fills = 0;           ///< Of order_events, the fills.
  std::uint64_t snapshots = 0;       ///< Records of kind snapshot (0 or 1).
  std::uint64_t first_seq = 0;       ///< Seq of the first record (0: empty journal).
  std::uint64_t last_seq = 0;        ///< Seq of the last record.
  /// Earliest time of the creation and event records (a snapshot has none); none when
  /// the journal holds no such record.
  std::optional<cts::SystemTime> first_time;
  std::optional<cts::SystemTime> last_time;  ///< Latest time of those records.
  std::optional<std::uint64_t> snapshot_seq;  ///< Seq of the snapshot, when compacted.
  /// Every symbol the journal trades, with its position's facts when the snapshot holds them.
  std::map<std::string, std::optional<cts::order::PositionSpec>> symbols;
};

/// Reads every committed record of `journal` into a JournalSurvey. Errors: those of
/// Journal::replay (a damaged record, a gap) and of a snapshot that does not decode.
cts::Result<JournalSurvey> survey_journal(cts::store::Journal& journal);

/// An empty netting account (the engine's) with an instrument for every symbol of a survey.
struct ScratchAccount {
  std::unique_ptr<cts::order::Account> account;  ///< Never null.
  /// The contract symbols whose size neither the snapshot nor `multipliers` gave: their
  /// instrument assumes 1, so their realized PnL is not known.
  std::vector<std::string> unknown_size;
};

/// The account a replay of the journal `survey` describes needs: per symbol, the
/// snapshot's position facts, else those its unified symbol names (`BASE/QUOTE` spot,
/// `BASE/QUOTE:SETTLE[-YYMMDD]` contracts, inverse when settled in the base) with the
/// contract size of `multipliers` (1 for spot). Errors: invalid_argument for a symbol
/// that is not a unified symbol, a multiplier for a symbol the journal does not trade,
/// or one that differs from the snapshot's.
cts::Result<ScratchAccount> scratch_account(const JournalSurvey& survey,
                                            const std::map<std::string, cts::Decimal>& multipliers);

}  // namespace ctsctl
