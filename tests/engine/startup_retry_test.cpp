// Tests for cts/engine/startup_retry.hpp: which start-up failures are retried, how long
// the backoff waits, and when it gives up, on an injected clock and sleep. Expected
// delays follow rate::RetryPolicy's documented full jitter: retry n waits at most
// min(cap, base·2^n).
#include <cts/engine/startup_retry.hpp>

#include <string>
#include <vector>

#include <doctest/doctest.h>

using namespace cts;
using namespace std::chrono_literals;

namespace {

// A StartupRetry whose clock advances only by the waits it asks for, recording them.
struct FakeTime {
  SteadyTime now{};
  std::vector<Nanos> waits;
  std::vector<std::string> lines;
  engine::StartupRetry retry() {
    engine::StartupRetry r;
    r.now = [this] { return now; };
    r.sleep = [this](Nanos d) {
      waits.push_back(d);
      now += d;
    };
    r.log = [this](std::string_view line) { lines.emplace_back(line); };
    return r;
  }
};

}  // namespace

TEST_CASE("startup retry: a read that fails for a transient reason is run again until it succeeds") {
  FakeTime time;
  const engine::StartupRetry retry = time.retry();
  int calls = 0;
  const Result<int> read = engine::retry_startup_read("reading the venue's clock", retry, [&]() -> Result<int> {
    ++calls;
    if (calls == 1) return make_error(ErrorCode::unknown_outcome, "connection reset after the request was sent");
    if (calls == 2) return make_error(ErrorCode::rate_limited, "429");
    if (calls == 3) return make_error(ErrorCode::venue_unavailable, "503");
    return 42;
  });
  REQUIRE(read);
  CHECK(*read == 42);
  CHECK(calls == 4);
  REQUIRE(time.waits.size() == 3);
  // Retry n waits at most 250 ms · 2^n.
  CHECK(time.waits[0] <= 250ms);
  CHECK(time.waits[1] <= 500ms);
  CHECK(time.waits[2] <= 1000ms);
  REQUIRE(time.lines.size() == 3);
  CHECK(time.lines[0].starts_with("reading the venue's clock failed (unknown_outcome"));
  CHECK(time.lines[0].find("retrying in") != std::string::npos);
}

TEST_CASE("startup retry: a failure a retry cannot cure is returned at once") {
  FakeTime time;
  int calls = 0;
  const Result<void> read = engine::retry_startup_read("the start-up reconciliation", time.retry(), [&]() -> Result<void> {
    ++calls;
    return make_error(ErrorCode::auth_failed, "13004 invalid_credentials");
  });
  REQUIRE_FALSE(read);
  CHECK(read.error().code == ErrorCode::auth_failed);
  CHECK(calls == 1);
  CHECK(time.waits.empty());
}

TEST_CASE("startup retry: the attempts and the budget bound the retries; the last error stands") {
  FakeTime time;
  engine::StartupRetry retry = time.retry();
  int calls = 0;
  const auto unreachable = [&]() -> Result<void> {
    ++calls;
    return make_error(ErrorCode::network, fmt::format("connect refused ({})", calls));
  };
  const Result<void> spent = engine::retry_startup_read("reading the instrument", retry, unreachable);
  REQUIRE_FALSE(spent);
  CHECK(calls == 6);  // the policy's max_attempts
  CHECK(spent.error().message == "connect refused (6)");

  // A budget of 1 s with waits of up to 4 s: it stops before a wait would pass the budget.
  FakeTime budgeted;
  retry = budgeted.retry();
  retry.policy.base = 4s;
  retry.policy.budget = 1s;
  calls = 0;
  (void)engine::retry_startup_read("reading the instrument", retry, unreachable);
  Nanos waited{0};
  for (Nanos d : budgeted.waits) waited += d;
  CHECK(waited <= 1s);
  CHECK(calls == static_cast<int>(budgeted.waits.size()) + 1);
}
