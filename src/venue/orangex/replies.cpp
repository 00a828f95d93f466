// OrangeX reply parsers: the result members named in replies.hpp into the unified types.
#include "cts/venue/orangex/replies.hpp"

#include <fmt/format.h>

namespace cts::venue::orangex {

namespace {

using detail::FieldReader;
namespace od = simdjson::ondemand;
using cts::venue::detail::Seen;

std::optional<Side> side_of(std::string_view direction) noexcept {
  if (direction == "buy") return Side::buy;
  if (direction == "sell") return Side::sell;
  return std::nullopt;
}

std::optional<OrderType> type_of(std::string_view type) noexcept {
  if (type == "limit") return OrderType::limit;
  if (type == "market") return OrderType::market;
  return std::nullopt;
}

std::optional<TimeInForce> time_in_force_of(std::string_view tif) noexcept {
  if (tif == "good_til_cancelled") return TimeInForce::gtc;
  if (tif == "immediate_or_cancel") return TimeInForce::ioc;
  if (tif == "fill_or_kill") return TimeInForce::fok;
  return std::nullopt;
}

// Reads [[price, amount], ...] (each entry a string or a number).
bool read_levels(od::value& value, FieldReader& fields, std::string_view field, std::vector<PriceLevel>& out) {
  out.clear();
  return cts::venue::detail::visit_array(value, fields, field, [&](od::value& level, std::size_t) {
    PriceLevel& entry = out.emplace_back();
    std::size_t n = 0;
    const bool ok = cts::venue::detail::visit_array(level, fields, field, [&](od::value& item, std::size_t) {
      if (n >= 2) return fields.fail(field, "has a level with more than 2 entries");
      return detail::decimal(fields, item, n++ == 0 ? entry.price : entry.quantity, field);
    });
    if (ok && n != 2) return fields.fail(field, "has a level with fewer than 2 entries");
    return ok;
  });
}

// Parses a reply whose result is one object read member by member.
template <class OnMember>
Result<void> parse_object(const HttpResponse& response, std::int64_t id, Operation operation, JsonReader& reader,
                          std::string_view what, OnMember&& on_member) {
  return parse_reply(response, operation, reader, what, id, [&](od::value& result, FieldReader& fields) {
    return cts::venue::detail::visit_object(result, fields, "result",
                                            [&](std::string_view key, od::value& v) { return on_member(key, v, fields); });
  });
}

}  // namespace

std::optional<OrderStatus> order_status(std::string_view state, bool partly_filled) noexcept {
  if (state == "open") return partly_filled ? OrderStatus::partially_filled : OrderStatus::new_;
  if (state == "filled") return OrderStatus::filled;
  if (state == "cancelled") return OrderStatus::canceled;
  if (state == "rejected") return OrderStatus::rejected;
  if (state == "untriggered") return OrderStatus::new_;
  return std::nullopt;
}

namespace detail {

bool read_order(od::value& value, FieldReader& fields, OrderReport& out) {
  out = OrderReport{};
  std::string state;
  bool post_only = false;
  Seen seen;
  const bool ok = cts::venue::detail::visit_object(value, fields, "order", [&](std::string_view key, od::value& v) {
    if (key == "order_id") return seen.mark(0), id_text(fields, v, out.order_id, "order_id");
    if (key == "label") return fields.optional_string(v, out.client_order_id, "label");
    if (key == "instrument_name") return seen.mark(1), fields.string(v, out.symbol, "instrument_name");
    if (key == "direction") return seen.mark(2), fields.enumeration(v, out.side, "direction", side_of);
    if (key == "order_type") return fields.enumeration(v, out.type, "order_type", type_of);
    if (key == "order_state") return seen.mark(3), fields.string(v, state, "order_state");
    if (key == "time_in_force") return fields.enumeration(v, out.time_in_force, "time_in_force", time_in_force_of);
    if (key == "post_only") return fields.boolean(v, post_only, "post_only");
    if (key == "reduce_only") return fields.boolean(v, out.reduce_only, "reduce_only");
    if (key == "price") {
      // Deribit writes a market order's price as the word "market_price".
      std::string_view token = v.raw_json_token();
      if (token.starts_with("\"market_price\"")) return true;
      return detail::optional_decimal(fields, v, out.price, "price");
    }
    if (key == "amount") return seen.mark(4), detail::decimal(fields, v, out.quantity, "amount");
    if (key == "filled_amount") return detail::optional_decimal(fields, v, out.executed_quantity, "filled_amount");
    if (key == "average_price") return detail::optional_decimal(fields, v, out.average_price, "average_price");
    if (key == "last_update_timestamp") return fields.int64(v, out.time_ms, "last_update_timestamp");
    return true;
  });
  if (!ok) return false;
  static constexpr std::string_view kRequired[] = {"order_id", "instrument_name", "direction", "order_state", "amount"};
  if (!seen.require(fields, kRequired)) return false;
  const auto status = order_status(state, out.executed_quantity.is_positive());
  if (!status) return fields.fail("order_state", fmt::format("has unknown value \"{}\"", std::string_view(state).substr(0, 32)));
  out.status = *status;
  if (post_only && out.time_in_force == TimeInForce::gtc) out.time_in_force = TimeInForce::post_only;
  if (out.type == OrderType::market) out.price = Decimal{};
  auto quote = out.executed_quantity.checked_mul(out.average_price, Rounding::half_even);
  if (quote) out.cumulative_quote = *quote;
  return true;
}

bool read_trade(od::value& value, FieldReader& fields, AccountTrade& out) {
  out = AccountTrade{};
  std::string liquidity;
  Seen seen;
  const bool ok = cts::venue::detail::visit_object(value, fields, "trade", [&](std::string_view key, od::value& v) {
    if (key == "trade_id") return seen.mark(0), id_text(fields, v, out.id, "trade_id");
    if (key == "order_id") return seen.mark(1), id_text(fields, v, out.order_id, "order_id");
    if (key == "instrument_name") return seen.mark(2), fields.string(v, out.symbol, "instrument_name");
    if (key == "direction") return seen.mark(3), fields.enumeration(v, out.side, "direction", side_of);
    if (key == "price") return seen.mark(4), detail::decimal(fields, v, out.price, "price");
    if (key == "amount") return seen.mark(5), detail::decimal(fields, v, out.quantity, "amount");
    if (key == "fee") return detail::optional_decimal(fields, v, out.commission, "fee");
    if (key == "fee_currency") return fields.optional_string(v, out.commission_asset, "fee_currency");
    if (key == "liquidity") return fields.optional_string(v, liquidity, "liquidity");
    if (key == "profit_loss") return detail::optional_decimal(fields, v, out.realized_pnl, "profit_loss");
    if (key == "timestamp") return seen.mark(6), fields.int64(v, out.time_ms, "timestamp");
    return true;
  });
  if (!ok) return false;
  static constexpr std::string_view kRequired[] = {"trade_id", "order_id", "instrument_name", "direction",
                                                   "price",    "amount",   "timestamp"};
  if (!seen.require(fields, kRequired)) return false;
  if (!liquidity.empty() && liquidity != "M" && liquidity != "T") {
    return fields.fail("liquidity", fmt::format("has unknown value \"{}\"", std::string_view(liquidity).substr(0, 8)));
  }
  out.maker = liquidity == "M";
  auto quote = out.price.checked_mul(out.quantity, Rounding::half_even);
  if (quote) out.quote_quantity = *quote;
  return true;
}

bool read_account_summary(od::value& value, FieldReader& fields, Balance& out) {
  out = Balance{};
  Seen seen;
  const bool ok = cts::venue::detail::visit_object(value, fields, "account summary", [&](std::string_view key, od::value& v) {
    if (key == "currency") return seen.mark(0), fields.string(v, out.asset, key);
    if (key == "available_funds") return seen.mark(1), detail::decimal(fields, v, out.free, key);
    if (key == "initial_margin") return detail::optional_decimal(fields, v, out.locked, key);
    return true;
  });
  if (!ok) return false;
  static constexpr std::string_view kRequired[] = {"currency", "available_funds"};
  return seen.require(fields, kRequired);
}

}  // namespace detail

Result<AuthToken> parse_auth(const HttpResponse& response, std::int64_t id, JsonReader& reader) {
  AuthToken token;
  Seen seen;
  std::string access;
  std::string refresh;
  Result<void> done = parse_object(response, id, Operation::read, reader, "orangex auth",
                                   [&](std::string_view key, od::value& v, FieldReader& fields) {
                                     if (key == "access_token") return seen.mark(0), fields.string(v, access, key);
                                     if (key == "refresh_token") return fields.optional_string(v, refresh, key);
                                     if (key == "expires_in") return seen.mark(1), fields.int64_or_text(v, token.expires_in_s, key);
                                     return true;
                                   });
  if (!done) return done.error();
  if (!seen.has(0) || access.empty()) return make_error(ErrorCode::protocol_error, "orangex auth: access_token is missing");
  if (!seen.has(1) || token.expires_in_s <= 0) {
    return make_error(ErrorCode::protocol_error, "orangex auth: expires_in is missing or not positive");
  }
  token.access_token = sign::Secret(access);
  token.refresh_token = sign::Secret(refresh);
  return token;
}

Result<std::int64_t> parse_server_time(const HttpResponse& response, std::int64_t id, JsonReader& reader) {
  std::int64_t time = 0;
  Result<void> done = parse_reply(response, Operation::read, reader, "orangex time", id,
                                  [&](od::value& v, FieldReader& fields) { return fields.int64(v, time, "result"); });
  if (!done) return done.error();
  return time;
}

Result<ListedInstrument> parse_instrument(const HttpResponse& response, std::int64_t id, JsonReader& reader) {
  ListedInstrument listed;
  Instrument& in = listed.instrument;
  std::string kind;
  bool active = false;
  Seen seen;
  Result<void> done = parse_object(
      response, id, Operation::read, reader, "orangex instrument", [&](std::string_view key, od::value& v, FieldReader& f) {
        if (key == "instrument_name") return seen.mark(0), f.string(v, in.venue_symbol, key);
        if (key == "base_currency") return seen.mark(1), f.string(v, in.base, key);
        if (key == "quote_currency") return seen.mark(2), f.string(v, in.quote, key);
        if (key == "settlement_currency") return f.optional_string(v, in.settle, key);
        if (key == "kind") return seen.mark(3), f.string(v, kind, key);
        if (key == "tick_size") return seen.mark(4), detail::decimal(f, v, in.tick_size, key);
        if (key == "min_trade_amount") return seen.mark(5), detail::decimal(f, v, in.step_size, key);
        if (key == "is_active") return seen.mark(6), f.boolean(v, active, key);
        return true;
      });
  if (!done) return done.error();
  static constexpr std::string_view kNames[] = {"instrument_name", "base_currency", "quote_currency", "kind",
                                                "tick_size",       "min_trade_amount", "is_active"};
  for (unsigned i = 0; i < 7; ++i) {
    if (!seen.has(i)) return make_error(ErrorCode::protocol_error, fmt::format("orangex instrument: field \"{}\" is missing", kNames[i]));
  }
  if (kind == "perpetual") {
    in.kind = InstrumentKind::linear_perpetual;
    if (in.settle.empty()) in.settle = in.quote;
  } else if (kind == "spot") {
    in.kind = InstrumentKind::spot;
    in.settle.clear();
  } else {
    return make_error(ErrorCode::protocol_error,
                      fmt::format("orangex instrument: kind \"{}\" is not traded by cts", std::string_view(kind).substr(0, 32)));
  }
  if (!in.tick_size.is_positive() || !in.step_size.is_positive()) {
    return make_error(ErrorCode::protocol_error, "orangex instrument: tick_size and min_trade_amount must be positive");
  }
  in.min_quantity = in.step_size;
  listed.status = active ? "active" : "inactive";
  listed.state = active ? InstrumentStatus::trading : InstrumentStatus::closed;
  return listed;
}

Result<BookSnapshot> parse_order_book(const HttpResponse& response, std::int64_t id, JsonReader& reader) {
  BookSnapshot book;
  Seen seen;
  Result<void> done = parse_object(response, id, Operation::read, reader, "orangex order book",
                                   [&](std::string_view key, od::value& v, FieldReader& f) {
                                     if (key == "version") return seen.mark(0), f.uint64(v, book.last_update_id, key);
                                     if (key == "timestamp") return f.int64(v, book.event_time_ms, key);
                                     if (key == "bids") return seen.mark(1), read_levels(v, f, key, book.bids);
                                     if (key == "asks") return seen.mark(2), read_levels(v, f, key, book.asks);
                                     return true;
                                   });
  if (!done) return done.error();
  if (!seen.has(0) || !seen.has(1) || !seen.has(2)) {
    return make_error(ErrorCode::protocol_error, "orangex order book: version, bids or asks is missing");
  }
  return book;
}

Result<Ticker> parse_ticker(const HttpResponse& response, std::int64_t id, JsonReader& reader) {
  Ticker t;
  Seen seen;
  Result<void> done = parse_object(
      response, id, Operation::read, reader, "orangex ticker", [&](std::string_view key, od::value& v, FieldReader& f) {
        if (key == "instrument_name") return seen.mark(0), f.string(v, t.symbol, key);
        if (key == "best_bid_price") return seen.mark(1), detail::optional_decimal(f, v, t.bid_price, key);
        if (key == "best_bid_amount") return detail::optional_decimal(f, v, t.bid_quantity, key);
        if (key == "best_ask_price") return seen.mark(2), detail::optional_decimal(f, v, t.ask_price, key);
        if (key == "best_ask_amount") return detail::optional_decimal(f, v, t.ask_quantity, key);
        if (key == "last_price") return detail::optional_decimal(f, v, t.last_price, key);
        if (key == "mark_price") return detail::optional_decimal(f, v, t.mark_price, key);
        if (key == "index_price") return detail::optional_decimal(f, v, t.index_price, key);
        if (key == "timestamp") return f.int64(v, t.time_ms, key);
        return true;
      });
  if (!done) return done.error();
  if (!seen.has(0) || !seen.has(1) || !seen.has(2)) {
    return make_error(ErrorCode::protocol_error, "orangex ticker: instrument_name, best_bid_price or best_ask_price is missing");
  }
  return t;
}

Result<OrderReport> parse_order_reply(const HttpResponse& response, std::int64_t id, Operation operation,
                                      JsonReader& reader) {
  OrderReport report;
  bool has_order = false;
  Result<void> done = parse_object(response, id, operation, reader, "orangex order reply",
                                   [&](std::string_view key, od::value& v, FieldReader& f) {
                                     if (key == "order") return has_order = true, detail::read_order(v, f, report);
                                     if (key == "trades") {
                                       return cts::venue::detail::visit_array(v, f, "trades", [&](od::value& item, std::size_t) {
                                         AccountTrade trade;
                                         if (!detail::read_trade(item, f, trade)) return false;
                                         report.fills.push_back(Fill{std::move(trade.id), trade.price, trade.quantity,
                                                                     trade.commission, std::move(trade.commission_asset)});
                                         return true;
                                       });
                                     }
                                     return true;
                                   });
  if (!done) return done.error();
  if (!has_order) return make_error(ErrorCode::protocol_error, "orangex order reply: field \"order\" is missing");
  return report;
}

Result<OrderReport> parse_order(const HttpResponse& response, std::int64_t id, Operation operation, JsonReader& reader) {
  OrderReport report;
  Result<void> done = parse_reply(response, operation, reader, "orangex order", id,
                                  [&](od::value& v, FieldReader& f) { return detail::read_order(v, f, report); });
  if (!done) return done.error();
  return report;
}

Result<std::vector<OrderReport>> parse_orders(const HttpResponse& response, std::int64_t id, JsonReader& reader) {
  std::vector<OrderReport> orders;
  Result<void> done = parse_reply(response, Operation::read, reader, "orangex orders", id, [&](od::value& v, FieldReader& f) {
    return cts::venue::detail::visit_array(v, f, "result", [&](od::value& item, std::size_t) {
      return detail::read_order(item, f, orders.emplace_back());
    });
  });
  if (!done) return done.error();
  return orders;
}

Result<std::int64_t> parse_cancel_count(const HttpResponse& response, std::int64_t id, JsonReader& reader) {
  std::int64_t count = 0;
  Result<void> done = parse_reply(response, Operation::mutation, reader, "orangex cancel all", id,
                                  [&](od::value& v, FieldReader& f) { return f.int64(v, count, "result"); });
  if (!done) return done.error();
  if (count < 0) return make_error(ErrorCode::protocol_error, "orangex cancel all: negative count");
  return count;
}

Result<std::vector<AccountTrade>> parse_user_trades(const HttpResponse& response, std::int64_t id, JsonReader& reader) {
  std::vector<AccountTrade> trades;
  const auto read_list = [&](od::value& v, FieldReader& f, std::string_view field) {
    return cts::venue::detail::visit_array(v, f, field, [&](od::value& item, std::size_t) {
      return detail::read_trade(item, f, trades.emplace_back());
    });
  };
  Result<void> done = parse_reply(response, Operation::read, reader, "orangex user trades", id, [&](od::value& v, FieldReader& f) {
    auto type = v.type();
    if (!type.error() && type.value_unsafe() == od::json_type::array) return read_list(v, f, "result");
    bool has_trades = false;
    const bool ok = cts::venue::detail::visit_object(v, f, "result", [&](std::string_view key, od::value& member) {
      if (key == "trades") return has_trades = true, read_list(member, f, "trades");
      return true;
    });
    return ok && (has_trades || f.missing("trades"));
  });
  if (!done) return done.error();
  return trades;
}

Result<Balance> parse_account_summary(const HttpResponse& response, std::int64_t id, JsonReader& reader) {
  Balance balance;
  Result<void> done = parse_reply(response, Operation::read, reader, "orangex account summary", id,
                                  [&](od::value& result, FieldReader& fields) {
                                    return detail::read_account_summary(result, fields, balance);
                                  });
  if (!done) return done.error();
  return balance;
}

Result<Position> parse_position(const HttpResponse& response, std::int64_t id, JsonReader& reader) {
  Position position;
  Decimal leverage;
  bool has_leverage = false;
  Seen seen;
  Result<void> done = parse_object(
      response, id, Operation::read, reader, "orangex position", [&](std::string_view key, od::value& v, FieldReader& f) {
        if (key == "instrument_name") return seen.mark(0), f.string(v, position.symbol, key);
        if (key == "size") return seen.mark(1), detail::decimal(f, v, position.quantity, key);
        if (key == "average_price") return detail::optional_decimal(f, v, position.entry_price, key);
        if (key == "mark_price") return detail::optional_decimal(f, v, position.mark_price, key);
        if (key == "floating_profit_loss") return detail::optional_decimal(f, v, position.unrealized_pnl, key);
        if (key == "estimated_liquidation_price") return detail::optional_decimal(f, v, position.liquidation_price, key);
        if (key == "leverage") return has_leverage = true, detail::optional_decimal(f, v, leverage, key);
        return true;
      });
  if (!done) return done.error();
  if (!seen.has(0) || !seen.has(1)) return make_error(ErrorCode::protocol_error, "orangex position: instrument_name or size is missing");
  if (has_leverage && leverage.is_positive()) position.leverage = leverage;
  auto notional = position.quantity.checked_mul(position.mark_price, Rounding::half_even);
  if (notional) position.notional = *notional;
  return position;
}

}  // namespace cts::venue::orangex
