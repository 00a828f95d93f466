#pragma once
/// \file
/// cts::store::open_journal: the journal an engine `journal` setting names, SQLite or
/// PostgreSQL, behind the one Journal interface.

#include <memory>
#include <string>
#include <string_view>

#include "cts/store/journal.hpp"

namespace cts::store {

/// Opens the journal `location` names: a `postgresql://` (or `postgres://`) URL opens a
/// PostgresJournal on the URL's `stream` (`default_stream` when the URL names none);
/// anything else is the path of a SqliteJournal. `durability` applies to either. Errors:
/// those of PostgresLocation::parse, PostgresJournal::open or SqliteJournal::open.
Result<std::unique_ptr<Journal>> open_journal(std::string_view location, std::string_view default_stream,
                                              Durability durability = Durability::process);

/// Opens the journal `location` names (as open_journal) for reading only: no lock, no
/// write (SqliteJournalOptions::read_only, PostgresJournalOptions::read_only), so it
/// works beside the process that owns the journal. Errors: those of the backend's
/// read-only open (a missing file or stream, a file or database that holds no journal).
Result<std::unique_ptr<Journal>> open_journal_for_reading(std::string_view location, std::string_view default_stream);

/// `location` as messages and logs may show it: a PostgreSQL URL with its password
/// replaced by `***` (redact_url), a path as it is.
[[nodiscard]] std::string journal_display_name(std::string_view location);

}  // namespace cts::store
