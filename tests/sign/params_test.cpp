// Tests for cts/sign/params.hpp.
#include <cts/sign/params.hpp>

#include <doctest/doctest.h>

using namespace cts::sign;

TEST_CASE("find_param matches whole names only") {
  constexpr std::string_view q = "recvWindow=5000&timestamp=1&window=3&flag&empty=";
  CHECK(find_param(q, "timestamp").value() == "1");
  CHECK(find_param(q, "window").value() == "3");
  CHECK(find_param(q, "recvWindow").value() == "5000");
  CHECK(find_param(q, "flag").value().empty());
  CHECK(find_param(q, "empty").value().empty());
  CHECK(!find_param(q, "time"));
  CHECK(!find_param(q, "stamp"));
  CHECK(!find_param("", "a"));
}

TEST_CASE("split_params and append_param") {
  const auto params = split_params("a=1&&b=&c");
  REQUIRE(params.size() == 3);
  CHECK(params[0].name == "a");
  CHECK(params[0].value == "1");
  CHECK(params[1].name == "b");
  CHECK(params[1].value.empty());
  CHECK(params[2].name == "c");
  std::string s;
  append_param(s, "x", "1");
  append_param(s, "n", std::int64_t{-42});
  append_param(s, "u", std::uint64_t{18446744073709551615u});
  CHECK(s == "x=1&n=-42&u=18446744073709551615");
}
