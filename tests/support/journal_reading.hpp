#pragma once
/// \file
/// Reading a whole journal in the store tests.

#include <cts/store/journal.hpp>

#include <doctest/doctest.h>

#include <vector>

namespace cts::testing {

/// Every committed record of `journal`, in seq order (the test fails when replay does).
inline std::vector<store::JournalRecord> read_all(store::Journal& journal) {
  std::vector<store::JournalRecord> out;
  REQUIRE(journal.replay(0, [&](const store::JournalRecord& r) -> Result<void> {
                   out.push_back(r);
                   return {};
                 }).has_value());
  return out;
}

}  // namespace cts::testing
