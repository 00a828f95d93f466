// Tests for cts/venue/binance/book_sync.hpp: the snapshot + diff procedure as Binance
// documents it for spot (U/u continuity) and USD-M (pu continuity), including the
// stale-snapshot, gap and crossed-book restarts.
#include <cts/venue/binance/book_sync.hpp>

#include <doctest/doctest.h>

using cts::Side;
using cts::venue::BookSnapshot;
using cts::venue::DepthDiff;
using cts::venue::PriceLevel;
using cts::venue::binance::BookSync;
using cts::venue::binance::Market;
using cts::venue::binance::SyncStatus;
using namespace cts::literals;

namespace {
DepthDiff diff(std::uint64_t first, std::uint64_t last, std::vector<PriceLevel> bids = {},
               std::vector<PriceLevel> asks = {}, std::uint64_t previous = 0) {
  DepthDiff d;
  d.first_update_id = first;
  d.final_update_id = last;
  d.previous_final_update_id = previous;
  d.bids = std::move(bids);
  d.asks = std::move(asks);
  return d;
}
BookSnapshot snapshot(std::uint64_t id) {
  BookSnapshot s;
  s.last_update_id = id;
  s.bids = {{"100"_d, "1"_d}};
  s.asks = {{"101"_d, "1"_d}};
  return s;
}
}  // namespace

TEST_CASE("spot: buffered events older than the snapshot are dropped, the rest replayed") {
  BookSync sync(Market::spot);
  CHECK(*sync.on_diff(diff(157, 160, {{"99"_d, "5"_d}})) == SyncStatus::buffered);
  CHECK(*sync.on_diff(diff(161, 165, {{"100"_d, "2"_d}})) == SyncStatus::buffered);
  CHECK(*sync.on_diff(diff(166, 170, {}, {{"101"_d, "0"_d}, {"102"_d, "3"_d}})) == SyncStatus::buffered);
  CHECK_FALSE(sync.synced());
  // Snapshot at 163: event 157-160 is older (u <= 163) and dropped; 161-165 straddles it.
  CHECK(*sync.on_snapshot(snapshot(163)) == SyncStatus::applied);
  CHECK(sync.synced());
  CHECK(sync.book().last_update_id() == 170);
  CHECK(sync.book().best_bid() == PriceLevel{"100"_d, "2"_d});
  CHECK(sync.book().depth(Side::buy) == 1);  // 99 came from the dropped event
  CHECK(sync.book().best_ask() == PriceLevel{"102"_d, "3"_d});
  CHECK(*sync.on_diff(diff(171, 171, {{"100"_d, "4"_d}})) == SyncStatus::applied);
  CHECK(sync.book().best_bid() == PriceLevel{"100"_d, "4"_d});
  CHECK(*sync.on_diff(diff(150, 171)) == SyncStatus::stale_event);
}

TEST_CASE("spot: a snapshot older than the first buffered event must be fetched again") {
  BookSync sync(Market::spot);
  REQUIRE(*sync.on_diff(diff(200, 210)) == SyncStatus::buffered);
  CHECK(*sync.on_snapshot(snapshot(150)) == SyncStatus::snapshot_stale);
  CHECK_FALSE(sync.synced());
  CHECK(sync.buffered() == 1);
  CHECK(*sync.on_snapshot(snapshot(205)) == SyncStatus::applied);
  CHECK(sync.book().last_update_id() == 210);
}

TEST_CASE("spot: a gap discards the book and starts a new buffer with the event") {
  BookSync sync(Market::spot);
  REQUIRE(*sync.on_snapshot(snapshot(100)) == SyncStatus::applied);
  REQUIRE(*sync.on_diff(diff(101, 105)) == SyncStatus::applied);
  CHECK(*sync.on_diff(diff(107, 110)) == SyncStatus::resync_needed);
  CHECK_FALSE(sync.synced());
  CHECK(sync.buffered() == 1);
  CHECK_FALSE(sync.book().best_bid().has_value());
  CHECK(*sync.on_diff(diff(111, 112)) == SyncStatus::buffered);
  CHECK(*sync.on_snapshot(snapshot(108)) == SyncStatus::applied);
  CHECK(sync.book().last_update_id() == 112);
}

TEST_CASE("spot: a gap inside the buffer after the snapshot needs a new snapshot") {
  BookSync sync(Market::spot);
  REQUIRE(*sync.on_diff(diff(100, 105)) == SyncStatus::buffered);
  REQUIRE(*sync.on_diff(diff(110, 112)) == SyncStatus::buffered);
  REQUIRE(*sync.on_diff(diff(113, 115)) == SyncStatus::buffered);
  CHECK(*sync.on_snapshot(snapshot(103)) == SyncStatus::resync_needed);
  CHECK_FALSE(sync.synced());
  CHECK(sync.buffered() == 2);  // 110-112 and 113-115 wait for the next snapshot
  CHECK(*sync.on_snapshot(snapshot(111)) == SyncStatus::applied);
  CHECK(sync.book().last_update_id() == 115);
}

TEST_CASE("a crossed book after an event forces a resync") {
  BookSync sync(Market::spot);
  REQUIRE(*sync.on_snapshot(snapshot(100)) == SyncStatus::applied);
  CHECK(*sync.on_diff(diff(101, 101, {{"101.5"_d, "1"_d}})) == SyncStatus::resync_needed);
  CHECK_FALSE(sync.synced());
}

TEST_CASE("usdm: first event must straddle the snapshot, then pu must chain") {
  BookSync sync(Market::usdm);
  REQUIRE(*sync.on_diff(diff(90, 99, {}, {}, 89)) == SyncStatus::buffered);
  REQUIRE(*sync.on_diff(diff(100, 110, {{"100"_d, "9"_d}}, {}, 99)) == SyncStatus::buffered);
  REQUIRE(*sync.on_diff(diff(111, 120, {}, {}, 110)) == SyncStatus::buffered);
  CHECK(*sync.on_snapshot(snapshot(105)) == SyncStatus::applied);
  CHECK(sync.book().last_update_id() == 120);
  CHECK(sync.book().best_bid() == PriceLevel{"100"_d, "9"_d});
  CHECK(*sync.on_diff(diff(121, 130, {}, {}, 120)) == SyncStatus::applied);
  // pu does not match the previous u (a missed event): restart.
  CHECK(*sync.on_diff(diff(140, 150, {}, {}, 135)) == SyncStatus::resync_needed);
}

TEST_CASE("usdm: an event that starts after the snapshot id is a gap") {
  BookSync sync(Market::usdm);
  REQUIRE(*sync.on_snapshot(snapshot(100)) == SyncStatus::applied);
  CHECK(*sync.on_diff(diff(101, 110, {}, {}, 100)) == SyncStatus::resync_needed);
}

TEST_CASE("invalid events are refused and change nothing") {
  BookSync sync(Market::spot);
  REQUIRE(*sync.on_snapshot(snapshot(100)) == SyncStatus::applied);
  auto backwards = sync.on_diff(diff(110, 105));
  REQUIRE_FALSE(backwards.has_value());
  CHECK(backwards.error().code == cts::ErrorCode::protocol_error);
  auto negative = sync.on_diff(diff(101, 101, {{"100"_d, -"1"_d}}));
  REQUIRE_FALSE(negative.has_value());
  CHECK(sync.synced());
  CHECK(sync.book().last_update_id() == 100);
  CHECK(sync.book().best_bid() == PriceLevel{"100"_d, "1"_d});
}

TEST_CASE("the buffer is bounded; reset discards everything") {
  BookSync sync(Market::spot, 2);
  REQUIRE(*sync.on_diff(diff(1, 1)) == SyncStatus::buffered);
  REQUIRE(*sync.on_diff(diff(2, 2)) == SyncStatus::buffered);
  REQUIRE(*sync.on_diff(diff(3, 3)) == SyncStatus::buffered);
  CHECK(sync.buffered() == 2);  // event 1-1 was dropped
  // The documented rule is strict: lastUpdateId 1 < U 2 of the oldest kept event.
  CHECK(*sync.on_snapshot(snapshot(1)) == SyncStatus::snapshot_stale);
  CHECK(*sync.on_snapshot(snapshot(2)) == SyncStatus::applied);
  CHECK(sync.book().last_update_id() == 3);
  sync.reset();
  CHECK_FALSE(sync.synced());
  CHECK(sync.buffered() == 0);
}
