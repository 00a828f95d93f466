#pragma once
/// \file
/// Helpers for `name=value&name=value` parameter strings (encoded queries and form
/// bodies) as signers, connectors and the simulator handle them. No decoding happens
/// here: names and values are the bytes between the separators.

#include <charconv>
#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cts::sign {

/// One `name=value` pair as a view into the parameter string.
struct ParamView {
  std::string_view name;   ///< Bytes before the first '='.
  std::string_view value;  ///< Bytes after it (empty when there is no '=').
};

/// Splits `params` at '&' (empty segments are skipped). Views point into `params`.
inline std::vector<ParamView> split_params(std::string_view params) {
  std::vector<ParamView> out;
  while (!params.empty()) {
    const std::size_t amp = params.find('&');
    const std::string_view item = params.substr(0, amp);
    if (!item.empty()) {
      const std::size_t eq = item.find('=');
      out.push_back(eq == std::string_view::npos ? ParamView{item, {}} : ParamView{item.substr(0, eq), item.substr(eq + 1)});
    }
    if (amp == std::string_view::npos) break;
    params.remove_prefix(amp + 1);
  }
  return out;
}

/// The value of the first parameter called `name` in `params`, if any. Allocation-free.
inline std::optional<std::string_view> find_param(std::string_view params, std::string_view name) noexcept {
  std::size_t pos = 0;
  while (pos <= params.size()) {
    std::size_t end = params.find('&', pos);
    if (end == std::string_view::npos) end = params.size();
    const std::string_view item = params.substr(pos, end - pos);
    if (item.size() >= name.size() && item.substr(0, name.size()) == name &&
        (item.size() == name.size() || item[name.size()] == '=')) {
      return item.size() == name.size() ? std::string_view{} : item.substr(name.size() + 1);
    }
    pos = end + 1;
  }
  return std::nullopt;
}

/// Appends `name=value` to `params`, with a '&' first unless `params` is empty. The
/// value is appended as given (encode it first if it needs encoding).
inline void append_param(std::string& params, std::string_view name, std::string_view value) {
  params.reserve(params.size() + name.size() + value.size() + 2);
  if (!params.empty()) params.push_back('&');
  params.append(name);
  params.push_back('=');
  params.append(value);
}

/// Appends `name=<decimal value>` to `params` (see append_param()).
template <std::integral T>
void append_param(std::string& params, std::string_view name, T value) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof(buf), value);
  append_param(params, name, std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)));
}

}  // namespace cts::sign
