// Copying a journal into an empty one (cts/store/copy_journal.hpp).
#include "cts/store/copy_journal.hpp"

#include <fmt/format.h>

namespace cts::store {

Result<std::uint64_t> copy_journal(Journal& from, Journal& to) {
  if (to.last_committed_seq() != 0) {
    return make_error(ErrorCode::invalid_argument,
                      fmt::format("the target journal is not empty (it holds records up to seq {}): nothing copied",
                                  to.last_committed_seq()));
  }
  std::uint64_t copied = 0;
  Result<void> replayed = from.replay(0, [&](const JournalRecord& record) -> Result<void> {
    Result<std::uint64_t> seq = to.append(record);
    if (!seq) return seq.error();
    if (*seq != record.seq) {
      return make_error(ErrorCode::internal,
                        fmt::format("record {} would be record {} in the target journal: nothing copied", record.seq, *seq));
    }
    ++copied;
    return {};
  });
  if (!replayed) return replayed.error();
  if (Result<void> committed = to.commit(); !committed) return committed.error();
  return copied;
}

}  // namespace cts::store
