// The journal an engine setting names (cts/store/open_journal.hpp).
#include "cts/store/open_journal.hpp"

#include "cts/store/postgres_journal.hpp"
#include "cts/store/sqlite_journal.hpp"

namespace cts::store {

Result<std::unique_ptr<Journal>> open_journal(std::string_view location, std::string_view default_stream,
                                              Durability durability) {
  if (is_postgres_url(location)) {
    Result<PostgresLocation> parsed = PostgresLocation::parse(location);
    if (!parsed) return parsed.error();
    if (parsed->stream.empty()) {
      parsed = parsed->with_stream(default_stream);
      if (!parsed) return parsed.error();
    }
    Result<std::unique_ptr<PostgresJournal>> journal = PostgresJournal::open(*parsed, {durability});
    if (!journal) return journal.error();
    return std::unique_ptr<Journal>(std::move(*journal));
  }
  SqliteJournalOptions options;
  options.durability = durability;
  Result<std::unique_ptr<SqliteJournal>> journal = SqliteJournal::open(std::filesystem::path(location), options);
  if (!journal) return journal.error();
  return std::unique_ptr<Journal>(std::move(*journal));
}

std::string journal_display_name(std::string_view location) {
  return is_postgres_url(location) ? redact_url(location) : std::string(location);
}

}  // namespace cts::store
