// Text encoding of journal records (cts/store/record.hpp).
#include "cts/store/record.hpp"

#include <optional>

#include <fmt/format.h>

#include "store/text_fields.hpp"

namespace cts::store {
using detail::bad;
using detail::put;
using detail::to_decimal;
using detail::to_id;
using detail::to_time;
using detail::unescape;

std::string encode_body(const JournalRecord& record) {
  if (record.kind == RecordKind::snapshot) return record.snapshot;
  std::string out;
  if (record.kind == RecordKind::order_created) {
    const order::OrderRequest& r = record.request;
    put(out, "id", r.client_id.view());
    put(out, "sym", r.symbol);
    put(out, "side", to_string(r.side));
    put(out, "type", to_string(r.type));
    put(out, "tif", to_string(r.tif));
    put(out, "qty", r.quantity);
    if (r.price) put(out, "px", *r.price);
    if (r.trigger_price) put(out, "trg", *r.trigger_price);
    if (r.reduce_only) put(out, "ro", "1");
    if (!r.position_id.empty()) put(out, "pos", r.position_id);
    put(out, "ts", r.ts);
    return out;
  }
  const order::OrderEvent& e = record.event;
  put(out, "ev", to_string(e.kind));
  put(out, "ts", e.ts);
  if (!e.venue_order_id.empty()) put(out, "vid", e.venue_order_id.view());
  if (!e.reason.empty()) put(out, "reason", e.reason);
  if (e.quantity) put(out, "qty", *e.quantity);
  if (e.price) put(out, "px", *e.price);
  if (e.trigger_price) put(out, "trg", *e.trigger_price);
  if (e.kind == order::OrderEventKind::filled) {
    put(out, "trade", e.fill.trade_id.view());
    put(out, "fqty", e.fill.quantity);
    put(out, "fpx", e.fill.price);
    if (!e.fill.fee.is_zero() || !e.fill.fee_asset.empty()) {
      put(out, "fee", e.fill.fee);
      put(out, "fasset", e.fill.fee_asset.view());
    }
  }
  return out;
}

Result<JournalRecord> decode_body(RecordKind kind, std::string_view body) {
  JournalRecord record;
  record.kind = kind;
  if (kind == RecordKind::snapshot) {
    record.snapshot = std::string(body);
    return record;
  }
  if (kind != RecordKind::order_created && kind != RecordKind::order_event) {
    return make_error(ErrorCode::protocol_error, fmt::format("journal record: unknown kind {}", static_cast<int>(kind)));
  }
  // Parses one field into `record`.
  Result<void> ok = detail::for_each_field(body, [&](std::string_view key, const std::string& v) -> Result<void> {
      if (kind == RecordKind::order_created) {
        order::OrderRequest& r = record.request;
        if (key == "id") {
          Result<ClientOrderId> id = ClientOrderId::from(v);
          if (!id) return bad(key, "invalid client order id");
          r.client_id = *id;
          record.client_id = *id;
        } else if (key == "sym") {
          r.symbol = v;
        } else if (key == "side") {
          Result<Side> s = parse_side(v);
          if (!s) return bad(key, "invalid side");
          r.side = *s;
        } else if (key == "type") {
          Result<OrderType> t = parse_order_type(v);
          if (!t) return bad(key, "invalid order type");
          r.type = *t;
        } else if (key == "tif") {
          Result<TimeInForce> t = parse_time_in_force(v);
          if (!t) return bad(key, "invalid time in force");
          r.tif = *t;
        } else if (key == "qty") {
          Result<Decimal> d = to_decimal(key, v);
          if (!d) return d.error();
          r.quantity = *d;
        } else if (key == "px" || key == "trg") {
          Result<Decimal> d = to_decimal(key, v);
          if (!d) return d.error();
          (key == "px" ? r.price : r.trigger_price) = *d;
        } else if (key == "ro") {
          r.reduce_only = v == "1";
        } else if (key == "pos") {
          r.position_id = v;
        } else if (key == "ts") {
          Result<SystemTime> t = to_time(key, v);
          if (!t) return t.error();
          r.ts = *t;
        } else {
          return bad(key, "unknown field");
        }
        return {};
      }
      order::OrderEvent& e = record.event;
      if (key == "ev") {
        Result<order::OrderEventKind> k = order::parse_order_event_kind(v);
        if (!k) return bad(key, "unknown event");
        e.kind = *k;
      } else if (key == "ts") {
        Result<SystemTime> t = to_time(key, v);
        if (!t) return t.error();
        e.ts = *t;
      } else if (key == "vid") {
        Result<order::VenueOrderId> id = to_id<order::VenueOrderId>(key, v);
        if (!id) return id.error();
        e.venue_order_id = *id;
      } else if (key == "reason") {
        e.reason = v;
      } else if (key == "qty" || key == "px" || key == "trg" || key == "fqty" || key == "fpx" || key == "fee") {
        Result<Decimal> d = to_decimal(key, v);
        if (!d) return d.error();
        if (key == "qty") e.quantity = *d;
        else if (key == "px") e.price = *d;
        else if (key == "trg") e.trigger_price = *d;
        else if (key == "fqty") e.fill.quantity = *d;
        else if (key == "fpx") e.fill.price = *d;
        else e.fill.fee = *d;
      } else if (key == "trade") {
        Result<order::TradeId> id = to_id<order::TradeId>(key, v);
        if (!id) return id.error();
        e.fill.trade_id = *id;
      } else if (key == "fasset") {
        Result<order::Asset> a = to_id<order::Asset>(key, v);
        if (!a) return a.error();
        e.fill.fee_asset = *a;
      } else {
        return bad(key, "unknown field");
      }
      return {};
  });
  if (!ok) return ok.error();
  return record;
}

std::uint64_t body_checksum(std::string_view body) noexcept {
  std::uint64_t h = 14695981039346656037ULL;
  for (char c : body) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  return h;
}

}  // namespace cts::store
