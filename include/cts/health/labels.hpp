#pragma once
/// \file
/// LabelSet: the identity of an alert and of a metric child. A sorted set of
/// (name, value) pairs with empty values dropped, hashed with the Prometheus
/// fingerprint (FNV-1a 64 over `name 0xFF value 0xFF` in name order), so identities
/// are wire-compatible with Prometheus and Alertmanager.

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

namespace cts::health {

/// One label: a name and a non-empty value.
struct Label {
  std::string name;   ///< Label name, e.g. "alertname".
  std::string value;  ///< Label value (UTF-8, never empty inside a LabelSet).
  friend bool operator==(const Label&, const Label&) = default;
  friend auto operator<=>(const Label&, const Label&) = default;
};

/// FNV-1a 64-bit offset basis, also the fingerprint of the empty label set.
inline constexpr std::uint64_t kFnvOffset = 14695981039346656037ULL;
/// FNV-1a 64-bit prime.
inline constexpr std::uint64_t kFnvPrime = 1099511628211ULL;

/// Folds `bytes` into an FNV-1a 64 hash state `h`.
constexpr std::uint64_t fnv1a_add(std::uint64_t h, std::string_view bytes) noexcept {
  for (const char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= kFnvPrime;
  }
  return h;
}

/// Folds one byte into an FNV-1a 64 hash state `h`.
constexpr std::uint64_t fnv1a_add_byte(std::uint64_t h, unsigned char byte) noexcept {
  h ^= byte;
  return h * kFnvPrime;
}

/// A set of labels kept sorted by name; setting an empty value removes the label
/// ("labels with an empty value are equivalent to labels that do not exist").
class LabelSet {
 public:
  /// The empty set.
  LabelSet() = default;
  /// A set from (name, value) pairs in any order; a later duplicate name wins.
  LabelSet(std::initializer_list<std::pair<std::string_view, std::string_view>> labels) {
    for (const auto& [name, value] : labels) set(name, value);
  }

  /// Sets `name` to `value`; an empty value removes the label.
  void set(std::string_view name, std::string_view value) {
    auto it = std::lower_bound(labels_.begin(), labels_.end(), name,
                               [](const Label& l, std::string_view n) { return l.name < n; });
    const bool found = it != labels_.end() && it->name == name;
    if (value.empty()) {
      if (found) labels_.erase(it);
      return;
    }
    if (found) {
      it->value.assign(value);
    } else {
      labels_.insert(it, Label{std::string(name), std::string(value)});
    }
  }
  /// A copy with `name` set to `value`.
  [[nodiscard]] LabelSet with(std::string_view name, std::string_view value) const {
    LabelSet copy = *this;
    copy.set(name, value);
    return copy;
  }
  /// The value of `name`, or an empty view when absent.
  [[nodiscard]] std::string_view get(std::string_view name) const noexcept {
    auto it = std::lower_bound(labels_.begin(), labels_.end(), name,
                               [](const Label& l, std::string_view n) { return l.name < n; });
    return (it != labels_.end() && it->name == name) ? std::string_view(it->value) : std::string_view{};
  }
  /// True when `name` has a (non-empty) value.
  [[nodiscard]] bool contains(std::string_view name) const noexcept { return !get(name).empty(); }
  /// The labels named in `names` only (the group labels of a route).
  [[nodiscard]] LabelSet subset(std::span<const std::string> names) const {
    LabelSet out;
    for (const auto& n : names) out.set(n, get(n));
    return out;
  }
  /// The labels, sorted by name.
  [[nodiscard]] std::span<const Label> labels() const noexcept { return labels_; }
  /// Number of labels.
  [[nodiscard]] std::size_t size() const noexcept { return labels_.size(); }
  /// True when there is no label.
  [[nodiscard]] bool empty() const noexcept { return labels_.empty(); }

  /// The Prometheus fingerprint (model.LabelSet.Fingerprint).
  [[nodiscard]] std::uint64_t fingerprint() const noexcept {
    std::uint64_t h = kFnvOffset;
    for (const auto& l : labels_) {
      h = fnv1a_add_byte(fnv1a_add(h, l.name), 0xFF);
      h = fnv1a_add_byte(fnv1a_add(h, l.value), 0xFF);
    }
    return h;
  }
  /// The fingerprint as Prometheus prints it: 16 lower-case hex digits.
  [[nodiscard]] std::string fingerprint_hex() const { return fmt::format("{:016x}", fingerprint()); }

  /// `{a="b", c="d"}` as Alertmanager prints group keys (values with `"` and `\`
  /// escaped as in Go's %q for ASCII).
  [[nodiscard]] std::string to_string() const {
    std::string out = "{";
    for (std::size_t i = 0; i < labels_.size(); ++i) {
      if (i != 0) out += ", ";
      out += labels_[i].name;
      out += "=\"";
      for (const char c : labels_[i].value) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
      }
      out += '"';
    }
    out += '}';
    return out;
  }

  friend bool operator==(const LabelSet&, const LabelSet&) = default;
  friend auto operator<=>(const LabelSet&, const LabelSet&) = default;

 private:
  std::vector<Label> labels_;
};

/// True for a legal Prometheus metric name: [a-zA-Z_:][a-zA-Z0-9_:]*.
constexpr bool is_valid_metric_name(std::string_view name) noexcept {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

/// True for a legal, non-reserved Prometheus label name: [a-zA-Z_][a-zA-Z0-9_]*, not
/// starting with "__".
constexpr bool is_valid_label_name(std::string_view name) noexcept {
  if (name.empty() || name.starts_with("__")) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

}  // namespace cts::health
