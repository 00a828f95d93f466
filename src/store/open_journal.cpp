// The journal an engine setting names (cts/store/open_journal.hpp).
#include "cts/store/open_journal.hpp"

#include "cts/store/postgres_journal.hpp"
#include "cts/store/sqlite_journal.hpp"

namespace cts::store {

namespace {

// Opens `location` with the durability given, for writing or for reading only.
Result<std::unique_ptr<Journal>> open_located(std::string_view location, std::string_view default_stream,
                                              Durability durability, bool read_only) {
  if (is_postgres_url(location)) {
    Result<PostgresLocation> parsed = PostgresLocation::parse(location);
    if (!parsed) return parsed.error();
    if (parsed->stream.empty()) {
      parsed = parsed->with_stream(default_stream);
      if (!parsed) return parsed.error();
    }
    PostgresJournalOptions options;
    options.durability = durability;
    options.read_only = read_only;
    Result<std::unique_ptr<PostgresJournal>> journal = PostgresJournal::open(*parsed, options);
    if (!journal) return journal.error();
    return std::unique_ptr<Journal>(std::move(*journal));
  }
  SqliteJournalOptions options;
  options.durability = durability;
  options.read_only = read_only;
  Result<std::unique_ptr<SqliteJournal>> journal = SqliteJournal::open(std::filesystem::path(location), options);
  if (!journal) return journal.error();
  return std::unique_ptr<Journal>(std::move(*journal));
}

}  // namespace

Result<std::unique_ptr<Journal>> open_journal(std::string_view location, std::string_view default_stream,
                                              Durability durability) {
  return open_located(location, default_stream, durability, false);
}

Result<std::unique_ptr<Journal>> open_journal_for_reading(std::string_view location, std::string_view default_stream) {
  return open_located(location, default_stream, Durability::process, true);
}

std::string journal_display_name(std::string_view location) {
  return is_postgres_url(location) ? redact_url(location) : std::string(location);
}

}  // namespace cts::store
