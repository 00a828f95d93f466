#pragma once
// A SessionRunner for tests: records what the coordinator asked of it (and from which
// thread), can fail its open or steps and hold a step, and exposes one metric family.
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <set>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cts/engine/coordinator.hpp>

namespace cts::engine::testing {

using namespace std::chrono_literals;

/// What a FakeRunner saw, readable from the test thread.
struct FakeRecord {
  mutable std::mutex mutex;
  std::vector<std::string> events;    // "open", "pause", "resume", "shutdown:cancel", "shutdown:keep", "kill"
  std::set<std::thread::id> threads;  // every thread that called the runner
  int steps = 0;
  bool fail_open = false;
  bool fail_steps = false;
  bool hold_steps = false;  // a step blocks while this is true
  bool hold_open = false;   // open() blocks until its stop is requested, then fails
  std::condition_variable released;

  int count(std::string_view event) const {
    std::lock_guard lock(mutex);
    return static_cast<int>(std::count(events.begin(), events.end(), event));
  }
  int step_count() const {
    std::lock_guard lock(mutex);
    return steps;
  }
  std::set<std::thread::id> callers() const {
    std::lock_guard lock(mutex);
    return threads;
  }
  void release() {
    std::lock_guard lock(mutex);
    hold_steps = false;
    released.notify_all();
  }
};

class FakeRunner final : public SessionRunner {
 public:
  explicit FakeRunner(std::shared_ptr<FakeRecord> record) : record_(std::move(record)) {
    steps_metric_ = &metrics_.counter({"fake_steps", "Steps of the fake"}).add({});
    metrics_.gauge({"fake_position", "A holding, kept out of the public metrics"}).add({}).set(0.5);
  }
  Result<void> open(SteadyTime, std::stop_token stop) override {
    note("open");
    bool hold = false;
    {
      std::lock_guard lock(record_->mutex);
      hold = record_->hold_open;
    }
    if (hold) {
      // As a start-up waiting for a retry: only a stop ends the wait.
      std::mutex waiting;
      std::condition_variable_any woken;
      std::unique_lock wait_lock(waiting);
      woken.wait(wait_lock, stop, [] { return false; });
      note("open:stopped");
      return make_error(ErrorCode::cancelled, "fake open stopped");
    }
    std::lock_guard lock(record_->mutex);
    if (record_->fail_open) return make_error(ErrorCode::network, "fake open failure");
    return {};
  }
  Result<void> step(SteadyTime) override {
    std::unique_lock lock(record_->mutex);
    record_->threads.insert(std::this_thread::get_id());
    ++record_->steps;
    steps_metric_->inc();
    record_->released.wait(lock, [&] { return !record_->hold_steps; });
    if (record_->fail_steps) return make_error(ErrorCode::network, "fake step failure");
    return {};
  }
  void pause() override { note("pause"); }
  void resume() override { note("resume"); }
  void shutdown(SteadyTime, ShutdownPolicy policy) override {
    note(policy == ShutdownPolicy::cancel_orders ? "shutdown:cancel" : "shutdown:keep");
  }
  void kill(std::string) override { note("kill"); }
  std::string status_line(SteadyTime) const override {
    std::lock_guard lock(record_->mutex);
    return fmt::format("steps={}", record_->steps);
  }
  SessionSummary summary(SteadyTime) override {
    SessionSummary s;
    s.orders.orders_submitted = 2;
    s.positions["BTC/USDT"] = Decimal::parse("0.5").value();
    s.health = "pass";
    return s;
  }
  const health::MetricsRegistry* metrics() const noexcept override { return &metrics_; }

 private:
  void note(std::string event) {
    std::lock_guard lock(record_->mutex);
    record_->threads.insert(std::this_thread::get_id());
    record_->events.push_back(std::move(event));
  }
  std::shared_ptr<FakeRecord> record_;
  health::MetricsRegistry metrics_;
  health::Counter* steps_metric_ = nullptr;
};

inline SessionOptions fast(ShutdownPolicy policy = ShutdownPolicy::cancel_orders, std::uint32_t max_errors = 100) {
  SessionOptions options;
  options.step_interval = 5ms;
  options.on_shutdown = policy;
  options.max_consecutive_errors = max_errors;
  return options;
}

/// Polls `condition` for up to 20 s (generous: a loaded machine is slow, never wrong).
template <class F>
bool eventually(F&& condition) {
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(2ms);
  }
  return condition();
}

inline std::shared_ptr<FakeRecord> add_fake(Coordinator& c, const std::string& name, SessionOptions options = fast()) {
  auto record = std::make_shared<FakeRecord>();
  REQUIRE(c.add(name, std::make_unique<FakeRunner>(record), options));
  return record;
}

}  // namespace cts::engine::testing
