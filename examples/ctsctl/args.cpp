#include "ctsctl/args.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace ctsctl {

namespace {
bool contains(std::span<const std::string_view> list, std::string_view name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}
}  // namespace

cts::Result<Args> Args::parse(std::span<const std::string_view> args, std::span<const std::string_view> valued,
                              std::span<const std::string_view> flags, std::span<const std::string_view> repeated) {
  Args out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (arg.size() < 3 || arg.substr(0, 2) != "--") {
      out.positional_.emplace_back(arg);
      continue;
    }
    std::string_view name = arg.substr(2);
    std::optional<std::string_view> inline_value;
    if (const auto eq = name.find('='); eq != std::string_view::npos) {
      inline_value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    if (contains(flags, name)) {
      if (inline_value) return cts::make_error(cts::ErrorCode::invalid_argument, fmt::format("--{} takes no value", name));
      out.flags_.emplace_back(name);
      continue;
    }
    if (!contains(valued, name) && !contains(repeated, name)) {
      return cts::make_error(cts::ErrorCode::invalid_argument, fmt::format("unknown option --{}", name));
    }
    std::string_view value;
    if (inline_value) {
      value = *inline_value;
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return cts::make_error(cts::ErrorCode::invalid_argument, fmt::format("--{} needs a value", name));
    }
    if (!contains(repeated, name) && out.values_.count(name) != 0) {
      return cts::make_error(cts::ErrorCode::invalid_argument, fmt::format("--{} given twice", name));
    }
    out.values_.emplace(std::string(name), std::string(value));
  }
  return out;
}

std::optional<std::string> Args::get(std::string_view name) const {
  auto [first, last] = values_.equal_range(name);
  if (first == last) return std::nullopt;
  return std::prev(last)->second;
}

std::vector<std::string> Args::all(std::string_view name) const {
  std::vector<std::string> out;
  auto [first, last] = values_.equal_range(name);
  for (auto it = first; it != last; ++it) out.push_back(it->second);
  return out;
}

bool Args::flag(std::string_view name) const { return std::find(flags_.begin(), flags_.end(), name) != flags_.end(); }

}  // namespace ctsctl
