// Tests for cts/health/hysteresis.hpp. Debouncer sequences: kubelet prober worker.go;
// flap weights: Nagios base/flapping.c, percentages computed independently in Python
// from the formula.
#include <cts/health/hysteresis.hpp>

#include <doctest/doctest.h>

#include <string_view>

using namespace cts::health;

namespace {
Status from_char(char c) { return c == 'P' ? Status::pass : Status::fail; }
}  // namespace

TEST_CASE("debouncer: failure_threshold 3 publishes on the third failure") {
  Debouncer d(CheckKind::liveness, 3, 1);
  CHECK(d.published() == Status::pass);
  CHECK_FALSE(d.on_result(Status::fail));
  CHECK_FALSE(d.on_result(Status::fail));
  CHECK(d.published() == Status::pass);
  CHECK(d.on_result(Status::fail) == Status::fail);
  CHECK(d.run() == 3);
}

TEST_CASE("debouncer: S,F,S,F,F,F publishes pass then fail on the last F") {
  Debouncer d(CheckKind::readiness, 3, 1);
  CHECK(d.published() == Status::fail);  // not ready until proven
  CHECK(d.on_result(Status::pass) == Status::pass);
  CHECK_FALSE(d.on_result(Status::fail));
  CHECK_FALSE(d.on_result(Status::pass));
  CHECK_FALSE(d.on_result(Status::fail));
  CHECK_FALSE(d.on_result(Status::fail));
  CHECK(d.on_result(Status::fail) == Status::fail);
}

TEST_CASE("debouncer: success_threshold 2 needs two consecutive passes") {
  Debouncer d(CheckKind::readiness, 1, 2);
  CHECK_FALSE(d.on_result(Status::pass));
  CHECK_FALSE(d.on_result(Status::fail));  // already fail: no change
  CHECK_FALSE(d.on_result(Status::pass));
  CHECK(d.on_result(Status::pass) == Status::pass);
  CHECK(d.on_result(Status::fail) == Status::fail);
}

TEST_CASE("debouncer: initial values and validation") {
  CHECK(Debouncer(CheckKind::startup).published() == Status::unknown);
  CHECK_THROWS_AS(Debouncer(CheckKind::liveness, 3, 2), std::invalid_argument);
  CHECK_THROWS_AS(Debouncer(CheckKind::readiness, 0, 1), std::invalid_argument);
}

TEST_CASE("value hysteresis: headroom thresholds 20/30") {
  ValueHysteresis h({Worse::lower, 20, 30, 5, 10});
  CHECK(h.classify(50) == Status::pass);
  CHECK(h.classify(19) == Status::warn);
  CHECK(h.classify(25) == Status::warn);
  CHECK(h.classify(31) == Status::pass);
  CHECK(h.classify(4) == Status::fail);
  CHECK(h.classify(8) == Status::fail);
  CHECK(h.classify(12) == Status::warn);
  int transitions = 0;
  ValueHysteresis osc({Worse::lower, 20, 30, 5, 10});
  Status last = Status::pass;
  for (int i = 0; i < 100; ++i) {
    const Status s = osc.classify(i % 2 == 0 ? 19 : 21);
    if (s != last) ++transitions;
    last = s;
  }
  CHECK(transitions == 1);
  CHECK_THROWS_AS(ValueHysteresis({Worse::lower, 20, 10, 5, 10}), std::invalid_argument);
  CHECK_THROWS_AS(ValueHysteresis({Worse::higher, 100, 50, 50, 40}), std::invalid_argument);
}

TEST_CASE("flap detector weights match base/flapping.c") {
  FlapDetector a;
  for (const char c : std::string_view("PPPPPPPPPPPPPPPPPPPPF")) a.observe(from_char(c));
  CHECK(a.percent() == doctest::Approx(6.25));
  FlapDetector b;
  for (const char c : std::string_view("PPPPPPPPPPPPPPPPPFPFP")) b.observe(from_char(c));
  CHECK(b.percent() == doctest::Approx(24.210526315789473));
  // One change that has aged to the oldest position weighs 0.75: 3.75 %.
  FlapDetector c;
  for (const char ch : std::string_view("PFPPPPPPPPPPPPPPPPPPPP")) c.observe(from_char(ch));
  CHECK(c.percent() == doctest::Approx(3.75));
}

TEST_CASE("flap detector starts, holds in the band, stops with one recovery") {
  FlapDetector f(5, 20);
  int started = 0;
  for (int i = 0; i < 8; ++i) {
    if (f.observe(i % 2 == 0 ? Status::fail : Status::pass).kind == FlapEvent::Kind::started) ++started;
  }
  CHECK(started == 1);
  CHECK(f.flapping());
  int stopped = 0;
  int recoveries = 0;
  bool in_band_still_flapping = false;
  for (int i = 0; i < 30; ++i) {
    const auto e = f.observe(Status::pass);
    if (f.percent() > 5 && f.percent() < 20 && f.flapping()) in_band_still_flapping = true;
    if (e.kind == FlapEvent::Kind::stopped) {
      ++stopped;
      if (e.send_recovery) ++recoveries;
    }
  }
  CHECK(in_band_still_flapping);
  CHECK(stopped == 1);
  CHECK(recoveries == 1);
  CHECK_FALSE(f.flapping());
}
