#pragma once
/// \file
/// cts::store::SqliteJournal: the embedded Journal, one SQLite file in WAL mode.

#include <cstdint>
#include <filesystem>
#include <memory>

#include "cts/store/journal.hpp"

namespace cts::store {

/// Settings of a SQLite journal.
struct SqliteJournalOptions {
  Durability durability = Durability::process;  ///< What a commit survives.
  bool verify_on_open = true;  ///< Run SQLite's quick_check when opening (O(size)).
};

/// A Journal in one SQLite database file (WAL mode). The file is marked with an
/// application id ("CTSJ") and a schema version; opening a file that is not a SQLite
/// database, is damaged, or belongs to another application is an error, never an empty
/// journal. Not thread-safe: one owner; one writer process per file.
class SqliteJournal final : public Journal {
 public:
  /// Opens (creating if absent) the journal at `path`. Errors: protocol_error for a
  /// damaged, foreign or newer-version file; internal for other SQLite failures
  /// (message from SQLite, with the path).
  static Result<std::unique_ptr<SqliteJournal>> open(const std::filesystem::path& path, SqliteJournalOptions options = {});

  /// Closes the file; staged, uncommitted records are discarded.
  ~SqliteJournal() override;
  /// One owner per file: not copyable.
  SqliteJournal(const SqliteJournal&) = delete;
  /// Not copyable.
  SqliteJournal& operator=(const SqliteJournal&) = delete;

  /// See Journal::append. Opens a transaction on the first append after a commit.
  Result<std::uint64_t> append(const JournalRecord& record) override;
  /// See Journal::commit. One SQLite COMMIT for every record staged since the last one.
  Result<void> commit() override;
  /// See Journal::replay. Reads only committed records (staged ones are invisible).
  Result<void> replay(std::uint64_t after, const std::function<Result<void>(const JournalRecord&)>& visit) override;
  /// See Journal::last_committed_seq.
  [[nodiscard]] std::uint64_t last_committed_seq() const noexcept override;

  /// Number of records staged and not yet committed.
  [[nodiscard]] std::uint64_t staged() const noexcept;

 private:
  struct Impl;
  explicit SqliteJournal(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace cts::store
