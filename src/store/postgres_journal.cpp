// PostgreSQL backend of the journal (cts/store/postgres_journal.hpp), on libpq. Every
// statement that carries a value is parameterised; the statements built at run time
// are constants of this file.
#include "cts/store/postgres_journal.hpp"

#include <libpq-fe.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "store/stored_record.hpp"

namespace cts::store {
namespace {

// The first key of the advisory locks cts takes: "CTS1" as a big-endian 32-bit integer.
// The stream lock is (kLockClass, stream id); the migration lock is kMigrationLock.
constexpr std::int32_t kLockClass = 0x43545331;          // "CTS1"
constexpr std::int64_t kMigrationLock = 0x435453'4D4947;  // "CTSMIG"

// Migration N (1-based) brings the schema from version N-1 to N; each runs inside the
// transaction that records its version.
constexpr const char* kMigrations[] = {
    // 1: streams and their records.
    "CREATE TABLE cts_journal_stream ("
    "  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
    "  name text NOT NULL UNIQUE);"
    "CREATE TABLE cts_journal_record ("
    "  stream_id integer NOT NULL REFERENCES cts_journal_stream(id),"
    "  seq bigint NOT NULL CHECK (seq > 0),"
    "  kind smallint NOT NULL,"
    "  client_id text NOT NULL,"
    "  body text NOT NULL,"
    "  checksum bigint NOT NULL,"
    "  PRIMARY KEY (stream_id, seq));",
};
static_assert(std::size(kMigrations) == PostgresJournal::kSchemaVersion);

constexpr const char* kAppendStatement = "cts_journal_append";

// The bytes of a record's fixed-width columns: stream_id (integer, 4), seq (bigint, 8),
// kind (smallint, 2) and checksum (bigint, 8). A record stores these and the text of its
// client id and body (PostgresJournal::size_bytes).
constexpr std::uint64_t kFixedColumnBytes = 4 + 8 + 2 + 8;

// The size of one stored record, as kStoredBytesStatement sums it.
std::uint64_t stored_bytes(std::string_view client_id, std::string_view body) {
  return kFixedColumnBytes + client_id.size() + body.size();
}

// The stream's stored bytes ($1: its id) up to seq $2: the same sum as stored_bytes()
// over its rows, counted by the server (octet_length: the text's bytes in the database's
// encoding; 22 is kFixedColumnBytes, as in compact()'s statement).
constexpr const char* kStoredBytesStatement =
    "SELECT coalesce(sum(octet_length(client_id) + octet_length(body)), 0) + 22 * count(*) "
    "FROM cts_journal_record WHERE stream_id = $1::integer AND seq <= $2::bigint";
static_assert(kFixedColumnBytes == 22, "the per-row constant of kStoredBytesStatement and compact()");

struct ResultDeleter {
  void operator()(PGresult* r) const noexcept { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

// The server's message without its trailing line break.
std::string trimmed(const char* message) {
  std::string out = message != nullptr ? message : "";
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

template <typename Int>
bool parse_int(std::string_view text, Int& out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

struct PostgresJournal::Impl {
  PGconn* conn = nullptr;
  std::string name;  // "<redacted url> stream <stream>", for messages
  std::string stream;
  std::string stream_id;
  std::uint64_t committed = 0;
  std::uint64_t next = 1;
  std::uint64_t committed_bytes = 0;  // size_bytes(): the committed records'
  std::uint64_t staged_bytes = 0;     // the records staged since the last commit
  bool in_transaction = false;
  bool read_only = false;
  bool lost = false;  // the connection (and the lock with it) is gone

  ~Impl() { PQfinish(conn); }

  // The error of a failed statement: venue_unavailable when the connection is lost
  // (the journal is unusable from then on), invalid_argument when the database refuses
  // to be written, internal otherwise; the SQLSTATE as the venue code.
  Error error(std::string_view what, const PGresult* result) {
    const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    const std::string sqlstate = state != nullptr ? state : "";
    const std::string message = trimmed(result != nullptr && *PQresultErrorMessage(result) != '\0'
                                            ? PQresultErrorMessage(result)
                                            : PQerrorMessage(conn));
    if (PQstatus(conn) != CONNECTION_OK) {
      lost = true;
      return make_error(ErrorCode::venue_unavailable,
                        fmt::format("journal {}: {}: the connection to the server was lost ({}); open the journal "
                                    "again",
                                    name, what, message),
                        sqlstate);
    }
    // 25006 read_only_sql_transaction, 42501 insufficient_privilege.
    if (sqlstate == "25006" || sqlstate == "42501") {
      return make_error(ErrorCode::invalid_argument, fmt::format("journal {} cannot be written: {}", name, message), sqlstate);
    }
    return make_error(ErrorCode::internal, fmt::format("journal {}: {}: {}", name, what, message), sqlstate);
  }

  // Runs `sql` with `params` (text); the result when the server answered
  // `expected`.
  Result<PgResult> run(std::string_view what, const char* sql, const std::vector<std::string>& params = {},
                       ExecStatusType expected = PGRES_COMMAND_OK) {
    if (lost) return lost_error(what);
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const std::string& p : params) values.push_back(p.c_str());
    PgResult result(params.empty() ? PQexec(conn, sql)
                                   : PQexecParams(conn, sql, static_cast<int>(values.size()), nullptr, values.data(),
                                                  nullptr, nullptr, 0));
    if (PQresultStatus(result.get()) != expected) return error(what, result.get());
    return result;
  }

  Error lost_error(std::string_view what) const {
    return make_error(ErrorCode::venue_unavailable,
                      fmt::format("journal {}: {}: the connection to the server was lost earlier; open the journal again",
                                  name, what));
  }

  // Inserts `record` as `seq` (in the open transaction) with the prepared statement;
  // the bytes it stores (stored_bytes()).
  Result<std::uint64_t> insert(const JournalRecord& record, std::uint64_t seq, const std::string& client_id) {
    const std::string body = encode_body(record);
    const std::string params[] = {stream_id,
                                  std::to_string(seq),
                                  std::to_string(static_cast<int>(record.kind)),
                                  client_id,
                                  body,
                                  std::to_string(static_cast<std::int64_t>(body_checksum(body)))};
    const char* values[std::size(params)];
    for (std::size_t i = 0; i < std::size(params); ++i) values[i] = params[i].c_str();
    PgResult result(PQexecPrepared(conn, kAppendStatement, static_cast<int>(std::size(params)), values, nullptr, nullptr, 0));
    if (PQresultStatus(result.get()) != PGRES_COMMAND_OK) return error(fmt::format("write record {}", seq), result.get());
    return stored_bytes(client_id, body);
  }

  // Discards every staged record (after a failed append or commit).
  void roll_back() {
    if (in_transaction && !lost) PgResult(PQexec(conn, "ROLLBACK"));
    in_transaction = false;
    next = committed + 1;
    staged_bytes = 0;
  }

  // Reads the stored bytes of the stream's records up to the last committed seq (a
  // reader's view stays that of its open) from the server into committed_bytes.
  Result<void> read_stored_bytes() {
    Result<PgResult> r = run("read the stream's size", kStoredBytesStatement, {stream_id, std::to_string(committed)},
                             PGRES_TUPLES_OK);
    if (!r) return r.error();
    if (!parse_int(std::string_view(PQgetvalue(r->get(), 0, 0)), committed_bytes)) {
      return make_error(ErrorCode::protocol_error, fmt::format("journal {}: unreadable stream size", name));
    }
    return {};
  }

  // Brings the schema to kSchemaVersion in one transaction, serialised against other
  // processes opening the same database by a transaction-level advisory lock.
  Result<void> migrate() {
    if (Result<PgResult> r = run("begin migration", "BEGIN"); !r) return r.error();
    Result<void> done = migrate_in_transaction();
    if (!done) {
      if (!lost) PgResult(PQexec(conn, "ROLLBACK"));
      return done;
    }
    if (Result<PgResult> r = run("commit migration", "COMMIT"); !r) return r.error();
    return {};
  }

  Result<void> migrate_in_transaction() {
    if (Result<PgResult> r = run("lock for migration", "SELECT pg_advisory_xact_lock($1::bigint)",
                                 {std::to_string(kMigrationLock)}, PGRES_TUPLES_OK);
        !r) {
      return r.error();
    }
    if (Result<PgResult> r = run("create the schema version table",
                                 "CREATE TABLE IF NOT EXISTS cts_journal_schema_version ("
                                 "  version integer PRIMARY KEY,"
                                 "  applied_at timestamptz NOT NULL DEFAULT now())");
        !r) {
      return r.error();
    }
    Result<PgResult> current = run("read the schema version", "SELECT coalesce(max(version), 0) FROM cts_journal_schema_version",
                                   {}, PGRES_TUPLES_OK);
    if (!current) return current.error();
    int version = 0;
    if (!parse_int(std::string_view(PQgetvalue(current->get(), 0, 0)), version)) {
      return make_error(ErrorCode::protocol_error, fmt::format("journal {}: unreadable schema version", name));
    }
    if (version > kSchemaVersion) {
      return make_error(ErrorCode::protocol_error,
                        fmt::format("journal {} has schema version {}, this build reads up to {}", name, version, kSchemaVersion));
    }
    for (int v = version + 1; v <= kSchemaVersion; ++v) {
      const std::string what = fmt::format("migrate the schema to version {}", v);
      if (Result<PgResult> r = run(what, kMigrations[v - 1]); !r) return r.error();
      if (Result<PgResult> r = run(what, "INSERT INTO cts_journal_schema_version(version) VALUES ($1::integer)",
                                   {std::to_string(v)});
          !r) {
        return r.error();
      }
    }
    return {};
  }

  // The error of a write to a journal opened for reading.
  Error read_only_error(std::string_view what) const {
    return make_error(ErrorCode::invalid_argument, fmt::format("journal {} is open for reading only: cannot {}", name, what));
  }

  // Reads the stream's last committed seq.
  Result<void> read_last_seq() {
    Result<PgResult> last = run("read the last seq",
                                "SELECT coalesce(max(seq), 0) FROM cts_journal_record WHERE stream_id = $1::integer",
                                {stream_id}, PGRES_TUPLES_OK);
    if (!last) return last.error();
    if (!parse_int(std::string_view(PQgetvalue(last->get(), 0, 0)), committed)) {
      return make_error(ErrorCode::protocol_error, fmt::format("journal {}: unreadable last seq", name));
    }
    next = committed + 1;
    return {};
  }

  // Checks, for a reader, that the database holds a journal this build reads (it
  // migrates nothing).
  Result<void> check_schema() {
    Result<PgResult> table = run("find the schema", "SELECT to_regclass('cts_journal_schema_version') IS NOT NULL", {},
                                 PGRES_TUPLES_OK);
    if (!table) return table.error();
    if (std::string_view(PQgetvalue(table->get(), 0, 0)) != "t") {
      return make_error(ErrorCode::protocol_error, fmt::format("journal {}: the database holds no cts journal", name));
    }
    Result<PgResult> current = run("read the schema version", "SELECT coalesce(max(version), 0) FROM cts_journal_schema_version",
                                   {}, PGRES_TUPLES_OK);
    if (!current) return current.error();
    int version = 0;
    if (!parse_int(std::string_view(PQgetvalue(current->get(), 0, 0)), version) || version > kSchemaVersion) {
      return make_error(ErrorCode::protocol_error,
                        fmt::format("journal {} has schema version {}, this build reads up to {}", name,
                                    PQgetvalue(current->get(), 0, 0), kSchemaVersion));
    }
    return {};
  }

  // Who holds the lock of this stream, as the server shows it.
  std::string holder() {
    Result<PgResult> r = run("find the holder",
                             "SELECT a.application_name, coalesce(host(a.client_addr), 'a local socket'), a.pid "
                             "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                             "WHERE l.locktype = 'advisory' AND l.granted AND l.classid = $1::oid "
                             "AND l.objid = $2::oid AND l.objsubid = 2",
                             {std::to_string(kLockClass), stream_id}, PGRES_TUPLES_OK);
    if (!r || PQntuples(r->get()) == 0) return "another connection";
    const std::string application = PQgetvalue(r->get(), 0, 0);
    return fmt::format("{} (server process {}, from {})", application.empty() ? "a connection" : application,
                       PQgetvalue(r->get(), 0, 2), PQgetvalue(r->get(), 0, 1));
  }
};

PostgresJournal::PostgresJournal(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PostgresJournal::~PostgresJournal() = default;

Result<std::unique_ptr<PostgresJournal>> PostgresJournal::open(const PostgresLocation& location, PostgresJournalOptions options) {
  auto impl = std::make_unique<Impl>();
  impl->stream = location.stream.empty() ? std::string("default") : location.stream;
  impl->name = fmt::format("{} stream {}", redact_url(location.conninfo), impl->stream);
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  // The holder's name other processes see when refused: this process and host.
  const std::string application = fmt::format("cts pid {} on {}", ::getpid(), host);
  // libpq expands the URL given as dbname; the keywords before it are defaults the
  // URL may override, those after it apply unless the URL sets the parameter itself.
  const char* keywords[] = {"connect_timeout", "dbname", "fallback_application_name", nullptr};
  const char* values[] = {"10", location.conninfo.c_str(), application.c_str(), nullptr};
  impl->conn = PQconnectdbParams(keywords, values, 1);
  if (impl->conn == nullptr) return make_error(ErrorCode::internal, fmt::format("journal {}: out of memory", impl->name));
  if (PQstatus(impl->conn) != CONNECTION_OK) {
    return make_error(ErrorCode::venue_unavailable,
                      fmt::format("journal {}: cannot connect: {}", impl->name, trimmed(PQerrorMessage(impl->conn))));
  }
  // The server's notices ("relation ... already exists, skipping") are not errors, and
  // libpq would print them on stderr.
  PQsetNoticeProcessor(impl->conn, [](void*, const char*) {}, nullptr);
  // synchronous_commit on: a COMMIT returns once the server flushed its WAL.
  const char* sync = options.durability == Durability::none ? "off" : "on";
  if (Result<PgResult> r = impl->run("set synchronous_commit", "SELECT set_config('synchronous_commit', $1, false)", {sync},
                                     PGRES_TUPLES_OK);
      !r) {
    return r.error();
  }
  impl->read_only = options.read_only;
  if (options.read_only) {
    if (Result<PgResult> r = impl->run("read only", "SELECT set_config('default_transaction_read_only', 'on', false)", {},
                                       PGRES_TUPLES_OK);
        !r) {
      return r.error();
    }
    if (Result<void> schema = impl->check_schema(); !schema) return schema.error();
  } else {
    if (Result<void> migrated = impl->migrate(); !migrated) return migrated.error();
    if (Result<PgResult> r = impl->run("register the stream",
                                       "INSERT INTO cts_journal_stream(name) VALUES ($1) ON CONFLICT (name) DO NOTHING",
                                       {impl->stream});
        !r) {
      return r.error();
    }
  }
  Result<PgResult> id = impl->run("read the stream id", "SELECT id FROM cts_journal_stream WHERE name = $1", {impl->stream},
                                  PGRES_TUPLES_OK);
  if (!id) return id.error();
  if (PQntuples(id->get()) == 0) {
    return make_error(ErrorCode::invalid_argument, fmt::format("journal {}: no such stream", impl->name));
  }
  impl->stream_id = PQgetvalue(id->get(), 0, 0);
  if (options.read_only) {
    if (Result<void> read = impl->read_last_seq(); !read) return read.error();
    if (Result<void> sized = impl->read_stored_bytes(); !sized) return sized.error();
    return std::unique_ptr<PostgresJournal>(new PostgresJournal(std::move(impl)));
  }
  Result<PgResult> locked = impl->run("lock the stream", "SELECT pg_try_advisory_lock($1::integer, $2::integer)",
                                      {std::to_string(kLockClass), impl->stream_id}, PGRES_TUPLES_OK);
  if (!locked) return locked.error();
  if (std::string_view(PQgetvalue(locked->get(), 0, 0)) != "t") {
    return make_error(ErrorCode::invalid_argument, fmt::format("journal {} is in use by {}", impl->name, impl->holder()));
  }
  if (Result<void> read = impl->read_last_seq(); !read) return read.error();
  if (Result<void> sized = impl->read_stored_bytes(); !sized) return sized.error();
  PgResult prepared(PQprepare(impl->conn, kAppendStatement,
                              "INSERT INTO cts_journal_record(stream_id, seq, kind, client_id, body, checksum) "
                              "VALUES ($1::integer, $2::bigint, $3::smallint, $4, $5, $6::bigint)",
                              6, nullptr));
  if (PQresultStatus(prepared.get()) != PGRES_COMMAND_OK) return impl->error("prepare the append", prepared.get());
  return std::unique_ptr<PostgresJournal>(new PostgresJournal(std::move(impl)));
}

Result<std::uint64_t> PostgresJournal::append(const JournalRecord& record) {
  Impl& s = *impl_;
  if (s.read_only) return s.read_only_error("append");
  if (s.lost) return s.lost_error("append");
  if (!s.in_transaction) {
    if (Result<PgResult> r = s.run("begin", "BEGIN"); !r) return r.error();
    s.in_transaction = true;
  }
  const std::uint64_t seq = s.next;
  Result<std::uint64_t> inserted = s.insert(record, seq, record.client_id.str());
  if (!inserted) {
    s.roll_back();
    return inserted.error();
  }
  ++s.next;
  s.staged_bytes += *inserted;
  return seq;
}

Result<void> PostgresJournal::commit() {
  Impl& s = *impl_;
  if (s.lost) return s.lost_error("commit");
  if (!s.in_transaction) return {};
  PgResult result(PQexec(s.conn, "COMMIT"));
  // A transaction that failed earlier answers COMMIT with ROLLBACK.
  if (PQresultStatus(result.get()) != PGRES_COMMAND_OK || std::string_view(PQcmdStatus(result.get())) != "COMMIT") {
    Error error = PQresultStatus(result.get()) == PGRES_COMMAND_OK
                      ? make_error(ErrorCode::internal, fmt::format("journal {}: commit: the server rolled back", s.name))
                      : s.error("commit (if the connection was lost, its outcome is unknown until the journal is "
                                "opened again)",
                                result.get());
    s.roll_back();
    return error;
  }
  s.in_transaction = false;
  s.committed = s.next - 1;
  s.committed_bytes += s.staged_bytes;
  s.staged_bytes = 0;
  return {};
}

Result<void> PostgresJournal::replay(std::uint64_t after, const std::function<Result<void>(const JournalRecord&)>& visit) {
  Impl& s = *impl_;
  if (s.lost) return s.lost_error("replay");
  const std::string params[] = {s.stream_id, std::to_string(after), std::to_string(s.committed)};
  const char* values[] = {params[0].c_str(), params[1].c_str(), params[2].c_str()};
  if (PQsendQueryParams(s.conn,
                        "SELECT seq, kind, client_id, body, checksum FROM cts_journal_record "
                        "WHERE stream_id = $1::integer AND seq > $2::bigint AND seq <= $3::bigint ORDER BY seq",
                        3, nullptr, values, nullptr, nullptr, 0) == 0) {
    return s.error("replay", nullptr);
  }
  PQsetSingleRowMode(s.conn);
  std::optional<Error> failure;
  std::uint64_t expected = after + 1;
  // Every result is read, also after a failure, so that the connection is ready for
  // the next statement.
  while (PgResult result{PQgetResult(s.conn)}) {
    const ExecStatusType status = PQresultStatus(result.get());
    if (failure || status == PGRES_TUPLES_OK) continue;
    if (status != PGRES_SINGLE_TUPLE) {
      failure = s.error("replay", result.get());
      continue;
    }
    PGresult* row_result = result.get();
    const auto text = [row_result](int column) {
      return std::string_view(PQgetvalue(row_result, 0, column), static_cast<std::size_t>(PQgetlength(row_result, 0, column)));
    };
    detail::StoredRow row;
    std::int64_t checksum = 0;
    if (!parse_int(text(0), row.seq) || !parse_int(text(1), row.kind) || !parse_int(text(4), checksum)) {
      failure = make_error(ErrorCode::protocol_error, fmt::format("journal {}: unreadable row after record {}", s.name, expected - 1));
      continue;
    }
    row.client_id = text(2);
    row.body = text(3);
    row.checksum = static_cast<std::uint64_t>(checksum);
    Result<JournalRecord> record = detail::decode_stored(s.name, row, after, expected);
    if (!record) {
      failure = record.error();
      continue;
    }
    if (Result<void> ok = visit(*record); !ok) failure = ok.error();
  }
  if (failure) return *failure;
  return {};
}

Result<void> PostgresJournal::compact(const JournalRecord& snapshot, std::uint64_t up_to_seq) {
  Impl& s = *impl_;
  if (s.read_only) return s.read_only_error("compact");
  if (s.lost) return s.lost_error("compact");
  if (s.in_transaction) {
    return make_error(ErrorCode::invalid_argument, fmt::format("journal {}: commit before compacting", s.name));
  }
  if (snapshot.kind != RecordKind::snapshot) {
    return make_error(ErrorCode::invalid_argument, fmt::format("journal {}: compaction needs a snapshot record", s.name));
  }
  if (up_to_seq == 0 || up_to_seq > s.committed) {
    return make_error(ErrorCode::invalid_argument,
                      fmt::format("journal {}: cannot compact up to {} (last committed {})", s.name, up_to_seq, s.committed));
  }
  if (Result<PgResult> r = s.run("begin compaction", "BEGIN"); !r) return r.error();
  // The stream's size after the compaction: less the removed rows' bytes (summed by
  // the server as kStoredBytesStatement does), plus the snapshot's.
  std::uint64_t size_after = 0;
  Result<void> done = [&]() -> Result<void> {
    Result<PgResult> removed = s.run("compaction (removing folded records)",
                                     "WITH removed AS (DELETE FROM cts_journal_record "
                                     "WHERE stream_id = $1::integer AND seq <= $2::bigint "
                                     "RETURNING octet_length(client_id) + octet_length(body) AS text_bytes) "
                                     "SELECT coalesce(sum(text_bytes), 0) + 22 * count(*) FROM removed",
                                     {s.stream_id, std::to_string(up_to_seq)}, PGRES_TUPLES_OK);
    if (!removed) return removed.error();
    std::uint64_t removed_bytes = 0;
    if (!parse_int(std::string_view(PQgetvalue(removed->get(), 0, 0)), removed_bytes)) {
      return make_error(ErrorCode::protocol_error, fmt::format("journal {}: unreadable size of the compacted records", s.name));
    }
    Result<std::uint64_t> written = s.insert(snapshot, up_to_seq, "");
    if (!written) return written.error();
    size_after = s.committed_bytes - std::min(removed_bytes, s.committed_bytes) + *written;
    PgResult result(PQexec(s.conn, "COMMIT"));
    if (PQresultStatus(result.get()) != PGRES_COMMAND_OK) return s.error("compaction commit", result.get());
    if (std::string_view(PQcmdStatus(result.get())) != "COMMIT") {
      return make_error(ErrorCode::internal, fmt::format("journal {}: compaction commit: the server rolled back", s.name));
    }
    return {};
  }();
  if (!done) {
    if (!s.lost) PgResult(PQexec(s.conn, "ROLLBACK"));
    return done;
  }
  s.committed_bytes = size_after;
  return {};
}

std::uint64_t PostgresJournal::last_committed_seq() const noexcept { return impl_->committed; }

std::optional<std::uint64_t> PostgresJournal::size_bytes() const { return impl_->committed_bytes; }

std::uint64_t PostgresJournal::staged() const noexcept { return impl_->next - 1 - impl_->committed; }

const std::string& PostgresJournal::stream() const noexcept { return impl_->stream; }

}  // namespace cts::store
