// Tests for cts/health/exposition.hpp. The golden texts are one set of families written
// in both formats, after the examples of prometheus/docs exposition_formats.md and the
// OpenMetrics 1.0 specification; every output is also run through the strict parser.
#include <cts/health/exposition.hpp>

#include <doctest/doctest.h>

#include <bit>
#include <charconv>
#include <cstring>
#include <limits>
#include <random>

#include "exposition_parser.hpp"

using namespace cts::health;

namespace {

std::vector<FamilySnapshot> reference_families() {
  const auto created = cts::SystemTime{std::chrono::seconds{1'700'000'000}};
  HistogramSnapshot h;
  h.bounds = {0.0001, 0.001};
  h.cumulative = {900, 990, 1000};
  h.count = 1000;
  h.sum = 0.12;
  return {
      FamilySnapshot{"orders_sent", "Orders sent.", "", MetricType::counter,
                     {ChildSnapshot{LabelSet{{"venue", "XNAS"}}, std::uint64_t{1027}, created}}},
      FamilySnapshot{"ack_latency_seconds", "", "seconds", MetricType::histogram, {ChildSnapshot{LabelSet{}, h, created}}},
      FamilySnapshot{"md_age_seconds", "", "", MetricType::gauge,
                     {ChildSnapshot{LabelSet{{"feed", "itch"}}, 0.35, created}}},
  };
}

}  // namespace

TEST_CASE("text 0.0.4 golden") {
  const auto families = reference_families();
  const std::string expected =
      "# HELP orders_sent_total Orders sent.\n"
      "# TYPE orders_sent_total counter\n"
      "orders_sent_total{venue=\"XNAS\"} 1027\n"
      "# TYPE ack_latency_seconds histogram\n"
      "ack_latency_seconds_bucket{le=\"0.0001\"} 900\n"
      "ack_latency_seconds_bucket{le=\"0.001\"} 990\n"
      "ack_latency_seconds_bucket{le=\"+Inf\"} 1000\n"
      "ack_latency_seconds_sum 0.12\n"
      "ack_latency_seconds_count 1000\n"
      "# TYPE md_age_seconds gauge\n"
      "md_age_seconds{feed=\"itch\"} 0.35\n";
  const std::string text = text_004(families);
  CHECK(text == expected);
  const auto parsed = exposition::parse(text, false);
  CHECK(parsed.error == "");
}

TEST_CASE("OpenMetrics 1.0 golden") {
  const auto families = reference_families();
  const std::string expected =
      "# TYPE orders_sent counter\n"
      "# HELP orders_sent Orders sent.\n"
      "orders_sent_total{venue=\"XNAS\"} 1027\n"
      "orders_sent_created{venue=\"XNAS\"} 1.7e+09\n"
      "# TYPE ack_latency_seconds histogram\n"
      "# UNIT ack_latency_seconds seconds\n"
      "ack_latency_seconds_bucket{le=\"0.0001\"} 900\n"
      "ack_latency_seconds_bucket{le=\"0.001\"} 990\n"
      "ack_latency_seconds_bucket{le=\"+Inf\"} 1000\n"
      "ack_latency_seconds_sum 0.12\n"
      "ack_latency_seconds_count 1000\n"
      "# TYPE md_age_seconds gauge\n"
      "md_age_seconds{feed=\"itch\"} 0.35\n"
      "# EOF\n";
  const std::string text = openmetrics_100(families);
  CHECK(text == expected);
  const auto parsed = exposition::parse(text, true);
  CHECK(parsed.error == "");
  CHECK(parsed.family("ack_latency_seconds")->unit == "seconds");
}

TEST_CASE("escaping of label values and HELP differs between the formats") {
  const std::vector<FamilySnapshot> families{FamilySnapshot{
      "x", "a \\ back\nslash \"q\"", "", MetricType::gauge,
      {ChildSnapshot{LabelSet{{"path", "C:\\dir\n\"quoted\""}}, 1.0, {}}}}};
  const std::string t = text_004(families);
  CHECK(t ==
        "# HELP x a \\\\ back\\nslash \"q\"\n"
        "# TYPE x gauge\n"
        "x{path=\"C:\\\\dir\\n\\\"quoted\\\"\"} 1\n");
  const std::string o = openmetrics_100(families);
  CHECK(o.find("# HELP x a \\\\ back\\nslash \\\"q\\\"\n") != std::string::npos);
  for (const bool om : {false, true}) {
    const auto parsed = exposition::parse(om ? o : t, om);
    REQUIRE(parsed.error == "");
    const auto* f = parsed.family("x");
    REQUIRE(f != nullptr);
    CHECK(f->help == "a \\ back\nslash \"q\"");
    CHECK(f->samples.at(0).labels.at(0).second == "C:\\dir\n\"quoted\"");
  }
  // The strict parser rejects an OpenMetrics-style \" escape in a 0.0.4 HELP.
  CHECK(exposition::parse("# HELP x \\\"\n# TYPE x gauge\nx 1\n", false).error != "");
}

TEST_CASE("special values and canonical le") {
  HistogramSnapshot h;
  h.bounds = {1, 1e6, 2.5};
  h.bounds = {0.001, 1, 1e6};
  h.cumulative = {0, 1, 2, 3};
  h.count = 3;
  h.sum = std::numeric_limits<double>::infinity();
  const std::vector<FamilySnapshot> families{
      FamilySnapshot{"h", "", "", MetricType::histogram, {ChildSnapshot{LabelSet{}, h, {}}}},
      FamilySnapshot{"g", "", "", MetricType::gauge,
                     {ChildSnapshot{LabelSet{{"k", "a"}}, -std::numeric_limits<double>::infinity(), {}},
                      ChildSnapshot{LabelSet{{"k", "b"}}, std::numeric_limits<double>::quiet_NaN(), {}},
                      ChildSnapshot{LabelSet{{"k", "c"}}, 100000.0, {}},
                      ChildSnapshot{LabelSet{{"k", "d"}}, 1234567.0, {}},
                      ChildSnapshot{LabelSet{{"k", "e"}}, 0.00001, {}}}}};
  const std::string o = openmetrics_100(families);
  CHECK(o.find("h_bucket{le=\"0.001\"} 0\nh_bucket{le=\"1.0\"} 1\nh_bucket{le=\"1e+06\"} 2\nh_bucket{le=\"+Inf\"} 3\n") !=
        std::string::npos);
  CHECK(o.find("h_sum +Inf\n") != std::string::npos);
  // Go strconv.FormatFloat(v, 'g', -1, 64) forms.
  CHECK(o.find("g{k=\"a\"} -Inf\ng{k=\"b\"} NaN\ng{k=\"c\"} 100000\ng{k=\"d\"} 1.234567e+06\ng{k=\"e\"} 1e-05\n") !=
        std::string::npos);
  CHECK(exposition::parse(o, true).error == "");
  CHECK(exposition::parse(text_004(families), false).error == "");
}

TEST_CASE("every double reparses to the identical bit pattern") {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 20000; ++i) {
    const std::uint64_t bits = rng();
    const double v = std::bit_cast<double>(bits);
    if (std::isnan(v)) continue;
    std::string text;
    detail::append_go_float(text, v);
    const auto parsed = exposition::parse_float(text);
    REQUIRE(parsed.has_value());
    CHECK_MESSAGE(std::bit_cast<std::uint64_t>(*parsed) == bits, text);
  }
}

TEST_CASE("the strict parser rejects broken expositions") {
  CHECK(exposition::parse("# TYPE a gauge\na 1\n", true).error != "");                  // no # EOF
  CHECK(exposition::parse("# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\na 2\n", false).error != "");  // not contiguous
  CHECK(exposition::parse("# TYPE a histogram\na_bucket{le=\"1\"} 2\na_bucket{le=\"+Inf\"} 1\na_count 1\n", false)
            .error != "");
  CHECK(exposition::parse("# TYPE a histogram\na_bucket{le=\"+Inf\"} 2\na_count 1\n", false).error != "");
  CHECK(exposition::parse("# TYPE a gauge\na{x=\"\\q\"} 1\n", false).error != "");
  CHECK(exposition::parse("# TYPE a gauge\na 1\na 2\n", false).error != "");
  CHECK(exposition::parse("# TYPE a gauge\na 1", false).error != "");
}
