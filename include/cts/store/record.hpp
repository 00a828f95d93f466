#pragma once
/// \file
/// What the journal stores: one record per order creation or order event (and the
/// snapshot compaction leaves in place of older ones), and its
/// text encoding (exact decimals, percent-escaped strings), shared by every backend.

#include <cstdint>
#include <string>
#include <string_view>

#include "cts/core/result.hpp"
#include "cts/order/event.hpp"

namespace cts::store {

/// The kind of a journal record. Values are stable (they are stored).
enum class RecordKind : std::uint8_t {
  order_created = 1,  ///< An order was created in the tracker (before it was sent).
  order_event = 2,    ///< An event for an order (local or from the venue).
  snapshot = 3,       ///< The account as of this seq, replacing every earlier record (compaction).
};

/// One journal entry.
struct JournalRecord {
  std::uint64_t seq = 0;                   ///< Position in the journal (1, 2, ...), set by append().
  RecordKind kind = RecordKind::order_event;  ///< Which of the two payloads is meaningful.
  order::OrderRequest request;             ///< order_created: the request.
  ClientOrderId client_id;                 ///< order_event: the order.
  order::OrderEvent event;                 ///< order_event: the event.
  std::string snapshot;                    ///< snapshot: the encoded Snapshot (cts/store/snapshot.hpp).

  /// A creation record.
  static JournalRecord created(const order::OrderRequest& request) {
    JournalRecord r;
    r.kind = RecordKind::order_created;
    r.request = request;
    r.client_id = request.client_id;
    return r;
  }
  /// An event record.
  static JournalRecord for_event(const ClientOrderId& client_id, const order::OrderEvent& event) {
    JournalRecord r;
    r.kind = RecordKind::order_event;
    r.client_id = client_id;
    r.event = event;
    return r;
  }

  /// A snapshot record carrying `encoded` (encode_snapshot's text).
  static JournalRecord for_snapshot(std::string encoded) {
    JournalRecord r;
    r.kind = RecordKind::snapshot;
    r.snapshot = std::move(encoded);
    return r;
  }

  friend bool operator==(const JournalRecord&, const JournalRecord&) = default;
};

/// The payload of `record` as text: space-separated key=value pairs, decimals in their
/// canonical exact form, times in integer nanoseconds, strings percent-escaped.
std::string encode_body(const JournalRecord& record);

/// Parses a body written by encode_body for a record of `kind`. protocol_error naming
/// the key on malformed or unknown content (a journal written by a newer version, or
/// damaged).
Result<JournalRecord> decode_body(RecordKind kind, std::string_view body);

/// A 64-bit FNV-1a checksum of `body`, stored next to it to detect damaged records.
std::uint64_t body_checksum(std::string_view body) noexcept;

}  // namespace cts::store
