#pragma once
/// \file
/// cts::store::copy_journal: every record of one journal into another, empty one,
/// under the same sequence numbers (SQLite to PostgreSQL, `ctsctl journal migrate`).

#include <cstdint>

#include "cts/store/journal.hpp"

namespace cts::store {

/// Appends every committed record of `from` to `to`, in seq order, and commits them
/// together: `to` then holds the same records under the same seqs, or (on any error)
/// none of them committed: the records already staged in `to` are left uncommitted, and
/// the caller closes `to` (discarding them) rather than commit it. Returns the number
/// of records copied. Errors: invalid_argument when
/// `to` is not empty (naming its last seq; nothing is written); the replay errors of
/// `from` (a damaged record, a gap); the append and commit errors of `to`.
Result<std::uint64_t> copy_journal(Journal& from, Journal& to);

}  // namespace cts::store
