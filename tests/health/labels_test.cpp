// Tests for cts/health/labels.hpp. Fingerprint vectors: computed with a Go
// re-implementation of prometheus/common model/signature.go; the Unicode vector
// was computed independently with a 6-line Python FNV-1a over the UTF-8 bytes.
#include <cts/health/labels.hpp>

#include <doctest/doctest.h>

using namespace cts::health;

TEST_CASE("fingerprint matches the Prometheus vectors") {
  CHECK(LabelSet{}.fingerprint_hex() == "cbf29ce484222325");
  CHECK(LabelSet{{"alertname", "test"}}.fingerprint_hex() == "1f56cb8f931d1bd4");
  const LabelSet a{{"alertname", "StaleMarketData"}, {"feed", "itch"}, {"venue", "XNAS"}};
  const LabelSet b{{"venue", "XNAS"}, {"alertname", "StaleMarketData"}, {"feed", "itch"}};
  CHECK(a.fingerprint_hex() == "a6c6cb0088a62f5c");
  CHECK(b.fingerprint_hex() == "a6c6cb0088a62f5c");
  CHECK(a == b);
}

TEST_CASE("empty values are absent labels; unicode hashes byte-exact") {
  CHECK(LabelSet{{"a", ""}} == LabelSet{});
  CHECK(LabelSet{{"a", ""}}.fingerprint() == LabelSet{}.fingerprint());
  LabelSet s{{"a", "1"}};
  s.set("a", "");
  CHECK(s.empty());
  CHECK(LabelSet{{"venue", "Börse"}, {"alertname", "Ü€"}}.fingerprint_hex() == "528e83fd2cb602db");
}

TEST_CASE("get, with, subset and to_string") {
  const LabelSet s{{"team", "fx"}, {"alertname", "A\"b"}, {"venue", "XNAS"}};
  CHECK(s.get("team") == "fx");
  CHECK(s.get("missing").empty());
  CHECK(s.with("team", "eq").get("team") == "eq");
  CHECK(s.get("team") == "fx");
  const std::vector<std::string> names{"team", "nope"};
  CHECK(s.subset(names) == LabelSet{{"team", "fx"}});
  CHECK(s.to_string() == R"({alertname="A\"b", team="fx", venue="XNAS"})");
  CHECK(LabelSet{}.to_string() == "{}");
}

TEST_CASE("metric and label name validation") {
  CHECK(is_valid_metric_name("orders_sent"));
  CHECK(is_valid_metric_name("ns:rate_5m"));
  CHECK_FALSE(is_valid_metric_name("9lives"));
  CHECK_FALSE(is_valid_metric_name("a-b"));
  CHECK_FALSE(is_valid_metric_name(""));
  CHECK(is_valid_label_name("venue"));
  CHECK_FALSE(is_valid_label_name("__name__"));
  CHECK_FALSE(is_valid_label_name("a:b"));
}
