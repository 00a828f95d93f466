// Tests for cts/store/sqlite_journal.hpp and cts/store/journal.hpp: group commit,
// discarded uncommitted records, damaged and foreign files, replay rebuilding the
// exact account, a child process killed with SIGKILL while appending, one owner per
// file (a second process is refused), and files that cannot be written (read-only, full).
#include <cts/store/sqlite_journal.hpp>

#include <doctest/doctest.h>

#include <grp.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <random>

#include "support/journal_reading.hpp"

using namespace cts;
using namespace cts::store;
using namespace cts::literals;
using cts::testing::read_all;

namespace {

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
  std::filesystem::path file(std::string_view name) const { return path / name; }
};

// The record a writer appends as its n-th record: a pure function of n, so a reader
// can check every committed record without talking to the writer.
JournalRecord nth_record(std::uint64_t n) {
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

void write_file(const std::filesystem::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

}  // namespace

TEST_CASE("records become visible at commit, in order, with their seq; staged ones die with the process") {
  TempDir dir;
  {
    auto journal = SqliteJournal::open(dir.file("j.db")).value();
    CHECK(journal->last_committed_seq() == 0);
    for (std::uint64_t n = 1; n <= 10; ++n) CHECK(journal->append(nth_record(n)).value() == n);
    CHECK(journal->staged() == 10);
    CHECK(read_all(*journal).empty());
    REQUIRE(journal->commit().has_value());
    CHECK(journal->last_committed_seq() == 10);
    CHECK(journal->append(nth_record(11)).value() == 11);  // never committed
  }
  auto journal = SqliteJournal::open(dir.file("j.db")).value();
  CHECK(journal->last_committed_seq() == 10);
  const auto records = read_all(*journal);
  REQUIRE(records.size() == 10);
  for (std::uint64_t n = 1; n <= 10; ++n) {
    JournalRecord expected = nth_record(n);
    expected.seq = n;
    CHECK(records[n - 1] == expected);
  }
  CHECK(journal->append(nth_record(11)).value() == 11);
  std::uint64_t seen = 0;
  REQUIRE(journal->commit().has_value());
  REQUIRE(journal->replay(8, [&](const JournalRecord& r) -> Result<void> {
                   seen += r.seq;
                   return {};
                 }).has_value());
  CHECK(seen == 9 + 10 + 11);
}

TEST_CASE("every durability level opens and commits") {
  for (Durability d : {Durability::none, Durability::process, Durability::power}) {
    TempDir dir;
    auto journal = SqliteJournal::open(dir.file("j.db"), {d, true}).value();
    REQUIRE(journal->append(nth_record(1)).has_value());
    REQUIRE(journal->commit().has_value());
    CHECK(journal->last_committed_seq() == 1);
  }
}

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

TEST_CASE("a damaged record or a gap stops replay with a protocol_error") {
  TempDir dir;
  {
    auto journal = SqliteJournal::open(dir.file("j.db")).value();
    for (std::uint64_t n = 1; n <= 5; ++n) REQUIRE(journal->append(nth_record(n)).has_value());
    REQUIRE(journal->commit().has_value());
  }
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(dir.file("j.db").c_str(), &db) == SQLITE_OK);
  REQUIRE(sqlite3_exec(db, "UPDATE journal SET body = replace(body, 'fqty=0.001', 'fqty=1000') WHERE seq = 3", nullptr,
                       nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
  {
    auto journal = SqliteJournal::open(dir.file("j.db")).value();
    const Result<void> r = journal->replay(0, [](const JournalRecord&) -> Result<void> { return {}; });
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == ErrorCode::protocol_error);
    CHECK(r.error().message.find("record 3") != std::string::npos);
  }
  REQUIRE(sqlite3_open(dir.file("j.db").c_str(), &db) == SQLITE_OK);
  REQUIRE(sqlite3_exec(db, "DELETE FROM journal WHERE seq = 3", nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
  auto journal = SqliteJournal::open(dir.file("j.db")).value();
  const Result<void> r = journal->replay(0, [](const JournalRecord&) -> Result<void> { return {}; });
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().message.find("gap") != std::string::npos);
}

TEST_CASE("replay rebuilds identical orders and positions, refusals included") {
  TempDir dir;
  Instrument inst;
  inst.base = "BTC";
  inst.quote = "USDT";
  inst.settle = "USDT";
  inst.kind = InstrumentKind::linear_perpetual;
  inst.tick_size = "0.1"_d;
  inst.step_size = "0.001"_d;
  order::Account live;
  REQUIRE(live.add_instrument(inst).has_value());
  auto journal = SqliteJournal::open(dir.file("j.db")).value();
  std::mt19937 rng(2024);
  std::vector<std::string> ids;
  for (int i = 0; i < 2000; ++i) {
    if (ids.empty() || rng() % 6 == 0) {
      order::OrderRequest r;
      r.client_id = ClientOrderId::from("O" + std::to_string(i)).value();
      r.symbol = "BTC/USDT:USDT";
      r.side = rng() % 2 == 0 ? Side::buy : Side::sell;
      r.type = OrderType::stop_limit;
      r.quantity = Decimal::from_int(1 + static_cast<std::int64_t>(rng() % 5));
      r.price = "100"_d;
      r.trigger_price = "99"_d;
      r.ts = from_unix_millis(i);
      REQUIRE(journal->append(JournalRecord::created(r)).has_value());  // journaled before it exists
      REQUIRE(live.create(r).has_value());
      ids.push_back(r.client_id.str());
      continue;
    }
    const std::string& id = ids[rng() % ids.size()];
    const auto kind = static_cast<order::OrderEventKind>(rng() % order::kOrderEventKindCount);
    order::OrderEvent e = order::make_event(kind, from_unix_millis(i));
    if (kind == order::OrderEventKind::filled) {
      e.fill = {order::TradeId::from("T" + std::to_string(rng() % 500)).value(),
                Decimal::from_raw(static_cast<Decimal::Raw>(1 + rng() % 3000) * 1'000'000'000'000'000),
                Decimal::from_raw(static_cast<Decimal::Raw>(900 + rng() % 200) * 100'000'000'000'000'000),
                "0.0003"_d, order::Asset::from(rng() % 2 == 0 ? "USDT" : "BNB").value()};
    }
    if (kind == order::OrderEventKind::accepted) e.venue_order_id = order::VenueOrderId::from("V" + id).value();
    REQUIRE(journal->append(JournalRecord::for_event(ClientOrderId::from(id).value(), e)).has_value());
    (void)live.apply(id, e);  // refused events are journaled too
    if (i % 64 == 0) REQUIRE(journal->commit().has_value());
  }
  REQUIRE(journal->commit().has_value());
  journal.reset();

  order::Account rebuilt;
  REQUIRE(rebuilt.add_instrument(inst).has_value());
  auto reopened = SqliteJournal::open(dir.file("j.db")).value();
  const Result<ReplayStats> stats = replay_into(*reopened, rebuilt);
  REQUIRE(stats.has_value());
  CHECK(stats->records == 2000);
  CHECK(stats->refused > 0);
  REQUIRE(rebuilt.orders().size() == live.orders().size());
  std::size_t filled_orders = 0;
  live.orders().for_each([&](const order::Order& o) {
    const order::Order* twin = rebuilt.orders().find(o.client_id());
    REQUIRE(twin != nullptr);
    CHECK(*twin == o);
    filled_orders += o.filled().is_positive();
  });
  CHECK(filled_orders > 0);
  CHECK(rebuilt.positions() == live.positions());
}

TEST_CASE("a writer killed with SIGKILL at random points loses nothing it committed") {
  TempDir dir;
  const std::filesystem::path path = dir.file("crash.db");
  std::mt19937 rng(31337);
  std::uint64_t reported = 0;
  for (int kill_round = 0; kill_round < 4; ++kill_round) {
    int pipe_fds[2];
    REQUIRE(::pipe(pipe_fds) == 0);
    const unsigned child_seed = static_cast<unsigned>(rng());
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      // Child: append batches forever and report each committed seq on the pipe.
      ::close(pipe_fds[0]);
      auto opened = SqliteJournal::open(path, {Durability::process, false});
      if (!opened) ::_exit(3);
      auto& journal = *opened;
      std::mt19937 child_rng(child_seed);
      for (;;) {
        const std::uint64_t batch = 1 + child_rng() % 20;
        for (std::uint64_t k = 0; k < batch; ++k) {
          if (!journal->append(nth_record(journal->last_committed_seq() + journal->staged() + 1))) ::_exit(4);
        }
        if (!journal->commit()) ::_exit(5);
        const std::uint64_t seq = journal->last_committed_seq();
        if (::write(pipe_fds[1], &seq, sizeof(seq)) != static_cast<ssize_t>(sizeof(seq))) ::_exit(6);
      }
    }
    ::close(pipe_fds[1]);
    const int commits_before_kill = 1 + static_cast<int>(rng() % 40);
    for (int c = 0; c < commits_before_kill; ++c) {
      std::uint64_t seq = 0;
      REQUIRE(::read(pipe_fds[0], &seq, sizeof(seq)) == static_cast<ssize_t>(sizeof(seq)));
      CHECK(seq > reported);
      reported = seq;
    }
    REQUIRE(::kill(pid, SIGKILL) == 0);
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    CHECK(WIFSIGNALED(status));
    ::close(pipe_fds[0]);

    auto journal = SqliteJournal::open(path);  // quick_check included
    REQUIRE(journal.has_value());
    CHECK((*journal)->last_committed_seq() >= reported);
    std::uint64_t n = 0;
    REQUIRE((*journal)->replay(0, [&](const JournalRecord& r) -> Result<void> {
                       ++n;
                       JournalRecord expected = nth_record(n);
                       expected.seq = n;
                       CHECK(r == expected);
                       return {};
                     }).has_value());
    CHECK(n == (*journal)->last_committed_seq());
  }
  CHECK(reported > 0);
}

namespace {

// Runs `body` in a forked child and returns what it returned (its report), or
// "child failed" when it died. With `unprivileged`, the child first drops root's power
// to write any file (it runs as nobody when the tests run as root), so file modes
// apply to it as they do to an ordinary user.
std::string in_child(const std::function<std::string()>& body, bool unprivileged = false) {
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

TEST_CASE("a journal has one owner: another process is refused with the path and the holder's pid") {
  TempDir dir;
  const std::filesystem::path path = dir.file("owned.db");
  auto owner = SqliteJournal::open(path).value();
  REQUIRE(owner->append(nth_record(1)).has_value());
  REQUIRE(owner->commit().has_value());

  const std::string refused = in_child([&] { return open_outcome(path); });
  CHECK(refused.starts_with("invalid_argument: journal " + path.string() + " is in use by process " +
                            std::to_string(::getpid())));
  CHECK(refused.find(path.string() + ".lock") != std::string::npos);
  // The same process cannot open it twice either (two sessions configured on one file).
  CHECK(open_outcome(path).starts_with("invalid_argument: journal " + path.string() + " is in use by process"));

  // The refused attempts changed nothing: the owner goes on appending where it was.
  CHECK(owner->append(nth_record(2)).value() == 2);
  REQUIRE(owner->commit().has_value());
  CHECK(read_all(*owner).size() == 2);

  owner.reset();
  CHECK(in_child([&] {
          auto journal = SqliteJournal::open(path);
          return journal ? std::to_string((*journal)->last_committed_seq()) : journal.error().to_string();
        }) == "2");
  CHECK(open_outcome(path) == "opened");
}

TEST_CASE("a journal owned by a process killed with SIGKILL is free again") {
  TempDir dir;
  const std::filesystem::path path = dir.file("killed.db");
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::close(fds[0]);
    auto journal = SqliteJournal::open(path);
    const char opened = journal ? 'y' : 'n';
    if (::write(fds[1], &opened, 1) != 1) ::_exit(3);
    ::pause();
    ::_exit(0);
  }
  ::close(fds[1]);
  char opened = 0;
  REQUIRE(::read(fds[0], &opened, 1) == 1);
  ::close(fds[0]);
  REQUIRE(opened == 'y');
  CHECK(open_outcome(path).find("is in use by process " + std::to_string(pid)) != std::string::npos);
  REQUIRE(::kill(pid, SIGKILL) == 0);
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  CHECK(open_outcome(path) == "opened");
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
