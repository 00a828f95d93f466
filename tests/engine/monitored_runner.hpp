#pragma once
// A SessionRunner for the monitor and operations API tests: its health checks are
// pushed checks the test sets (the registry is thread-safe), its detail is what the
// test stores; its steps do nothing.
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <cts/engine/coordinator.hpp>
#include <cts/health/registry.hpp>

namespace cts::engine::testing {

/// The checks a trading session registers that the monitor's rules read.
inline constexpr std::string_view kMonitoredChecks[] = {"journal:writable", "venue:connectivity",
                                                        "venue:user-stream", "market-data:staleness"};

/// Shared between the test and the runner the coordinator owns.
struct MonitoredState {
  health::HealthRegistry health;
  health::MetricsRegistry metrics;
  std::mutex mutex;
  std::optional<SessionDetail> detail;

  MonitoredState() {
    const SteadyTime now = RealClock{}.steady_now();
    for (std::string_view name : kMonitoredChecks) {
      health::CheckSpec spec;
      spec.name = std::string(name);
      spec.failure_threshold = 1;
      spec.staleness_limit = std::chrono::hours{24};
      health.add_pushed(std::move(spec), now);
      (void)health.set_status(name, health::Status::pass, now);
    }
  }
  /// Pushes `status` to check `name`.
  void set(std::string_view name, health::Status status, std::string output = {}) {
    health::CheckResult r;
    r.status = status;
    r.output = std::move(output);
    r.time = RealClock{}.system_now();
    REQUIRE(health.set_result(name, std::move(r), RealClock{}.steady_now()));
  }
};

class MonitoredRunner final : public SessionRunner {
 public:
  explicit MonitoredRunner(std::shared_ptr<MonitoredState> state) : state_(std::move(state)) {}
  Result<void> step(SteadyTime) override { return {}; }
  void pause() override {}
  void resume() override {}
  void shutdown(SteadyTime, ShutdownPolicy) override {}
  void kill(std::string) override {}
  std::string status_line(SteadyTime) const override { return "monitored"; }
  SessionSummary summary(SteadyTime) override { return {}; }
  std::optional<SessionDetail> detail(SteadyTime) const override {
    std::lock_guard lock(state_->mutex);
    return state_->detail;
  }
  const health::MetricsRegistry* metrics() const noexcept override { return &state_->metrics; }
  const health::HealthRegistry* health() const noexcept override { return &state_->health; }

 private:
  std::shared_ptr<MonitoredState> state_;
};

}  // namespace cts::engine::testing
