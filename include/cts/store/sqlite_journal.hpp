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
  /// Largest size of the database file in pages (4 KiB each; SQLite's max_page_count);
  /// 0: SQLite's limit. An append that would grow the file beyond it fails as on a
  /// full disk (SQLITE_FULL). A bound below the file's current size is the current size.
  std::uint32_t max_pages = 0;
  /// Open for reading only (`ctsctl journal inspect` and `export`, beside a running
  /// engine): no owner lock is taken, nothing is created or written (the file must be
  /// a cts journal already), append and compact are refused (invalid_argument) and
  /// commit has nothing to do. Replay reads the records committed when the journal was opened;
  /// SQLite's write-ahead log lets it do so while the owner writes.
  bool read_only = false;
};

/// A Journal in one SQLite database file (WAL mode). The file is marked with an
/// application id ("CTSJ") and a schema version; opening a file that is not a SQLite
/// database, is damaged, or belongs to another application is an error, never an empty
/// journal. One owner: open() takes an OwnerLock on `<path>.lock`, held until the
/// journal is destroyed, so a second SqliteJournal on the same file (in this process or
/// another) is refused; a reader (SqliteJournalOptions::read_only) takes no lock. Not
/// thread-safe.
class SqliteJournal final : public Journal {
 public:
  /// Locks `<path>.lock` (OwnerLock), then opens (creating if absent) the journal at
  /// `path` and proves it writable by committing a write (its schema version, written
  /// again); read-only, opens an existing journal without either. Errors:
  /// invalid_argument when another owner holds the lock (naming the path and the
  /// holder's pid) or the file cannot be written (a read-only file or directory, a full
  /// disk: "journal <path> cannot be written: ..."); read-only, invalid_argument for a
  /// missing file ("journal <path>: no such file"); protocol_error for a damaged,
  /// foreign, empty or newer-version file; internal for other SQLite failures (message
  /// from SQLite, with the path).
  static Result<std::unique_ptr<SqliteJournal>> open(const std::filesystem::path& path, SqliteJournalOptions options = {});

  /// Closes the file; staged, uncommitted records are discarded.
  ~SqliteJournal() override;
  /// One owner per file: not copyable.
  SqliteJournal(const SqliteJournal&) = delete;
  /// Not copyable.
  SqliteJournal& operator=(const SqliteJournal&) = delete;

  /// See Journal::append. Opens a transaction on the first append after a commit; an
  /// error rolls it back (every record staged since the last commit is discarded).
  Result<std::uint64_t> append(const JournalRecord& record) override;
  /// See Journal::commit. One SQLite COMMIT for every record staged since the last one.
  Result<void> commit() override;
  /// See Journal::replay. Reads only committed records (staged ones are invisible).
  Result<void> replay(std::uint64_t after, const std::function<Result<void>(const JournalRecord&)>& visit) override;
  /// See Journal::compact: one SQLite transaction deletes the records and writes the
  /// snapshot; then VACUUM gives the freed pages back to the file system (O(size)).
  Result<void> compact(const JournalRecord& snapshot, std::uint64_t up_to_seq) override;
  /// See Journal::last_committed_seq.
  [[nodiscard]] std::uint64_t last_committed_seq() const noexcept override;

  /// The bytes of the database file and its write-ahead log on disk (a file that
  /// cannot be read counts 0).
  [[nodiscard]] std::optional<std::uint64_t> size_bytes() const override;

  /// Number of records staged and not yet committed.
  [[nodiscard]] std::uint64_t staged() const noexcept;

 private:
  struct Impl;
  explicit SqliteJournal(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace cts::store
