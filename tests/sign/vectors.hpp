// Loads tests/sign/data/sign-vectors.json (the verified vectors of the project's
// exchange-auth research, copied with their sources) for the sign test suite.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

namespace cts::sign::test {

/// One vector: every string field at the top level and inside "inputs".
struct Vector {
  std::map<std::string, std::string, std::less<>> fields;  ///< Top-level strings.
  std::map<std::string, std::string, std::less<>> inputs;  ///< "inputs" strings (numbers as text).
  [[nodiscard]] const std::string& at(std::string_view name) const { return fields.find(name)->second; }
  [[nodiscard]] const std::string& input(std::string_view name) const { return inputs.find(name)->second; }
};

inline std::vector<Vector> load_vectors() {
  static const std::vector<Vector> vectors = [] {
    simdjson::dom::parser parser;
    simdjson::dom::element root = parser.load(CTS_TEST_DATA_DIR "/sign/data/sign-vectors.json");
    std::vector<Vector> out;
    for (simdjson::dom::element item : root["vectors"].get_array()) {
      Vector v;
      const auto copy = [](simdjson::dom::object object, auto& into) {
        for (auto field : object) {
          if (field.value.is_string()) {
            into.emplace(std::string(field.key), std::string(field.value.get_string().value()));
          } else if (field.value.is_int64() || field.value.is_uint64()) {
            into.emplace(std::string(field.key), simdjson::to_string(field.value));
          }
        }
      };
      copy(item.get_object(), v.fields);
      copy(item["inputs"].get_object(), v.inputs);
      v.fields.emplace("index", simdjson::to_string(item["id"]));
      out.push_back(std::move(v));
    }
    return out;
  }();
  return vectors;
}

/// The vector whose `id` is `index` (each test names the one it uses).
inline const Vector& vector_at(int index) {
  static const std::vector<Vector> all = load_vectors();
  for (const auto& v : all) {
    if (v.at("index") == std::to_string(index)) return v;
  }
  throw std::runtime_error("no verified vector with index " + std::to_string(index));
}

}  // namespace cts::sign::test
