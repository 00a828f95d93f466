#pragma once
// An independent sliding-window audit for rate-limit tests: it knows nothing of GCRA,
// only the promise "in every closed window of length W the admitted cost is at most
// burst + refill·W/interval".
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace cts::rate::test {

/// One admitted request: when (ns) and how much.
struct Grant {
  std::int64_t at_ns = 0;
  std::uint64_t cost = 0;
};

/// Returns an empty string when every window [grants[i].at, grants[j].at] holds at most
/// burst + refill·(width)/interval_ns units, else a description of the first violation.
/// Windows that start and end at grants are the only ones that can be maximal, so
/// checking every pair (with prefix sums) is exhaustive.
inline std::string audit_windows(std::vector<Grant> grants, std::uint64_t burst, std::uint64_t refill,
                                 std::int64_t interval_ns) {
  std::sort(grants.begin(), grants.end(), [](const Grant& a, const Grant& b) { return a.at_ns < b.at_ns; });
  std::vector<unsigned __int128> prefix(grants.size() + 1, 0);
  for (std::size_t i = 0; i < grants.size(); ++i) prefix[i + 1] = prefix[i] + grants[i].cost;
  for (std::size_t i = 0; i < grants.size(); ++i) {
    // Include every grant at the same instant as grants[i] (the window is closed).
    std::size_t first = i;
    while (first > 0 && grants[first - 1].at_ns == grants[i].at_ns) --first;
    for (std::size_t j = i; j < grants.size(); ++j) {
      const unsigned __int128 sum = prefix[j + 1] - prefix[first];
      const auto width = static_cast<unsigned __int128>(grants[j].at_ns - grants[i].at_ns);
      // sum <= burst + refill·width/interval  <=>  sum·interval <= burst·interval + refill·width
      const unsigned __int128 lhs = sum * static_cast<unsigned __int128>(interval_ns);
      const unsigned __int128 rhs = static_cast<unsigned __int128>(burst) * static_cast<unsigned __int128>(interval_ns) +
                                    static_cast<unsigned __int128>(refill) * width;
      if (lhs > rhs) {
        return "window [" + std::to_string(grants[i].at_ns) + ", " + std::to_string(grants[j].at_ns) + "] admitted " +
               std::to_string(static_cast<std::uint64_t>(sum));
      }
    }
  }
  return {};
}

/// The largest cost admitted inside any closed window of length `window_ns`.
inline std::uint64_t max_in_window(std::vector<Grant> grants, std::int64_t window_ns) {
  std::sort(grants.begin(), grants.end(), [](const Grant& a, const Grant& b) { return a.at_ns < b.at_ns; });
  std::uint64_t best = 0, sum = 0;
  std::size_t head = 0;
  for (std::size_t j = 0; j < grants.size(); ++j) {
    sum += grants[j].cost;
    while (grants[j].at_ns - grants[head].at_ns > window_ns) sum -= grants[head++].cost;
    best = std::max(best, sum);
  }
  return best;
}

}  // namespace cts::rate::test
