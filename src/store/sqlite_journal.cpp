// SQLite backend of the journal (cts/store/sqlite_journal.hpp).
#include "cts/store/sqlite_journal.hpp"

#include <sqlite3.h>

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "cts/store/owner_lock.hpp"
#include "store/sqlite_support.hpp"
#include "store/stored_record.hpp"

namespace cts::store {
namespace {

// "CTSJ" as a big-endian 32-bit integer: PRAGMA application_id of a cts journal.
constexpr std::int32_t kApplicationId = 0x4354534A;  // "CTSJ"
constexpr int kSchemaVersion = 1;

using detail::Statement;

// The shared helpers, naming this store "journal" in their errors.
Error sqlite_error(sqlite3* db, std::string_view what) { return detail::sqlite_error(db, "journal", what); }
Result<void> exec(sqlite3* db, const char* sql) { return detail::exec(db, "journal", sql); }
Result<std::int64_t> query_int(sqlite3* db, const char* sql) { return detail::query_int(db, "journal", sql); }

}  // namespace

struct SqliteJournal::Impl {
  sqlite3* db = nullptr;
  sqlite3_stmt* insert = nullptr;
  std::uint64_t committed = 0;
  std::uint64_t next = 1;
  bool in_transaction = false;
  bool read_only = false;
  std::string path;
  std::optional<OwnerLock> owner;  // released after the database is closed

  ~Impl() {
    sqlite3_finalize(insert);
    if (in_transaction) sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close_v2(db);
  }

  // Discards every staged record (after a failed append or commit).
  void roll_back() {
    sqlite3_reset(insert);
    if (in_transaction) sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    in_transaction = false;
    next = committed + 1;
  }
};

namespace {

// The error of a write that failed at open: a read-only file or directory, a full disk.
// The error of a write to a journal opened for reading.
Error read_only_error(const std::string& path, std::string_view what) {
  return make_error(ErrorCode::invalid_argument, fmt::format("journal {} is open for reading only: cannot {}", path, what));
}

// Opens the existing database at `path` for reading only into `db` (which the caller
// closes, also after an error), with a 5 s busy timeout.
Result<void> open_for_reading(const std::string& path, sqlite3*& db) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    return make_error(ErrorCode::invalid_argument, fmt::format("journal {}: no such file", path));
  }
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
    return sqlite_error(db, fmt::format("cannot open {}", path));
  }
  sqlite3_busy_timeout(db, 5000);
  return {};
}

Error not_writable(const std::string& path, sqlite3* db) {
  return make_error(ErrorCode::invalid_argument,
                    fmt::format("journal {} cannot be written: {} (the file and its directory must be writable, "
                                "with space left)",
                                path, sqlite3_errmsg(db)),
                    std::to_string(sqlite3_extended_errcode(db)));
}

}  // namespace

namespace {

// Sets the durability and size limit of a journal opened for writing, and proves that
// commits work (permissions of the file and its directory, space): the schema version,
// written again in a transaction of its own.
Result<void> prepare_for_writing(const std::string& path, sqlite3* db, const SqliteJournalOptions& options) {
  const char* sync = options.durability == Durability::power     ? "PRAGMA synchronous=FULL"
                     : options.durability == Durability::process ? "PRAGMA synchronous=NORMAL"
                                                                 : "PRAGMA synchronous=OFF";
  if (Result<void> ok = exec(db, sync); !ok) return ok.error();
  if (options.max_pages != 0) {
    const std::string limit = fmt::format("PRAGMA max_page_count={}", options.max_pages);
    if (Result<void> ok = exec(db, limit.c_str()); !ok) return ok.error();
  }
  const std::string rewrite = fmt::format("BEGIN IMMEDIATE; PRAGMA user_version={}; COMMIT", kSchemaVersion);
  if (sqlite3_exec(db, rewrite.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
    Error error = not_writable(path, db);
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    return error;
  }
  return {};
}

}  // namespace

SqliteJournal::SqliteJournal(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SqliteJournal::~SqliteJournal() = default;

Result<std::unique_ptr<SqliteJournal>> SqliteJournal::open(const std::filesystem::path& path, SqliteJournalOptions options) {
  auto impl = std::make_unique<Impl>();
  impl->path = path.string();
  impl->read_only = options.read_only;
  if (options.read_only) {
    if (Result<void> opened = open_for_reading(impl->path, impl->db); !opened) return opened.error();
  } else {
    Result<OwnerLock> owner = OwnerLock::acquire(path, "journal");
    if (!owner) return owner.error();
    impl->owner.emplace(std::move(*owner));
    if (Result<void> opened = detail::open_writable(impl->path, "journal", impl->db); !opened) return opened.error();
  }
  sqlite3* db = impl->db;
  // Reading the header is the first access: a file that is not SQLite fails here.
  Result<std::int64_t> app_id = query_int(db, "PRAGMA application_id");
  if (!app_id) {
    // The venue code holds SQLite's extended code; its low byte is the primary one.
    const int primary = std::atoi(app_id.error().venue_code.c_str()) & 0xff;
    if (primary == SQLITE_CANTOPEN || primary == SQLITE_READONLY || primary == SQLITE_PERM) {
      // e.g. its write-ahead log cannot be created in a read-only directory
      return make_error(ErrorCode::invalid_argument,
                        fmt::format("journal {} cannot be written: {} (the file and its directory must be writable, "
                                    "with space left)",
                                    impl->path, app_id.error().message),
                        app_id.error().venue_code);
    }
  }
  if (!app_id) {
    return make_error(ErrorCode::protocol_error,
                      fmt::format("journal {} is not a SQLite database or is damaged ({})", impl->path, app_id.error().message),
                      app_id.error().venue_code);
  }
  if (*app_id == 0 && options.read_only) {
    return make_error(ErrorCode::protocol_error,
                      fmt::format("{} is not a cts journal (an empty database, or another application's)", impl->path));
  }
  if (*app_id == 0) {
    Result<std::int64_t> objects = query_int(db, "SELECT count(*) FROM sqlite_master");
    if (!objects) return objects.error();
    if (*objects != 0) {
      return make_error(ErrorCode::protocol_error,
                        fmt::format("{} is a SQLite database of another application, not a cts journal", impl->path));
    }
    if (Result<void> ok = exec(db, "PRAGMA journal_mode=WAL"); !ok) return ok.error();
    if (Result<void> ok = exec(db,
                               "BEGIN;"
                               "CREATE TABLE journal(seq INTEGER PRIMARY KEY, kind INTEGER NOT NULL, "
                               "client_id TEXT NOT NULL, body TEXT NOT NULL, checksum INTEGER NOT NULL);"
                               "COMMIT;");
        !ok) {
      return ok.error();
    }
    const std::string marks = fmt::format("PRAGMA application_id={}; PRAGMA user_version={}", kApplicationId, kSchemaVersion);
    if (Result<void> ok = exec(db, marks.c_str()); !ok) return ok.error();
  } else if (*app_id != kApplicationId) {
    return make_error(ErrorCode::protocol_error,
                      fmt::format("{} belongs to another application (application_id {:#x}), not a cts journal",
                                  impl->path, *app_id));
  } else {
    Result<std::int64_t> version = query_int(db, "PRAGMA user_version");
    if (!version) return version.error();
    if (*version != kSchemaVersion) {
      return make_error(ErrorCode::protocol_error, fmt::format("journal {} has schema version {}, this build reads {}",
                                                               impl->path, *version, kSchemaVersion));
    }
    if (!options.read_only) {
      if (Result<void> ok = exec(db, "PRAGMA journal_mode=WAL"); !ok) return ok.error();
    }
  }
  if (!options.read_only) {
    if (Result<void> ok = prepare_for_writing(impl->path, db, options); !ok) return ok.error();
  }
  if (options.verify_on_open) {
    Statement st;
    if (sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &st.handle, nullptr) != SQLITE_OK) {
      return sqlite_error(db, "quick_check");
    }
    if (sqlite3_step(st.handle) != SQLITE_ROW) return sqlite_error(db, "quick_check");
    const auto* verdict = reinterpret_cast<const char*>(sqlite3_column_text(st.handle, 0));
    if (verdict == nullptr || std::string_view(verdict) != "ok") {
      return make_error(ErrorCode::protocol_error,
                        fmt::format("journal {} is damaged: {}", impl->path, verdict != nullptr ? verdict : "?"));
    }
  }
  Result<std::int64_t> last = query_int(db, "SELECT coalesce(max(seq), 0) FROM journal");
  if (!last) return last.error();
  impl->committed = static_cast<std::uint64_t>(*last);
  impl->next = impl->committed + 1;
  if (options.read_only) return std::unique_ptr<SqliteJournal>(new SqliteJournal(std::move(impl)));
  if (sqlite3_prepare_v3(db, "INSERT INTO journal(seq, kind, client_id, body, checksum) VALUES(?,?,?,?,?)", -1,
                         SQLITE_PREPARE_PERSISTENT, &impl->insert, nullptr) != SQLITE_OK) {
    return sqlite_error(db, "prepare insert");
  }
  return std::unique_ptr<SqliteJournal>(new SqliteJournal(std::move(impl)));
}

Result<std::uint64_t> SqliteJournal::append(const JournalRecord& record) {
  Impl& s = *impl_;
  if (s.read_only) return read_only_error(s.path, "append");
  if (!s.in_transaction) {
    if (Result<void> ok = exec(s.db, "BEGIN"); !ok) return ok.error();
    s.in_transaction = true;
  }
  const std::string body = encode_body(record);
  const std::uint64_t seq = s.next;
  const std::string_view client_id = record.client_id.view();
  sqlite3_reset(s.insert);
  sqlite3_bind_int64(s.insert, 1, static_cast<sqlite3_int64>(seq));
  sqlite3_bind_int(s.insert, 2, static_cast<int>(record.kind));
  sqlite3_bind_text(s.insert, 3, client_id.data(), static_cast<int>(client_id.size()), SQLITE_STATIC);
  sqlite3_bind_text(s.insert, 4, body.data(), static_cast<int>(body.size()), SQLITE_STATIC);
  sqlite3_bind_int64(s.insert, 5, static_cast<sqlite3_int64>(body_checksum(body)));
  const int rc = sqlite3_step(s.insert);
  sqlite3_clear_bindings(s.insert);
  if (rc != SQLITE_DONE) {
    Error error = sqlite_error(s.db, fmt::format("append to {}", s.path));
    s.roll_back();
    return error;
  }
  ++s.next;
  return seq;
}

Result<void> SqliteJournal::commit() {
  Impl& s = *impl_;
  if (!s.in_transaction) return {};
  sqlite3_reset(s.insert);
  if (sqlite3_exec(s.db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
    Error error = sqlite_error(s.db, fmt::format("commit to {}", s.path));
    s.roll_back();
    return error;
  }
  s.in_transaction = false;
  s.committed = s.next - 1;
  return {};
}

Result<void> SqliteJournal::replay(std::uint64_t after, const std::function<Result<void>(const JournalRecord&)>& visit) {
  Impl& s = *impl_;
  Statement st;
  if (sqlite3_prepare_v2(s.db, "SELECT seq, kind, client_id, body, checksum FROM journal WHERE seq > ? AND seq <= ? ORDER BY seq",
                         -1, &st.handle, nullptr) != SQLITE_OK) {
    return sqlite_error(s.db, "prepare replay");
  }
  sqlite3_bind_int64(st.handle, 1, static_cast<sqlite3_int64>(after));
  sqlite3_bind_int64(st.handle, 2, static_cast<sqlite3_int64>(s.committed));
  std::uint64_t expected = after + 1;
  for (;;) {
    const int rc = sqlite3_step(st.handle);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) return sqlite_error(s.db, "replay");
    const auto* client = reinterpret_cast<const char*>(sqlite3_column_text(st.handle, 2));
    const auto* body = reinterpret_cast<const char*>(sqlite3_column_text(st.handle, 3));
    detail::StoredRow row;
    row.seq = static_cast<std::uint64_t>(sqlite3_column_int64(st.handle, 0));
    row.kind = sqlite3_column_int(st.handle, 1);
    row.client_id = std::string_view(client != nullptr ? client : "", static_cast<std::size_t>(sqlite3_column_bytes(st.handle, 2)));
    row.body = std::string_view(body != nullptr ? body : "", static_cast<std::size_t>(sqlite3_column_bytes(st.handle, 3)));
    row.checksum = static_cast<std::uint64_t>(sqlite3_column_int64(st.handle, 4));
    Result<JournalRecord> record = detail::decode_stored(s.path, row, after, expected);
    if (!record) return record.error();
    if (Result<void> ok = visit(*record); !ok) return ok;
  }
  return {};
}

Result<void> SqliteJournal::compact(const JournalRecord& snapshot, std::uint64_t up_to_seq) {
  Impl& s = *impl_;
  if (s.read_only) return read_only_error(s.path, "compact");
  if (s.in_transaction) {
    return make_error(ErrorCode::invalid_argument, fmt::format("journal {}: commit before compacting", s.path));
  }
  if (snapshot.kind != RecordKind::snapshot) {
    return make_error(ErrorCode::invalid_argument, fmt::format("journal {}: compaction needs a snapshot record", s.path));
  }
  if (up_to_seq == 0 || up_to_seq > s.committed) {
    return make_error(ErrorCode::invalid_argument,
                      fmt::format("journal {}: cannot compact up to {} (last committed {})", s.path, up_to_seq, s.committed));
  }
  if (Result<void> ok = exec(s.db, "BEGIN IMMEDIATE"); !ok) return ok.error();
  // Undoes the transaction and returns the error of `what`.
  auto fail = [&](std::string_view what) {
    Error error = sqlite_error(s.db, fmt::format("{} in {}", what, s.path));
    sqlite3_exec(s.db, "ROLLBACK", nullptr, nullptr, nullptr);
    return error;
  };
  {
    Statement remove;
    if (sqlite3_prepare_v2(s.db, "DELETE FROM journal WHERE seq <= ?", -1, &remove.handle, nullptr) != SQLITE_OK) {
      return fail("prepare compaction");
    }
    sqlite3_bind_int64(remove.handle, 1, static_cast<sqlite3_int64>(up_to_seq));
    if (sqlite3_step(remove.handle) != SQLITE_DONE) return fail("compaction (removing folded records)");
  }
  const std::string body = encode_body(snapshot);
  sqlite3_reset(s.insert);
  sqlite3_bind_int64(s.insert, 1, static_cast<sqlite3_int64>(up_to_seq));
  sqlite3_bind_int(s.insert, 2, static_cast<int>(RecordKind::snapshot));
  sqlite3_bind_text(s.insert, 3, "", 0, SQLITE_STATIC);
  sqlite3_bind_text(s.insert, 4, body.data(), static_cast<int>(body.size()), SQLITE_STATIC);
  sqlite3_bind_int64(s.insert, 5, static_cast<sqlite3_int64>(body_checksum(body)));
  const int rc = sqlite3_step(s.insert);
  sqlite3_clear_bindings(s.insert);
  sqlite3_reset(s.insert);
  if (rc != SQLITE_DONE) return fail("compaction (writing the snapshot)");
  if (sqlite3_exec(s.db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) return fail("compaction commit");
  // Gives the freed pages back to the file system (the journal's size is what a limit
  // watches); a failure here leaves the compacted journal, only larger on disk.
  sqlite3_exec(s.db, "VACUUM", nullptr, nullptr, nullptr);
  sqlite3_exec(s.db, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr);
  return {};
}

std::uint64_t SqliteJournal::last_committed_seq() const noexcept { return impl_->committed; }

std::optional<std::uint64_t> SqliteJournal::size_bytes() const { return detail::database_bytes(impl_->path); }

std::uint64_t SqliteJournal::staged() const noexcept { return impl_->next - 1 - impl_->committed; }

}  // namespace cts::store
