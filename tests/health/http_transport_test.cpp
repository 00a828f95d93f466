// Integration tests for cts/health/http_transport.hpp: real channels, the real
// notifier and the cts::net HTTP client against a real HTTP server on 127.0.0.1.
// Time for the retry schedule is explicit (the notifier's `now`); the network is real.
#include <cts/health/http_transport.hpp>
#include <cts/net/http_server.hpp>

#include <doctest/doctest.h>

#include <deque>
#include <mutex>

#include "fake_transport.hpp"

using namespace cts;
using namespace cts::health;
using namespace std::chrono_literals;

namespace {
const SystemTime T0{std::chrono::seconds{1'704'067'200}};

// A webhook receiver answering from a script (then 200), counting requests.
class Receiver {
 public:
  explicit Receiver(std::deque<HttpResponse> script)
      : script_(std::move(script)), server_([this](const HttpRequest& r) { return handle(r); }) {}
  [[nodiscard]] std::string url() const { return server_.base_url() + "/hooks/T0KEN"; }
  [[nodiscard]] std::size_t count() {
    const std::lock_guard lock(mutex_);
    return requests_.size();
  }
  [[nodiscard]] HttpRequest last() {
    const std::lock_guard lock(mutex_);
    return requests_.back();
  }

 private:
  HttpResponse handle(const HttpRequest& r) {
    const std::lock_guard lock(mutex_);
    requests_.push_back(r);
    if (script_.empty()) return HttpResponse{200, {}, "ok"};
    auto out = script_.front();
    script_.pop_front();
    return out;
  }
  std::mutex mutex_;
  std::deque<HttpResponse> script_;
  std::vector<HttpRequest> requests_;
  net::HttpServer server_;
};

Notification group(SystemTime at = T0) { return fake::notification("VenueDown", at); }

struct Pipeline {
  HttpNotificationTransport transport{HttpTransportOptions{1000ms, 5000ms, {}, "cts-health-test"}};
  Outbox outbox;
  NotificationLog log;
  Notifier notifier{transport, outbox, log};

  void run_until(SystemTime until) {
    for (int guard = 0; guard < 100; ++guard) {
      auto t = notifier.next_wakeup();
      if (!t || *t > until) return;
      notifier.pump(*t);
    }
  }
};
}  // namespace

TEST_CASE("real HTTP: retries on 503 until delivered [threads]") {
  Receiver receiver({HttpResponse{503, {}, "busy"}, HttpResponse{503, {}, "busy"}});
  Pipeline p;
  p.notifier.add_channel("oncall", std::make_unique<WebhookV4>("hook", WebhookUrl::parse(receiver.url()).value()));
  REQUIRE(p.notifier.submit(group()));
  p.run_until(T0 + 1min);
  CHECK(receiver.count() == 3);
  CHECK(p.notifier.stats("hook").delivered == 1);
  const auto req = receiver.last();
  CHECK(req.path == "/hooks/T0KEN");
  CHECK(req.body.find(R"("version":"4")") != std::string::npos);
  CHECK(req.header("Content-Type").value() == "application/json");
}

TEST_CASE("real HTTP: 429 with Retry-After waits, then delivers [threads]") {
  Receiver receiver({HttpResponse{429, {{"Retry-After", "7"}}, "rate_limited"}});
  Pipeline p;
  p.notifier.add_channel("oncall", std::make_unique<SlackWebhook>("slack", WebhookUrl::parse(receiver.url()).value()));
  REQUIRE(p.notifier.submit(group()));
  p.notifier.pump(T0);
  CHECK(receiver.count() == 1);
  CHECK(p.notifier.next_wakeup() == T0 + 7s);
  p.notifier.pump(T0 + 6999ms);
  CHECK(receiver.count() == 1);
  p.notifier.pump(T0 + 7s);
  CHECK(receiver.count() == 2);
  CHECK(p.notifier.stats("slack").delivered == 1);
}

TEST_CASE("real HTTP: 400 is not retried [threads]") {
  Receiver receiver({HttpResponse{400, {}, "invalid_payload"}});
  Pipeline p;
  p.notifier.add_channel("oncall", std::make_unique<WebhookV4>("hook", WebhookUrl::parse(receiver.url()).value()));
  REQUIRE(p.notifier.submit(group()));
  p.run_until(T0 + 10min);
  CHECK(receiver.count() == 1);
  CHECK(p.notifier.stats("hook").dropped == 1);
  CHECK(p.notifier.take_meta_alerts().size() == 1);
}

TEST_CASE("real HTTP: 401, 403 and 404 disable the channel [threads]") {
  for (const int status : {401, 403, 404}) {
    Receiver receiver({HttpResponse{status, {}, "no"}});
    Pipeline p;
    p.notifier.add_channel("oncall", std::make_unique<DiscordWebhook>("discord", WebhookUrl::parse(receiver.url()).value()));
    REQUIRE(p.notifier.submit(group()));
    p.run_until(T0 + 10min);
    CHECK(receiver.count() == 1);
    CHECK(receiver.last().query == "wait=true");
    CHECK(p.notifier.state("discord") == ChannelState::disabled);
    REQUIRE(p.notifier.submit(group(T0 + 4h + 1s)));
    p.run_until(T0 + 5h);
    CHECK(receiver.count() == 1);
  }
}

TEST_CASE("real HTTP: a refused connection is retried, not lost [threads]") {
  Pipeline p;
  p.notifier.add_channel("oncall", std::make_unique<WebhookV4>("hook", WebhookUrl::parse("http://127.0.0.1:1/x").value()));
  REQUIRE(p.notifier.submit(group()));
  p.notifier.pump(T0);
  CHECK(p.notifier.stats("hook").retries == 1);
  CHECK(p.outbox.size() == 1);
  CHECK(p.notifier.state("hook") == ChannelState::degraded);
}
