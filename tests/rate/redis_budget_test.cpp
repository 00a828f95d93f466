// Tests for cts/rate/redis_budget.hpp against a real Redis server: the shared budget
// never grants more than the pools allow however many clients hammer it, bans and usage
// from one process reach the others, and the local fallback when the server is killed,
// then the way back when it is restarted.
//
// The server is the cts_redis ctest fixture's (tests/support/redis-server); run by
// hand without it (CTS_TEST_REDIS_DIR unset) every case skips with exit code 77.
#include <cts/rate/policies/binance.hpp>
#include <cts/rate/redis_budget.hpp>

#include <doctest/doctest.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include "rate/audit.hpp"

using namespace cts;
using namespace cts::rate;
using namespace std::chrono_literals;

namespace {

/// Skips the whole file (exit 77, ctest's SKIP_RETURN_CODE) when run without the fixture.
const char* fixture_dir() {
  const char* dir = std::getenv("CTS_TEST_REDIS_DIR");
  if (dir == nullptr) {
    std::fprintf(stderr,
                 "\n*** rate/redis_budget SKIPPED: no Redis server (CTS_TEST_REDIS_DIR is not set). Run it through "
                 "ctest or scripts/test, whose cts_redis fixture starts one. ***\n\n");
    std::fflush(stderr);
    std::_Exit(77);
  }
  return dir;
}

std::string read_url(const std::string& dir) {
  std::ifstream in(dir + "/url");
  std::string url;
  std::getline(in, url);
  return url;
}

/// The fixture server's URL (fails when the fixture did not start one).
std::string fixture_url() {
  const std::string url = read_url(fixture_dir());
  REQUIRE_MESSAGE(!url.empty(), "the cts_redis fixture wrote no URL");
  return url;
}

/// A base URL no other case (or run) uses, so each case has keys of its own.
std::string fresh_base_url(std::string_view what) {
  static std::atomic<int> counter{0};
  return fmt::format("http://{}.test/{}/{}/{}", what, ::getpid(), counter++,
                     RealClock{}.system_now().time_since_epoch().count());
}

// Test pools (facts chosen for the test, counted as windows: quota_for gives burst
// limit/2 and refill limit - limit/2 per interval):
//   FAST 1000 per 100 ms per IP      -> burst 500, refill 500 / 100 ms (T = 200 µs)
//   ACCT 600 per 100 ms per account  -> burst 300, refill 300 / 100 ms (T = 333.34 µs, 334 µs on the server)
//   SLOW 10 per 1 s per account      -> burst 5, refill 5 / s (T = 200 ms)
constexpr std::array<PoolSpec, 3> kPools{{
    {"FAST", 1000, std::chrono::milliseconds{100}, Scope::ip, Counting::window, "X-Used-Fast", ""},
    {"ACCT", 600, std::chrono::milliseconds{100}, Scope::account, Counting::window, "", ""},
    {"SLOW", 10, std::chrono::seconds{1}, Scope::account, Counting::window, "X-Used-Slow", ""},
}};
constexpr std::array<BanRule, 2> kBans{{{429, Scope::ip, std::chrono::seconds{5}}, {418, Scope::ip, std::chrono::minutes{2}}}};
constexpr VenuePolicy kPolicy{VenueId::binance_spot, kPools, {}, kBans, {}, "test"};

Cost cost_of(std::initializer_list<PoolWeight> items) {
  Cost c;
  for (auto item : items) c.add(item.pool, item.weight);
  return c;
}

std::shared_ptr<RedisBudget> budget_on(const std::string& url, const std::string& base_url,
                                       const VenuePolicy& policy = kPolicy, unsigned share = 100) {
  RedisBudgetOptions options;
  options.url = url;
  options.base_url = base_url;
  options.api_key = "test-api-key-never-stored";
  options.fallback_share_percent = share;
  options.retry_interval = 20ms;
  auto budget = RedisBudget::create(policy, std::move(options));
  REQUIRE(budget.has_value());
  return *budget;
}

/// One client's grants per pool, in server µs.
using Grants = std::array<std::vector<test::Grant>, 2>;

/// Books random FAST-only and FAST+ACCT costs `attempts` times on `budget`.
Grants hammer(RedisBudget& budget, std::uint64_t seed, int attempts) {
  Grants grants;
  std::mt19937_64 rng(seed);
  for (int i = 0; i < attempts; ++i) {
    const auto weight = static_cast<std::uint32_t>(1 + rng() % 3);
    const Cost cost = rng() % 2 == 0 ? cost_of({{0, weight}}) : cost_of({{0, weight}, {1, 1}});
    const Result<ServerBooking> booked = budget.book_on_server(cost, 30ms);
    if (!booked) {
      REQUIRE(booked.error().code == ErrorCode::rate_limited);
      continue;
    }
    for (const auto& item : cost.view()) grants[item.pool].push_back({booked->ready_us, item.weight});
  }
  return grants;
}

void check_never_over_granted(const std::vector<test::Grant>& fast, const std::vector<test::Grant>& acct) {
  CHECK(fast.size() > 500);
  CHECK(acct.size() > 100);
  // GCRA's promise at the pools' quotas (times in µs): burst + refill·W/interval ...
  CHECK(test::audit_windows(fast, 500, 500, 100'000) == "");
  CHECK(test::audit_windows(acct, 300, 300, 100'000) == "");
  // ... hence the venue's: never more than its limit in any window of its length.
  CHECK(test::max_in_window(fast, 100'000) <= 1000);
  CHECK(test::max_in_window(acct, 100'000) <= 600);
}

/// Runs tests/support/redis-server with `args` (the test's own server).
int run_fixture_script(const std::string& args) {
  const char* script = std::getenv("CTS_TEST_REDIS_SCRIPT");
  REQUIRE(script != nullptr);
  return std::system(fmt::format("{} {} >/dev/null", script, args).c_str());
}

}  // namespace

TEST_CASE("four clients with a connection each hammer one budget: no window ever over-granted [threads]") {
  const std::string url = fixture_url();
  const std::string base_url = fresh_base_url("hammer");
  std::vector<std::shared_ptr<RedisBudget>> budgets;
  for (int t = 0; t < 4; ++t) budgets.push_back(budget_on(url, base_url));
  std::array<Grants, 4> per_thread;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] { per_thread[t] = hammer(*budgets[t], 1000 + t, 1500); });
  }
  for (auto& thread : threads) thread.join();
  std::vector<test::Grant> fast, acct;
  for (const Grants& grants : per_thread) {
    fast.insert(fast.end(), grants[0].begin(), grants[0].end());
    acct.insert(acct.end(), grants[1].begin(), grants[1].end());
  }
  for (const auto& budget : budgets) CHECK_FALSE(budget->on_fallback());
  check_never_over_granted(fast, acct);
}

TEST_CASE("three processes hammer one budget: no window ever over-granted") {
  const std::string url = fixture_url();
  const std::string base_url = fresh_base_url("processes");
  const std::string records = fmt::format("{}/grants-{}", fixture_dir(), ::getpid());
  std::vector<pid_t> children;
  for (int p = 0; p < 3; ++p) {
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      // The child writes "pool ready_us weight" lines and leaves without doctest's exit path.
      int status = 1;
      try {
        RedisBudgetOptions options;
        options.url = url;
        options.base_url = base_url;
        options.api_key = "test-api-key-never-stored";
        auto budget = RedisBudget::create(kPolicy, options);
        if (budget) {
          std::ofstream out(fmt::format("{}.{}", records, p));
          std::mt19937_64 rng(77 + p);
          for (int i = 0; i < 1500; ++i) {
            const auto weight = static_cast<std::uint32_t>(1 + rng() % 3);
            const Cost cost = rng() % 2 == 0 ? cost_of({{0, weight}}) : cost_of({{0, weight}, {1, 1}});
            const Result<ServerBooking> booked = (*budget)->book_on_server(cost, 30ms);
            if (!booked && booked.error().code != ErrorCode::rate_limited) break;
            if (booked) {
              for (const auto& item : cost.view()) out << int{item.pool} << ' ' << booked->ready_us << ' ' << item.weight << '\n';
            }
          }
          status = (*budget)->on_fallback() ? 2 : 0;
        }
      } catch (...) {
        status = 3;
      }
      std::_Exit(status);
    }
    children.push_back(child);
  }
  for (const pid_t child : children) {
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
  }
  std::vector<test::Grant> fast, acct;
  for (int p = 0; p < 3; ++p) {
    const std::string path = fmt::format("{}.{}", records, p);
    std::ifstream in(path);
    int pool = 0;
    std::int64_t at = 0;
    std::uint64_t weight = 0;
    while (in >> pool >> at >> weight) (pool == 0 ? fast : acct).push_back({at, weight});
    std::remove(path.c_str());
  }
  check_never_over_granted(fast, acct);
}

TEST_CASE("the server's decisions follow GCRA: burst at once, then one unit per T; all or nothing") {
  const auto budget = budget_on(fixture_url(), fresh_base_url("gcra"));
  const Cost one = cost_of({{2, 1}});
  // SLOW: burst 5 at once.
  for (int i = 0; i < 5; ++i) {
    const auto booked = budget->book_on_server(one, 0ms);
    REQUIRE(booked.has_value());
    CHECK(booked->ready_us == booked->server_now_us);
  }
  const auto refused = budget->book_on_server(one, 0ms);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().code == ErrorCode::rate_limited);
  // The sixth may go one T (1 s / 5 = 200 ms) after the first, less the time since.
  const auto sixth = budget->book_on_server(one, 1s);
  REQUIRE(sixth.has_value());
  CHECK(sixth->ready_us > sixth->server_now_us);
  CHECK(sixth->ready_us - sixth->server_now_us <= 200'000);
  // The seventh one T later still.
  const auto seventh = budget->book_on_server(one, 1s);
  REQUIRE(seventh.has_value());
  CHECK(seventh->ready_us - sixth->ready_us == 200'000);

  // All or nothing: FAST+SLOW is refused by SLOW and leaves FAST untouched.
  const LimiterStatus before = budget->status(RealClock{}.steady_now());
  const auto linked = budget->book_on_server(cost_of({{0, 100}, {2, 1}}), 0ms);
  REQUIRE_FALSE(linked.has_value());
  const LimiterStatus after = budget->status(RealClock{}.steady_now());
  CHECK(before.pools[0].used == 0);
  CHECK(after.pools[0].used == 0);
  CHECK(after.pools[2].used == 5);  // full (the burst), however far ahead the bookings go
  CHECK(after.degraded.empty());

  // A cost above a burst can never pass, and says so.
  const auto too_big = budget->reserve(cost_of({{2, 6}}), RealClock{}.steady_now(), 10s);
  REQUIRE_FALSE(too_big.has_value());
  CHECK(too_big.error().code == ErrorCode::invalid_argument);
}

TEST_CASE("a cancelled booking returns its units on the server; one with later bookings keeps them") {
  const auto budget = budget_on(fixture_url(), fresh_base_url("cancel"));
  const Cost one = cost_of({{2, 1}});
  const auto first = budget->reserve(one, RealClock{}.steady_now(), 0ms);
  REQUIRE(first.has_value());
  CHECK(first->shared);
  CHECK(budget->cancel(*first) == 1);
  CHECK(budget->status(RealClock{}.steady_now()).pools[2].used == 0);
  const auto a = budget->reserve(one, RealClock{}.steady_now(), 0ms);
  const auto b = budget->reserve(one, RealClock{}.steady_now(), 0ms);
  REQUIRE(a.has_value());
  REQUIRE(b.has_value());
  CHECK(budget->cancel(*a) == 0);  // b was booked after it
  CHECK(budget->cancel(*b) == 1);
}

TEST_CASE("a ban and a usage report seen by one process hold for every process on the budget") {
  const std::string url = fixture_url();
  const std::string base_url = fresh_base_url("feedback");
  const auto first = budget_on(url, base_url);
  const auto second = budget_on(url, base_url);
  const RealClock clock;

  // The venue reports 9 of SLOW's 10 used: 1 remains, so of the burst of 5, 4 count as
  // used (for the next T = 200 ms at least), for every process.
  HttpResponse usage;
  usage.status = 200;
  usage.set_header("X-Used-Slow", "9");
  REQUIRE(first->on_response(usage, clock.steady_now(), clock.system_now(), nullptr).has_value());
  CHECK(second->status(clock.steady_now()).pools[2].used == 4);
  CHECK_FALSE(second->book_on_server(cost_of({{2, 2}}), 0ms).has_value());

  // A 429 with Retry-After: 7 in the first blocks the IP scope in the second.
  HttpResponse banned;
  banned.status = 429;
  banned.set_header("Retry-After", "7");
  const SteadyTime before = clock.steady_now();
  REQUIRE(first->on_response(banned, before, clock.system_now(), nullptr).has_value());
  const SteadyTime until = second->blocked_until(Scope::ip);
  CHECK(until > before + 6s);
  CHECK(until <= clock.steady_now() + 7s);
  CHECK(second->blocked_until(Scope::account) <= clock.steady_now());
  const auto refused = second->reserve(cost_of({{0, 1}}), clock.steady_now(), 1s);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().code == ErrorCode::rate_limited);
  CHECK(second->status(clock.steady_now()).blocked(Scope::ip, clock.steady_now()));
  // Account pools are not banned by an IP ban.
  CHECK(second->reserve(cost_of({{2, 1}}), clock.steady_now(), 0ms).has_value());

  // A throttle (a venue code in a 200) blocks the scopes of its cost everywhere.
  first->on_throttled(cost_of({{1, 1}}), clock.steady_now(), 3s);
  CHECK(second->blocked_until(Scope::account) > clock.steady_now() + 2s);
}

TEST_CASE("redis keys name the venue, base URL and a hash of the API key, never the key") {
  const std::string url = fixture_url();
  const std::string base_url = fresh_base_url("keys");
  const auto budget = budget_on(url, base_url);
  REQUIRE(budget->reserve(cost_of({{0, 1}, {1, 1}}), RealClock{}.steady_now(), 0ms).has_value());
  FILE* scan = ::popen(fmt::format("redis-cli -u {} --scan --pattern 'cts:rate:*'", url).c_str(), "r");
  REQUIRE(scan != nullptr);
  std::string keys;
  std::array<char, 512> buffer{};
  while (std::fgets(buffer.data(), buffer.size(), scan) != nullptr) keys += buffer.data();
  ::pclose(scan);
  CHECK(keys.find("test-api-key-never-stored") == std::string::npos);
  // SHA-256("test-api-key-never-stored"), first 16 bytes (computed with Python's hashlib).
  const std::string hash = "4022d8839019b92838be422352206bbf";
  CHECK(keys.find(fmt::format("cts:rate:binance:{}:ip:FAST", base_url)) != std::string::npos);
  CHECK(keys.find(fmt::format("cts:rate:binance:{}:key:{}:ACCT", base_url, hash)) != std::string::npos);
}

TEST_CASE("server killed: the local fallback at its share, a warning; restarted: the shared budget again") {
  fixture_dir();  // skips by hand without the fixture
  const std::string dir = fmt::format("{}/fallback-{}", fixture_dir(), ::getpid());
  REQUIRE(run_fixture_script(fmt::format("start {} 0 --requirepass fallback-pw", dir)) == 0);
  const std::string plain_url = read_url(dir);
  const std::string port = plain_url.substr(plain_url.rfind(':') + 1);
  const std::string url = fmt::format("redis://:fallback-pw@127.0.0.1:{}", port);
  std::vector<std::string> logged;
  std::mutex log_mutex;
  RedisBudgetOptions options;
  options.url = url;
  options.base_url = fresh_base_url("fallback");
  options.api_key = "k";
  options.fallback_share_percent = 50;
  options.retry_interval = 20ms;
  options.timeout = 100ms;
  options.log = [&](std::string_view line) {
    std::lock_guard lock(log_mutex);
    logged.emplace_back(line);
  };
  auto created = RedisBudget::create(kPolicy, options);
  REQUIRE(created.has_value());
  const std::shared_ptr<RedisBudget> budget = *created;
  const RealClock clock;
  const Cost one = cost_of({{2, 1}});
  // SLOW's whole burst (5) spent on the server.
  for (int i = 0; i < 5; ++i) {
    const auto shared = budget->reserve(one, clock.steady_now(), 0ms);
    REQUIRE(shared.has_value());
    CHECK(shared->shared);
  }
  CHECK_FALSE(budget->on_fallback());

  REQUIRE(run_fixture_script(fmt::format("stop {}", dir)) == 0);
  // Down: the next request finds out and goes to the fallback, which starts as full as
  // the server was seen (about 1 s ahead): SLOW at 50% is 5 per second (burst 2, refill 3
  // per s, one unit per 333 ms), nothing at once.
  const auto local = budget->reserve(one, clock.steady_now(), 0ms);
  CHECK(budget->on_fallback());
  CHECK_FALSE(local.has_value());
  const auto waited = budget->reserve(one, clock.steady_now(), 2s);
  REQUIRE(waited.has_value());
  CHECK_FALSE(waited->shared);
  const LimiterStatus degraded = budget->status(clock.steady_now());
  CHECK(degraded.pools[2].burst == 2);
  CHECK(degraded.degraded.find("unreachable") != std::string::npos);
  CHECK(degraded.degraded.find("50%") != std::string::npos);
  CHECK(degraded.degraded.find(fmt::format("redis://:***@127.0.0.1:{}/0", port)) != std::string::npos);
  CHECK(degraded.degraded.find("fallback-pw") == std::string::npos);
  // The fallback never grants beyond its share: in any second, at most 5 of SLOW.
  std::vector<test::Grant> grants;
  for (int i = 0; i < 12; ++i) {
    const auto booked = budget->reserve(one, clock.steady_now(), 10s);
    REQUIRE(booked.has_value());
    grants.push_back({to_ns(booked->ready_at), 1});
  }
  CHECK(test::max_in_window(grants, 1'000'000'000) <= 5);

  // Back up on the same port (empty: no persistence): after the retry interval the
  // shared budget is used again, charged with the 13 units the fallback granted (at most
  // a full pool: SLOW's 5).
  REQUIRE(run_fixture_script(fmt::format("start {} {} --requirepass fallback-pw", dir, port)) == 0);
  bool back = false;
  for (int i = 0; i < 500 && !back; ++i) {
    std::this_thread::sleep_for(20ms);
    back = budget->status(clock.steady_now()).degraded.empty();
  }
  REQUIRE(back);
  CHECK_FALSE(budget->on_fallback());
  const LimiterStatus restored = budget->status(clock.steady_now());
  CHECK(restored.pools[2].burst == 5);
  CHECK(restored.pools[2].used == 5);
  const auto again = budget->reserve(one, clock.steady_now(), 1s);
  REQUIRE(again.has_value());
  CHECK(again->shared);
  REQUIRE(run_fixture_script(fmt::format("stop {}", dir)) == 0);
  std::lock_guard lock(log_mutex);
  REQUIRE(logged.size() >= 2);
  for (const std::string& line : logged) CHECK(line.find("fallback-pw") == std::string::npos);
}
