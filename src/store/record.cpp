// Text encoding of journal records (cts/store/record.hpp).
#include "cts/store/record.hpp"

#include <charconv>
#include <optional>

#include <fmt/format.h>

namespace cts::store {
namespace {

bool needs_escape(char c) noexcept {
  const auto u = static_cast<unsigned char>(c);
  return c == '%' || c == ' ' || c == '=' || u < 0x21 || u == 0x7f;
}

void put(std::string& out, std::string_view key, std::string_view value) {
  if (!out.empty()) out += ' ';
  out += key;
  out += '=';
  for (char c : value) {
    if (needs_escape(c)) {
      out += fmt::format("%{:02X}", static_cast<unsigned char>(c));
    } else {
      out += c;
    }
  }
}

void put(std::string& out, std::string_view key, Decimal value) { put(out, key, value.to_string()); }

void put(std::string& out, std::string_view key, SystemTime ts) {
  put(out, key, std::to_string(std::chrono::duration_cast<std::chrono::nanoseconds>(ts.time_since_epoch()).count()));
}

Error bad(std::string_view key, std::string_view why) {
  return make_error(ErrorCode::protocol_error, fmt::format("journal record: {} ({})", why, key));
}

Result<std::string> unescape(std::string_view key, std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    unsigned value = 0;
    if (i + 2 >= text.size()) return bad(key, "truncated escape");
    const auto r = std::from_chars(text.data() + i + 1, text.data() + i + 3, value, 16);
    if (r.ec != std::errc() || r.ptr != text.data() + i + 3) return bad(key, "invalid escape");
    out += static_cast<char>(value);
    i += 2;
  }
  return out;
}

Result<Decimal> to_decimal(std::string_view key, const std::string& text) {
  Result<Decimal> d = Decimal::parse(text);
  if (!d) return bad(key, "invalid decimal");
  return d;
}

Result<SystemTime> to_time(std::string_view key, const std::string& text) {
  std::int64_t ns = 0;
  const auto r = std::from_chars(text.data(), text.data() + text.size(), ns);
  if (r.ec != std::errc() || r.ptr != text.data() + text.size()) return bad(key, "invalid time");
  return SystemTime{std::chrono::duration_cast<SystemTime::duration>(std::chrono::nanoseconds(ns))};
}

template <class Id>
Result<Id> to_id(std::string_view key, const std::string& text) {
  Result<Id> id = Id::from(text);
  if (!id) return bad(key, "invalid id");
  return id;
}

}  // namespace

std::string encode_body(const JournalRecord& record) {
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
  if (kind != RecordKind::order_created && kind != RecordKind::order_event) {
    return make_error(ErrorCode::protocol_error, fmt::format("journal record: unknown kind {}", static_cast<int>(kind)));
  }
  std::size_t start = 0;
  while (start < body.size()) {
    std::size_t end = body.find(' ', start);
    if (end == std::string_view::npos) end = body.size();
    const std::string_view token = body.substr(start, end - start);
    start = end + 1;
    const std::size_t eq = token.find('=');
    if (eq == std::string_view::npos) return bad(token.substr(0, 32), "field without '='");
    const std::string_view key = token.substr(0, eq);
    Result<std::string> value = unescape(key, token.substr(eq + 1));
    if (!value) return value.error();
    const std::string& v = *value;
    // Parses one field into `record`.
    Result<void> ok = [&]() -> Result<void> {
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
    }();
    if (!ok) return ok.error();
  }
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
