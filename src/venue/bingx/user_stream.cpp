// BingX's swap account stream, sans I/O: ORDER_TRADE_UPDATE, ACCOUNT_UPDATE and
// listenKeyExpired from GZIP frames on a listen-key connection.
#include "cts/venue/bingx/user_stream.hpp"

#include <utility>

#include <fmt/format.h>

#include "cts/venue/bingx/streams.hpp"
#include "cts/venue/detail/json.hpp"
#include "cts/venue/json_reader.hpp"
#include "fields.hpp"

namespace cts::venue::bingx {

namespace {

namespace od = simdjson::ondemand;
using cts::venue::detail::FieldReader;
using cts::venue::detail::visit_array;
using cts::venue::detail::visit_object;
using namespace cts::venue::bingx::detail;

/// Reads `o` of an ORDER_TRADE_UPDATE.
bool read_order_event(od::value& value, FieldReader& fields, venue::OrderUpdate& update) {
  OrderReport& order = update.order;
  bool has_id = false;
  bool has_status = false;
  const bool ok = visit_object(value, fields, "o", [&](std::string_view key, od::value& field) {
    if (key == "s") return fields.string(field, order.symbol, "o.s");
    if (key == "c") return client_id(fields, field, order.client_order_id, "o.c");
    if (key == "i") return has_id = true, order_id(fields, field, order.order_id, "o.i");
    if (key == "S") return fields.enumeration(field, order.side, "o.S", parse_side);
    if (key == "o") {
      TypeOfOrder type;
      if (!fields.enumeration(field, type, "o.o", parse_order_type)) return false;
      order.type = type.type;
      order.trailing = type.trailing;
      return true;
    }
    if (key == "q") return any_decimal(fields, field, order.quantity, "o.q");
    if (key == "p") return any_decimal(fields, field, order.price, "o.p");
    if (key == "sp") return any_decimal(fields, field, order.trigger_price, "o.sp");
    if (key == "ap") return any_decimal(fields, field, order.average_price, "o.ap");
    if (key == "X") return has_status = true, fields.enumeration(field, order.status, "o.X", parse_status);
    if (key == "z") return any_decimal(fields, field, order.executed_quantity, "o.z");
    if (key == "ps") return fields.enumeration(field, order.position_side, "o.ps", parse_position_side);
    if (key == "T") return fields.int64(field, order.time_ms, "o.T");
    if (key == "rp") return any_decimal(fields, field, update.realized_pnl, "o.rp");
    return true;
  });
  if (!ok) return false;
  if (order.symbol.empty()) return fields.missing("o.s");
  if (!has_id) return fields.missing("o.i");
  if (!has_status) return fields.missing("o.X");
  return true;
}

/// Reads `a` of an ACCOUNT_UPDATE.
bool read_account_event(od::value& value, FieldReader& fields, BalancesUpdate& balances, PositionsUpdate& positions) {
  return visit_object(value, fields, "a", [&](std::string_view key, od::value& field) {
    if (key == "B") {
      return visit_array(field, fields, "a.B", [&](od::value& item, std::size_t) {
        Balance& balance = balances.balances.emplace_back();
        bool has_wallet = false;
        const bool read = visit_object(item, fields, "a.B", [&](std::string_view name, od::value& member) {
          if (name == "a") return fields.string(member, balance.asset, "a.B.a");
          if (name == "wb") return has_wallet = true, any_decimal(fields, member, balance.free, "a.B.wb");
          return true;
        });
        if (!read) return false;
        if (balance.asset.empty()) return fields.missing("a.B.a");
        if (!has_wallet) return fields.missing("a.B.wb");
        return true;
      });
    }
    if (key == "P") {
      return visit_array(field, fields, "a.P", [&](od::value& item, std::size_t) {
        Position& position = positions.positions.emplace_back();
        Decimal amount;
        bool has_amount = false;
        bool has_side = false;
        const bool read = visit_object(item, fields, "a.P", [&](std::string_view name, od::value& member) {
          if (name == "s") return fields.string(member, position.symbol, "a.P.s");
          if (name == "pa") return has_amount = true, any_decimal(fields, member, amount, "a.P.pa");
          if (name == "ep") return any_decimal(fields, member, position.entry_price, "a.P.ep");
          if (name == "up") return any_decimal(fields, member, position.unrealized_pnl, "a.P.up");
          if (name == "ps") {
            return has_side = true, fields.enumeration(member, position.side, "a.P.ps", parse_position_side);
          }
          if (name == "mt") {
            std::string_view mode;
            if (!fields.string(member, mode, "a.P.mt")) return false;
            if (mode == "isolated" || mode == "ISOLATED") position.margin_mode = MarginMode::isolated;
            if (mode == "cross" || mode == "crossed" || mode == "CROSSED") position.margin_mode = MarginMode::cross;
            return true;
          }
          return true;
        });
        if (!read) return false;
        if (position.symbol.empty()) return fields.missing("a.P.s");
        if (!has_amount) return fields.missing("a.P.pa");
        if (!has_side) return fields.missing("a.P.ps");
        // As the REST reader: a hedge leg's size is signed by its side; one-way as written.
        if (position.side == PositionSide::both) {
          position.quantity = amount;
        } else {
          position.quantity = position.side == PositionSide::short_ ? -amount.abs() : amount.abs();
        }
        return true;
      });
    }
    return true;
  });
}

}  // namespace

Result<std::vector<std::string>> SwapUserStream::subscriptions(SystemTime) const {
  if (Result<void> key = require_key(); !key) return key.error();
  return std::vector<std::string>{};
}

Result<std::vector<UserEvent>> SwapUserStream::on_message(std::string_view text) {
  Result<std::string> inflated = inflate_frame(text);
  if (!inflated) return inflated.error();
  std::vector<UserEvent> events;
  if (*inflated == kServerPing) return events;  // answered by answer()
  FieldReader fields("bingx account event");
  auto document = thread_json_reader().iterate(*inflated);
  if (document.error()) return fields.fail_document(document.error()), fields.take_error();
  std::string type;
  std::int64_t event_time_ms = 0;
  bool has_order = false;
  venue::OrderUpdate order;
  BalancesUpdate balances;
  PositionsUpdate positions;
  const bool ok = cts::venue::detail::root_object(document.value_unsafe(), fields, [&](od::object& object) {
    return cts::venue::detail::for_each_field(object, fields, [&](std::string_view key, od::value& value) {
      if (key == "e") return fields.optional_string(value, type, "e");
      if (key == "E") return fields.int64(value, event_time_ms, "E");
      if (key == "o") {
        auto kind = value.type();
        if (kind.error() || kind.value_unsafe() != od::json_type::object) return true;  // not an order event
        return has_order = true, read_order_event(value, fields, order);
      }
      if (key == "a") {
        auto kind = value.type();
        if (kind.error() || kind.value_unsafe() != od::json_type::object) return true;
        return read_account_event(value, fields, balances, positions);
      }
      return true;
    });
  });
  if (!ok) return fields.take_error();
  if (type == "ORDER_TRADE_UPDATE") {
    if (!has_order) return fields.missing("o"), fields.take_error();
    order.event_time_ms = event_time_ms;
    if (order.order.time_ms <= 0) order.order.time_ms = event_time_ms;
    events.emplace_back(std::move(order));
  } else if (type == "ACCOUNT_UPDATE") {
    if (!balances.balances.empty()) {
      balances.event_time_ms = event_time_ms;
      events.emplace_back(std::move(balances));
    }
    if (!positions.positions.empty()) {
      positions.event_time_ms = event_time_ms;
      for (Position& position : positions.positions) position.update_time_ms = event_time_ms;
      events.emplace_back(std::move(positions));
    }
  } else if (type == "listenKeyExpired") {
    forget_key();
    events.emplace_back(UserStreamEnded{});
  }
  return events;
}

}  // namespace cts::venue::bingx
