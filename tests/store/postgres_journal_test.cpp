// Tests for cts/store/postgres_journal.hpp beyond what every backend does
// (journal_test.cpp): the journal URL (stream, redacted password), a server that cannot
// be reached, the versioned schema (a newer database refused), the rows as stored, the
// stream's size (size_bytes), a role that may not write, and open_journal choosing the
// backend from the setting.
#include <cts/store/copy_journal.hpp>
#include <cts/store/open_journal.hpp>
#include <cts/store/postgres_journal.hpp>
#include <cts/store/snapshot.hpp>

#include <doctest/doctest.h>

#include <libpq-fe.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "journal_test_support.hpp"

using namespace cts;
using namespace cts::store;
using namespace cts::store::test;

namespace {

// A libpq connection for checking what the journal stored, closed at scope exit.
struct Connection {
  PGconn* conn;
  explicit Connection(const std::string& url) : conn(PQconnectdb(url.c_str())) {
    REQUIRE_MESSAGE(PQstatus(conn) == CONNECTION_OK, PQerrorMessage(conn));
  }
  ~Connection() { PQfinish(conn); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  // The rows of `sql` ($1.. = `params`), each as its columns' text joined by '|', the
  // rows joined by ';'.
  std::string rows(const std::string& sql, const std::vector<std::string>& params = {}) {
    std::vector<const char*> values;
    for (const std::string& p : params) values.push_back(p.c_str());
    PGresult* r = PQexecParams(conn, sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(), nullptr, nullptr, 0);
    const ExecStatusType status = PQresultStatus(r);
    CHECK_MESSAGE((status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK), PQresultErrorMessage(r));
    std::string out;
    for (int i = 0; i < PQntuples(r); ++i) {
      for (int c = 0; c < PQnfields(r); ++c) out += (c == 0 ? (i == 0 ? "" : ";") : "|") + std::string(PQgetvalue(r, i, c));
    }
    PQclear(r);
    return out;
  }
};

// A database of its own on the fixture's server (for changes every other test must not
// see), dropped at scope exit; `url` reaches it.
struct ScratchDatabase {
  std::string admin_url;
  std::string name;
  std::string url;
  ScratchDatabase(const std::string& server_url, std::string_view label) : admin_url(server_url) {
    static int counter = 0;
    name = "cts_" + std::string(label) + "_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
    Connection admin(admin_url);
    admin.rows("CREATE DATABASE " + name);  // a name of this file's making: no quoting needed
    url = server_url.substr(0, server_url.rfind('/') + 1) + name;
  }
  ~ScratchDatabase() {
    Connection admin(admin_url);
    admin.rows("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  }
};

}  // namespace

TEST_CASE("a PostgreSQL journal URL: the stream is taken out, the password never shown") {
  const PostgresLocation full =
      PostgresLocation::parse("postgresql://trader:s3cret@127.0.0.1:5432/desk?sslmode=disable&stream=BTCUSDT").value();
  CHECK(full.conninfo == "postgresql://trader:s3cret@127.0.0.1:5432/desk?sslmode=disable");
  CHECK(full.stream == "BTCUSDT");
  CHECK(full.redacted == "postgresql://trader:***@127.0.0.1:5432/desk?sslmode=disable&stream=BTCUSDT");
  CHECK(full.url() == "postgresql://trader:s3cret@127.0.0.1:5432/desk?sslmode=disable&stream=BTCUSDT");

  const PostgresLocation bare = PostgresLocation::parse("postgres://trader@db.internal/desk").value();
  CHECK(bare.conninfo == "postgres://trader@db.internal/desk");
  CHECK(bare.stream.empty());
  CHECK(bare.with_stream("BTC-USDT-SWAP").value().url() == "postgres://trader@db.internal/desk?stream=BTC-USDT-SWAP");

  CHECK(redact_url("postgresql://u@h/d?password=s3cret&stream=x") == "postgresql://u@h/d?password=***&stream=x");
  CHECK(redact_url("postgresql://u:pw@h:1/d") == "postgresql://u:***@h:1/d");
  CHECK(is_postgres_url("postgresql://h/d"));
  CHECK(is_postgres_url("postgres://h/d"));
  CHECK_FALSE(is_postgres_url("journal.sqlite"));
  CHECK(journal_display_name("postgresql://u:pw@h/d") == "postgresql://u:***@h/d");
  CHECK(journal_display_name("/var/lib/cts/journal.sqlite") == "/var/lib/cts/journal.sqlite");

  for (const char* bad : {"postgresql://u:s3cret@h/d?stream=", "postgresql://u:s3cret@h/d?stream=a&stream=b",
                          "postgresql://u:s3cret@h/d?stream=a%20b", "postgresql://u:s3cret@h/d?stream=x y",
                          "mysql://u:s3cret@h/d"}) {
    CAPTURE(bad);
    const Result<PostgresLocation> refused = PostgresLocation::parse(bad);
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().code == ErrorCode::invalid_argument);
    CHECK(refused.error().message.find("s3cret") == std::string::npos);
    CHECK(refused.error().message.find("u:***@h") != std::string::npos);
  }
  CHECK_FALSE(bare.with_stream("").has_value());
  CHECK_FALSE(bare.with_stream("a'b").has_value());
}

TEST_CASE("a server that cannot be reached is venue_unavailable, the password kept out of the message") {
  // A port bound and not listening: connections to it are refused.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  socklen_t length = sizeof address;
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0);
  const std::string url =
      "postgresql://trader:s3cret@127.0.0.1:" + std::to_string(ntohs(address.sin_port)) + "/desk?stream=BTCUSDT";
  const Result<std::unique_ptr<Journal>> refused = open_journal(url, "unused");
  ::close(fd);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().code == ErrorCode::venue_unavailable);
  CHECK(refused.error().message.starts_with("journal postgresql://trader:***@127.0.0.1:"));
  CHECK(refused.error().message.find("stream BTCUSDT: cannot connect") != std::string::npos);
  CHECK(refused.error().message.find("s3cret") == std::string::npos);
}

TEST_CASE("the schema is versioned: created at the first open, a newer database refused") {
  const std::optional<std::string> server = cts::test::test_server_url("CTS_TEST_POSTGRES_URL_FILE", "PostgreSQL");
  if (!server) return;
  ScratchDatabase db(*server, "schema");
  {
    auto journal = PostgresJournal::open(PostgresLocation::parse(db.url + "?stream=s").value()).value();
    REQUIRE(journal->append(nth_record(1)).has_value());
    REQUIRE(journal->commit().has_value());
  }
  Connection check(db.url);
  CHECK(check.rows("SELECT version FROM cts_journal_schema_version") == "1");
  // Opening again migrates nothing and keeps the records.
  CHECK(PostgresJournal::open(PostgresLocation::parse(db.url + "?stream=s").value()).value()->last_committed_seq() == 1);
  CHECK(check.rows("SELECT count(*) FROM cts_journal_schema_version") == "1");

  check.rows("INSERT INTO cts_journal_schema_version(version) VALUES (99)");
  const Result<std::unique_ptr<PostgresJournal>> newer = PostgresJournal::open(PostgresLocation::parse(db.url + "?stream=s").value());
  REQUIRE_FALSE(newer.has_value());
  CHECK(newer.error().code == ErrorCode::protocol_error);
  CHECK(newer.error().message.find("has schema version 99, this build reads up to 1") != std::string::npos);
}

TEST_CASE("the records as stored: one row per record, keyed by stream and seq, the body and its checksum") {
  const std::optional<std::string> server = cts::test::test_server_url("CTS_TEST_POSTGRES_URL_FILE", "PostgreSQL");
  if (!server) return;
  ScratchDatabase db(*server, "rows");
  {
    // open_journal: a URL without a stream takes the default (the session's name). The
    // n-th record is an event of order C<n - n % 5 + 1>, a creation when n % 5 == 1.
    auto journal = open_journal(db.url, "ETHUSDT").value();
    for (std::uint64_t n = 1; n <= 6; ++n) REQUIRE(journal->append(nth_record(n)).has_value());
    REQUIRE(journal->commit().has_value());
    auto other = open_journal(db.url + "?stream=BTCUSDT", "unused").value();
    REQUIRE(other->append(nth_record(1)).has_value());
    REQUIRE(other->commit().has_value());
  }
  Connection check(db.url);
  CHECK(check.rows("SELECT s.name, r.seq, r.kind, r.client_id FROM cts_journal_record r "
                   "JOIN cts_journal_stream s ON s.id = r.stream_id ORDER BY s.name, r.seq") ==
        "BTCUSDT|1|1|C1;ETHUSDT|1|1|C1;ETHUSDT|2|2|C1;ETHUSDT|3|2|C1;ETHUSDT|4|2|C1;ETHUSDT|5|2|C6;ETHUSDT|6|1|C6");
  // The body is the shared text encoding, and the checksum its FNV-1a as a signed bigint.
  const std::string body = encode_body(nth_record(2));
  CHECK(check.rows("SELECT r.body, r.checksum FROM cts_journal_record r JOIN cts_journal_stream s ON s.id = r.stream_id "
                   "WHERE s.name = 'ETHUSDT' AND r.seq = 2") ==
        body + "|" + std::to_string(static_cast<std::int64_t>(body_checksum(body))));
}

TEST_CASE("size_bytes: the bytes of the stream's committed records, kept by commits and compactions") {
  const std::optional<std::string> server = cts::test::test_server_url("CTS_TEST_POSTGRES_URL_FILE", "PostgreSQL");
  if (!server) return;
  ScratchDatabase db(*server, "size");
  const PostgresLocation a = PostgresLocation::parse(db.url + "?stream=a").value();
  // A stored record: its client id's and body's text, and 22 bytes of fixed-width
  // columns (stream_id integer 4, seq bigint 8, kind smallint 2, checksum bigint 8).
  const auto stored = [](const JournalRecord& record) -> std::uint64_t {
    return 22 + record.client_id.str().size() + encode_body(record).size();
  };
  std::uint64_t first_six = 0, seven_to_ten = 0;
  for (std::uint64_t n = 1; n <= 6; ++n) first_six += stored(nth_record(n));
  for (std::uint64_t n = 7; n <= 10; ++n) seven_to_ten += stored(nth_record(n));
  Connection check(db.url);
  // The same sum over the stream's rows, by the server.
  const auto on_server = [&](const char* stream) {
    return check.rows("SELECT coalesce(sum(octet_length(r.client_id) + octet_length(r.body) + 22), 0) "
                      "FROM cts_journal_record r JOIN cts_journal_stream s ON s.id = r.stream_id WHERE s.name = $1",
                      {stream});
  };
  {
    auto journal = PostgresJournal::open(a).value();
    CHECK(journal->size_bytes() == 0);
    for (std::uint64_t n = 1; n <= 6; ++n) REQUIRE(journal->append(nth_record(n)).has_value());
    CHECK(journal->size_bytes() == 0);  // staged records are not the journal's yet
    REQUIRE(journal->commit().has_value());
    CHECK(journal->size_bytes() == first_six);
    CHECK(on_server("a") == std::to_string(first_six));
    // Staged and never committed: discarded, not counted.
    for (std::uint64_t n = 7; n <= 10; ++n) REQUIRE(journal->append(nth_record(n)).has_value());
  }
  {
    // Another stream's records are not this one's.
    auto b = PostgresJournal::open(PostgresLocation::parse(db.url + "?stream=b").value()).value();
    for (std::uint64_t n = 1; n <= 11; ++n) REQUIRE(b->append(nth_record(n)).has_value());
    REQUIRE(b->commit().has_value());
  }
  auto journal = PostgresJournal::open(a).value();
  CHECK(journal->size_bytes() == first_six);
  for (std::uint64_t n = 7; n <= 10; ++n) REQUIRE(journal->append(nth_record(n)).has_value());
  REQUIRE(journal->commit().has_value());
  CHECK(journal->size_bytes() == first_six + seven_to_ten);

  // Compaction: records 1..6 replaced by a snapshot (a record of no client id).
  const JournalRecord snapshot = JournalRecord::for_snapshot(encode_snapshot(Snapshot{}));
  REQUIRE(journal->compact(snapshot, 6).has_value());
  const std::uint64_t compacted = 22 + encode_body(snapshot).size() + seven_to_ten;
  CHECK(journal->size_bytes() == compacted);
  CHECK(on_server("a") == std::to_string(compacted));
  journal.reset();
  CHECK(PostgresJournal::open(a).value()->size_bytes() == compacted);
  // The table's files hold every stream's rows, with the server's own overhead.
  CHECK(std::stoull(check.rows("SELECT pg_total_relation_size('cts_journal_record')")) > first_six + seven_to_ten);
}

TEST_CASE("a database the role may not write is refused at open") {
  const std::optional<std::string> server = cts::test::test_server_url("CTS_TEST_POSTGRES_URL_FILE", "PostgreSQL");
  if (!server) return;
  ScratchDatabase db(*server, "readonly");
  // Every transaction of this connection read-only, as on a hot standby or for a
  // read-only role.
  const Result<std::unique_ptr<Journal>> refused =
      open_journal(db.url + "?options=-c%20default_transaction_read_only%3Don&stream=s", "unused");
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().code == ErrorCode::invalid_argument);
  CHECK(refused.error().message.find("cannot be written") != std::string::npos);
  CHECK(refused.error().venue_code == "25006");
}

TEST_CASE("copy_journal moves a SQLite journal into a PostgreSQL stream under the same seqs, all or nothing") {
  const std::optional<std::string> server = cts::test::test_server_url("CTS_TEST_POSTGRES_URL_FILE", "PostgreSQL");
  if (!server) return;
  ScratchDatabase db(*server, "copy");
  SqliteBackend sqlite;
  {
    auto source = sqlite.open("source").value();
    for (std::uint64_t n = 1; n <= 12; ++n) REQUIRE(source->append(nth_record(n)).has_value());
    REQUIRE(source->commit().has_value());
    auto target = open_journal(db.url + "?stream=copied", "unused").value();
    CHECK(copy_journal(*source, *target).value() == 12);
    CHECK(target->last_committed_seq() == 12);
    // A stream that holds records is refused, and keeps them.
    const Result<std::uint64_t> again = copy_journal(*source, *target);
    REQUIRE_FALSE(again.has_value());
    CHECK(again.error().code == ErrorCode::invalid_argument);
    CHECK(again.error().message.find("not empty (it holds records up to seq 12)") != std::string::npos);
  }
  auto target = open_journal(db.url + "?stream=copied", "unused").value();
  const std::vector<JournalRecord> copied = read_all(*target);
  REQUIRE(copied.size() == 12);
  for (std::uint64_t n = 1; n <= 12; ++n) {
    JournalRecord expected = nth_record(n);
    expected.seq = n;
    CHECK(copied[n - 1] == expected);
  }

  // A source damaged at record 7: the copy fails there and commits nothing.
  sqlite.damage_record("source", 7);
  {
    auto source = sqlite.open("source").value();
    auto empty = open_journal(db.url + "?stream=half", "unused").value();
    const Result<std::uint64_t> failed = copy_journal(*source, *empty);
    REQUIRE_FALSE(failed.has_value());
    CHECK(failed.error().message.find("record 7 is damaged") != std::string::npos);
  }
  CHECK(open_journal(db.url + "?stream=half", "unused").value()->last_committed_seq() == 0);
}
