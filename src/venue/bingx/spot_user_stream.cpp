// BingX's spot account stream, sans I/O: spot.executionReport, ACCOUNT_UPDATE and
// listenKeyExpired from GZIP frames on a listen-key connection.
#include "cts/venue/bingx/spot_user_stream.hpp"

#include <utility>

#include <fmt/format.h>

#include "cts/venue/bingx/errors.hpp"
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

/// Reads `data` of a spot.executionReport push.
bool read_execution_report(od::value& value, FieldReader& fields, venue::OrderUpdate& update) {
  OrderReport& order = update.order;
  Fill fill;
  std::string execution;
  std::int64_t event_time = 0;
  bool has_id = false;
  bool has_status = false;
  Decimal fee;
  const bool ok = visit_object(value, fields, "data", [&](std::string_view key, od::value& field) {
    if (key == "s") return fields.string(field, order.symbol, "s");
    if (key == "c") return client_id(fields, field, order.client_order_id, "c");
    if (key == "i") return has_id = true, order_id(fields, field, order.order_id, "i");
    if (key == "S") return fields.enumeration(field, order.side, "S", parse_side);
    if (key == "o") return fields.enumeration(field, order.type, "o", parse_spot_order_type);
    if (key == "q") return any_decimal(fields, field, order.quantity, "q");
    if (key == "p") return any_decimal(fields, field, order.price, "p");
    if (key == "X") return has_status = true, fields.enumeration(field, order.status, "X", parse_status);
    if (key == "x") return fields.optional_string(field, execution, "x");
    if (key == "z") return any_decimal(fields, field, order.executed_quantity, "z");
    if (key == "Z") return any_decimal(fields, field, order.cumulative_quote, "Z");
    if (key == "T") return fields.int64(field, order.time_ms, "T");
    if (key == "E") return fields.int64(field, event_time, "E");
    if (key == "t") return order_id(fields, field, fill.trade_id, "t");
    if (key == "l") return any_decimal(fields, field, fill.quantity, "l");
    if (key == "L") return any_decimal(fields, field, fill.price, "L");
    if (key == "n") return any_decimal(fields, field, fee, "n");
    if (key == "N") return fields.optional_string(field, fill.commission_asset, "N");
    return true;
  });
  if (!ok) return false;
  if (order.symbol.empty()) return fields.missing("s");
  if (!has_id) return fields.missing("i");
  if (!has_status) return fields.missing("X");
  update.event_time_ms = event_time;
  if (order.time_ms <= 0) order.time_ms = event_time;
  if (execution == "TRADE" && fill.quantity.is_positive()) {
    if (fill.trade_id.empty() || fill.trade_id == "0") return fields.missing("t");
    fill.commission = -fee;
    update.last_fill = std::move(fill);
  }
  return true;
}

/// Reads `a.B` of a spot ACCOUNT_UPDATE.
bool read_spot_balances(od::value& value, FieldReader& fields, BalancesUpdate& balances) {
  return visit_object(value, fields, "a", [&](std::string_view key, od::value& field) {
    if (key != "B") return true;
    return visit_array(field, fields, "a.B", [&](od::value& item, std::size_t) {
      Balance& balance = balances.balances.emplace_back();
      Decimal total;
      bool has_total = false;
      const bool read = visit_object(item, fields, "a.B", [&](std::string_view name, od::value& member) {
        if (name == "a") return fields.string(member, balance.asset, "a.B.a");
        if (name == "wb") return has_total = true, any_decimal(fields, member, total, "a.B.wb");
        if (name == "lk") return any_decimal(fields, member, balance.locked, "a.B.lk");
        return true;
      });
      if (!read) return false;
      if (balance.asset.empty()) return fields.missing("a.B.a");
      if (!has_total) return fields.missing("a.B.wb");
      auto free = total.checked_sub(balance.locked);
      if (!free) return fields.fail("a.B.lk", "minus a.B.wb overflows");
      balance.free = *free;
      return true;
    });
  });
}

}  // namespace

Result<std::vector<std::string>> SpotUserStream::subscriptions(SystemTime) const {
  if (Result<void> key = require_key(); !key) return key.error();
  return std::vector<std::string>{subscribe_frame(kSpotOrdersSubscriptionId, "spot.executionReport"),
                                  subscribe_frame(kSpotBalanceSubscriptionId, "ACCOUNT_UPDATE")};
}

Result<std::vector<UserEvent>> SpotUserStream::on_message(std::string_view text) {
  Result<std::string> inflated = inflate_frame(text);
  if (!inflated) return inflated.error();
  std::vector<UserEvent> events;
  if (*inflated == kServerPing) return events;  // answered by answer()
  FieldReader fields("bingx spot account event");
  auto document = thread_json_reader().iterate(*inflated);
  if (document.error()) return fields.fail_document(document.error()), fields.take_error();
  std::string id;
  std::string message;
  std::string data_type;
  std::string type;
  std::int64_t code = 0;
  std::int64_t event_time_ms = 0;
  bool has_order = false;
  venue::OrderUpdate order;
  BalancesUpdate balances;
  const bool ok = cts::venue::detail::root_object(document.value_unsafe(), fields, [&](od::object& object) {
    return cts::venue::detail::for_each_field(object, fields, [&](std::string_view key, od::value& value) {
      if (key == "id") return fields.optional_string(value, id, "id");
      if (key == "code") return fields.int64_or_text(value, code, "code");
      if (key == "msg") return fields.optional_string(value, message, "msg");
      if (key == "dataType") return fields.optional_string(value, data_type, "dataType");
      if (key == "e") return fields.optional_string(value, type, "e");
      if (key == "E") return fields.int64(value, event_time_ms, "E");
      if (key == "data") {
        auto kind = value.type();
        if (kind.error() || kind.value_unsafe() != od::json_type::object || data_type != "spot.executionReport") {
          return true;
        }
        return has_order = true, read_execution_report(value, fields, order);
      }
      if (key == "a") {
        auto kind = value.type();
        if (kind.error() || kind.value_unsafe() != od::json_type::object) return true;
        return read_spot_balances(value, fields, balances);
      }
      return true;
    });
  });
  if (!ok) return fields.take_error();
  if (id == kSpotOrdersSubscriptionId || id == kSpotBalanceSubscriptionId) {
    if (code != 0) return spot_code_error(static_cast<long>(code), message, Operation::read);
    if (id == kSpotOrdersSubscriptionId) events.emplace_back(UserSubscribed{});
    return events;
  }
  if (has_order) {
    events.emplace_back(std::move(order));
  } else if (type == "ACCOUNT_UPDATE") {
    if (!balances.balances.empty()) {
      balances.event_time_ms = event_time_ms;
      events.emplace_back(std::move(balances));
    }
  } else if (type == "listenKeyExpired") {
    forget_key();
    events.emplace_back(UserStreamEnded{});
  }
  return events;
}

}  // namespace cts::venue::bingx
