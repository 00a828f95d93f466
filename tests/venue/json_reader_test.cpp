// Tests for cts/venue/json_reader.hpp: bodies without spare capacity are padded, the
// reader is reusable across documents of different sizes.
#include <cts/venue/json_reader.hpp>

#include <string>

#include <doctest/doctest.h>

TEST_CASE("JsonReader: parses a string with no padding, then a larger and a smaller one") {
  cts::venue::JsonReader reader;
  std::string small = R"({"a":1})";
  small.shrink_to_fit();
  auto doc = reader.iterate(small);
  REQUIRE_FALSE(doc.error());
  int64_t a = 0;
  REQUIRE_FALSE(doc["a"].get_int64().get(a));
  CHECK(a == 1);

  std::string large = R"({"values":[)";
  for (int i = 0; i < 1000; ++i) large += std::to_string(i) + ",";
  large += "1000]}";
  auto doc2 = reader.iterate(large);
  REQUIRE_FALSE(doc2.error());
  simdjson::ondemand::array values;
  REQUIRE_FALSE(doc2["values"].get_array().get(values));
  size_t count = 0;
  REQUIRE_FALSE(values.count_elements().get(count));
  CHECK(count == 1001);

  auto doc3 = reader.iterate(R"({"b":"x"})");
  std::string_view b;
  REQUIRE_FALSE(doc3["b"].get_string().get(b));
  CHECK(b == "x");
}

TEST_CASE("JsonReader: empty input is an error, not a crash") {
  auto doc = cts::venue::thread_json_reader().iterate("");
  simdjson::ondemand::object object;
  CHECK((doc.error() || doc.get_object().get(object)));
}
