#pragma once
/// \file
/// JournalRecorder: the OrderRecorder that makes every order record durable in a
/// cts::store::Journal before the executor acts on it (one commit per record, so an
/// order is in the journal before its request leaves the process).

#include "cts/engine/executor.hpp"
#include "cts/store/journal.hpp"
#include "cts/store/record.hpp"

namespace cts::engine {

/// Records into `journal` (which must outlive the recorder). Not thread-safe.
class JournalRecorder final : public OrderRecorder {
 public:
  /// A recorder appending to `journal`.
  explicit JournalRecorder(store::Journal& journal) : journal_(journal) {}

  /// Appends and commits the creation record.
  Result<void> record_created(const order::OrderRequest& request) override {
    return append_and_commit(store::JournalRecord::created(request));
  }
  /// Appends and commits the event record.
  Result<void> record_event(const ClientOrderId& client_id, const order::OrderEvent& event) override {
    return append_and_commit(store::JournalRecord::for_event(client_id, event));
  }

 private:
  Result<void> append_and_commit(const store::JournalRecord& record) {
    if (Result<std::uint64_t> seq = journal_.append(record); !seq) return seq.error();
    return journal_.commit();
  }
  store::Journal& journal_;
};

}  // namespace cts::engine
