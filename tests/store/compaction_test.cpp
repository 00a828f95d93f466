// Tests for cts/store/compaction.hpp, cts/store/snapshot.hpp and SqliteJournal::compact:
// a compacted journal replays to the orders and positions of the same journal never
// compacted (its old closed cycles folded alike) (twice compacted, with records appended between), a compaction that fails
// after deleting the folded records leaves the journal as it was, and the snapshot's
// text form round-trips every field.
#include <cts/store/compaction.hpp>
#include <cts/store/private_temp_dir.hpp>
#include <cts/store/sqlite_journal.hpp>

#include <doctest/doctest.h>

#include <sqlite3.h>

#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "support/journal_reading.hpp"
#include "support/test_instruments.hpp"

using namespace cts;
using namespace cts::store;
using namespace cts::literals;

namespace {

// An empty account trading BTC/USDT:USDT and BTC/USDT.
order::Account make_account(order::OmsType oms = order::OmsType::netting) {
  order::Account account(oms);
  REQUIRE(account.add_instrument(testing::btcusdt_perpetual()).has_value());
  REQUIRE(account.add_instrument(testing::btcusdt_spot()).has_value());
  return account;
}

// A private directory for the test's journals, removed at scope exit.
store::PrivateTempDir temp_dir() { return store::PrivateTempDir::create("cts-compaction-test").value(); }

SystemTime minute(std::int64_t n) { return from_unix_millis(1'700'000'000'000 + n * 60'000); }

// The records of a trading session: order i is created at minute i, accepted, filled
// in one to three parts and then done (filled, or canceled after a part), except every
// tenth one, which stays open. `last_event` receives each order's last event time and
// whether it ended closed, computed here, independently of the tracker.
struct Session {
  std::vector<JournalRecord> records;
  std::map<std::string, std::pair<SystemTime, bool>> last_event;  // id -> (ts, closed)
  int trades = 0;

  void add_orders(int first, int count, std::mt19937& rng) {
    for (int i = first; i < first + count; ++i) {
      const std::string id = "O" + std::to_string(i);
      const ClientOrderId cid = ClientOrderId::from(id).value();
      const bool on_spot = i % 3 == 0;
      order::OrderRequest r;
      r.client_id = cid;
      r.symbol = on_spot ? "BTC/USDT" : "BTC/USDT:USDT";
      r.side = rng() % 2 == 0 ? Side::buy : Side::sell;
      r.type = OrderType::limit;
      r.quantity = Decimal::from_int(1 + static_cast<std::int64_t>(rng() % 4));
      r.price = "100"_d;
      r.ts = minute(i);
      records.push_back(JournalRecord::created(r));
      order::OrderEvent accepted = order::make_event(order::OrderEventKind::accepted, minute(i) + std::chrono::seconds(1));
      accepted.venue_order_id = order::VenueOrderId::from("V" + id).value();
      records.push_back(JournalRecord::for_event(cid, accepted));
      SystemTime last = accepted.ts;
      const bool stays_open = i % 10 == 7;
      const bool canceled = !stays_open && i % 10 == 3;
      // a partly filled order (open or canceled) has one fill of 0.5
      const int parts = stays_open || canceled ? 1 : 1 + static_cast<int>(rng() % 3);
      Decimal left = r.quantity;
      for (int part = 0; part < parts && left.is_positive(); ++part) {
        const bool last_part = part + 1 == parts && !canceled && !stays_open;
        const Decimal qty = last_part ? left : "0.5"_d;
        left -= qty;
        // a spot buy pays its fee in the base asset, everything else in USDT
        const bool base_fee = on_spot && r.side == Side::buy;
        order::Fill fill{order::TradeId::from("T" + std::to_string(++trades)).value(), qty,
                         Decimal::from_int(95 + static_cast<std::int64_t>(rng() % 11)), base_fee ? "0.001"_d : "0.05"_d,
                         order::Asset::from(base_fee ? "BTC" : "USDT").value()};
        last = minute(i) + std::chrono::seconds(2 + part);
        records.push_back(JournalRecord::for_event(cid, order::make_fill_event(fill, last)));
      }
      if (canceled) {
        last = minute(i) + std::chrono::seconds(10);
        records.push_back(JournalRecord::for_event(cid, order::make_event(order::OrderEventKind::canceled, last)));
      }
      last_event[id] = {last, !stays_open};
    }
  }
  // Orders closed with their last event before `cutoff`.
  std::set<std::string> closed_before(SystemTime cutoff) const {
    std::set<std::string> out;
    for (const auto& [id, v] : last_event) {
      if (v.second && v.first < cutoff) out.insert(id);
    }
    return out;
  }
};

void append_all(Journal& journal, const std::vector<JournalRecord>& records) {
  for (const JournalRecord& r : records) REQUIRE(journal.append(r).has_value());
  REQUIRE(journal.commit().has_value());
}

// Replays the journal at `path` into a fresh account.
order::Account replayed(const std::filesystem::path& path) {
  order::Account account = make_account();
  auto journal = SqliteJournal::open(path).value();
  REQUIRE(replay_into(*journal, account).has_value());
  return account;
}

std::set<std::string> order_ids(const order::Account& account) {
  std::set<std::string> out;
  account.orders().for_each([&](const order::Order& o) { out.insert(o.client_id().str()); });
  return out;
}

}  // namespace

TEST_CASE("a compacted journal replays to the orders and positions of the same journal uncompacted") {
  store::PrivateTempDir dir = temp_dir();
  std::mt19937 rng(19);
  Session session;
  session.add_orders(0, 600, rng);
  const std::filesystem::path plain = dir.path() / "plain.db", compacted = dir.path() / "compacted.db";
  {
    auto a = SqliteJournal::open(plain).value();
    auto b = SqliteJournal::open(compacted).value();
    append_all(*a, session.records);
    append_all(*b, session.records);
    const std::size_t first = session.records.size();

    // Fold what closed before minute 400.
    const std::set<std::string> expected_folded = session.closed_before(minute(400));
    order::Account scratch = make_account();
    Result<CompactionStats> stats = compact_journal(*b, scratch, minute(400));
    REQUIRE(stats.has_value());
    CHECK(stats->orders_folded == expected_folded.size());
    CHECK(stats->orders_kept == 600 - expected_folded.size());
    CHECK(stats->snapshot_seq == first);
    CHECK(b->last_committed_seq() == first);
    const std::vector<JournalRecord> left = testing::read_all(*b);
    REQUIRE(!left.empty());
    CHECK(left.front().kind == RecordKind::snapshot);
    CHECK(left.front().seq == first);
    CHECK(left.size() == 1);

    // Trading goes on: new orders, a late duplicate of a folded order's fill, a late
    // cancel of an order kept open; then a second compaction over the first snapshot.
    session.records.clear();
    session.add_orders(600, 300, rng);
    const order::Fill again{order::TradeId::from("T1").value(), "0.5"_d, "100"_d, "0.05"_d, order::Asset::from("USDT").value()};
    session.records.push_back(JournalRecord::for_event(ClientOrderId::from("O0").value(), order::make_fill_event(again, minute(901))));
    session.records.push_back(
        JournalRecord::for_event(ClientOrderId::from("O597").value(), order::make_event(order::OrderEventKind::canceled, minute(902))));
    session.last_event["O597"] = {minute(902), true};
    append_all(*a, session.records);
    append_all(*b, session.records);
    order::Account scratch2 = make_account();
    Result<CompactionStats> again_stats = compact_journal(*b, scratch2, minute(800));
    REQUIRE(again_stats.has_value());
    CHECK(again_stats->records_read == 1 + session.records.size());
    CHECK(again_stats->orders_folded == session.closed_before(minute(800)).size() - expected_folded.size());
    CHECK(b->last_committed_seq() == a->last_committed_seq());
    CHECK(*b->size_bytes() < *a->size_bytes());
  }
  order::Account full = replayed(plain);
  const order::Account folded = replayed(compacted);
  CHECK(folded.positions().realized_pnl("BTC/USDT:USDT") == full.positions().realized_pnl("BTC/USDT:USDT"));
  CHECK(folded.positions().realized_pnl("BTC/USDT") == full.positions().realized_pnl("BTC/USDT"));
  // The snapshot folds the cycles closed before the cutoff: so does the full account.
  CHECK(full.fold_closed_cycles(minute(800)) > 0);
  CHECK(folded.positions() == full.positions());
  std::set<std::string> expected_kept;
  for (const auto& [id, v] : session.last_event) {
    if (!(v.second && v.first < minute(800))) expected_kept.insert(id);
  }
  CHECK(order_ids(folded) == expected_kept);
  CHECK(order_ids(full).size() == 900);
  folded.orders().for_each([&](const order::Order& o) {
    const order::Order* twin = full.orders().find(o.client_id());
    REQUIRE(twin != nullptr);
    CHECK(*twin == o);
  });
  CHECK(folded.orders().open_count("BTC/USDT:USDT") == full.orders().open_count("BTC/USDT:USDT"));
  CHECK(folded.orders().open_count("BTC/USDT") == full.orders().open_count("BTC/USDT"));

  // The journal goes on after a reopen: the next record continues the sequence.
  auto reopened = SqliteJournal::open(compacted).value();
  const std::uint64_t last = reopened->last_committed_seq();
  CHECK(reopened->append(JournalRecord::for_event(ClientOrderId::from("O897").value(),
                                                  order::make_event(order::OrderEventKind::canceled, minute(903))))
            .value() == last + 1);
}

TEST_CASE("a compaction that fails after removing the folded records leaves the journal as it was") {
  store::PrivateTempDir dir = temp_dir();
  std::mt19937 rng(7);
  Session session;
  session.add_orders(0, 200, rng);
  const std::filesystem::path path = dir.path() / "j.db";
  auto journal = SqliteJournal::open(path).value();
  append_all(*journal, session.records);
  const std::vector<JournalRecord> before = testing::read_all(*journal);

  // A second connection installs a trigger that aborts the snapshot's insert, which
  // runs after the DELETE of the folded records in the same transaction.
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  REQUIRE(sqlite3_exec(db,
                       "CREATE TRIGGER fail_snapshot BEFORE INSERT ON journal WHEN NEW.kind = 3 "
                       "BEGIN SELECT RAISE(ABORT, 'injected failure'); END",
                       nullptr, nullptr, nullptr) == SQLITE_OK);
  order::Account scratch = make_account();
  Result<CompactionStats> failed = compact_journal(*journal, scratch, minute(150));
  REQUIRE_FALSE(failed.has_value());
  CHECK(failed.error().message.find("injected failure") != std::string::npos);
  CHECK(testing::read_all(*journal) == before);
  CHECK(journal->last_committed_seq() == before.size());
  // the journal still takes records, then compacts once the trigger is gone
  REQUIRE(sqlite3_exec(db, "DROP TRIGGER fail_snapshot", nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
  order::Account scratch2 = make_account();
  Result<CompactionStats> done = compact_journal(*journal, scratch2, minute(150));
  REQUIRE(done.has_value());
  CHECK(done->orders_folded == session.closed_before(minute(150)).size());
  journal.reset();
  order::Account uncompacted = make_account();
  for (const JournalRecord& r : before) {
    if (r.kind == RecordKind::order_created) REQUIRE(uncompacted.create(r.request).has_value());
    else REQUIRE(uncompacted.apply(r.client_id, r.event).has_value());
  }
  uncompacted.fold_closed_cycles(minute(150));
  CHECK(replayed(path).positions() == uncompacted.positions());
}

TEST_CASE("nothing is written when no order is old enough, and a journal without the instrument is refused") {
  store::PrivateTempDir dir = temp_dir();
  std::mt19937 rng(3);
  Session session;
  session.add_orders(0, 20, rng);
  auto journal = SqliteJournal::open(dir.path() / "j.db").value();
  append_all(*journal, session.records);
  order::Account scratch = make_account();
  Result<CompactionStats> none = compact_journal(*journal, scratch, minute(0));
  REQUIRE(none.has_value());
  CHECK(none->orders_folded == 0);
  CHECK(none->snapshot_seq == 0);
  CHECK(testing::read_all(*journal).size() == session.records.size());

  order::Account perpetual_only;
  REQUIRE(perpetual_only.add_instrument(testing::btcusdt_perpetual()).has_value());
  Result<CompactionStats> refused = compact_journal(*journal, perpetual_only, minute(100));
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().code == ErrorCode::invalid_argument);
  CHECK(refused.error().message.find("an order on BTC/USDT, an instrument") != std::string::npos);
  CHECK(testing::read_all(*journal).size() == session.records.size());

  // Journal::compact itself refuses what is not a snapshot, a seq beyond the journal,
  // and staged records.
  CHECK(journal->compact(session.records[0], 1).error().code == ErrorCode::invalid_argument);
  CHECK(journal->compact(JournalRecord::for_snapshot(""), 1000).error().code == ErrorCode::invalid_argument);
  REQUIRE(journal->append(session.records[1]).has_value());
  CHECK(journal->compact(JournalRecord::for_snapshot(""), 1).error().code == ErrorCode::invalid_argument);
}

TEST_CASE("a snapshot's text round-trips every field of positions and order records") {
  order::Account account = make_account(order::OmsType::hedging);
  order::OrderRequest r;
  r.client_id = ClientOrderId::from("H1").value();
  r.symbol = "BTC/USDT:USDT";
  r.side = Side::sell;
  r.quantity = "2"_d;
  r.price = "100.25"_d;
  r.position_id = "grid leg=1 %";  // characters the text form escapes
  r.ts = minute(1);
  REQUIRE(account.create(r).has_value());
  order::Fill one{order::TradeId::from("A").value(), "2"_d, "100.25"_d, "-0.01"_d, order::Asset::from("USDT").value()};
  REQUIRE(account.apply("H1", order::make_event(order::OrderEventKind::accepted, minute(1))).has_value());
  REQUIRE(account.apply("H1", order::make_fill_event(one, minute(2))).has_value());
  r.client_id = ClientOrderId::from("H2").value();
  r.side = Side::buy;
  r.quantity = "3"_d;
  REQUIRE(account.create(r).has_value());
  REQUIRE(account.apply("H2", order::make_event(order::OrderEventKind::accepted, minute(2))).has_value());
  order::Fill two{order::TradeId::from("B").value(), "3"_d, "99.5"_d, "0.02"_d, order::Asset::from("BNB").value()};
  REQUIRE(account.apply("H2", order::make_fill_event(two, minute(3))).has_value());
  order::OrderEvent reason = order::make_event(order::OrderEventKind::canceled, minute(4));
  reason.reason = "user asked";
  const std::vector<JournalRecord> kept{JournalRecord::created(r), JournalRecord::for_event(r.client_id, reason)};

  const Snapshot snapshot = take_snapshot(account, kept);
  REQUIRE(snapshot.positions.size() == 1);
  CHECK(snapshot.positions[0].closed.size() == 1);  // the short cycle closed, a long one opened
  Result<Snapshot> decoded = decode_snapshot(encode_snapshot(snapshot));
  REQUIRE(decoded.has_value());
  CHECK(*decoded == snapshot);
  CHECK(decode_snapshot("item=current qty=abc").error().code == ErrorCode::protocol_error);
  CHECK(decode_snapshot("item=unknown").error().code == ErrorCode::protocol_error);
}
