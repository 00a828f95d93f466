// Tests for cts/health/health_json.hpp against the IETF draft-inadarei-api-health-check-06:
// field names and casing, `checks` arrays, no `output` on
// pass, status <-> HTTP code consistency. The golden file was written by hand from
// the draft's examples.
#include <cts/health/health_json.hpp>

#include <doctest/doctest.h>
#include <simdjson.h>

#include <fstream>
#include <sstream>

using namespace cts;
using namespace cts::health;
using namespace std::chrono_literals;

namespace {
std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
}  // namespace

TEST_CASE("health+json golden document and HTTP status") {
  ManualClock clock;
  HealthRegistry reg;
  CheckSpec hb;
  hb.name = "binance:heartbeat";
  hb.failure_threshold = 1;
  hb.period = 1s;
  auto check = std::make_unique<HeartbeatCheck>(StalenessCheck::Config{500ms, 1s, {}});
  auto* heartbeat = check.get();
  heartbeat->update(clock.steady_now());
  reg.add(hb, std::move(check), clock.steady_now());
  CheckSpec journal;
  journal.name = "journal:lag";
  journal.component_type = "datastore";
  journal.criticality = Criticality::non_critical;
  reg.add_pushed(journal, clock.steady_now());
  clock.advance(1500ms);
  reg.tick(clock.steady_now(), clock.system_now());
  clock.advance(1500ms);
  REQUIRE(reg.set_result("journal:lag", CheckResult{Status::pass, std::nullopt, {}, clock.system_now(), {}},
                         clock.steady_now()));
  // The heartbeat was last updated at t=0: at t=3 s its age is 3000 ms.
  reg.tick(clock.steady_now(), clock.system_now());
  const auto r = health_response(reg, CheckKind::readiness, clock.steady_now(),
                                 HealthDocumentInfo{"1", "0.1.0", "cts-engine", "", 5});
  CHECK(r.status == 503);
  CHECK(r.header("Content-Type").value() == "application/health+json");
  CHECK(r.header("Cache-Control").value() == "max-age=5");
  CHECK(r.body == read_file(std::string(CTS_TEST_DATA_DIR) + "/health/data/health_ready.json"));

  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  REQUIRE(parser.parse(r.body).get(doc) == simdjson::SUCCESS);
  CHECK(std::string_view(doc["status"]) == "fail");
  simdjson::dom::array entries;
  REQUIRE(doc["checks"]["journal:lag"].get_array().get(entries) == simdjson::SUCCESS);
  CHECK(entries.size() == 1);
  simdjson::dom::element pass_entry = entries.at(0);
  CHECK(pass_entry["output"].error() == simdjson::NO_SUCH_FIELD);
  CHECK(pass_entry["affectedEndpoints"].error() == simdjson::NO_SUCH_FIELD);
}

TEST_CASE("pass renders 200 without output; liveness unknown is warn with 200") {
  ManualClock clock;
  HealthRegistry reg;
  CheckSpec loop;
  loop.name = "engine:loop";
  loop.kind = CheckKind::liveness;
  reg.add_pushed(loop, clock.steady_now());
  auto r = health_response(reg, CheckKind::liveness, clock.steady_now());
  CHECK(r.status == 200);
  CHECK(r.body == R"j({"status":"pass","checks":{"engine:loop":[{"componentId":"engine","componentType":"component","status":"pass"}]}})j");
  clock.advance(31s);  // stale: 3 × 10 s period
  r = health_response(reg, CheckKind::liveness, clock.steady_now());
  CHECK(r.status == 200);
  CHECK(r.body.find(R"j("status":"warn")j") != std::string::npos);
  CHECK(r.body.find(R"j("output":"no fresh result (stale)")j") != std::string::npos);
  r = health_response(reg, CheckKind::readiness, clock.steady_now());
  CHECK(r.status == 503);  // no readiness check at all: unknown, not ready
  CHECK(r.body == R"j({"status":"fail","checks":{}})j");
}
