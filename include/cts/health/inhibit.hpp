#pragma once
/// \file
/// Inhibition (Alertmanager semantics): a target alert is muted while a *firing*
/// source alert exists whose values are equal on every `equal` label (missing equals
/// empty). An alert matching both sides is never inhibited by alerts that also match
/// both sides, itself included.

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "cts/health/alert.hpp"
#include "cts/health/matcher.hpp"

namespace cts::health {

/// One inhibit rule.
struct InhibitRule {
  Matchers source;                  ///< Which alerts inhibit.
  Matchers target;                  ///< Which alerts are inhibited.
  std::vector<std::string> equal;   ///< Labels that must be equal on both.
};

/// The inhibit rules of one monitor, evaluated at notification time.
class Inhibitor {
 public:
  /// An inhibitor with `rules`.
  explicit Inhibitor(std::vector<InhibitRule> rules = {}) : rules_(std::move(rules)) {}

  /// The fingerprint of a firing alert in `alerts` that inhibits `target` at `t`, if any.
  [[nodiscard]] std::optional<std::uint64_t> inhibited_by(const LabelSet& target, std::span<const Alert> alerts,
                                                          SystemTime t) const {
    for (const auto& rule : rules_) {
      if (!matches_all(rule.target, target)) continue;
      const bool target_is_source = matches_all(rule.source, target);
      for (const auto& a : alerts) {
        if (a.status_at(t) != AlertStatus::firing || !matches_all(rule.source, a.labels)) continue;
        if (target_is_source && matches_all(rule.target, a.labels)) continue;
        bool equal = true;
        for (const auto& name : rule.equal) equal = equal && a.labels.get(name) == target.get(name);
        if (equal) return a.fingerprint();
      }
    }
    return std::nullopt;
  }

 private:
  std::vector<InhibitRule> rules_;
};

}  // namespace cts::health
