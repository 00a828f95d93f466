#pragma once
/// \file
/// PositionWatch: the venue's position of one derivatives instrument as the engine last
/// heard it (the private stream's reports, or a REST reconciliation's read when newer),
/// and the rule that compares it with the engine's own position book between
/// reconciliations. Pure and time-injected; the session owns one per instrument that
/// has positions.
///
/// The rule. A venue reports a fill twice, in its own time: the position event and the
/// order (execution) event, in either order, and the engine's book moves only when the
/// order event is applied (or a REST sync finds the fill). So the two figures may differ
/// for a moment while they are both right. check() therefore
/// * compares nothing (unknown) while the stream may have missed events (not live, or a
///   reconciliation of the gap still due) or no venue figure was heard;
/// * calls equal figures agree;
/// * calls a difference settling until it has lasted `settle` without interruption
///   (any moment of agreement restarts the clock; the values may change meanwhile);
/// * then calls it disagree: the owner reconciles with the venue by REST, as after a
///   reconnect (OrderExecutor::reconcile applies the fills the engine missed, and reports
///   a difference that remains as a conflict), and hands the result to reconciled();
/// * calls a difference equal to the one the last reconciliation found and reported
///   reported: it is known (a position the engine's orders did not make, say), and asking
///   again would only repeat the finding. Any other difference settles and is
///   reconciled anew.
///
/// A reconciliation reads the venue's position twice, before and after the executions.
/// Only when both reads agree is a difference from the engine's book its finding
/// (reconciled()). When they differ the position moved while it read (a fill landed at
/// the venue that the engine may apply a moment later, from the stream or the next
/// sync): the owner hands the last read to moving(), and a difference settles like a
/// streamed one, so that a fill in flight is never reported. A finding lives only while
/// the difference does: the first check() that sees the figures agree (the fill applied,
/// the venue's figure streamed or read again) forgets it, as does a reconciled() read
/// that agrees (the one a session makes when it stops, after its last sync, included);
/// the owner then clears what it reported (TradingSession: `venue:position` and the
/// position difference of `orders:reconciliation`).

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include "cts/core/clock.hpp"
#include "cts/core/decimal.hpp"

namespace cts::engine {

/// Options of a PositionWatch.
struct PositionWatchOptions {
  /// How long the venue's figure and the engine's must differ, without a moment of
  /// agreement, before the difference is acted on: longer than the venue takes to send
  /// a fill's second event (milliseconds at the venues cts trades).
  std::chrono::milliseconds settle{2'000};
};

/// What PositionWatch::check() concluded.
enum class PositionVerdict : std::uint8_t {
  unknown,   ///< Nothing compared: no venue figure yet, or the stream may have missed events.
  agree,     ///< The venue's figure equals the engine's book.
  settling,  ///< They differ, for less than the settle time.
  disagree,  ///< They have differed for the settle time: reconcile with the venue by REST.
  reported,  ///< They differ by what the last reconciliation found and reported.
};

/// "unknown", "agree", "settling", "disagree" or "reported".
constexpr std::string_view to_string(PositionVerdict verdict) noexcept {
  switch (verdict) {
    case PositionVerdict::unknown: return "unknown";
    case PositionVerdict::agree: return "agree";
    case PositionVerdict::settling: return "settling";
    case PositionVerdict::disagree: return "disagree";
    case PositionVerdict::reported: return "reported";
  }
  return "invalid";
}

/// Where the venue's figure came from.
enum class PositionSource : std::uint8_t {
  none,    ///< Not heard yet.
  stream,  ///< The private stream's last report.
  rest,    ///< A REST read (a reconciliation's, or the one a session makes when it stops).
};

/// See the file comment. Not thread-safe (the session thread owns it).
class PositionWatch {
 public:
  /// A watch with `options`.
  explicit PositionWatch(PositionWatchOptions options = {}) : options_(options) {}

  /// The venue's signed position as the stream reported it (the sum of the instrument's
  /// legs), heard at `heard` (local time of the newest leg's report). Ignored when not
  /// newer than the figure held (a reconciliation read after it wins).
  void streamed(Decimal venue, SteadyTime heard);
  /// The venue's signed position as a REST reconciliation (or another REST read that
  /// follows a sync) read it at `now`, and the engine's book right after it: the figure
  /// held from now on. A difference between them is that reconciliation's finding; the
  /// clock of a difference restarts.
  void reconciled(Decimal venue, Decimal engine, SteadyTime now);
  /// The venue's signed position as the last read of a REST reconciliation found it at
  /// `now` when the position moved while the reconciliation read it (its two reads
  /// differ: ReconcileReport::position_moving): the figure held from now on. A
  /// difference from the engine's book is no finding: it settles from `now`, as a
  /// streamed one does. A difference reported before stays known.
  void moving(Decimal venue, SteadyTime now);
  /// Compares the figure held with the engine's book `engine` at `now`; `complete` says
  /// the stream missed nothing (live, and its gap reconciled). See the file comment.
  [[nodiscard]] PositionVerdict check(Decimal engine, bool complete, SteadyTime now);

  /// The venue's signed position held (empty before the first report or read).
  [[nodiscard]] const std::optional<Decimal>& venue() const noexcept { return venue_; }
  /// Where it came from.
  [[nodiscard]] PositionSource source() const noexcept { return source_; }
  /// Since when the figures differ by a difference not reported (empty while they agree,
  /// differ by the reported difference, or nothing is compared).
  [[nodiscard]] const std::optional<SteadyTime>& differs_since() const noexcept { return differs_since_; }
  /// The difference (venue − engine) the last reconciliation reported, if any.
  [[nodiscard]] const std::optional<Decimal>& reported_difference() const noexcept { return reported_; }

 private:
  PositionWatchOptions options_;
  std::optional<Decimal> venue_;
  PositionSource source_ = PositionSource::none;
  SteadyTime heard_{};
  std::optional<SteadyTime> differs_since_;
  std::optional<Decimal> reported_;
};

}  // namespace cts::engine
