// Tests for cts/store/sqlite_journal.hpp beyond what every backend does
// (journal_test.cpp): damaged and foreign files, a planted lock file, files that cannot
// be written (read-only, full).
#include <cts/store/sqlite_journal.hpp>

#include <doctest/doctest.h>

#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>

#include "journal_test_support.hpp"

using namespace cts;
using namespace cts::store;
using namespace cts::store::test;

namespace {

void write_file(const std::filesystem::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

// The outcome of opening `path`: "opened" or the error's code and message.
std::string open_outcome(const std::filesystem::path& path, SqliteJournalOptions options = {}) {
  auto journal = SqliteJournal::open(path, options);
  if (journal) return "opened";
  return journal.error().to_string();
}

// Gives `paths` to the user the unprivileged child runs as (nobody when root).
void give_to_unprivileged_user(std::initializer_list<std::filesystem::path> paths) {
  if (::geteuid() != 0) return;
  for (const auto& p : paths) REQUIRE(::chown(p.c_str(), 65534, 65534) == 0);
}

}  // namespace

TEST_CASE("a file that is not a journal is a clear error, never an empty journal") {
  TempDir dir;
  write_file(dir.file("text.db"), std::string(8192, 'x'));
  auto text = SqliteJournal::open(dir.file("text.db"));
  REQUIRE_FALSE(text.has_value());
  CHECK(text.error().code == ErrorCode::protocol_error);
  CHECK(text.error().message.find("not a SQLite database") != std::string::npos);

  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(dir.file("other.db").c_str(), &db) == SQLITE_OK);
  REQUIRE(sqlite3_exec(db, "CREATE TABLE accounts(id INTEGER)", nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
  auto other = SqliteJournal::open(dir.file("other.db"));
  REQUIRE_FALSE(other.has_value());
  CHECK(other.error().message.find("another application") != std::string::npos);

  REQUIRE(sqlite3_open(dir.file("foreign.db").c_str(), &db) == SQLITE_OK);
  REQUIRE(sqlite3_exec(db, "PRAGMA application_id=1234", nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
  CHECK(SqliteJournal::open(dir.file("foreign.db")).error().code == ErrorCode::protocol_error);

  { auto j = SqliteJournal::open(dir.file("newer.db")).value(); }
  REQUIRE(sqlite3_open(dir.file("newer.db").c_str(), &db) == SQLITE_OK);
  REQUIRE(sqlite3_exec(db, "PRAGMA user_version=99", nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
  auto newer = SqliteJournal::open(dir.file("newer.db"));
  REQUIRE_FALSE(newer.has_value());
  CHECK(newer.error().message.find("schema version 99") != std::string::npos);
}

TEST_CASE("a symbolic link planted as the lock file is refused and not followed") {
  TempDir dir;
  const std::filesystem::path target = dir.file("attacker-owned");
  std::filesystem::create_symlink(target, dir.file("j.db.lock"));
  const std::string outcome = open_outcome(dir.file("j.db"));
  CHECK(outcome.starts_with("invalid_argument: journal " + dir.file("j.db").string() + ": cannot open its lock file"));
  CHECK(outcome.find("symbolic link") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(target));
  CHECK_FALSE(std::filesystem::exists(dir.file("j.db")));
}

TEST_CASE("a read-only journal is refused at open, never opened to run without writing") {
  TempDir dir;
  const std::filesystem::path path = dir.file("ro.db");
  {
    auto journal = SqliteJournal::open(path).value();
    REQUIRE(journal->append(nth_record(1)).has_value());
    REQUIRE(journal->commit().has_value());
  }
  give_to_unprivileged_user({dir.path, path, dir.file("ro.db.lock")});
  CHECK(in_child([&] { return open_outcome(path); }, true) == "opened");  // writable: the control case
  std::filesystem::permissions(path, std::filesystem::perms::owner_read | std::filesystem::perms::group_read |
                                         std::filesystem::perms::others_read);
  CHECK(in_child([&] { return open_outcome(path); }, true) ==
        "invalid_argument: journal " + path.string() + " cannot be written: the file is read-only");

  // A writable file in a directory where its write-ahead log cannot be created.
  std::filesystem::permissions(path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  std::filesystem::remove(dir.file("ro.db-wal"));
  std::filesystem::remove(dir.file("ro.db-shm"));
  std::filesystem::permissions(dir.path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
  const std::string in_read_only_dir = in_child([&] { return open_outcome(path); }, true);
  std::filesystem::permissions(dir.path, std::filesystem::perms::owner_all);
  CAPTURE(in_read_only_dir);
  CHECK(in_read_only_dir.starts_with("invalid_argument: journal " + path.string() + " cannot be written"));
}

TEST_CASE("a full journal (SQLITE_FULL) fails the append, discards the batch and keeps what was committed") {
  TempDir dir;
  const std::filesystem::path path = dir.file("full.db");
  std::uint64_t committed = 0;
  std::optional<Error> failure;
  {
    SqliteJournalOptions options;
    options.max_pages = 12;  // 48 KiB
    auto journal = SqliteJournal::open(path, options).value();
    // Batches of 5 records until the file is full (a few hundred bytes each).
    for (int batch = 0; batch < 1000 && !failure; ++batch) {
      for (int k = 0; k < 5 && !failure; ++k) {
        Result<std::uint64_t> seq = journal->append(nth_record(journal->last_committed_seq() + journal->staged() + 1));
        if (!seq) failure = seq.error();
      }
      if (failure) break;
      if (Result<void> ok = journal->commit(); !ok) failure = ok.error();
      committed = journal->last_committed_seq();
    }
    REQUIRE(failure.has_value());
    CHECK(failure->code == ErrorCode::internal);
    CHECK(failure->message.find("database or disk is full") != std::string::npos);
    CHECK(failure->venue_code == std::to_string(SQLITE_FULL));
    CHECK(committed > 0);
    CHECK(journal->last_committed_seq() == committed);
    CHECK(journal->staged() == 0);  // the failed batch is gone, not half-kept
    CHECK(read_all(*journal).size() == committed);
  }
  auto reopened = SqliteJournal::open(path).value();  // no limit now
  CHECK(reopened->last_committed_seq() == committed);
  std::uint64_t n = 0;
  REQUIRE(reopened->replay(0, [&](const JournalRecord& r) -> Result<void> {
                     JournalRecord expected = nth_record(++n);
                     expected.seq = n;
                     CHECK(r == expected);
                     return {};
                   }).has_value());
  CHECK(n == committed);
  CHECK(reopened->append(nth_record(committed + 1)).value() == committed + 1);
}
