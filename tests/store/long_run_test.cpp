// A week of trading compressed into seconds, driven without I/O on an injected clock:
// an Account journaled to SQLite, with the engine's housekeeping (closed orders
// forgotten and closed position cycles folded after a day, the journal compacted with a
// day's retention every six hours) keeps the tracker, the position book and the
// journal flat after the first day, while the totals stay those of every fill.
#include <cts/store/compaction.hpp>
#include <cts/store/private_temp_dir.hpp>
#include <cts/store/sqlite_journal.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <string>

#include "support/journal_reading.hpp"
#include "support/test_instruments.hpp"

using namespace cts;
using namespace cts::store;
using namespace cts::literals;

namespace {

constexpr std::string_view kSymbol = "BTC/USDT:USDT";

// Appends `record` (the caller commits) and applies it to `account` as the engine does.
// Returns false when either refuses it.
bool journal_and_apply(Journal& journal, order::Account& account, const JournalRecord& record) {
  if (!journal.append(record)) return false;
  if (record.kind == RecordKind::order_created) return account.create(record.request).has_value();
  return account.apply(record.client_id, record.event).has_value();
}

}  // namespace

TEST_CASE("a week of trading keeps the tracker, the positions and the journal flat after warm-up") {
  PrivateTempDir dir = PrivateTempDir::create("cts-long-run-test").value();
  SqliteJournalOptions options;
  options.durability = Durability::none;
  options.verify_on_open = false;
  auto journal = SqliteJournal::open(dir.path() / "week.db", options).value();
  order::Account account;
  REQUIRE(account.add_instrument(testing::btcusdt_perpetual()).has_value());

  const SystemTime start = from_unix_millis(1'700'000'000'000);
  const auto retention = std::chrono::hours(24);
  // An order every two minutes, alternately buying and selling 1, each filled at once:
  // the position goes flat every second order, so every four minutes a cycle closes.
  const int orders = 7 * 24 * 30;
  // Expected totals, computed here from the fills: Σ (sell − buy) over the closed
  // cycles, minus the 0.01 USDT fee of every fill.
  Decimal expected_pnl;
  std::size_t peak_tracked = 0, peak_cycles = 0, day_one_tracked = 0, day_one_cycles = 0;
  std::uint64_t peak_records = 0, day_one_records = 0;
  bool all_taken = true;
  for (int m = 0; m < orders; ++m) {
    const SystemTime now = start + std::chrono::minutes(2 * m);
    const bool buy = m % 2 == 0;
    const Decimal price = Decimal::from_int(100 + (m % 7));
    order::OrderRequest r;
    r.client_id = ClientOrderId::from("W" + std::to_string(m)).value();
    r.symbol = std::string(kSymbol);
    r.side = buy ? Side::buy : Side::sell;
    r.quantity = "1"_d;
    r.price = price;
    r.ts = now;
    all_taken = journal_and_apply(*journal, account, JournalRecord::created(r)) && all_taken;
    order::OrderEvent accepted = order::make_event(order::OrderEventKind::accepted, now);
    accepted.venue_order_id = order::VenueOrderId::from("V" + std::to_string(m)).value();
    all_taken = journal_and_apply(*journal, account, JournalRecord::for_event(r.client_id, accepted)) && all_taken;
    const order::Fill fill{order::TradeId::from("T" + std::to_string(m)).value(), "1"_d, price, "0.01"_d,
                           order::Asset::from("USDT").value()};
    all_taken =
        journal_and_apply(*journal, account, JournalRecord::for_event(r.client_id, order::make_fill_event(fill, now))) &&
        journal->commit().has_value() && all_taken;
    expected_pnl += (buy ? -price : price) - "0.01"_d;

    if (m % 30 == 29) {  // hourly, as the engine's housekeeping (every minute there)
      account.purge_terminal(now - retention);
      account.fold_closed_cycles(now - retention);
    }
    if (m % 180 == 179) {  // every six hours, the journal
      order::Account scratch;
      REQUIRE(scratch.add_instrument(testing::btcusdt_perpetual()).has_value());
      REQUIRE(compact_journal(*journal, scratch, now - retention).has_value());
    }
    if (m % 30 == 29 && m >= 2 * 24 * 30) {  // after warm-up (retention + a day)
      peak_tracked = std::max(peak_tracked, account.orders().size());
      peak_cycles = std::max(peak_cycles, account.positions().closed_cycles(kSymbol)->size());
    }
    if (m % 180 == 179 && m >= 2 * 24 * 30) {
      peak_records = std::max<std::uint64_t>(peak_records, testing::read_all(*journal).size());
    }
    if (m == 2 * 24 * 30 - 1) {
      day_one_tracked = account.orders().size();
      day_one_cycles = account.positions().closed_cycles(kSymbol)->size();
      day_one_records = testing::read_all(*journal).size();
    }
  }
  CHECK(all_taken);
  // Flat: after day two nothing grows beyond what a day's retention holds (30 orders an
  // hour, kept a day plus the hour between purges; a cycle every 2 orders, the older
  // ones folded into one; three records per order, kept a day plus the six hours
  // between compactions, and the snapshot).
  CHECK(peak_tracked <= 25 * 30);
  CHECK(peak_tracked <= day_one_tracked + 30);
  CHECK(peak_cycles <= 1 + 25 * 15);
  CHECK(peak_cycles <= day_one_cycles + 15);
  CHECK(peak_records <= 3 * 30 * 30 + 1);
  CHECK(peak_records <= day_one_records + 3 * 6 * 30);
  CHECK(account.orders().size() < static_cast<std::size_t>(orders) / 5);
  // The totals are every fill's, folded or not; the journal replays to them.
  CHECK(account.positions().realized_pnl(kSymbol) == expected_pnl);
  CHECK(account.positions().net_quantity(kSymbol) == Decimal{});
  order::Account replayed;
  REQUIRE(replayed.add_instrument(testing::btcusdt_perpetual()).has_value());
  REQUIRE(replay_into(*journal, replayed).has_value());
  CHECK(replayed.positions().realized_pnl(kSymbol) == expected_pnl);
  CHECK(replayed.positions().fees(kSymbol, "USDT") == Decimal::from_int(orders).mul("0.01"_d, Rounding::half_even));
}
