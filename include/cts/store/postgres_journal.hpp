#pragma once
/// \file
/// cts::store::PostgresJournal: the shared Journal, one stream of records per session
/// in a PostgreSQL database that several engine processes (on several hosts) reach.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "cts/store/journal.hpp"

namespace cts::store {

/// Where a PostgreSQL journal lives: a libpq connection URL and the stream of records
/// in it, as written in the engine configuration:
/// `postgresql://user[:password]@host:port/database[?param=value&...][&stream=NAME]`.
struct PostgresLocation {
  std::string conninfo;  ///< The URL as libpq reads it: the `stream` parameter removed.
  std::string stream;    ///< The `stream` parameter; empty when the URL names none.
  std::string redacted;  ///< The URL for messages and logs: any password replaced by `***`.

  /// Parses `url` (scheme `postgresql://` or `postgres://`). `stream` is 1 to 200
  /// characters of letters, digits and `._:/-`. Errors (invalid_argument; the message
  /// quotes the URL redacted, never a password): another scheme, no host, an empty or
  /// malformed stream, a stream given twice.
  static Result<PostgresLocation> parse(std::string_view url);
  /// This location with `stream` in place of its own (same checks as parse()).
  [[nodiscard]] Result<PostgresLocation> with_stream(std::string_view stream) const;
  /// The URL back, the stream included (the password as given: not for logs).
  [[nodiscard]] std::string url() const;
};

/// Whether `journal` (an engine `journal` setting) names a PostgreSQL journal
/// (`postgresql://` or `postgres://`) rather than a SQLite file path.
[[nodiscard]] bool is_postgres_url(std::string_view journal) noexcept;

/// `url` with any password (in the user information or a `password=` parameter)
/// replaced by `***`, for messages; any other text unchanged.
[[nodiscard]] std::string redact_url(std::string_view url);

/// Settings of a PostgreSQL journal.
struct PostgresJournalOptions {
  /// What a commit survives. process and power: synchronous_commit on (the commit
  /// returns once the server flushed its WAL; the server's own fsync setting decides
  /// the rest). none: synchronous_commit off.
  Durability durability = Durability::process;
  /// Open for reading only (`ctsctl journal inspect` and `export`, beside a running
  /// engine): the session runs read-only transactions, no schema is created or
  /// migrated, no stream is registered and no lock is taken (the stream must exist);
  /// append and compact are refused (invalid_argument) and commit has nothing to do.
  /// Replay reads the records committed when the journal was opened.
  bool read_only = false;
};

/// A Journal stored in PostgreSQL: the records of every stream in one table
/// (cts_journal_record), keyed by stream and seq, with their checksums. The schema is
/// versioned (cts_journal_schema_version) and migrated at open, in one transaction,
/// by the first process to open it. One owner per stream: open() takes a session-level
/// advisory lock, held by the journal's connection until it is destroyed or the
/// connection is lost (the server releases it then, however the process died), so a
/// second PostgresJournal on the same stream (in this process, another, or another
/// host) is refused; a reader (PostgresJournalOptions::read_only) takes no lock. A lost connection makes the journal unusable (every later call
/// fails): the lock went with it, so the journal must be opened again. Not thread-safe.
class PostgresJournal final : public Journal {
 public:
  /// Connects to `location.conninfo` (stream "default" when it names none), migrates the
  /// schema, takes the stream's lock and reads its last seq. Errors: invalid_argument
  /// when another connection owns the stream ("journal <url> stream <name> is in use by
  /// <holder>", naming the holder's application name and host when the server shows
  /// them) or the database refuses a write (a read-only role); read-only,
  /// protocol_error when the database holds no cts journal and invalid_argument when the
  /// stream does not exist ("journal <url> stream <name>: no such stream"); venue_unavailable when
  /// the server cannot be reached or refuses the login; protocol_error when the
  /// database holds a schema newer than this build; internal for other failures (the
  /// server's message, with the URL redacted).
  static Result<std::unique_ptr<PostgresJournal>> open(const PostgresLocation& location, PostgresJournalOptions options = {});

  /// Closes the connection (releasing the lock); staged, uncommitted records are discarded.
  ~PostgresJournal() override;
  /// One owner per stream: not copyable.
  PostgresJournal(const PostgresJournal&) = delete;
  /// Not copyable.
  PostgresJournal& operator=(const PostgresJournal&) = delete;

  /// See Journal::append. Opens a transaction on the first append after a commit; one
  /// parameterised INSERT per record; an error rolls the transaction back.
  Result<std::uint64_t> append(const JournalRecord& record) override;
  /// See Journal::commit. One COMMIT for every record staged since the last one. When
  /// the connection is lost during COMMIT the outcome is unknown: the error says so, and
  /// reopening the journal reads what was committed.
  Result<void> commit() override;
  /// See Journal::replay. Reads only committed records, row by row.
  Result<void> replay(std::uint64_t after, const std::function<Result<void>(const JournalRecord&)>& visit) override;
  /// See Journal::compact: one transaction deletes the stream's records up to
  /// `up_to_seq` and writes the snapshot in their place (the server reclaims the space
  /// at its next vacuum).
  Result<void> compact(const JournalRecord& snapshot, std::uint64_t up_to_seq) override;
  /// See Journal::last_committed_seq.
  [[nodiscard]] std::uint64_t last_committed_seq() const noexcept override;
  /// See Journal::size_bytes: the bytes of this stream's committed records as stored
  /// values — the text of their client ids and bodies (octet_length) plus 22 bytes of
  /// fixed-width columns per record — never nothing. The database's files are shared by
  /// every stream and keep deleted rows until a vacuum, so their size says nothing of one
  /// session's journal; this is the share a stream holds, what journal.max_size watches
  /// and compaction shrinks (the server's per-row headers, indexes and free space are
  /// not counted). Read from the server at open, then kept up to date by every commit
  /// and compaction without a query (the engine reads it at every step).
  [[nodiscard]] std::optional<std::uint64_t> size_bytes() const override;

  /// Number of records staged and not yet committed.
  [[nodiscard]] std::uint64_t staged() const noexcept;
  /// The stream this journal owns.
  [[nodiscard]] const std::string& stream() const noexcept;

  /// The schema version this build writes (and the newest it reads).
  static constexpr int kSchemaVersion = 1;

 private:
  struct Impl;
  explicit PostgresJournal(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace cts::store
