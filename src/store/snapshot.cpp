// Journal snapshots: taking, text form and restoring (cts/store/snapshot.hpp).
#include "cts/store/snapshot.hpp"

#include <fmt/format.h>

#include "store/text_fields.hpp"

namespace cts::store {
namespace {

using detail::bad;
using detail::put;

// Instrument kinds by their stored name.
Result<InstrumentKind> parse_kind(std::string_view text) {
  for (InstrumentKind kind : {InstrumentKind::spot, InstrumentKind::linear_perpetual, InstrumentKind::inverse_perpetual,
                              InstrumentKind::linear_future, InstrumentKind::inverse_future}) {
    if (to_string(kind) == text) return kind;
  }
  return bad("kind", "unknown instrument kind");
}

void put_position(std::string& out, const order::Position& p, bool current) {
  put(out, "item", current ? "current" : "closed");
  put(out, "id", p.id());
  const order::PositionSpec& spec = p.spec();
  put(out, "sym", spec.symbol);
  put(out, "kind", to_string(spec.kind));
  put(out, "mult", spec.multiplier);
  put(out, "base", spec.base.view());
  put(out, "quote", spec.quote.view());
  put(out, "settle", spec.settle.view());
  const order::Position::State s = p.state();
  put(out, "qty", s.signed_qty);
  put(out, "cost", s.open_cost);
  put(out, "avg", s.avg_open);
  put(out, "pnl", s.realized_pnl);
  put(out, "cnot", s.close_notional);
  put(out, "cqty", s.closed_qty);
  put(out, "buy", s.buy_qty);
  put(out, "sell", s.sell_qty);
  put(out, "peak", s.peak_qty);
  for (const order::AssetAmount& fee : s.fees) {
    put(out, "fasset", fee.asset.view());
    put(out, "fee", fee.amount);
  }
  put(out, "opened", s.ts_opened);
  put(out, "last", s.ts_last);
  put(out, "fills", std::to_string(s.fill_count));
}

// A position line (after its "item" field).
Result<order::Position> parse_position(std::string_view line) {
  order::PositionSpec spec;
  std::string id;
  order::Position::State s;
  Result<void> ok = detail::for_each_field(line, [&](std::string_view key, const std::string& v) -> Result<void> {
    if (key == "item") return {};
    if (key == "id") {
      id = v;
    } else if (key == "sym") {
      spec.symbol = v;
    } else if (key == "kind") {
      Result<InstrumentKind> kind = parse_kind(v);
      if (!kind) return kind.error();
      spec.kind = *kind;
    } else if (key == "base" || key == "quote" || key == "settle" || key == "fasset") {
      Result<order::Asset> asset = detail::to_id<order::Asset>(key, v);
      if (!asset) return asset.error();
      if (key == "base") spec.base = *asset;
      else if (key == "quote") spec.quote = *asset;
      else if (key == "settle") spec.settle = *asset;
      else s.fees.push_back(order::AssetAmount{*asset, Decimal{}});
    } else if (key == "opened" || key == "last") {
      Result<SystemTime> t = detail::to_time(key, v);
      if (!t) return t.error();
      (key == "opened" ? s.ts_opened : s.ts_last) = *t;
    } else if (key == "fills") {
      std::uint32_t n = 0;
      const auto r = std::from_chars(v.data(), v.data() + v.size(), n);
      if (r.ec != std::errc() || r.ptr != v.data() + v.size()) return bad(key, "invalid count");
      s.fill_count = n;
    } else {
      Result<Decimal> d = detail::to_decimal(key, v);
      if (!d) return d.error();
      if (key == "mult") spec.multiplier = *d;
      else if (key == "qty") s.signed_qty = *d;
      else if (key == "cost") s.open_cost = *d;
      else if (key == "avg") s.avg_open = *d;
      else if (key == "pnl") s.realized_pnl = *d;
      else if (key == "cnot") s.close_notional = *d;
      else if (key == "cqty") s.closed_qty = *d;
      else if (key == "buy") s.buy_qty = *d;
      else if (key == "sell") s.sell_qty = *d;
      else if (key == "peak") s.peak_qty = *d;
      else if (key == "fee" && !s.fees.empty()) s.fees.back().amount = *d;
      else return bad(key, "unknown field");
    }
    return {};
  });
  if (!ok) return ok.error();
  return order::Position(std::move(spec), std::move(id), s);
}

// The first field of `line` ("item=<what>") and the rest.
std::pair<std::string_view, std::string_view> split_first(std::string_view line) {
  const std::size_t space = line.find(' ');
  if (space == std::string_view::npos) return {line, {}};
  return {line.substr(0, space), line.substr(space + 1)};
}

}  // namespace

Snapshot take_snapshot(const order::Account& account, std::vector<JournalRecord> kept_orders) {
  Snapshot snapshot;
  account.positions().for_each_position([&](const std::vector<order::Position>& closed, const order::Position& current) {
    snapshot.positions.push_back(SnapshotPosition{closed, current});
  });
  snapshot.orders = std::move(kept_orders);
  for (JournalRecord& record : snapshot.orders) record.seq = 0;
  return snapshot;
}

std::string encode_snapshot(const Snapshot& snapshot) {
  std::string out;
  for (const SnapshotPosition& p : snapshot.positions) {
    for (const order::Position& cycle : p.closed) {
      std::string line;
      put_position(line, cycle, false);
      out += line;
      out += '\n';
    }
    std::string line;
    put_position(line, p.current, true);
    out += line;
    out += '\n';
  }
  for (const JournalRecord& record : snapshot.orders) {
    std::string line;
    if (record.kind == RecordKind::order_created) {
      put(line, "item", "created");
    } else {
      put(line, "item", "event");
      put(line, "cid", record.client_id.view());
    }
    out += line;
    out += ' ';
    out += encode_body(record);
    out += '\n';
  }
  return out;
}

Result<Snapshot> decode_snapshot(std::string_view text) {
  Snapshot snapshot;
  std::vector<order::Position> closed;
  std::size_t line_number = 0;
  while (!text.empty()) {
    ++line_number;
    const std::size_t end = text.find('\n');
    const std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    auto failed = [&](const Error& error) {
      return make_error(ErrorCode::protocol_error, fmt::format("snapshot line {}: {}", line_number, error.message));
    };
    auto [item, rest] = split_first(line);
    if (item == "item=closed" || item == "item=current") {
      Result<order::Position> position = parse_position(rest);
      if (!position) return failed(position.error());
      if (item == "item=closed") {
        closed.push_back(std::move(*position));
      } else {
        snapshot.positions.push_back(SnapshotPosition{std::move(closed), std::move(*position)});
        closed.clear();
      }
    } else if (item == "item=created") {
      Result<JournalRecord> record = decode_body(RecordKind::order_created, rest);
      if (!record) return failed(record.error());
      snapshot.orders.push_back(std::move(*record));
    } else if (item == "item=event") {
      auto [cid, body] = split_first(rest);
      Result<ClientOrderId> id = cid.starts_with("cid=") ? [&]() -> Result<ClientOrderId> {
        Result<std::string> text_id = detail::unescape("cid", cid.substr(4));
        if (!text_id) return text_id.error();
        return ClientOrderId::from(*text_id);
      }()
                                                         : Result<ClientOrderId>(bad("cid", "missing"));
      if (!id) return failed(id.error());
      Result<JournalRecord> record = decode_body(RecordKind::order_event, body);
      if (!record) return failed(record.error());
      record->client_id = *id;
      snapshot.orders.push_back(std::move(*record));
    } else {
      return failed(bad(item.substr(0, 32), "unknown item"));
    }
  }
  if (!closed.empty()) return make_error(ErrorCode::protocol_error, "snapshot: closed cycles without a current one");
  return snapshot;
}

Result<void> restore_snapshot(const Snapshot& snapshot, order::Account& account) {
  for (const SnapshotPosition& p : snapshot.positions) account.restore_position(p.closed, p.current);
  for (const JournalRecord& record : snapshot.orders) {
    Result<const order::Order*> restored = record.kind == RecordKind::order_created
                                               ? account.restore_order(record.request)
                                               : account.restore_order_event(record.client_id.view(), record.event);
    if (!restored) {
      return make_error(ErrorCode::protocol_error,
                        fmt::format("snapshot: order {} refused its own record: {}", record.client_id, restored.error().message));
    }
  }
  return {};
}

}  // namespace cts::store
