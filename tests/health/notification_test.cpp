// Tests for cts/health/notification.hpp.
#include <cts/health/notification.hpp>

#include <doctest/doctest.h>

using namespace cts;
using namespace cts::health;
using namespace std::chrono_literals;

TEST_CASE("group status, fingerprints and common labels") {
  const SystemTime t0{std::chrono::seconds{1'704'067'200}};
  Alert a;
  a.labels = LabelSet{{"alertname", "X"}, {"venue", "XNAS"}, {"feed", "itch"}};
  a.annotations = LabelSet{{"summary", "s"}, {"runbook", "r1"}};
  a.starts_at = t0;
  Alert b = a;
  b.labels.set("feed", "pitch");
  b.annotations.set("runbook", "r2");
  b.ends_at = t0 + 10s;
  Notification n;
  n.alerts = {a, b};
  n.at = t0 + 5s;
  CHECK(n.status() == AlertStatus::firing);
  CHECK(n.count(AlertStatus::firing) == 2);
  n.at = t0 + 10s;
  CHECK(n.count(AlertStatus::firing) == 1);
  CHECK(n.fingerprints(AlertStatus::resolved) == std::vector<std::uint64_t>{b.fingerprint()});
  CHECK(n.common_labels() == LabelSet{{"alertname", "X"}, {"venue", "XNAS"}});
  CHECK(n.common_annotations() == LabelSet{{"summary", "s"}});
  n.alerts = {b};
  CHECK(n.status() == AlertStatus::resolved);
  CHECK(Notification{}.common_labels().empty());
}
