// Tests for cts/health/matcher.hpp.
#include <cts/health/matcher.hpp>

#include <doctest/doctest.h>

using namespace cts::health;

TEST_CASE("equality, inequality and anchored regex matchers") {
  const LabelSet l{{"venue", "XNAS"}, {"severity", "critical"}};
  CHECK(Matcher("venue", MatchOp::eq, "XNAS").matches(l));
  CHECK_FALSE(Matcher("venue", MatchOp::ne, "XNAS").matches(l));
  CHECK(Matcher("missing", MatchOp::eq, "").matches(l));  // missing reads as empty
  CHECK(Matcher("severity", MatchOp::re, "crit.*|page").matches(l));
  CHECK_FALSE(Matcher("severity", MatchOp::re, "crit").matches(l));  // anchored
  CHECK(Matcher("venue", MatchOp::not_re, "BIN.*").matches(l));
  CHECK_THROWS_AS(Matcher("x", MatchOp::re, "("), std::invalid_argument);
  const Matchers all{Matcher("venue", MatchOp::eq, "XNAS"), Matcher("severity", MatchOp::eq, "warning")};
  CHECK_FALSE(matches_all(all, l));
  CHECK(matches_all({}, l));
  CHECK(to_string(all) == R"({venue="XNAS",severity="warning"})");
}
