// Tests for cts/health/inhibit.hpp (Alertmanager TestInhibiting semantics).
#include <cts/health/inhibit.hpp>

#include <doctest/doctest.h>

using namespace cts;
using namespace cts::health;
using namespace std::chrono_literals;

namespace {
const SystemTime T0{std::chrono::seconds{1'704'067'200}};
Alert alert(LabelSet labels, SystemTime ends = {}) {
  Alert a;
  a.labels = std::move(labels);
  a.starts_at = T0;
  a.ends_at = ends;
  return a;
}
}  // namespace

TEST_CASE("target muted while the source fires with equal labels") {
  const Inhibitor inhibitor({InhibitRule{{Matcher("alertname", MatchOp::eq, "VenueDown")},
                                         {Matcher("alertname", MatchOp::eq, "StaleMarketData")},
                                         {"venue"}}});
  const Alert source = alert(LabelSet{{"alertname", "VenueDown"}, {"venue", "XNAS"}});
  const LabelSet target{{"alertname", "StaleMarketData"}, {"venue", "XNAS"}};
  const LabelSet other{{"alertname", "StaleMarketData"}, {"venue", "BINANCE"}};
  std::vector<Alert> alerts{source};
  CHECK(inhibitor.inhibited_by(target, alerts, T0) == source.fingerprint());
  CHECK_FALSE(inhibitor.inhibited_by(other, alerts, T0));
  alerts[0].ends_at = T0 + 10s;  // source resolves
  CHECK_FALSE(inhibitor.inhibited_by(target, alerts, T0 + 10s));
}

TEST_CASE("an alert matching both sides is not self-inhibited") {
  const Inhibitor inhibitor({InhibitRule{{Matcher("severity", MatchOp::eq, "critical")},
                                         {Matcher("team", MatchOp::eq, "fx")},
                                         {}}});
  const Alert both = alert(LabelSet{{"alertname", "A"}, {"severity", "critical"}, {"team", "fx"}});
  const Alert both2 = alert(LabelSet{{"alertname", "B"}, {"severity", "critical"}, {"team", "fx"}});
  std::vector<Alert> alerts{both, both2};
  CHECK_FALSE(inhibitor.inhibited_by(both.labels, alerts, T0));
  const Alert source_only = alert(LabelSet{{"alertname", "C"}, {"severity", "critical"}});
  alerts.push_back(source_only);
  CHECK(inhibitor.inhibited_by(both.labels, alerts, T0) == source_only.fingerprint());
}
