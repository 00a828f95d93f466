// Tests for cts/core/inline_id.hpp.
#include <cts/core/inline_id.hpp>

#include <doctest/doctest.h>

#include <set>
#include <unordered_set>

namespace {
struct WidgetTag {
  static constexpr std::string_view kWhat = "widget id";
};
using WidgetId = cts::InlineId<8, WidgetTag>;
}  // namespace

TEST_CASE("inline ids hold up to their capacity and name themselves in errors") {
  CHECK(WidgetId::from("abcdefgh").value().view() == "abcdefgh");
  CHECK(WidgetId::from("").value().empty());
  auto too_long = WidgetId::from("abcdefghi");
  REQUIRE(!too_long);
  CHECK(too_long.error().code == cts::ErrorCode::invalid_argument);
  CHECK(too_long.error().message == "widget id must have at most 8 characters, got 9");
  static_assert(sizeof(WidgetId) == 9);
}

TEST_CASE("inline ids compare, order, hash and format by their bytes") {
  const WidgetId a = WidgetId::from("a1").value(), b = WidgetId::from("b").value();
  CHECK(a != b);
  CHECK(a < b);
  CHECK(a == WidgetId::from("a1").value());
  std::unordered_set<WidgetId> hashed{a, b, WidgetId::from("a1").value()};
  CHECK(hashed.size() == 2);
  std::set<WidgetId> sorted{b, a};
  CHECK(sorted.begin()->view() == "a1");
  CHECK(fmt::format("[{}]", a) == "[a1]");
  CHECK(a.str() == "a1");
  CHECK(a.size() == 2);
}
