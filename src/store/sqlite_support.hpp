#pragma once
// Internal to the compiled components: the SQLite helpers the journal
// (sqlite_journal.cpp) and the engine's monitor history (src/engine/monitor_store.cpp)
// share: errors that name the store and keep SQLite's extended code, a statement that
// finalizes itself, one-shot execution and single-integer queries, the size on disk.
#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "cts/core/result.hpp"

namespace cts::store::detail {

/// The error of a failed SQLite call on `db`: "<store>: <what>: <SQLite's message>",
/// SQLite's extended code as the venue code; protocol_error for a file that is not a
/// database or is damaged, internal otherwise.
inline Error sqlite_error(sqlite3* db, std::string_view store, std::string_view what) {
  const int code = db != nullptr ? sqlite3_extended_errcode(db) : SQLITE_ERROR;
  const char* message = db != nullptr ? sqlite3_errmsg(db) : "no database";
  const int primary = code & 0xff;
  const ErrorCode unified =
      primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT ? ErrorCode::protocol_error : ErrorCode::internal;
  return make_error(unified, fmt::format("{}: {}: {}", store, what, message), std::to_string(code));
}

/// A prepared statement finalized on destruction.
struct Statement {
  sqlite3_stmt* handle = nullptr;
  Statement() = default;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() { sqlite3_finalize(handle); }
};

/// Runs `sql` (one or more statements without results).
inline Result<void> exec(sqlite3* db, std::string_view store, const char* sql) {
  if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) return sqlite_error(db, store, sql);
  return {};
}

/// Runs a query returning one integer.
inline Result<std::int64_t> query_int(sqlite3* db, std::string_view store, const char* sql) {
  Statement st;
  if (sqlite3_prepare_v2(db, sql, -1, &st.handle, nullptr) != SQLITE_OK) return sqlite_error(db, store, sql);
  const int rc = sqlite3_step(st.handle);
  if (rc != SQLITE_ROW) return sqlite_error(db, store, sql);
  return sqlite3_column_int64(st.handle, 0);
}

/// The bytes the database at `path` takes on disk: its file and its write-ahead log (a
/// file that cannot be read counts 0).
inline std::uint64_t database_bytes(const std::string& path) {
  std::uint64_t total = 0;
  for (const std::string& file : {path, path + "-wal"}) {
    std::error_code error;
    const std::uintmax_t size = std::filesystem::file_size(file, error);
    if (!error) total += size;
  }
  return total;
}

/// Opens (creating if needed) the database at `path` for reading and writing into `db`
/// (which the caller closes, also after an error), with a 5 s busy timeout. `what`
/// names the file in errors ("journal"). Errors: internal when SQLite cannot open it;
/// invalid_argument when it opened read-only (SQLite does so silently for a file the
/// process may not write).
inline Result<void> open_writable(const std::string& path, std::string_view what, sqlite3*& db) {
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    return sqlite_error(db, what, fmt::format("cannot open {}", path));
  }
  sqlite3_busy_timeout(db, 5000);
  if (sqlite3_db_readonly(db, "main") == 1) {
    return make_error(ErrorCode::invalid_argument, fmt::format("{} {} cannot be written: the file is read-only", what, path));
  }
  return {};
}

}  // namespace cts::store::detail
