#pragma once
/// \file
/// JournalRecorder: the OrderRecorder that makes every order record durable in a
/// cts::store::Journal before the executor acts on it (one commit per record, so an
/// order is in the journal before its request leaves the process). The first failure
/// to write is final: every later record is refused too, so nothing more is sent, and
/// the session reads failure() to stop trading.

#include <optional>

#include <fmt/format.h>

#include "cts/core/clock.hpp"
#include "cts/engine/executor.hpp"
#include "cts/health/metrics.hpp"
#include "cts/store/journal.hpp"
#include "cts/store/record.hpp"

namespace cts::engine {

/// The bucket bounds of the journal's append-and-commit time (cts_journal_append_seconds),
/// seconds: 0.1 ms (no fsync) to 1 s (a slow disk).
inline constexpr double kJournalAppendBounds[] = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
                                                  0.025,  0.05,    0.1,    0.25,  0.5,    1};

/// Records into `journal` (which must outlive the recorder). Not thread-safe.
class JournalRecorder final : public OrderRecorder {
 public:
  /// A recorder appending to `journal`; when `append_seconds` is set (it must outlive
  /// the recorder), each record's append and commit is timed into it, in seconds.
  explicit JournalRecorder(store::Journal& journal, health::Histogram* append_seconds = nullptr)
      : journal_(journal), append_seconds_(append_seconds) {}

  /// Appends and commits the creation record. Errors: the journal's, or, after a
  /// failure, that failure again (nothing written).
  Result<void> record_created(const order::OrderRequest& request) override {
    return append_and_commit(store::JournalRecord::created(request));
  }
  /// Appends and commits the event record. Errors as record_created.
  Result<void> record_event(const ClientOrderId& client_id, const order::OrderEvent& event) override {
    return append_and_commit(store::JournalRecord::for_event(client_id, event));
  }
  /// The first error the journal returned (a full disk, an I/O error, a file made
  /// read-only), if any.
  [[nodiscard]] const std::optional<Error>& failure() const noexcept { return failure_; }

 private:
  Result<void> append_and_commit(const store::JournalRecord& record) {
    if (failure_) {
      return make_error(failure_->code, fmt::format("the journal failed earlier: {}", failure_->message),
                        failure_->venue_code);
    }
    const RealClock clock;
    const SteadyTime started = clock.steady_now();
    Result<std::uint64_t> seq = journal_.append(record);
    Result<void> committed = seq ? journal_.commit() : Result<void>(seq.error());
    if (append_seconds_ != nullptr) {
      append_seconds_->observe(std::chrono::duration<double>(clock.steady_now() - started).count());
    }
    if (!committed) failure_ = committed.error();
    return committed;
  }
  store::Journal& journal_;
  health::Histogram* append_seconds_;
  std::optional<Error> failure_;
};

}  // namespace cts::engine
