#pragma once
/// \file
/// Label matchers as in Alertmanager: `name = value`, `!=`, `=~` and `!~` (anchored
/// regular expressions, compiled once at construction). A Matchers list matches when
/// every matcher does; a missing label reads as the empty string.

#include <cstdint>
#include <memory>
#include <regex>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "cts/health/labels.hpp"

namespace cts::health {

/// The operator of a Matcher.
enum class MatchOp : std::uint8_t { eq, ne, re, not_re };

/// One label matcher. Construction compiles regular expressions (config time) and
/// throws std::invalid_argument for a bad one.
class Matcher {
 public:
  /// `name op value`.
  Matcher(std::string name, MatchOp op, std::string value) : name_(std::move(name)), op_(op), value_(std::move(value)) {
    if (op_ == MatchOp::re || op_ == MatchOp::not_re) {
      try {
        regex_ = std::make_shared<const std::regex>("^(?:" + value_ + ")$", std::regex::ECMAScript);
      } catch (const std::regex_error&) {
        throw std::invalid_argument("Matcher: invalid regular expression for label '" + name_ + "'");
      }
    }
  }
  /// True when `labels` satisfies the matcher.
  [[nodiscard]] bool matches(const LabelSet& labels) const {
    const auto v = labels.get(name_);
    switch (op_) {
      case MatchOp::eq: return v == value_;
      case MatchOp::ne: return v != value_;
      case MatchOp::re: return std::regex_match(v.begin(), v.end(), *regex_);
      case MatchOp::not_re: return !std::regex_match(v.begin(), v.end(), *regex_);
    }
    return false;
  }
  /// The label name.
  [[nodiscard]] const std::string& name() const noexcept { return name_; }
  /// The operator.
  [[nodiscard]] MatchOp op() const noexcept { return op_; }
  /// The value or pattern.
  [[nodiscard]] const std::string& value() const noexcept { return value_; }
  /// `name="value"`, `name!="value"`, `name=~"value"` or `name!~"value"`.
  [[nodiscard]] std::string to_string() const {
    static constexpr const char* kOps[] = {"=", "!=", "=~", "!~"};
    return name_ + kOps[static_cast<int>(op_)] + "\"" + value_ + "\"";
  }
  /// Same name, operator and value.
  friend bool operator==(const Matcher& a, const Matcher& b) noexcept {
    return a.name_ == b.name_ && a.op_ == b.op_ && a.value_ == b.value_;
  }

 private:
  std::string name_;
  MatchOp op_;
  std::string value_;
  std::shared_ptr<const std::regex> regex_;
};

/// Matchers combined with AND; the empty list matches everything.
using Matchers = std::vector<Matcher>;

/// True when every matcher matches `labels`.
inline bool matches_all(const Matchers& matchers, const LabelSet& labels) {
  for (const auto& m : matchers) {
    if (!m.matches(labels)) return false;
  }
  return true;
}

/// `{a="b",c=~"d"}`, the form Alertmanager uses in route keys.
inline std::string to_string(const Matchers& matchers) {
  std::string out = "{";
  for (std::size_t i = 0; i < matchers.size(); ++i) {
    if (i != 0) out += ',';
    out += matchers[i].to_string();
  }
  return out + "}";
}

}  // namespace cts::health
