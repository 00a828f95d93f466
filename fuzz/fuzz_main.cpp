// cts-fuzz: the libFuzzer entry points, dispatching to the target named by the
// CTS_FUZZ_TARGET environment variable (an environment variable, not a flag, so that
// libFuzzer's child processes (-fork, -jobs) and its "reproduce with" lines keep it).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>

#include "fuzz_target.hpp"

namespace cts::fuzz {
namespace {

std::map<std::string, Target, std::less<>>& targets() {
  static std::map<std::string, Target, std::less<>> registry;
  return registry;
}

Target selected = nullptr;

}  // namespace

Registration::Registration(std::string_view name, Target target) { targets().emplace(std::string(name), target); }

void require(bool condition, std::string_view what) {
  if (condition) return;
  std::fprintf(stderr, "property violated: %.*s\n", static_cast<int>(what.size()), what.data());
  std::abort();
}

}  // namespace cts::fuzz

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  using cts::fuzz::targets;
  const char* name = std::getenv("CTS_FUZZ_TARGET");
  const auto found = name == nullptr ? targets().end() : targets().find(std::string_view(name));
  if (found == targets().end()) {
    std::fprintf(stderr, "cts-fuzz: set CTS_FUZZ_TARGET to one of:");
    for (const auto& [target_name, target] : targets()) std::fprintf(stderr, " %s", target_name.c_str());
    std::fprintf(stderr, "\n");
    std::exit(2);
  }
  cts::fuzz::selected = found->second;
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  cts::fuzz::selected(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
