#pragma once
// Internal to the store: what every journal backend does with a row it reads back (the
// SQLite journal, the PostgreSQL journal): check the sequence has no gap, check the
// body against its checksum, decode it and restore the client order id of an event.
#include <cstdint>
#include <string_view>

#include <fmt/format.h>

#include "cts/core/result.hpp"
#include "cts/store/record.hpp"

namespace cts::store::detail {

/// One stored row as read back, its text fields viewed in the backend's buffers.
struct StoredRow {
  std::uint64_t seq = 0;
  int kind = 0;
  std::string_view client_id;
  std::string_view body;
  std::uint64_t checksum = 0;
};

/// The record of `row`, read by a replay of the records after `after` that expects the
/// seq `expected` next (after + 1 at first), which it then advances past the row. After
/// a compaction the records before the snapshot are gone: a snapshot read first starts
/// the sequence. `journal` names the journal in errors (a path, a redacted URL and
/// stream). Errors: protocol_error for a gap before the row, a checksum that does not
/// match, a body that does not decode, an event without a client order id.
inline Result<JournalRecord> decode_stored(std::string_view journal, const StoredRow& row, std::uint64_t after,
                                           std::uint64_t& expected) {
  if (expected == after + 1 && row.kind == static_cast<int>(RecordKind::snapshot)) expected = row.seq;
  if (row.seq != expected) {
    return make_error(ErrorCode::protocol_error,
                      fmt::format("journal {}: gap before record {} (expected {})", journal, row.seq, expected));
  }
  if (row.checksum != body_checksum(row.body)) {
    return make_error(ErrorCode::protocol_error, fmt::format("journal {}: record {} is damaged (checksum)", journal, row.seq));
  }
  Result<JournalRecord> record = decode_body(static_cast<RecordKind>(row.kind), row.body);
  if (!record) {
    return make_error(ErrorCode::protocol_error, fmt::format("journal {}: record {}: {}", journal, row.seq, record.error().message));
  }
  record->seq = row.seq;
  ++expected;
  if (record->kind == RecordKind::order_event) {
    Result<ClientOrderId> id = ClientOrderId::from(row.client_id);
    if (!id) {
      return make_error(ErrorCode::protocol_error, fmt::format("journal {}: record {} has no client order id", journal, row.seq));
    }
    record->client_id = *id;
  }
  return record;
}

}  // namespace cts::store::detail
