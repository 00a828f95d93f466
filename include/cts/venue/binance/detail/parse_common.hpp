#pragma once
/// \file
/// Internal: the skeleton every Binance REST parser shares (status check, padded
/// iteration, one FieldReader) and the readers of objects that several endpoints return.

#include <string_view>
#include <utility>

#include "cts/core/http.hpp"
#include "cts/core/result.hpp"
#include "cts/venue/binance/enums.hpp"
#include "cts/venue/binance/errors.hpp"
#include "cts/venue/detail/json.hpp"
#include "cts/venue/json_reader.hpp"
#include "cts/venue/types.hpp"

namespace cts::venue::binance::detail {

namespace od = simdjson::ondemand;
using cts::venue::detail::FieldReader;
using cts::venue::detail::Lookup;
using cts::venue::detail::for_each_element;
using cts::venue::detail::for_each_field;
using cts::venue::detail::visit_array;
using cts::venue::detail::visit_object;

/// Checks the status (mapping Binance errors), iterates the body and runs
/// `body(document, fields, out)`. `what` names the payload in error messages.
template <class T, class Body>
Result<void> parse_into(const HttpResponse& response, Operation operation, JsonReader& reader, std::string_view what,
                        T& out, Body&& body) {
  if (auto status = check_status(response, operation); !status) return status;
  FieldReader fields(what);
  auto document = reader.iterate(response.body);
  if (document.error()) {
    fields.fail_document(document.error());
    return fields.take_error();
  }
  if (!body(document.value_unsafe(), fields, out)) return fields.take_error();
  return {};
}

/// parse_into() returning a fresh T.
template <class T, class Body>
Result<T> parse_value(const HttpResponse& response, Operation operation, JsonReader& reader, std::string_view what,
                      Body&& body) {
  T out{};
  if (auto r = parse_into(response, operation, reader, what, out, std::forward<Body>(body)); !r) return r.error();
  return out;
}

/// Reads a root array whose elements are objects, appending one T per element through
/// `element(object, fields, item)`.
template <class T, class Element>
bool object_list(od::document& document, FieldReader& fields, std::vector<T>& out, Element&& element) {
  out.clear();
  return cts::venue::detail::root_array(document, fields, [&](od::array& array) {
    return for_each_element(array, fields, [&](od::value& value, std::size_t) {
      od::object object;
      if (value.get_object().get(object)) return fields.fail("[]", "is not an object");
      out.emplace_back();
      return element(object, fields, out.back());
    });
  });
}

using cts::venue::detail::Seen;

/// Reads one element of a spot `fills` array.
inline bool read_fill(od::object& object, FieldReader& fields, Fill& fill) {
  static constexpr std::string_view kRequired[] = {"price", "qty", "commission", "commissionAsset", "tradeId"};
  Seen seen;
  const bool ok = for_each_field(object, fields, [&](std::string_view key, od::value& value) {
    if (key == "price") return seen.mark(0), fields.decimal(value, fill.price, "fills[].price");
    if (key == "qty") return seen.mark(1), fields.decimal(value, fill.quantity, "fills[].qty");
    if (key == "commission") return seen.mark(2), fields.decimal(value, fill.commission, "fills[].commission");
    if (key == "commissionAsset") {
      return seen.mark(3), fields.string(value, fill.commission_asset, "fills[].commissionAsset");
    }
    if (key == "tradeId") return seen.mark(4), fields.integer_id(value, fill.trade_id, "fills[].tradeId");
    return true;
  });
  return ok && seen.require(fields, kRequired);
}

/// Reads an order object (spot or USD-M: create, cancel, query, open orders).
/// Required: symbol, orderId, clientOrderId, status, type, side, origQty, executedQty.
/// A cancel reply's origClientOrderId (the cancelled order's id) takes precedence over
/// its clientOrderId (the cancel request's id). The average price is avgPrice when
/// sent, else cumulative quote / executed quantity.
inline bool read_order(od::object& object, FieldReader& fields, OrderReport& order, Market market) {
  static constexpr std::string_view kRequired[] = {"symbol", "orderId", "clientOrderId", "status",
                                                   "type",   "side",    "origQty",       "executedQty"};
  Seen seen;
  std::string_view type_text;
  std::string_view original_client_id;
  bool has_average = false;
  std::int64_t update_time = 0;
  std::int64_t transact_time = 0;
  std::int64_t create_time = 0;
  const bool ok = for_each_field(object, fields, [&](std::string_view key, od::value& value) {
    switch (key.empty() ? '\0' : key.front()) {
      case 'a':
        if (key == "avgPrice") return has_average = true, fields.decimal(value, order.average_price, "avgPrice");
        break;
      case 'c':
        if (key == "clientOrderId") return seen.mark(2), fields.string(value, order.client_order_id, "clientOrderId");
        if (key == "cummulativeQuoteQty" || key == "cumQuote") {
          return fields.decimal(value, order.cumulative_quote, key);
        }
        break;
      case 'e':
        if (key == "executedQty") return seen.mark(7), fields.decimal(value, order.executed_quantity, "executedQty");
        break;
      case 'f':
        if (key == "fills") {
          order.fills.clear();
          return visit_array(value, fields, "fills", [&](od::value& item, std::size_t) {
            od::object fill_object;
            if (item.get_object().get(fill_object)) return fields.fail("fills[]", "is not an object");
            order.fills.emplace_back();
            return read_fill(fill_object, fields, order.fills.back());
          });
        }
        break;
      case 'o':
        if (key == "orderId") return seen.mark(1), fields.integer_id(value, order.order_id, "orderId");
        if (key == "origQty") return seen.mark(6), fields.decimal(value, order.quantity, "origQty");
        if (key == "origClientOrderId") return fields.string(value, original_client_id, "origClientOrderId");
        break;
      case 'p':
        if (key == "price") return fields.decimal(value, order.price, "price");
        if (key == "positionSide") {
          return fields.enumeration(value, order.position_side, "positionSide", parse_position_side);
        }
        break;
      case 'r':
        if (key == "reduceOnly") return fields.boolean(value, order.reduce_only, "reduceOnly");
        break;
      case 's':
        if (key == "symbol") return seen.mark(0), fields.string(value, order.symbol, "symbol");
        if (key == "status") return seen.mark(3), fields.enumeration(value, order.status, "status", parse_order_status);
        if (key == "side") return seen.mark(5), fields.enumeration(value, order.side, "side", parse_side);
        if (key == "stopPrice") return fields.decimal(value, order.trigger_price, "stopPrice");
        break;
      case 't':
        if (key == "type") return seen.mark(4), fields.string(value, type_text, "type");
        if (key == "timeInForce") {
          return fields.enumeration(value, order.time_in_force, "timeInForce", parse_time_in_force);
        }
        if (key == "transactTime") return fields.int64(value, transact_time, "transactTime");
        if (key == "time") return fields.int64(value, create_time, "time");
        break;
      case 'u':
        if (key == "updateTime") return fields.int64(value, update_time, "updateTime");
        break;
      default:
        break;
    }
    return true;
  });
  if (!ok || !seen.require(fields, kRequired)) return false;
  const auto type = parse_order_type(type_text, market);
  if (!type) return fields.fail("type", fmt::format("has unknown value \"{}\"", type_text.substr(0, 32)));
  order.type = *type;
  order.trailing = type_text == "TRAILING_STOP_MARKET";
  if (type_text == "LIMIT_MAKER") order.time_in_force = TimeInForce::post_only;
  if (!original_client_id.empty()) order.client_order_id.assign(original_client_id);
  order.time_ms = update_time != 0 ? update_time : (transact_time != 0 ? transact_time : create_time);
  if (!has_average && order.executed_quantity.is_positive()) {
    auto average = order.cumulative_quote.checked_div(order.executed_quantity, Rounding::half_even);
    if (!average) return fields.fail("cummulativeQuoteQty", "gives an average price out of range");
    order.average_price = *average;
  }
  return true;
}

}  // namespace cts::venue::binance::detail
