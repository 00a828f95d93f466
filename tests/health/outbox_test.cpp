// Tests for cts/health/outbox.hpp: coalescing per channel and group, retry times kept,
// overflow policy, and a restart that keeps every queued item (in a record file or in
// an application's own record store).
#include <cts/health/nflog.hpp>
#include <cts/health/outbox.hpp>

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

using namespace cts;
using namespace cts::health;
using namespace std::chrono_literals;

namespace {
const SystemTime T0{std::chrono::seconds{1'704'067'200}};

OutboxItem item(std::string channel, std::string group, std::string body, bool resolved = false) {
  OutboxItem i;
  i.channel = std::move(channel);
  i.group_key = std::move(group);
  i.log_key = i.group_key + "/log";
  i.request.method = HttpMethod::post;
  i.request.path = "/services/T/B/SECRET";
  i.request.body = std::move(body);
  i.request.set_header("Content-Type", "application/json");
  i.firing = {1};
  if (resolved) i.resolved = {2};
  i.flushed_at = T0;
  i.created_at = T0;
  i.next_at = T0;
  return i;
}
}  // namespace

TEST_CASE("coalescing: 50 states of one group leave one item with the latest state") {
  Outbox box;
  for (int i = 0; i < 50; ++i) REQUIRE(box.enqueue(item("slack", "g1", "state " + std::to_string(i))));
  CHECK(box.size() == 1);
  const auto* it = box.find("slack", "g1");
  REQUIRE(it != nullptr);
  CHECK(it->request.body == "state 49");
  REQUIRE(box.enqueue(item("discord", "g1", "other channel")));
  CHECK(box.size() == 2);
}

TEST_CASE("coalescing never moves a retry earlier than the provider allowed") {
  Outbox box;
  const auto id = box.enqueue(item("slack", "g1", "a")).value();
  REQUIRE(box.reschedule(id, 1, T0 + 7s));
  const auto id2 = box.enqueue(item("slack", "g1", "b")).value();
  CHECK(box.get(id2)->next_at == T0 + 7s);
  CHECK(box.get(id2)->attempts == 1);
  CHECK(box.due("slack", T0 + 6s).empty());
  CHECK(box.due("slack", T0 + 7s) == std::vector<std::uint64_t>{id2});
}

TEST_CASE("overflow drops the oldest firing-only snapshot, never a resolved one") {
  Outbox box(OutboxOptions{2});
  REQUIRE(box.enqueue(item("c", "resolved-1", "r", true)));
  REQUIRE(box.enqueue(item("c", "firing-1", "f1")));
  REQUIRE(box.enqueue(item("c", "firing-2", "f2")));
  CHECK(box.size() == 2);
  CHECK(box.dropped_by_overflow() == 1);
  CHECK(box.find("c", "resolved-1") != nullptr);
  CHECK(box.find("c", "firing-1") == nullptr);
  REQUIRE(box.enqueue(item("c", "resolved-2", "r2", true)));
  REQUIRE(box.enqueue(item("c", "resolved-3", "r3", true)));
  CHECK(box.find("c", "resolved-1") != nullptr);
  CHECK(box.find("c", "resolved-3") != nullptr);
  CHECK(box.oldest_age(T0 + 5s) == 5s);
}

TEST_CASE("a restart keeps queued items, attempts and retry times; a torn tail is ignored") {
  const auto path = std::filesystem::temp_directory_path() / "cts_health_outbox_test.log";
  std::filesystem::remove(path);
  std::uint64_t kept = 0;
  {
    Outbox box;
    REQUIRE(box.open(path.string()));
    kept = box.enqueue(item("slack", "g1", "keep me")).value();
    const auto gone = box.enqueue(item("slack", "g2", "deliver me")).value();
    REQUIRE(box.reschedule(kept, 3, T0 + 42s));
    REQUIRE(box.ack(gone));
  }
  {
    std::ofstream torn(path, std::ios::app | std::ios::binary);
    torn << "999:partial";  // a crash in the middle of an append
  }
  Outbox reopened;
  REQUIRE(reopened.open(path.string()));
  REQUIRE(reopened.size() == 1);
  const auto* it = reopened.get(kept);
  REQUIRE(it != nullptr);
  CHECK(it->request.body == "keep me");
  CHECK(it->request.path == "/services/T/B/SECRET");
  CHECK(it->request.header("Content-Type").value() == "application/json");
  CHECK(it->attempts == 3);
  CHECK(it->next_at == T0 + 42s);
  CHECK(it->firing == std::vector<std::uint64_t>{1});
  CHECK(std::filesystem::status(path).permissions() ==
        (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
  const auto next = reopened.enqueue(item("slack", "g3", "new")).value();
  CHECK(next > kept);  // ids never reused
  std::filesystem::remove(path);
}

namespace {
// Records kept in memory by the test, standing for an application's own storage.
struct MemoryRecords final : RecordStore {
  std::vector<std::string> records;
  Result<std::vector<std::string>> load() override { return records; }
  Result<void> append(std::string_view record) override {
    records.emplace_back(record);
    return {};
  }
  Result<void> rewrite(const std::vector<std::string>& replacement) override {
    records = replacement;
    return {};
  }
};
}  // namespace

TEST_CASE("an outbox and a notification log opened on an application's record store survive a restart") {
  MemoryRecords outbox_records;
  MemoryRecords log_records;
  std::uint64_t delivered = 0;
  {
    Outbox box;
    REQUIRE(box.open(outbox_records));
    NotificationLog log;
    REQUIRE(log.open(log_records));
    delivered = box.enqueue(item("slack", "g1", "delivered")).value();
    const auto waiting = box.enqueue(item("slack", "g2", "waiting")).value();
    REQUIRE(box.reschedule(waiting, 3, T0 + 9s));
    REQUIRE(box.ack(delivered));
    REQUIRE(log.record("g1/log", NotificationLogEntry{{1}, {}, T0}));
  }
  Outbox box;
  REQUIRE(box.open(outbox_records));
  NotificationLog log;
  REQUIRE(log.open(log_records));
  CHECK(box.size() == 1);
  CHECK(box.find("slack", "g1") == nullptr);
  const OutboxItem* waiting = box.find("slack", "g2");
  REQUIRE(waiting != nullptr);
  CHECK(waiting->request.body == "waiting");
  CHECK(waiting->attempts == 3);
  CHECK(waiting->next_at == T0 + 9s);
  CHECK(waiting->id > delivered);
  REQUIRE(log.query("g1/log") != nullptr);
  CHECK(log.query("g1/log")->firing == std::vector<std::uint64_t>{1});
}
