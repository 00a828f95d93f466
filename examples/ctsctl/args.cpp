#include "ctsctl/args.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>

#include <fmt/format.h>

namespace ctsctl {

namespace {
bool contains(std::span<const std::string_view> list, std::string_view name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

// The first control character in `text`, if any.
std::optional<unsigned char> control_character(std::string_view text) {
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) return byte;
  }
  return std::nullopt;
}

cts::Error control_character_error(std::string_view what, unsigned char byte) {
  return cts::make_error(cts::ErrorCode::invalid_argument,
                         fmt::format("{} contains a control character (0x{:02x}); refused", what, byte));
}
}  // namespace

cts::Result<Args> Args::parse(std::span<const std::string_view> args, std::span<const std::string_view> valued,
                              std::span<const std::string_view> flags, std::span<const std::string_view> repeated) {
  Args out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (arg.size() < 3 || arg.substr(0, 2) != "--") {
      if (auto byte = control_character(arg)) return control_character_error("an argument", *byte);
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
      if (inline_value)
        return cts::make_error(cts::ErrorCode::invalid_argument, fmt::format("--{} takes no value", name));
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
    if (auto byte = control_character(value)) return control_character_error(fmt::format("--{}", name), *byte);
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

cts::Result<std::int64_t> parse_integer(std::string_view option, std::string_view text, std::int64_t min,
                                        std::int64_t max) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  const bool digits_only = !text.empty() && (std::isdigit(static_cast<unsigned char>(text.front())) != 0 ||
                                             (text.front() == '-' && min < 0));
  if (!digits_only || ec != std::errc{} || end != text.data() + text.size() || value < min || value > max) {
    return cts::make_error(
        cts::ErrorCode::invalid_argument,
        fmt::format("--{}: expected a whole number from {} to {}, got \"{}\"", option, min, max, text));
  }
  return value;
}

cts::Result<double> parse_seconds(std::string_view option, std::string_view text, double max_seconds, bool allow_zero) {
  const auto bad = [&] {
    return cts::make_error(cts::ErrorCode::invalid_argument,
                           fmt::format("--{}: expected a number of seconds {} {}, got \"{}\"", option,
                                       allow_zero ? "from 0 to" : "above 0 and at most", max_seconds, text));
  };
  // Plain decimal notation only: no sign, exponent, "inf" or "nan".
  if (text.empty() || text.find_first_not_of("0123456789.") != std::string_view::npos) return bad();
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return bad();
  if (value > max_seconds || (value == 0 && !allow_zero)) return bad();
  return value;
}

bool Args::flag(std::string_view name) const { return std::find(flags_.begin(), flags_.end(), name) != flags_.end(); }

}  // namespace ctsctl
