// Tests for cts/store/journal.hpp run on every backend (SQLite, and PostgreSQL on the
// server the ctest fixture "postgres" starts): group commit, discarded uncommitted
// records, damaged records and gaps, compaction into a snapshot, replay rebuilding the
// exact account, a child process killed with SIGKILL while appending, one owner per
// stream (a second process is refused), a killed owner's stream free again, and a
// read-only reader beside the owner.
#include <cts/store/journal.hpp>
#include <cts/store/snapshot.hpp>

#include <doctest/doctest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <random>

#include "journal_test_support.hpp"

using namespace cts;
using namespace cts::store;
using namespace cts::store::test;
using namespace cts::literals;

#define JOURNAL_BACKENDS SqliteBackend, PostgresBackend

TEST_CASE_TEMPLATE("records become visible at commit, in order, with their seq; staged ones die with the process", Backend,
                   JOURNAL_BACKENDS) {
  Backend backend;
  if (!backend.available()) return;
  INFO(std::string(Backend::kName));
  {
    auto journal = backend.open("j").value();
    CHECK(journal->last_committed_seq() == 0);
    for (std::uint64_t n = 1; n <= 10; ++n) CHECK(journal->append(nth_record(n)).value() == n);
    CHECK(read_all(*journal).empty());
    REQUIRE(journal->commit().has_value());
    CHECK(journal->last_committed_seq() == 10);
    CHECK(journal->append(nth_record(11)).value() == 11);  // never committed
  }
  auto journal = backend.open("j").value();
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
  // An error of the visitor stops the replay and is returned.
  int visited = 0;
  const Result<void> stopped = journal->replay(0, [&](const JournalRecord&) -> Result<void> {
    if (++visited == 3) return make_error(ErrorCode::rejected, "enough");
    return {};
  });
  REQUIRE_FALSE(stopped.has_value());
  CHECK(stopped.error().message == "enough");
  CHECK(visited == 3);
  CHECK(journal->append(nth_record(12)).value() == 12);  // the journal is usable after it
  REQUIRE(journal->commit().has_value());
  CHECK(read_all(*journal).size() == 12);
}

TEST_CASE_TEMPLATE("every durability level opens and commits", Backend, JOURNAL_BACKENDS) {
  Backend backend;
  if (!backend.available()) return;
  int stream = 0;
  for (Durability d : {Durability::none, Durability::process, Durability::power}) {
    auto journal = backend.open("d" + std::to_string(++stream), d).value();
    REQUIRE(journal->append(nth_record(1)).has_value());
    REQUIRE(journal->commit().has_value());
    CHECK(journal->last_committed_seq() == 1);
  }
}

TEST_CASE_TEMPLATE("a damaged record or a gap stops replay with a protocol_error", Backend, JOURNAL_BACKENDS) {
  Backend backend;
  if (!backend.available()) return;
  INFO(std::string(Backend::kName));
  {
    auto journal = backend.open("j").value();
    for (std::uint64_t n = 1; n <= 5; ++n) REQUIRE(journal->append(nth_record(n)).has_value());
    REQUIRE(journal->commit().has_value());
  }
  backend.damage_record("j", 3);
  {
    auto journal = backend.open("j").value();
    const Result<void> r = journal->replay(0, [](const JournalRecord&) -> Result<void> { return {}; });
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == ErrorCode::protocol_error);
    CHECK(r.error().message.find("record 3 is damaged (checksum)") != std::string::npos);
  }
  backend.delete_record("j", 3);
  auto journal = backend.open("j").value();
  const Result<void> r = journal->replay(0, [](const JournalRecord&) -> Result<void> { return {}; });
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == ErrorCode::protocol_error);
  CHECK(r.error().message.find("gap before record 4 (expected 3)") != std::string::npos);
}

TEST_CASE_TEMPLATE("replay rebuilds identical orders and positions, refusals included", Backend, JOURNAL_BACKENDS) {
  Backend backend;
  if (!backend.available()) return;
  INFO(std::string(Backend::kName));
  Instrument inst;
  inst.base = "BTC";
  inst.quote = "USDT";
  inst.settle = "USDT";
  inst.kind = InstrumentKind::linear_perpetual;
  inst.tick_size = "0.1"_d;
  inst.step_size = "0.001"_d;
  order::Account live;
  REQUIRE(live.add_instrument(inst).has_value());
  auto journal = backend.open("j").value();
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
  auto reopened = backend.open("j").value();
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

TEST_CASE_TEMPLATE("a writer killed with SIGKILL at random points loses nothing it committed", Backend, JOURNAL_BACKENDS) {
  Backend backend;
  if (!backend.available()) return;
  INFO(std::string(Backend::kName));
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
      auto opened = open_when_free(backend, "crash");
      if (!opened) ::_exit(3);
      auto& journal = *opened;
      std::mt19937 child_rng(child_seed);
      for (;;) {
        const std::uint64_t batch = 1 + child_rng() % 20;
        for (std::uint64_t k = 0; k < batch; ++k) {
          if (!journal->append(nth_record(journal->last_committed_seq() + k + 1))) ::_exit(4);
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

    auto journal = open_when_free(backend, "crash");
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

// The outcome of opening `stream`: "opened" or the error's code and message.
template <typename Backend>
std::string open_outcome(const Backend& backend, std::string_view stream) {
  auto journal = backend.open(stream);
  if (journal) return "opened";
  return journal.error().to_string();
}

}  // namespace

TEST_CASE_TEMPLATE("a journal has one owner: another process is refused, naming the holder", Backend, JOURNAL_BACKENDS) {
  Backend backend;
  if (!backend.available()) return;
  INFO(std::string(Backend::kName));
  auto owner = backend.open("owned").value();
  REQUIRE(owner->append(nth_record(1)).has_value());
  REQUIRE(owner->commit().has_value());

  const std::string refused = in_child([&] { return open_outcome(backend, "owned"); });
  CHECK(refused.starts_with(backend.in_use_by("owned", ::getpid())));
  // The same process cannot open it twice either (two sessions configured on one stream).
  CHECK(open_outcome(backend, "owned").starts_with(backend.in_use_by("owned", ::getpid())));
  // Another stream is another owner's.
  CHECK(open_outcome(backend, "other") == "opened");

  // The refused attempts changed nothing: the owner goes on appending where it was.
  CHECK(owner->append(nth_record(2)).value() == 2);
  REQUIRE(owner->commit().has_value());
  CHECK(read_all(*owner).size() == 2);

  owner.reset();
  CHECK(in_child([&] {
          auto journal = open_when_free(backend, "owned");
          return journal ? std::to_string((*journal)->last_committed_seq()) : journal.error().to_string();
        }) == "2");
  CHECK(open_when_free(backend, "owned").has_value());
}

TEST_CASE_TEMPLATE("a journal owned by a process killed with SIGKILL is free again", Backend, JOURNAL_BACKENDS) {
  Backend backend;
  if (!backend.available()) return;
  INFO(std::string(Backend::kName));
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::close(fds[0]);
    auto journal = backend.open("killed");
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
  CHECK(open_outcome(backend, "killed").starts_with(backend.in_use_by("killed", pid)));
  REQUIRE(::kill(pid, SIGKILL) == 0);
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  CHECK(open_when_free(backend, "killed").has_value());
}

TEST_CASE_TEMPLATE("compact replaces the records up to a seq with a snapshot in one step; replay starts there", Backend,
                   JOURNAL_BACKENDS) {
  Backend backend;
  if (!backend.available()) return;
  INFO(std::string(Backend::kName));
  const JournalRecord snapshot = JournalRecord::for_snapshot(encode_snapshot(Snapshot{}));
  {
    auto journal = backend.open("compacted").value();
    for (std::uint64_t n = 1; n <= 10; ++n) REQUIRE(journal->append(nth_record(n)).has_value());
    // Refused while records are staged, for a record that is not a snapshot, and beyond
    // what was committed; nothing changes.
    CHECK(journal->compact(snapshot, 5).error().code == ErrorCode::invalid_argument);
    REQUIRE(journal->commit().has_value());
    CHECK(journal->compact(nth_record(1), 5).error().code == ErrorCode::invalid_argument);
    CHECK(journal->compact(snapshot, 11).error().code == ErrorCode::invalid_argument);
    CHECK(journal->compact(snapshot, 0).error().code == ErrorCode::invalid_argument);
    CHECK(read_all(*journal).size() == 10);

    REQUIRE(journal->compact(snapshot, 6).has_value());
    CHECK(journal->last_committed_seq() == 10);
    CHECK(journal->append(nth_record(11)).value() == 11);
    REQUIRE(journal->commit().has_value());
  }
  auto journal = backend.open("compacted").value();
  const std::vector<JournalRecord> left = read_all(*journal);
  REQUIRE(left.size() == 6);  // the snapshot as record 6, then 7..11
  CHECK(left[0].kind == RecordKind::snapshot);
  CHECK(left[0].seq == 6);
  CHECK(left[0].snapshot == snapshot.snapshot);
  for (std::uint64_t n = 7; n <= 11; ++n) {
    JournalRecord expected = nth_record(n);
    expected.seq = n;
    CHECK(left[n - 6] == expected);
  }
  // A replay after the snapshot reads on from there.
  std::uint64_t seen = 0;
  REQUIRE(journal->replay(8, [&](const JournalRecord& r) -> Result<void> {
                   seen += r.seq;
                   return {};
                 }).has_value());
  CHECK(seen == 9 + 10 + 11);
}

TEST_CASE_TEMPLATE("a reader opens beside the owner, reads what was committed, and writes nothing", Backend,
                   JOURNAL_BACKENDS) {
  Backend backend;
  if (!backend.available()) return;
  INFO(std::string(Backend::kName));
  const Result<std::unique_ptr<Journal>> missing = backend.open_for_reading("absent");
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error().code == ErrorCode::invalid_argument);
  CHECK(missing.error().message.find("no such") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(backend.where("absent")));  // nothing created (SQLite)

  auto owner = backend.open("j").value();
  for (std::uint64_t n = 1; n <= 6; ++n) REQUIRE(owner->append(nth_record(n)).has_value());
  REQUIRE(owner->commit().has_value());
  REQUIRE(owner->append(nth_record(7)).has_value());  // staged: invisible to the reader
  auto reader = backend.open_for_reading("j").value();
  CHECK(reader->last_committed_seq() == 6);
  const auto read = read_all(*reader);
  REQUIRE(read.size() == 6);
  for (std::uint64_t n = 1; n <= 6; ++n) {
    JournalRecord expected = nth_record(n);
    expected.seq = n;
    CHECK(read[n - 1] == expected);
  }
  const Result<std::uint64_t> appended = reader->append(nth_record(7));
  REQUIRE_FALSE(appended.has_value());
  CHECK(appended.error().code == ErrorCode::invalid_argument);
  CHECK(appended.error().message.find("open for reading only") != std::string::npos);
  Snapshot empty;
  const Result<void> compacted = reader->compact(JournalRecord::for_snapshot(encode_snapshot(empty)), 6);
  REQUIRE_FALSE(compacted.has_value());
  CHECK(compacted.error().code == ErrorCode::invalid_argument);
  // The owner goes on: its staged record commits, and a new reader sees it.
  REQUIRE(owner->commit().has_value());
  CHECK(read_all(*backend.open_for_reading("j").value()).size() == 7);
  CHECK(read_all(*owner).size() == 7);
}
