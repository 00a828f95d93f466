#pragma once
/// \file
/// Journal records as JSON, for `ctsctl journal export` (one object per line, JSON
/// Lines) and `inspect --json`. The field set of each kind is fixed: every field is
/// present, `null` where the record has no value; decimals are JSON strings in their
/// exact form ("0.001"), times RFC 3339 UTC with up to nine fraction digits (the
/// journal keeps nanoseconds). docs/engine.md ("ctsctl journal") lists the fields.

#include <string>

#include <cts/order/position.hpp>
#include <cts/store/record.hpp>
#include <cts/venue/json_body.hpp>

namespace ctsctl {

/// `record` as one JSON object (no line break): its seq, kind, time and fields; a
/// snapshot's positions and kept order records nested (the records without a seq).
/// Errors: protocol_error for a snapshot that does not decode.
cts::Result<std::string> record_json(const cts::store::JournalRecord& record);

/// Adds one position cycle's members to the object `out` has open: symbol, position
/// id, instrument kind, contract size, signed quantity, average open price (null when
/// flat), realized PnL, bought, sold, fees by asset, fill count, first and last fill.
void add_position_members(cts::venue::JsonBody& out, const cts::order::Position& position);

}  // namespace ctsctl
