// Journal records as JSON (ctsctl/journal_json.hpp).
#include "ctsctl/journal_json.hpp"

#include <optional>

#include <cts/health/detail/json.hpp>
#include <cts/store/snapshot.hpp>

namespace ctsctl {
namespace {

using cts::venue::JsonBody;

void optional_decimal(JsonBody& out, std::string_view key, const std::optional<cts::Decimal>& value) {
  if (value) out.decimal(key, *value);
  else out.null(key);
}

void optional_text(JsonBody& out, std::string_view key, std::string_view value) {
  if (value.empty()) out.null(key);
  else out.string(key, value);
}

void kind_and_time(JsonBody& out, std::string_view kind, cts::SystemTime time) {
  out.string("kind", kind);
  out.string("time", cts::health::detail::rfc3339_nano(time));
}

// The members of a creation or event record after its seq.
void add_order_record(JsonBody& out, const cts::store::JournalRecord& record) {
  if (record.kind == cts::store::RecordKind::order_created) {
    const cts::order::OrderRequest& r = record.request;
    kind_and_time(out, "order_created", r.ts);
    out.string("client_order_id", r.client_id.view());
    out.string("symbol", r.symbol);
    out.string("side", cts::to_string(r.side));
    out.string("type", cts::to_string(r.type));
    out.string("time_in_force", cts::to_string(r.tif));
    out.decimal("quantity", r.quantity);
    optional_decimal(out, "price", r.price);
    optional_decimal(out, "trigger_price", r.trigger_price);
    out.boolean("reduce_only", r.reduce_only);
    optional_text(out, "position_id", r.position_id);
    return;
  }
  const cts::order::OrderEvent& e = record.event;
  kind_and_time(out, "order_event", e.ts);
  out.string("client_order_id", record.client_id.view());
  out.string("event", cts::order::to_string(e.kind));
  optional_text(out, "venue_order_id", e.venue_order_id.view());
  optional_text(out, "reason", e.reason);
  optional_decimal(out, "quantity", e.quantity);
  optional_decimal(out, "price", e.price);
  optional_decimal(out, "trigger_price", e.trigger_price);
  const bool fill = e.kind == cts::order::OrderEventKind::filled;
  optional_text(out, "trade_id", fill ? e.fill.trade_id.view() : std::string_view{});
  optional_decimal(out, "fill_quantity", fill ? std::optional(e.fill.quantity) : std::nullopt);
  optional_decimal(out, "fill_price", fill ? std::optional(e.fill.price) : std::nullopt);
  optional_decimal(out, "fee", fill ? std::optional(e.fill.fee) : std::nullopt);
  optional_text(out, "fee_asset", fill ? e.fill.fee_asset.view() : std::string_view{});
}

}  // namespace

void add_position_members(JsonBody& out, const cts::order::Position& position) {
  const cts::order::PositionSpec& spec = position.spec();
  const cts::order::Position::State s = position.state();
  out.string("symbol", spec.symbol);
  out.string("position_id", position.id());
  out.string("instrument_kind", cts::to_string(spec.kind));
  out.decimal("multiplier", spec.multiplier);
  out.decimal("quantity", s.signed_qty);
  optional_decimal(out, "average_price", s.signed_qty.is_zero() ? std::nullopt : std::optional(position.avg_open()));
  out.decimal("realized_pnl", s.realized_pnl);
  out.decimal("bought", s.buy_qty);
  out.decimal("sold", s.sell_qty);
  out.begin_object("fees");
  for (const cts::order::AssetAmount& fee : s.fees) out.decimal(fee.asset.view(), fee.amount);
  out.end_object();
  out.integer("fills", s.fill_count);
  if (s.fill_count == 0) {
    out.null("first_fill");
    out.null("last_fill");
  } else {
    out.string("first_fill", cts::health::detail::rfc3339_nano(s.ts_opened));
    out.string("last_fill", cts::health::detail::rfc3339_nano(s.ts_last));
  }
}

cts::Result<std::string> record_json(const cts::store::JournalRecord& record) {
  JsonBody out;
  out.begin_object();
  out.integer("seq", static_cast<std::int64_t>(record.seq));
  if (record.kind != cts::store::RecordKind::snapshot) {
    add_order_record(out, record);
    out.end_object();
    return std::move(out).take();
  }
  cts::Result<cts::store::Snapshot> snapshot = cts::store::decode_snapshot(record.snapshot);
  if (!snapshot) return snapshot.error();
  out.string("kind", "snapshot");
  out.null("time");
  out.begin_array("positions");
  for (const cts::store::SnapshotPosition& p : snapshot->positions) {
    const auto cycle = [&](const cts::order::Position& position, std::string_view which) {
      out.begin_object();
      out.string("cycle", which);
      add_position_members(out, position);
      out.end_object();
    };
    for (const cts::order::Position& closed : p.closed) cycle(closed, "closed");
    cycle(p.current, "current");
  }
  out.end_array();
  out.begin_array("orders");
  for (const cts::store::JournalRecord& kept : snapshot->orders) {
    out.begin_object();
    add_order_record(out, kept);
    out.end_object();
  }
  out.end_array();
  out.end_object();
  return std::move(out).take();
}

}  // namespace ctsctl
