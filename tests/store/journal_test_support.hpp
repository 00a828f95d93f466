#pragma once
// What the journal tests share (journal_test.cpp, sqlite_journal_test.cpp): a temporary
// directory, the records a writer appends, reading a journal back, running code in a
// child process, and one class per backend (SQLite, PostgreSQL) that opens journals by
// stream name and damages their stored records the way each backend stores them.
#include <cts/store/postgres_journal.hpp>
#include <cts/store/sqlite_journal.hpp>

#include <doctest/doctest.h>

#include <grp.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "support/journal_reading.hpp"
#include "support/test_servers.hpp"

namespace cts::store::test {

using namespace cts::literals;

// A fresh directory under the system temp dir, removed at scope exit.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    static int counter = 0;
    path = std::filesystem::temp_directory_path() /
           ("cts-store-test-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::filesystem::path file(std::string_view name) const { return path / name; }
};

// The record a writer appends as its n-th record: a pure function of n, so a reader
// can check every committed record without talking to the writer.
inline JournalRecord nth_record(std::uint64_t n) {
  if (n % 5 == 1) {
    order::OrderRequest r;
    r.client_id = ClientOrderId::from("C" + std::to_string(n)).value();
    r.symbol = "BTC/USDT";
    r.type = OrderType::limit;
    r.quantity = Decimal::from_int(static_cast<std::int64_t>(n));
    r.price = "100.5"_d;
    r.ts = from_unix_millis(static_cast<std::int64_t>(n));
    return JournalRecord::created(r);
  }
  order::Fill f{order::TradeId::from("T" + std::to_string(n)).value(), "0.001"_d, Decimal::from_int(static_cast<std::int64_t>(n)),
                "0.01"_d, order::Asset::from("USDT").value()};
  return JournalRecord::for_event(ClientOrderId::from("C" + std::to_string(n - n % 5 + 1)).value(),
                                  order::make_fill_event(f, from_unix_millis(static_cast<std::int64_t>(n))));
}

using cts::testing::read_all;

// Runs `body` in a forked child and returns what it returned (its report), or
// "child failed" when it died. With `unprivileged`, the child first drops root's power
// to write any file (it runs as nobody when the tests run as root), so file modes
// apply to it as they do to an ordinary user.
inline std::string in_child(const std::function<std::string()>& body, bool unprivileged = false) {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::close(fds[0]);
    if (unprivileged && ::geteuid() == 0 &&
        (::setgroups(0, nullptr) != 0 || ::setgid(65534) != 0 || ::setuid(65534) != 0)) {
      ::_exit(2);
    }
    const std::string report = body();
    const bool written = ::write(fds[1], report.data(), report.size()) == static_cast<ssize_t>(report.size());
    ::_exit(written ? 0 : 3);
  }
  ::close(fds[1]);
  std::string report;
  char buffer[512];
  for (ssize_t n; (n = ::read(fds[0], buffer, sizeof buffer)) > 0;) report.append(buffer, static_cast<std::size_t>(n));
  ::close(fds[0]);
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? report : "child failed";
}

// The SQLite backend: a stream is a file in a directory of its own.
struct SqliteBackend {
  static constexpr const char* kName = "SQLite";
  TempDir dir;

  bool available() const { return true; }
  std::string where(std::string_view stream) const { return dir.file(stream).string(); }
  Result<std::unique_ptr<Journal>> open(std::string_view stream, Durability durability = Durability::process) const {
    Result<std::unique_ptr<SqliteJournal>> j = SqliteJournal::open(dir.file(stream), {durability, true});
    if (!j) return j.error();
    return std::unique_ptr<Journal>(std::move(*j));
  }
  // Opens `stream` for reading only (SqliteJournalOptions::read_only).
  Result<std::unique_ptr<Journal>> open_for_reading(std::string_view stream) const {
    SqliteJournalOptions options;
    options.read_only = true;
    Result<std::unique_ptr<SqliteJournal>> j = SqliteJournal::open(dir.file(stream), options);
    if (!j) return j.error();
    return std::unique_ptr<Journal>(std::move(*j));
  }
  // The start of the error refusing a second owner of `stream` while process `pid` holds it.
  std::string in_use_by(std::string_view stream, pid_t pid) const {
    return "invalid_argument: journal " + where(stream) + " is in use by process " + std::to_string(pid);
  }
  void sql(std::string_view stream, const std::string& statement) const {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(dir.file(stream).c_str(), &db) == SQLITE_OK);
    CHECK(sqlite3_exec(db, statement.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
  }
  void damage_record(std::string_view stream, int seq) const {
    sql(stream, "UPDATE journal SET body = replace(body, 'fqty=0.001', 'fqty=1000') WHERE seq = " + std::to_string(seq));
  }
  void delete_record(std::string_view stream, int seq) const {
    sql(stream, "DELETE FROM journal WHERE seq = " + std::to_string(seq));
  }
};

// The PostgreSQL backend: a stream of the fixture's database, named after this process
// and backend instance so that concurrent test runs never share one.
struct PostgresBackend {
  static constexpr const char* kName = "PostgreSQL";
  std::optional<std::string> url = cts::test::test_server_url("CTS_TEST_POSTGRES_URL_FILE", "PostgreSQL");
  std::string prefix = [] {
    static int counter = 0;
    return "test-" + std::to_string(::getpid()) + "-" + std::to_string(++counter) + "-";
  }();

  bool available() const { return url.has_value(); }
  PostgresLocation location(std::string_view stream) const {
    return PostgresLocation::parse(*url).value().with_stream(prefix + std::string(stream)).value();
  }
  std::string where(std::string_view stream) const { return *url + " stream " + prefix + std::string(stream); }
  Result<std::unique_ptr<Journal>> open(std::string_view stream, Durability durability = Durability::process) const {
    Result<std::unique_ptr<PostgresJournal>> j = PostgresJournal::open(location(stream), {durability});
    if (!j) return j.error();
    return std::unique_ptr<Journal>(std::move(*j));
  }
  // Opens `stream` for reading only (PostgresJournalOptions::read_only).
  Result<std::unique_ptr<Journal>> open_for_reading(std::string_view stream) const {
    PostgresJournalOptions options;
    options.read_only = true;
    Result<std::unique_ptr<PostgresJournal>> j = PostgresJournal::open(location(stream), options);
    if (!j) return j.error();
    return std::unique_ptr<Journal>(std::move(*j));
  }
  std::string in_use_by(std::string_view stream, pid_t pid) const {
    return "invalid_argument: journal " + where(stream) + " is in use by cts pid " + std::to_string(pid) + " on ";
  }
  // Runs `statement` with $1 = the stream's full name.
  void sql(std::string_view stream, const std::string& statement) const {
    PGconn* conn = PQconnectdb(url->c_str());
    REQUIRE(PQstatus(conn) == CONNECTION_OK);
    const std::string name = prefix + std::string(stream);
    const char* values[] = {name.c_str()};
    PGresult* result = PQexecParams(conn, statement.c_str(), 1, nullptr, values, nullptr, nullptr, 0);
    CHECK_MESSAGE(PQresultStatus(result) == PGRES_COMMAND_OK, PQresultErrorMessage(result));
    PQclear(result);
    PQfinish(conn);
  }
  void damage_record(std::string_view stream, int seq) const {
    sql(stream,
        "UPDATE cts_journal_record SET body = replace(body, 'fqty=0.001', 'fqty=1000') WHERE seq = " + std::to_string(seq) +
            " AND stream_id = (SELECT id FROM cts_journal_stream WHERE name = $1)");
  }
  void delete_record(std::string_view stream, int seq) const {
    sql(stream, "DELETE FROM cts_journal_record WHERE seq = " + std::to_string(seq) +
                    " AND stream_id = (SELECT id FROM cts_journal_stream WHERE name = $1)");
  }
};

// Opens `stream` once its previous owner is gone: a killed owner's PostgreSQL
// connection is closed by the kernel at once, but the server notices and releases the
// lock a moment later. Gives up (returning the last refusal) after 20 s.
template <typename Backend>
Result<std::unique_ptr<Journal>> open_when_free(const Backend& backend, std::string_view stream) {
  Result<std::unique_ptr<Journal>> journal = backend.open(stream);
  for (int attempt = 0; attempt < 400 && !journal && journal.error().message.find("is in use by") != std::string::npos;
       ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    journal = backend.open(stream);
  }
  return journal;
}

}  // namespace cts::store::test
