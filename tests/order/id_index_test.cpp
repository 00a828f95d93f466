// Tests for cts/order/id_index.hpp: inserts through growth, finds, erases with
// tombstones, re-inserts, against a std::map model.
#include <cts/order/id_index.hpp>

#include <doctest/doctest.h>

#include <map>
#include <random>
#include <string>
#include <vector>

using cts::order::IdIndex;

namespace {
struct KeyOf {
  const std::vector<std::string>* keys;
  std::string_view operator()(std::uint32_t slot) const { return (*keys)[slot]; }
};
}  // namespace

TEST_CASE("the index agrees with a map model over random inserts and erases") {
  std::vector<std::string> keys;
  IdIndex<KeyOf> index{KeyOf{&keys}};
  std::map<std::string, std::uint32_t> model;
  std::mt19937 rng(5);
  for (int step = 0; step < 20000; ++step) {
    if (model.empty() || rng() % 3 != 0) {
      std::string key = "K" + std::to_string(rng() % 50000);
      if (model.contains(key)) continue;
      keys.push_back(key);
      const auto slot = static_cast<std::uint32_t>(keys.size() - 1);
      index.insert(slot);
      model[key] = slot;
    } else {
      auto it = model.begin();
      std::advance(it, static_cast<long>(rng() % model.size()));
      index.erase(it->first);
      model.erase(it);
    }
  }
  CHECK(index.size() == model.size());
  for (const auto& [key, slot] : model) CHECK(index.find(key) == slot);
  for (int k = 0; k < 1000; ++k) {
    const std::string key = "K" + std::to_string(k);
    if (!model.contains(key)) CHECK(index.find(key) == IdIndex<KeyOf>::kNone);
  }
  CHECK(index.find("never inserted") == IdIndex<KeyOf>::kNone);
  index.clear();
  CHECK(index.size() == 0);
  CHECK(index.find(model.begin()->first) == IdIndex<KeyOf>::kNone);
}

TEST_CASE("an empty index finds nothing and erases nothing") {
  std::vector<std::string> keys;
  IdIndex<KeyOf> index{KeyOf{&keys}};
  CHECK(index.find("x") == IdIndex<KeyOf>::kNone);
  index.erase("x");
  CHECK(index.size() == 0);
}
