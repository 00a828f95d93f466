// Tests for cts/engine/ops_api.hpp through ControlApi (sans-I/O): every operations route
// with a monitor over a coordinator whose session's checks and detail the test sets —
// the token refused before anything, the JSON shapes of docs/engine.md, each bad input
// a 400/404/405/409/415 naming what was wrong and changing nothing, and the routes
// without a monitor.
#include <cts/engine/ops_api.hpp>

#include <doctest/doctest.h>

#include <cts/engine/control_api.hpp>
#include <cts/engine/monitor.hpp>
#include <cts/store/private_temp_dir.hpp>

#include "fake_runner.hpp"
#include "health/fake_transport.hpp"
#include "monitored_runner.hpp"

using namespace cts;
using namespace cts::engine;
using namespace cts::engine::testing;
using namespace std::chrono_literals;

namespace {

constexpr std::string_view kToken = "ops-token-8d1f0b7c2e";
constexpr std::string_view kAuthority = "127.0.0.1:9100";

struct Rig {
  Coordinator coordinator;
  std::shared_ptr<MonitoredState> session = std::make_shared<MonitoredState>();
  fake::Transport transport;
  std::unique_ptr<Monitor> monitor;
  std::unique_ptr<ControlApi> api;

  explicit Rig(std::unique_ptr<MonitorStore> store = nullptr) {
    REQUIRE(coordinator.add("s1", std::make_unique<MonitoredRunner>(session), fast()));
    coordinator.start_all();
    REQUIRE(eventually([&] { return coordinator.state("s1").value() == SessionState::running; }));
    MonitorConfig config;
    config.for_ = 0s;
    config.group_wait = 0s;
    config.group_interval = 1s;
    Result<std::unique_ptr<Monitor>> m = Monitor::create(coordinator, config, transport, {}, std::move(store));
    REQUIRE(m);
    monitor = std::move(*m);
    api = std::make_unique<ControlApi>(coordinator, sign::Secret(kToken), std::string(kAuthority), "cts-engine",
                                       monitor.get());
  }
  void evaluate() { monitor->evaluate(RealClock{}.system_now(), RealClock{}.steady_now()); }
  HttpResponse get(std::string path, std::string query = {}) const {
    HttpRequest r;
    r.method = HttpMethod::get;
    r.path = std::move(path);
    r.query = std::move(query);
    r.headers = {{"Host", std::string(kAuthority)}, {"Authorization", fmt::format("Bearer {}", kToken)}};
    return api->handle(r);
  }
  HttpResponse post(std::string path, std::string body, bool json = true) const {
    HttpRequest r;
    r.method = HttpMethod::post;
    r.path = std::move(path);
    r.body = std::move(body);
    r.headers = {{"Host", std::string(kAuthority)}, {"Authorization", fmt::format("Bearer {}", kToken)}};
    if (json) r.headers.set("Content-Type", "application/json");
    return api->handle(r);
  }
  std::string firing_id(std::string_view alertname) const {
    for (const AlertView& a : monitor->alerts(true, 100, RealClock{}.system_now())) {
      if (a.record.labels.get("alertname") == alertname) return a.record.id;
    }
    FAIL("no firing alert ", alertname);
    return {};
  }
};

bool has(const HttpResponse& r, std::string_view text) { return r.body.find(text) != std::string::npos; }

}  // namespace

TEST_CASE("ops API: every route needs the token; a refused request changes nothing [threads]") {
  Rig rig;
  rig.session->set("venue:connectivity", health::Status::fail, "down");
  rig.evaluate();
  const std::string id = rig.firing_id("VenueUnreachable");
  for (std::string_view path : {"/api/overview", "/api/sessions", "/api/sessions/s1", "/api/alerts", "/api/silences",
                                "/api/incidents", "/api/incidents/INC-1", "/api/uptime"}) {
    HttpRequest r;
    r.path = std::string(path);
    r.headers = {{"Host", std::string(kAuthority)}};
    CHECK_MESSAGE(rig.api->handle(r).status == 401, path);
    r.headers.set("Authorization", "Bearer wrong-token");
    CHECK_MESSAGE(rig.api->handle(r).status == 401, path);
  }
  HttpRequest ack;
  ack.method = HttpMethod::post;
  ack.path = fmt::format("/api/alerts/{}/acknowledge", id);
  ack.body = R"({"by":"mallory"})";
  ack.headers = {{"Host", std::string(kAuthority)}, {"Content-Type", "application/json"}};
  CHECK(rig.api->handle(ack).status == 401);
  ack.headers.set("Authorization", fmt::format("Bearer {}", kToken));
  ack.headers.set("Origin", "http://evil.example");
  CHECK(rig.api->handle(ack).status == 403);
  CHECK(rig.monitor->alert(id, RealClock{}.system_now())->record.acknowledged_by.empty());
}

TEST_CASE("ops API: /api/sessions shows venue, instrument, position, PnL and open orders as exact decimals [threads]") {
  Rig rig;
  SessionDetail d;
  d.venue = "binance";
  d.market = "spot";
  d.symbol = "BTCUSDT";
  d.order_transport = "ws";
  d.position = Decimal::parse("0.003").value();
  d.average_price = Decimal::parse("65000.5").value();
  d.realized_pnl = Decimal::parse("-1.25").value();
  d.unrealized_pnl = Decimal::parse("0.0015").value();
  d.open_orders.push_back(OpenOrderDetail{"cts-7-1", Side::sell, Decimal::parse("65010").value(),
                                          Decimal::parse("0.001").value(), Decimal::parse("0.0004").value(),
                                          "partially_filled"});
  {
    std::lock_guard lock(rig.session->mutex);
    rig.session->detail = d;
  }
  REQUIRE(eventually([&] { return rig.coordinator.states()[0].detail.has_value(); }));
  const HttpResponse all = rig.get("/api/sessions");
  REQUIRE(all.status == 200);
  CHECK(all.header("Content-Type") == "application/json");
  CHECK(all.body ==
        R"({"sessions":[{"name":"s1","state":"running","venue":"binance","market":"spot","symbol":"BTCUSDT",)"
        R"("order_transport":"ws","position":"0.003","average_price":"65000.5","realized_pnl":"-1.25",)"
        R"("unrealized_pnl":"0.0015","open_orders":[{"client_order_id":"cts-7-1","side":"sell","price":"65010",)"
        R"("quantity":"0.001","filled":"0.0004","status":"partially_filled"}],"status":"monitored","error":"",)"
        R"("restarts":0}]})"
        "\n");
  const HttpResponse one = rig.get("/api/sessions/s1");
  REQUIRE(one.status == 200);
  CHECK(one.body.starts_with(R"({"session":{"name":"s1","state":"running","venue":"binance")"));
  const HttpResponse unknown = rig.get("/api/sessions/nope");
  CHECK(unknown.status == 404);
  CHECK(unknown.body == "{\"error\":\"unknown session \\\"nope\\\"\"}\n");
  CHECK(rig.post("/api/sessions", "{}").status == 405);
  CHECK(rig.get("/api/sessions", "x=1").status == 400);
}

TEST_CASE("ops API: /api/overview names each component and the worst status [threads]") {
  Rig rig;
  const HttpResponse healthy = rig.get("/api/overview");
  REQUIRE(healthy.status == 200);
  CHECK(has(healthy, R"({"status":"HEALTHY","firing_alerts":0,"started_at":")"));
  CHECK(has(healthy, R"({"name":"s1/journal:writable","status":"UP","output":""})"));
  CHECK(has(healthy, R"({"name":"s1/session:state","status":"UP","output":"running"})"));
  rig.session->set("venue:user-stream", health::Status::warn, "user stream down for 12 s");
  CHECK(has(rig.get("/api/overview"), R"({"status":"DEGRADED")"));
  rig.session->set("journal:writable", health::Status::fail, "disk full");
  const HttpResponse critical = rig.get("/api/overview");
  CHECK(has(critical, R"({"status":"CRITICAL")"));
  CHECK(has(critical, R"({"name":"s1/journal:writable","status":"DOWN","output":"disk full"})"));
  CHECK(has(critical, R"({"name":"s1/venue:user-stream","status":"DEGRADED","output":"user stream down for 12 s"})"));
  CHECK(rig.get("/api/overview/x").status == 404);
}

TEST_CASE("ops API: /api/overview counts the firing alerts that no silence matches [threads]") {
  Rig rig;
  rig.session->set("venue:user-stream", health::Status::fail, "user stream down");
  rig.session->set("journal:writable", health::Status::fail, "disk full");
  rig.evaluate();
  const std::string stream = rig.firing_id("UserStreamDown");
  const std::string journal = rig.firing_id("JournalErrors");
  // The checks pass again; the alerts fire until the next evaluation, and the overview
  // says so: a critical alert makes it CRITICAL, an error one DEGRADED.
  rig.session->set("venue:user-stream", health::Status::pass);
  rig.session->set("journal:writable", health::Status::pass);
  CHECK(has(rig.get("/api/overview"), R"({"status":"CRITICAL","firing_alerts":2,)"));
  REQUIRE(rig.post(fmt::format("/api/alerts/{}/silence", journal), R"({"duration":"1h","by":"bob"})").status == 200);
  CHECK(has(rig.get("/api/overview"), R"({"status":"DEGRADED","firing_alerts":1,)"));
  // Acknowledging is not fixing: the alert still counts.
  REQUIRE(rig.post(fmt::format("/api/alerts/{}/acknowledge", stream), R"({"by":"alice"})").status == 200);
  CHECK(has(rig.get("/api/overview"), R"({"status":"DEGRADED","firing_alerts":1,)"));
  rig.evaluate();
  CHECK(has(rig.get("/api/overview"), R"({"status":"HEALTHY","firing_alerts":0,)"));
}

TEST_CASE("ops API: alerts are listed, acknowledged once and silenced; bad input changes nothing [threads]") {
  Rig rig;
  rig.session->set("venue:user-stream", health::Status::fail, "user stream down");
  rig.evaluate();
  const std::string id = rig.firing_id("UserStreamDown");
  const HttpResponse list = rig.get("/api/alerts");
  REQUIRE(list.status == 200);
  CHECK(has(list, fmt::format(R"({{"alerts":[{{"id":"{}","name":"UserStreamDown","severity":"error","state":"firing",)"
                              R"("silenced":false,"acknowledged":false,"acknowledged_by":null,"acknowledged_at":null,)"
                              R"("starts_at":")",
                              id)));
  CHECK(has(list, R"("ends_at":null,"labels":{"alertname":"UserStreamDown","session":"s1","severity":"error"},)"
                  R"("summary":"session s1: the user data stream is down","description":"user stream down",)"
                  R"("incident":null})"));
  CHECK(rig.get("/api/alerts", "state=all&limit=1").status == 200);
  CHECK(rig.get("/api/alerts", "state=open").body == "{\"error\":\"state must be active or all, not \\\"open\\\"\"}\n");
  CHECK(rig.get("/api/alerts", "limit=0").status == 400);
  CHECK(rig.get("/api/alerts", "limit=abc").status == 400);
  CHECK(rig.get("/api/alerts", "since=1").body == "{\"error\":\"unknown query parameter \\\"since\\\"\"}\n");
  CHECK(rig.get("/api/alerts", "limit=1&limit=2").status == 400);

  const std::string ack = fmt::format("/api/alerts/{}/acknowledge", id);
  CHECK(rig.post(ack, R"({"by":"alice"})", false).status == 415);
  CHECK(rig.get(ack).status == 405);
  CHECK(rig.post(ack, "not json").body == "{\"error\":\"the body must be a JSON object\"}\n");
  CHECK(rig.post(ack, R"({"by":7})").body == "{\"error\":\"field by must be a string\"}\n");
  CHECK(rig.post(ack, R"({"who":"alice"})").body == "{\"error\":\"unknown field \\\"who\\\" in the body\"}\n");
  CHECK(rig.post(ack, R"({"note":"x"})").body == "{\"error\":\"field by (who acknowledges) is required\"}\n");
  CHECK(rig.post("/api/alerts/0123456789abcdef/acknowledge", R"({"by":"alice"})").body ==
        "{\"error\":\"unknown alert \\\"0123456789abcdef\\\"\"}\n");
  CHECK(rig.post(fmt::format("/api/alerts/{}/mute", id), R"({"by":"alice"})").status == 404);
  CHECK(rig.monitor->alert(id, RealClock{}.system_now())->record.acknowledged_by.empty());

  const HttpResponse done = rig.post(ack, R"({"by":"alice","note":"on it"})");
  REQUIRE(done.status == 200);
  CHECK(has(done, R"("acknowledged":true,"acknowledged_by":"alice","acknowledged_at":")"));
  const HttpResponse again = rig.post(ack, R"({"by":"bob"})");
  CHECK(again.status == 409);
  CHECK(again.body == fmt::format("{{\"error\":\"alert {} is already acknowledged by alice\"}}\n", id));

  const std::string silence = fmt::format("/api/alerts/{}/silence", id);
  CHECK(rig.post(silence, R"({"duration":"30x","by":"bob"})").body ==
        "{\"error\":\"field duration must be like 30m, 2h or 1d (at most 90d), not \\\"30x\\\"\"}\n");
  CHECK(rig.post(silence, R"({"duration":"91d","by":"bob"})").status == 400);
  CHECK(rig.post(silence, R"({"duration":"1h"})").status == 400);
  CHECK(rig.monitor->silences().empty());
  const HttpResponse silenced = rig.post(silence, R"({"duration":"1h30m","by":"bob","comment":"venue maintenance"})");
  REQUIRE(silenced.status == 200);
  CHECK(has(silenced, R"({"silence":{"id":"silence-1","matchers":{"alertname":"UserStreamDown","session":"s1",)"
                      R"("severity":"error"},"starts_at":")"));
  CHECK(has(silenced, R"("by":"bob","comment":"venue maintenance"}})"));
  const health::Silence kept = rig.monitor->silences().at(0);
  CHECK(kept.ends_at - kept.starts_at == 90min);
  CHECK(has(rig.get("/api/alerts"), R"("silenced":true)"));
  CHECK(has(rig.get("/api/silences"), R"({"silences":[{"id":"silence-1",)"));
  CHECK(rig.post("/api/silences/silence-9/expire", "{}").status == 404);
  CHECK(rig.post("/api/silences/silence-1/expire", "{}", false).status == 415);
  CHECK(rig.post("/api/silences/silence-1/expire", "{}").status == 200);
  const HttpResponse expired = rig.post("/api/silences/silence-1/expire", "{}");
  CHECK(expired.status == 409);
  CHECK(expired.body == "{\"error\":\"silence silence-1 has expired already\"}\n");

  // Resolved: acknowledging it is an illegal transition.
  rig.session->set("venue:user-stream", health::Status::pass);
  rig.evaluate();
  CHECK(rig.get("/api/alerts").body == "{\"alerts\":[]}\n");
  CHECK(has(rig.get("/api/alerts", "state=all"), R"("state":"resolved")"));
}

TEST_CASE("ops API: incidents are listed with their timeline and moved through their lifecycle [threads]") {
  Rig rig;
  rig.session->set("journal:writable", health::Status::fail, "disk full");
  rig.evaluate();
  const HttpResponse open = rig.get("/api/incidents");
  REQUIRE(open.status == 200);
  CHECK(has(open, R"({"incidents":[{"id":"INC-1","title":"session s1 cannot write its journal","severity":"critical",)"
                  R"("state":"triggered","opened_at":")"));
  CHECK(has(open, R"("acknowledged_at":null,"acknowledged_by":null,"resolved_at":null,"closed_at":null,)"
                  R"("alerts":["JournalErrors"]})"));
  CHECK(rig.get("/api/incidents", "state=closed").status == 400);
  CHECK(has(rig.get("/api/incidents/INC-1"), R"("timeline":[{"at":")"));
  CHECK(rig.get("/api/incidents/INC-7").status == 404);

  CHECK(rig.post("/api/incidents/INC-1/close", R"({"by":"carol"})").body ==
        "{\"error\":\"incident INC-1 is triggered, only a resolved incident can be closed\"}\n");
  CHECK(rig.post("/api/incidents/INC-1/note", R"({"by":"carol"})").body ==
        "{\"error\":\"field text is required for a note\"}\n");
  CHECK(rig.post("/api/incidents/INC-1/note", R"({"by":"carol","text":"x","status":"fixed"})").body ==
        "{\"error\":\"field status must be investigating, identified or monitoring, not \\\"fixed\\\"\"}\n");
  CHECK(rig.post("/api/incidents/INC-1/note", R"({"text":"x"})").body == "{\"error\":\"field by (who acts) is required\"}\n");
  CHECK(rig.post("/api/incidents/INC-1/escalate", R"({"by":"carol"})").status == 404);
  CHECK(rig.get("/api/incidents/INC-1/acknowledge").status == 405);
  CHECK(rig.monitor->incident("INC-1")->timeline.size() == 1);

  const HttpResponse acked = rig.post("/api/incidents/INC-1/acknowledge", R"({"by":"carol","text":"looking"})");
  REQUIRE(acked.status == 200);
  CHECK(has(acked, R"("state":"acknowledged")"));
  CHECK(has(acked, R"("acknowledged_by":"carol")"));
  // The alert behind it is acknowledged with it.
  CHECK(rig.monitor->alert(rig.firing_id("JournalErrors"), RealClock{}.system_now())->record.acknowledged_by == "carol");
  const HttpResponse noted =
      rig.post("/api/incidents/INC-1/note", R"({"by":"carol","text":"disk found","status":"identified"})");
  REQUIRE(noted.status == 200);
  CHECK(has(noted, R"("event":"note","by":"carol","status":"identified","text":"disk found"})"));
  CHECK(rig.post("/api/incidents/INC-1/resolve", R"({"by":"carol"})").status == 200);
  CHECK(rig.post("/api/incidents/INC-1/resolve", R"({"by":"carol"})").status == 409);
  const HttpResponse closed = rig.post("/api/incidents/INC-1/close", R"({"by":"carol","postmortem":"PM-12"})");
  REQUIRE(closed.status == 200);
  CHECK(has(closed, R"("state":"closed")"));
  CHECK(has(closed, R"("event":"closed","by":"carol","status":null,"text":"postmortem: PM-12"})"));
  CHECK(rig.get("/api/incidents").body == "{\"incidents\":[]}\n");
  CHECK(has(rig.get("/api/incidents", "state=all"), R"("id":"INC-1")"));
}

TEST_CASE("ops API: /api/uptime from the history; every monitor route is 404 without a monitor [threads]") {
  Result<store::PrivateTempDir> dir = store::PrivateTempDir::create("cts-ops-api");
  REQUIRE(dir);
  Result<std::unique_ptr<MonitorStore>> store = MonitorStore::open(dir->path() / "monitor.db");
  REQUIRE(store);
  Rig rig(std::move(*store));
  rig.evaluate();
  rig.session->set("venue:connectivity", health::Status::fail, "down");
  rig.evaluate();
  const HttpResponse uptime = rig.get("/api/uptime", "hours=1");
  REQUIRE(uptime.status == 200);
  CHECK(has(uptime, R"({"name":"s1/venue:connectivity","uptime_ratio":0.5,"samples":[{"at":")"));
  CHECK(has(uptime, R"(","status":"UP"},{"at":")"));
  CHECK(has(uptime, R"(","status":"DOWN"}]})"));
  CHECK(rig.get("/api/uptime", "hours=0").status == 400);
  CHECK(rig.get("/api/uptime", "hours=-1").status == 400);

  ControlApi bare(rig.coordinator, sign::Secret(kToken), std::string(kAuthority));
  for (std::string_view path : {"/api/overview", "/api/alerts", "/api/silences", "/api/incidents", "/api/uptime"}) {
    HttpRequest r;
    r.path = std::string(path);
    r.headers = {{"Host", std::string(kAuthority)}, {"Authorization", fmt::format("Bearer {}", kToken)}};
    const HttpResponse answer = bare.handle(r);
    CHECK_MESSAGE(answer.status == 404, path);
    CHECK(has(answer, "the monitor is off"));
  }
  HttpRequest sessions;
  sessions.path = "/api/sessions";
  sessions.headers = {{"Host", std::string(kAuthority)}, {"Authorization", fmt::format("Bearer {}", kToken)}};
  CHECK(bare.handle(sessions).status == 200);
}
