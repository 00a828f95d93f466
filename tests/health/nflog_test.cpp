// Tests for cts/health/nflog.hpp: one case per row of Alertmanager's needsUpdate
// table and durability across a restart.
#include <cts/health/nflog.hpp>

#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>

using namespace cts;
using namespace cts::health;
using namespace std::chrono_literals;

namespace {
const SystemTime T0{std::chrono::seconds{1'704'067'200}};
using Set = std::vector<std::uint64_t>;
}  // namespace

TEST_CASE("row 1: no entry") {
  CHECK(needs_update(nullptr, Set{1}, Set{}, false, 4h, T0) == NotifyReason::first_notification);
  CHECK(needs_update(nullptr, Set{}, Set{1}, true, 4h, T0) == NotifyReason::do_not_notify);
  CHECK(needs_update(nullptr, Set{}, Set{1}, true, 4h, T0, true) == NotifyReason::resolved_before_delivery);
}

TEST_CASE("row 2: firing not a subset of the logged firing") {
  const NotificationLogEntry empty{{}, {1}, T0};
  CHECK(needs_update(&empty, Set{2}, Set{}, false, 4h, T0) == NotifyReason::first_notification);
  const NotificationLogEntry some{{1}, {}, T0};
  CHECK(needs_update(&some, Set{1, 2}, Set{}, false, 4h, T0) == NotifyReason::new_alerts_in_group);
}

TEST_CASE("row 3: nothing firing") {
  const NotificationLogEntry was_firing{{1}, {}, T0};
  // Sent regardless of send_resolved, to clear the log.
  CHECK(needs_update(&was_firing, Set{}, Set{1}, false, 4h, T0) == NotifyReason::all_alerts_resolved);
  const NotificationLogEntry quiet{{}, {1}, T0};
  CHECK(needs_update(&quiet, Set{}, Set{1}, true, 4h, T0) == NotifyReason::do_not_notify);
}

TEST_CASE("row 4: new resolved alerts only with send_resolved") {
  const NotificationLogEntry e{{1, 2}, {}, T0};
  CHECK(needs_update(&e, Set{1}, Set{2}, true, 4h, T0 + 1s) == NotifyReason::new_resolved_alerts);
  CHECK(needs_update(&e, Set{1}, Set{2}, false, 4h, T0 + 1s) == NotifyReason::do_not_notify);
}

TEST_CASE("rows 5-6: identical sets wait for repeat_interval") {
  const NotificationLogEntry e{{1}, {}, T0};
  CHECK(needs_update(&e, Set{1}, Set{}, false, 4h, T0 + 4h - 1s) == NotifyReason::do_not_notify);
  CHECK(needs_update(&e, Set{1}, Set{}, false, 4h, T0 + 4h) == NotifyReason::repeat_interval_elapsed);
}

TEST_CASE("the log survives a restart and compacts") {
  const auto path = std::filesystem::temp_directory_path() / "cts_health_nflog_test.log";
  std::filesystem::remove(path);
  {
    NotificationLog log;
    REQUIRE(log.open(path.string()));
    for (int i = 0; i < 100; ++i) {
      REQUIRE(log.record("g" + std::to_string(i % 3), NotificationLogEntry{{std::uint64_t(i)}, {7, 9}, T0 + i * 1s}));
    }
  }
  NotificationLog reopened;
  REQUIRE(reopened.open(path.string()));
  CHECK(reopened.size() == 3);
  const auto* e = reopened.query("g2");
  REQUIRE(e != nullptr);
  CHECK(e->firing == std::vector<std::uint64_t>{98});
  CHECK(e->resolved == std::vector<std::uint64_t>{7, 9});
  CHECK(e->timestamp == T0 + 98s);
  CHECK(std::filesystem::file_size(path) < 5000);  // compacted once: ~98 bytes a record, not 100 of them
  REQUIRE(reopened.gc(T0 + 99s + 121h, 120h));
  CHECK(reopened.size() == 0);
  NotificationLog after_gc;
  REQUIRE(after_gc.open(path.string()));
  CHECK(after_gc.size() == 0);  // the file was rewritten without them
  std::filesystem::remove(path);
}
