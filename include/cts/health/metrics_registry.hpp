#pragma once
/// \file
/// Labelled metric families and the registry that collects them for exposition.
/// Resolve a child once (`auto& c = family.add({{"venue", "XNAS"}})`) and keep the
/// reference: add() takes a mutex and may allocate, the child's own updates do not.
/// Children live as long as the registry unless remove()d.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "cts/core/clock.hpp"
#include "cts/health/labels.hpp"
#include "cts/health/latency.hpp"
#include "cts/health/metrics.hpp"

namespace cts::health {

/// The exposition type of a family.
enum class MetricType : std::uint8_t { counter, gauge, histogram };

/// "counter", "gauge" or "histogram".
constexpr std::string_view to_string(MetricType t) noexcept {
  switch (t) {
    case MetricType::counter: return "counter";
    case MetricType::gauge: return "gauge";
    case MetricType::histogram: return "histogram";
  }
  return "unknown";
}

/// One child of a family as collected: its labels, its value, its creation time.
struct ChildSnapshot {
  LabelSet labels;                                                ///< The child's labels.
  /// Counter (an integer count, or a double for a counter of a continuous quantity such
  /// as process_cpu_seconds), gauge or histogram value.
  std::variant<std::uint64_t, double, HistogramSnapshot> value;
  SystemTime created;                                             ///< When the child was created.
};

/// One family as collected, ready for a serializer.
struct FamilySnapshot {
  std::string name;                    ///< Base name (a counter's name without "_total").
  std::string help;                    ///< Help text, unescaped.
  std::string unit;                    ///< OpenMetrics unit (a suffix of name), may be empty.
  MetricType type = MetricType::gauge; ///< Exposition type.
  std::vector<ChildSnapshot> children; ///< Children sorted by labels.
};

/// Metadata shared by the children of one family.
struct FamilyInfo {
  /// Metadata with the given name, help, label names and unit (see the members).
  FamilyInfo(std::string name_, std::string help_, std::vector<std::string> label_names_ = {}, std::string unit_ = {})
      : name(std::move(name_)), help(std::move(help_)), label_names(std::move(label_names_)), unit(std::move(unit_)) {}

  std::string name;                     ///< Base name, [a-zA-Z_:][a-zA-Z0-9_:]*; a counter's without "_total".
  std::string help;                     ///< Help text.
  std::vector<std::string> label_names; ///< The label names children may carry.
  std::string unit;                     ///< Optional unit; when set, name must end with "_" + unit.
};

/// Type-erased view of a family, used by the registry to collect.
class FamilyBase {
 public:
  virtual ~FamilyBase() = default;
  /// A snapshot of every child.
  [[nodiscard]] virtual FamilySnapshot collect() const = 0;
};

/// How a family makes and reads its children; specialised per instrument.
template <class T>
struct FamilyTraits;

/// Counter children, exposed as counters.
template <>
struct FamilyTraits<Counter> {
  static constexpr MetricType type = MetricType::counter;  ///< Exposition type.
  struct Options {};                                       ///< No options.
  /// A new child.
  static std::unique_ptr<Counter> make(const Options&) { return std::make_unique<Counter>(); }
  /// The child's value.
  static std::uint64_t read(const Counter& c, const Options&) { return c.value(); }
};

/// Gauge children, exposed as gauges.
template <>
struct FamilyTraits<Gauge> {
  static constexpr MetricType type = MetricType::gauge;  ///< Exposition type.
  struct Options {};                                     ///< No options.
  /// A new child.
  static std::unique_ptr<Gauge> make(const Options&) { return std::make_unique<Gauge>(); }
  /// The child's value.
  static double read(const Gauge& g, const Options&) { return g.value(); }
};

/// Histogram children, exposed as histograms with the family's bounds.
template <>
struct FamilyTraits<Histogram> {
  static constexpr MetricType type = MetricType::histogram;  ///< Exposition type.
  /// The bucket bounds of every child.
  struct Options {
    std::vector<double> bounds;  ///< Finite, strictly increasing upper bounds.
  };
  /// A new child.
  static std::unique_ptr<Histogram> make(const Options& o) { return std::make_unique<Histogram>(o.bounds); }
  /// The child's snapshot.
  static HistogramSnapshot read(const Histogram& h, const Options&) { return h.snapshot(); }
};

/// LatencyHistogram children (HDR), exposed as Prometheus histograms: integer values
/// (e.g. nanoseconds) are bucketed at `export_bounds` and divided by `units_per_exposed`
/// (1e9 to expose nanoseconds as seconds; a division keeps 1000 ns == 1e-06 s exact).
template <>
struct FamilyTraits<LatencyHistogram> {
  static constexpr MetricType type = MetricType::histogram;  ///< Exposition type.
  /// Layout and export of every child.
  struct Options {
    std::int64_t highest = 60'000'000'000;      ///< Largest trackable value (60 s in ns).
    int significant_digits = 3;                  ///< HDR precision.
    std::vector<std::int64_t> export_bounds;     ///< Bounds, in recorded units, for exposition.
    double units_per_exposed = 1e9;              ///< Recorded units per exposed unit.
  };
  /// A new child.
  static std::unique_ptr<LatencyHistogram> make(const Options& o) {
    return std::make_unique<LatencyHistogram>(o.highest, o.significant_digits);
  }
  /// The child's histogram view.
  static HistogramSnapshot read(const LatencyHistogram& h, const Options& o) {
    HistogramSnapshot s;
    for (const auto b : o.export_bounds) s.bounds.push_back(static_cast<double>(b) / o.units_per_exposed);
    s.cumulative = h.to_buckets(o.export_bounds);
    s.count = s.cumulative.back();
    s.sum = static_cast<double>(h.sum()) / o.units_per_exposed;
    return s;
  }
};

/// A named family of instruments of type T, one child per label set.
template <class T>
class Family final : public FamilyBase {
 public:
  /// Family options (histogram bounds, latency layout).
  using Options = typename FamilyTraits<T>::Options;

  /// A family; validates names (throws std::invalid_argument on a bad metric or label
  /// name, a counter name ending in "_total", or a unit that is not the name's suffix).
  /// A family without label names gets its single child immediately.
  Family(FamilyInfo info, Options options, std::function<SystemTime()> wall_now)
      : info_(std::move(info)), options_(std::move(options)), wall_now_(std::move(wall_now)) {
    if (!is_valid_metric_name(info_.name)) throw std::invalid_argument("metric family: invalid name '" + info_.name + "'");
    if (FamilyTraits<T>::type == MetricType::counter && info_.name.ends_with("_total")) {
      throw std::invalid_argument("metric family: give a counter's base name, without _total: '" + info_.name + "'");
    }
    if (!info_.unit.empty() && !info_.name.ends_with("_" + info_.unit)) {
      throw std::invalid_argument("metric family: name '" + info_.name + "' must end with _" + info_.unit);
    }
    for (const auto& l : info_.label_names) {
      if (!is_valid_label_name(l) || l == "le" || l == "quantile") {
        throw std::invalid_argument("metric family: invalid or reserved label name '" + l + "'");
      }
    }
    if (info_.label_names.empty()) add(LabelSet{});
  }

  /// The child for `labels`, created on first use. The reference stays valid until
  /// remove(labels) or the registry's destruction. Throws std::invalid_argument when a
  /// label is not one of the family's label names.
  T& add(const LabelSet& labels) {
    for (const auto& l : labels.labels()) {
      bool known = false;
      for (const auto& n : info_.label_names) known = known || n == l.name;
      if (!known) throw std::invalid_argument("metric family " + info_.name + ": unknown label '" + l.name + "'");
    }
    const std::lock_guard lock(mutex_);
    auto it = children_.find(labels);
    if (it == children_.end()) {
      it = children_.emplace(labels, Child{FamilyTraits<T>::make(options_), wall_now_()}).first;
    }
    return *it->second.instrument;
  }
  /// Removes the child for `labels` (references to it dangle); false if absent.
  bool remove(const LabelSet& labels) {
    const std::lock_guard lock(mutex_);
    return children_.erase(labels) != 0;
  }
  /// Number of children.
  [[nodiscard]] std::size_t size() const {
    const std::lock_guard lock(mutex_);
    return children_.size();
  }
  /// The family's metadata.
  [[nodiscard]] const FamilyInfo& info() const noexcept { return info_; }

  /// A snapshot of every child, sorted by labels.
  [[nodiscard]] FamilySnapshot collect() const override {
    FamilySnapshot out{info_.name, info_.help, info_.unit, FamilyTraits<T>::type, {}};
    const std::lock_guard lock(mutex_);
    out.children.reserve(children_.size());
    for (const auto& [labels, child] : children_) {
      out.children.push_back(ChildSnapshot{labels, FamilyTraits<T>::read(*child.instrument, options_), child.created});
    }
    return out;
  }

 private:
  struct Child {
    std::unique_ptr<T> instrument;
    SystemTime created;
  };
  FamilyInfo info_;
  Options options_;
  std::function<SystemTime()> wall_now_;
  mutable std::mutex mutex_;
  std::map<LabelSet, Child> children_;
};

/// The set of families exposed together (one per process or per engine). Family
/// references stay valid for the registry's lifetime. Registration takes a mutex;
/// collection reads the instruments without stopping writers.
class MetricsRegistry {
 public:
  /// A registry that stamps children's creation time (`_created`) with the real clock.
  MetricsRegistry() : MetricsRegistry(RealClock{}) {}
  /// A registry that stamps creation times from `clock`, which must outlive it.
  template <Clock C>
  explicit MetricsRegistry(const C& clock) : wall_now_([&clock] { return clock.system_now(); }) {}

  /// Registers a counter family. Throws std::invalid_argument on a duplicate name or
  /// invalid names (see Family).
  Family<Counter>& counter(FamilyInfo info) { return add<Counter>(std::move(info), {}); }
  /// Registers a gauge family.
  Family<Gauge>& gauge(FamilyInfo info) { return add<Gauge>(std::move(info), {}); }
  /// Registers a histogram family with the given bounds.
  Family<Histogram>& histogram(FamilyInfo info, std::vector<double> bounds) {
    return add<Histogram>(std::move(info), FamilyTraits<Histogram>::Options{std::move(bounds)});
  }
  /// Registers an HDR latency family exposed as a histogram.
  Family<LatencyHistogram>& latency(FamilyInfo info, FamilyTraits<LatencyHistogram>::Options options) {
    return add<LatencyHistogram>(std::move(info), std::move(options));
  }

  /// Snapshots of every family, in registration order.
  [[nodiscard]] std::vector<FamilySnapshot> collect() const {
    const std::lock_guard lock(mutex_);
    std::vector<FamilySnapshot> out;
    out.reserve(families_.size());
    for (const auto& f : families_) out.push_back(f->collect());
    return out;
  }

 private:
  template <class T>
  Family<T>& add(FamilyInfo info, typename FamilyTraits<T>::Options options) {
    const std::lock_guard lock(mutex_);
    for (const auto& n : names_) {
      if (n == info.name) throw std::invalid_argument("metrics registry: duplicate family '" + info.name + "'");
    }
    std::string name = info.name;
    auto family = std::make_unique<Family<T>>(std::move(info), std::move(options), wall_now_);
    names_.push_back(std::move(name));
    auto& ref = *family;
    families_.push_back(std::move(family));
    return ref;
  }

  std::function<SystemTime()> wall_now_;
  mutable std::mutex mutex_;
  std::vector<std::string> names_;
  std::vector<std::unique_ptr<FamilyBase>> families_;
};

}  // namespace cts::health
