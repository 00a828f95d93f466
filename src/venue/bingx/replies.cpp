// BingX USDT-M perpetual swap REST reply parsers.
#include "cts/venue/bingx/replies.hpp"

#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "cts/core/detail/text.hpp"
#include "cts/venue/bingx/errors.hpp"
#include "cts/venue/detail/json.hpp"
#include "cts/venue/detail/text_fields.hpp"
#include "cts/venue/json_reader.hpp"
#include "cancel_all_after_reply.hpp"
#include "depth.hpp"
#include "envelope.hpp"
#include "fields.hpp"

namespace cts::venue::bingx {

namespace {

namespace od = simdjson::ondemand;
using cts::venue::detail::decimal_or_empty;
using cts::venue::detail::FieldReader;
using cts::venue::detail::for_each_field;
using cts::venue::detail::visit_array;
using cts::venue::detail::visit_object;
using namespace cts::venue::bingx::detail;

/// Reads a precision (0..18 decimals) as the step 10^-precision.
bool precision_step(FieldReader& fields, od::value& value, Decimal& out, std::string_view field) {
  int digits = 0;
  if (!fields.int32(value, digits, field)) return false;
  if (digits < 0 || digits > 18) return fields.fail(field, "is not a precision of 0..18 decimals");
  Decimal step = Decimal::from_int(1);
  for (int i = 0; i < digits; ++i) step = Decimal::from_raw(step.raw() / 10);
  out = step;
  return true;
}

std::optional<TimeInForce> parse_time_in_force(std::string_view text) {
  if (text == "GTC") return TimeInForce::gtc;
  if (text == "IOC") return TimeInForce::ioc;
  if (text == "FOK") return TimeInForce::fok;
  if (text == "PostOnly" || text == "POST_ONLY") return TimeInForce::post_only;
  return std::nullopt;
}

/// Reads one order object. With `empty`, an object without members is accepted: *empty
/// is set and `order` left as it was.
bool read_order(od::value& value, FieldReader& fields, OrderReport& order, bool* empty = nullptr) {
  std::int64_t created = 0;
  std::int64_t updated = 0;
  bool has_id = false;
  bool has_status = false;
  std::size_t members = 0;
  const bool ok = visit_object(value, fields, "order", [&](std::string_view key, od::value& field) {
    ++members;
    if (key == "symbol") return fields.string(field, order.symbol, "symbol");
    if (key == "orderId") return has_id = true, order_id(fields, field, order.order_id, "orderId");
    if (key == "clientOrderId") return client_id(fields, field, order.client_order_id, "clientOrderId");
    if (key == "side") return fields.enumeration(field, order.side, "side", parse_side);
    if (key == "positionSide") return fields.enumeration(field, order.position_side, "positionSide", parse_position_side);
    if (key == "type") {
      TypeOfOrder type;
      if (!fields.enumeration(field, type, "type", parse_order_type)) return false;
      order.type = type.type;
      order.trailing = type.trailing;
      return true;
    }
    if (key == "status") return has_status = true, fields.enumeration(field, order.status, "status", parse_status);
    if (key == "origQty") return decimal_or_empty(fields, field, order.quantity, "origQty");
    if (key == "price") return decimal_or_empty(fields, field, order.price, "price");
    if (key == "stopPrice") return any_decimal(fields, field, order.trigger_price, "stopPrice");
    if (key == "executedQty") return decimal_or_empty(fields, field, order.executed_quantity, "executedQty");
    if (key == "avgPrice") return decimal_or_empty(fields, field, order.average_price, "avgPrice");
    if (key == "cumQuote") return decimal_or_empty(fields, field, order.cumulative_quote, "cumQuote");
    if (key == "time") return fields.int64(field, created, "time");
    if (key == "updateTime") return fields.int64(field, updated, "updateTime");
    if (key == "timeInForce") return fields.enumeration(field, order.time_in_force, "timeInForce", parse_time_in_force);
    if (key == "postOnly") {
      bool post_only = false;
      if (!fields.boolean(field, post_only, "postOnly")) return false;
      if (post_only) order.time_in_force = TimeInForce::post_only;
      return true;
    }
    if (key == "reduceOnly") {
      auto type = field.type();
      if (!type.error() && type.value_unsafe() == od::json_type::string) {
        std::string_view text;
        if (!fields.string(field, text, "reduceOnly")) return false;
        order.reduce_only = text == "true";
        return true;
      }
      return fields.boolean(field, order.reduce_only, "reduceOnly");
    }
    return true;
  });
  if (!ok) return false;
  if (members == 0 && empty != nullptr) return *empty = true;
  if (!has_id) return fields.missing("orderId");
  if (!has_status) return fields.missing("status");
  if (order.symbol.empty()) return fields.missing("symbol");
  order.time_ms = updated != 0 ? updated : created;
  return true;
}

/// Reads a result flag written as "true"/"false" or as a JSON boolean.
bool result_flag(FieldReader& fields, od::value& value, bool& out, std::string_view field) {
  auto type = value.type();
  if (type.error() || type.value_unsafe() != od::json_type::string) return fields.boolean(value, out, field);
  std::string_view text;
  if (!fields.string(value, text, field)) return false;
  if (text != "true" && text != "false") return fields.fail(field, "is neither \"true\" nor \"false\"");
  out = text == "true";
  return true;
}

/// Reads `data.<member>` as an array of orders.
Result<std::vector<OrderReport>> order_list(const HttpResponse& response, Operation operation,
                                            std::string_view member, std::string_view what) {
  std::vector<OrderReport> orders;
  Result<void> read = read_envelope(response, operation, what, [&](od::value& data, FieldReader& fields) {
    return visit_object(data, fields, "data", [&](std::string_view key, od::value& value) {
      if (key != member) return true;
      if (value.is_null()) return true;
      return visit_array(value, fields, member, [&](od::value& item, std::size_t) {
        return read_order(item, fields, orders.emplace_back());
      });
    });
  });
  if (!read) return read.error();
  return orders;
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
constexpr std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

/// "2023-12-16T20:58:36Z" as ms since the Unix epoch; nullopt for any other form.
std::optional<std::int64_t> utc_seconds_text(std::string_view text) {
  if (text.size() != 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' ||
      text[16] != ':' || text[19] != 'Z') {
    return std::nullopt;
  }
  const auto number = [&](std::size_t at, std::size_t size) -> int {
    int value = 0;
    for (std::size_t i = at; i < at + size; ++i) {
      if (text[i] < '0' || text[i] > '9') return -1;
      value = value * 10 + (text[i] - '0');
    }
    return value;
  };
  const int year = number(0, 4), month = number(5, 2), day = number(8, 2);
  const int hour = number(11, 2), minute = number(14, 2), second = number(17, 2);
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0 ||
      minute > 59 || second < 0 || second > 60) {
    return std::nullopt;
  }
  const std::int64_t days = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  return ((days * 24 + hour) * 60 + minute) * 60000 + static_cast<std::int64_t>(second) * 1000;
}

}  // namespace

Result<std::int64_t> parse_server_time(const HttpResponse& response) {
  std::int64_t time = 0;
  bool seen = false;
  Result<void> read = read_envelope(response, Operation::read, "bingx server time", [&](od::value& data, FieldReader& fields) {
    return visit_object(data, fields, "data", [&](std::string_view key, od::value& value) {
      if (key == "serverTime") return seen = true, fields.int64(value, time, "serverTime");
      return true;
    });
  });
  if (!read) return read.error();
  if (!seen) return make_error(ErrorCode::protocol_error, "bingx server time: field \"serverTime\" is missing");
  return time;
}

Result<std::vector<ListedInstrument>> parse_contracts(const HttpResponse& response) {
  std::vector<ListedInstrument> listed;
  Result<void> read = read_envelope(response, Operation::read, "bingx contracts", [&](od::value& data, FieldReader& fields) {
    return visit_array(data, fields, "data", [&](od::value& item, std::size_t) {
      ListedInstrument& entry = listed.emplace_back();
      Instrument& instrument = entry.instrument;
      instrument.kind = InstrumentKind::linear_perpetual;
      bool has_tick = false;
      bool has_step = false;
      bool api_open = true;
      std::int64_t status = -1;
      const bool ok = visit_object(item, fields, "contract", [&](std::string_view key, od::value& value) {
        if (key == "symbol") return fields.string(value, instrument.venue_symbol, "symbol");
        if (key == "asset") return fields.string(value, instrument.base, "asset");
        if (key == "currency") return fields.string(value, instrument.quote, "currency");
        if (key == "pricePrecision") return has_tick = true, precision_step(fields, value, instrument.tick_size, "pricePrecision");
        if (key == "quantityPrecision") {
          return has_step = true, precision_step(fields, value, instrument.step_size, "quantityPrecision");
        }
        if (key == "tradeMinQuantity") return any_decimal(fields, value, instrument.min_quantity, "tradeMinQuantity");
        if (key == "tradeMinUSDT") return any_decimal(fields, value, instrument.min_notional, "tradeMinUSDT");
        if (key == "status") return fields.int64(value, status, "status");
        if (key == "apiStateOpen") {
          std::string_view text;
          if (!fields.string(value, text, "apiStateOpen")) return false;
          api_open = text != "false";
          return true;
        }
        return true;
      });
      if (!ok) return false;
      if (instrument.venue_symbol.empty()) return fields.missing("symbol");
      if (!has_tick) return fields.missing("pricePrecision");
      if (!has_step) return fields.missing("quantityPrecision");
      if (instrument.base.empty() || instrument.quote.empty()) {
        const std::size_t dash = instrument.venue_symbol.find('-');
        if (dash == std::string::npos) return fields.missing("asset");
        if (instrument.base.empty()) instrument.base = instrument.venue_symbol.substr(0, dash);
        if (instrument.quote.empty()) instrument.quote = instrument.venue_symbol.substr(dash + 1);
      }
      instrument.settle = instrument.quote;
      entry.status = fmt::format("{}{}", status, api_open ? "" : " apiStateOpen=false");
      if (status == 1) {
        entry.state = api_open ? InstrumentStatus::trading : InstrumentStatus::halted;
      } else if (status == 0) {
        entry.state = InstrumentStatus::closed;
      }
      return true;
    });
  });
  if (!read) return read.error();
  return listed;
}

Result<BookSnapshot> parse_depth(const HttpResponse& response) {
  return read_depth_reply(response, "bingx depth", "T", &code_error);
}

Result<BookTicker> parse_book_ticker(const HttpResponse& response) {
  BookTicker best;
  unsigned seen = 0;
  Result<void> read = read_envelope(response, Operation::read, "bingx bookTicker", [&](od::value& data, FieldReader& fields) {
    return visit_object(data, fields, "data", [&](std::string_view key, od::value& value) {
      if (key != "book_ticker") return true;
      return visit_object(value, fields, "book_ticker", [&](std::string_view name, od::value& field) {
        if (name == "symbol") return seen |= 1, fields.string(field, best.symbol, "symbol");
        if (name == "bid_price") return seen |= 2, any_decimal(fields, field, best.bid_price, "bid_price");
        if (name == "bid_qty") return seen |= 4, any_decimal(fields, field, best.bid_quantity, "bid_qty");
        if (name == "ask_price") return seen |= 8, any_decimal(fields, field, best.ask_price, "ask_price");
        if (name == "ask_qty") return seen |= 16, any_decimal(fields, field, best.ask_quantity, "ask_qty");
        return true;
      });
    });
  });
  if (!read) return read.error();
  if (seen != 31) return make_error(ErrorCode::protocol_error, "bingx bookTicker: book_ticker lacks a price or quantity");
  return best;
}

Result<OrderAck> parse_order_ack(const HttpResponse& response) {
  OrderAck ack;
  bool has_order = false;
  Result<void> read =
      read_envelope(response, Operation::mutation, "bingx order", [&](od::value& data, FieldReader& fields) {
        return visit_object(data, fields, "data", [&](std::string_view key, od::value& value) {
          if (key != "order") return true;
          has_order = true;
          bool has_id = false;
          const bool ok = visit_object(value, fields, "order", [&](std::string_view name, od::value& field) {
            if (name == "orderId") return has_id = true, order_id(fields, field, ack.order_id, "orderId");
            if (name == "symbol") return fields.string(field, ack.symbol, "symbol");
            if (name == "clientOrderId") return client_id(fields, field, ack.client_order_id, "clientOrderId");
            return true;
          });
          return ok && (has_id || fields.missing("orderId"));
        });
      });
  if (!read) return read.error();
  if (!has_order) return make_error(ErrorCode::protocol_error, "bingx order: field \"order\" is missing");
  return ack;
}

Result<OrderReport> parse_order(const HttpResponse& response, Operation operation) {
  OrderReport order;
  bool has_order = false;
  Result<void> read = read_envelope(response, operation, "bingx order", [&](od::value& data, FieldReader& fields) {
    return visit_object(data, fields, "data", [&](std::string_view key, od::value& value) {
      if (key != "order") return true;
      has_order = true;
      return read_order(value, fields, order);
    });
  });
  if (!read) return read.error();
  if (!has_order) return make_error(ErrorCode::protocol_error, "bingx order: field \"order\" is missing");
  return order;
}

Result<std::vector<OrderReport>> parse_open_orders(const HttpResponse& response) {
  return order_list(response, Operation::read, "orders", "bingx openOrders");
}

Result<std::vector<OrderReport>> parse_cancel_all(const HttpResponse& response) {
  return order_list(response, Operation::mutation, "success", "bingx allOpenOrders");
}

Result<CancelReplaceReply> parse_cancel_replace(const HttpResponse& response) {
  CancelReplaceReply reply;
  bool has_cancel_result = false;
  bool has_replace_result = false;
  Result<void> read = read_envelope(response, Operation::mutation, "bingx cancelReplace", [&](od::value& data,
                                                                                             FieldReader& fields) {
    return visit_object(data, fields, "data", [&](std::string_view key, od::value& value) {
      if (key == "cancelResult") return has_cancel_result = true, result_flag(fields, value, reply.cancelled, key);
      if (key == "replaceResult") return has_replace_result = true, result_flag(fields, value, reply.replaced, key);
      if (key == "cancelMsg") return fields.optional_string(value, reply.cancel_message, key);
      if (key == "replaceMsg") return fields.optional_string(value, reply.replace_message, key);
      if (key == "cancelResponse") {
        if (value.is_null()) return true;
        bool empty = false;
        OrderReport order;
        if (!read_order(value, fields, order, &empty)) return false;
        if (!empty) reply.cancelled_order = std::move(order);
        return true;
      }
      if (key == "newOrderResponse") {
        if (value.is_null()) return true;
        OrderAck ack;
        std::size_t members = 0;
        bool has_id = false;
        const bool ok = visit_object(value, fields, "newOrderResponse", [&](std::string_view name, od::value& field) {
          ++members;
          if (name == "orderId") return has_id = true, order_id(fields, field, ack.order_id, "orderId");
          if (name == "symbol") return fields.string(field, ack.symbol, "symbol");
          if (name == "clientOrderId") return client_id(fields, field, ack.client_order_id, "clientOrderId");
          return true;
        });
        if (!ok) return false;
        if (members == 0) return true;
        if (!has_id) return fields.missing("orderId");
        reply.new_order = std::move(ack);
        return true;
      }
      return true;
    });
  });
  if (!read) return read.error();
  const auto missing = [](std::string_view field) {
    return make_error(ErrorCode::protocol_error, fmt::format("bingx cancelReplace: field \"{}\" is missing", field));
  };
  if (!has_cancel_result) return missing("cancelResult");
  if (!has_replace_result) return missing("replaceResult");
  if (reply.cancelled && !reply.cancelled_order) return missing("cancelResponse");
  if (reply.replaced && !reply.new_order) return missing("newOrderResponse");
  return reply;
}

Result<CancelAllAfterAck> parse_cancel_all_after(const HttpResponse& response) {
  return detail::read_cancel_all_after(response, "bingx cancelAllAfter", &code_error);
}

Result<std::vector<AccountTrade>> parse_fills(const HttpResponse& response) {
  std::vector<AccountTrade> trades;
  Result<void> read = read_envelope(response, Operation::read, "bingx fillHistory", [&](od::value& data, FieldReader& fields) {
    return visit_object(data, fields, "data", [&](std::string_view key, od::value& value) {
      if (key != "fill_history_orders" || value.is_null()) return true;
      return visit_array(value, fields, "fill_history_orders", [&](od::value& item, std::size_t) {
        AccountTrade& trade = trades.emplace_back();
        Decimal commission;
        bool has_time = false;
        const bool ok = visit_object(item, fields, "fill", [&](std::string_view name, od::value& field) {
          if (name == "symbol") return fields.string(field, trade.symbol, "symbol");
          if (name == "tradeId") return order_id(fields, field, trade.id, "tradeId");
          if (name == "orderId") return order_id(fields, field, trade.order_id, "orderId");
          if (name == "side") return fields.enumeration(field, trade.side, "side", parse_side);
          if (name == "role") {
            std::string_view role;
            if (!fields.string(field, role, "role")) return false;
            trade.maker = role == "maker" || role == "MAKER";
            return true;
          }
          if (name == "volume") return any_decimal(fields, field, trade.quantity, "volume");
          if (name == "price") return any_decimal(fields, field, trade.price, "price");
          if (name == "commission") return any_decimal(fields, field, commission, "commission");
          if (name == "commissionAsset") return fields.string(field, trade.commission_asset, "commissionAsset");
          if (name == "filledTm") {
            std::string_view text;
            if (!fields.string(field, text, "filledTm")) return false;
            const std::optional<std::int64_t> ms = utc_seconds_text(text);
            if (!ms) return fields.fail("filledTm", "is not a UTC time like 2023-12-16T20:58:36Z");
            trade.time_ms = *ms;
            return has_time = true;
          }
          return true;
        });
        if (!ok) return false;
        if (trade.id.empty()) return fields.missing("tradeId");
        if (trade.order_id.empty()) return fields.missing("orderId");
        if (!has_time) return fields.missing("filledTm");
        trade.commission = -commission;
        auto quote = trade.price.checked_mul(trade.quantity, Rounding::half_up);
        if (!quote) return fields.fail("volume", "times price overflows");
        trade.quote_quantity = *quote;
        return true;
      });
    });
  });
  if (!read) return read.error();
  return trades;
}

Result<std::vector<Balance>> parse_balances(const HttpResponse& response) {
  std::vector<Balance> balances;
  Result<void> read = read_envelope(response, Operation::read, "bingx balance", [&](od::value& data, FieldReader& fields) {
    return visit_array(data, fields, "data", [&](od::value& item, std::size_t) {
      Balance& balance = balances.emplace_back();
      Decimal used;
      Decimal frozen;
      bool has_available = false;
      const bool ok = visit_object(item, fields, "balance", [&](std::string_view key, od::value& value) {
        if (key == "asset") return fields.string(value, balance.asset, "asset");
        if (key == "availableMargin") return has_available = true, decimal_or_empty(fields, value, balance.free, "availableMargin");
        if (key == "usedMargin") return decimal_or_empty(fields, value, used, "usedMargin");
        if (key == "freezedMargin") return decimal_or_empty(fields, value, frozen, "freezedMargin");
        return true;
      });
      if (!ok) return false;
      if (balance.asset.empty()) return fields.missing("asset");
      if (!has_available) return fields.missing("availableMargin");
      auto locked = used.checked_add(frozen);
      if (!locked) return fields.fail("freezedMargin", "plus usedMargin overflows");
      balance.locked = *locked;
      return true;
    });
  });
  if (!read) return read.error();
  return balances;
}

Result<std::vector<Position>> parse_positions(const HttpResponse& response) {
  std::vector<Position> positions;
  Result<void> read = read_envelope(response, Operation::read, "bingx positions", [&](od::value& data, FieldReader& fields) {
    return visit_array(data, fields, "data", [&](od::value& item, std::size_t) {
      Position& position = positions.emplace_back();
      Decimal amount;
      Decimal value_amount;
      bool has_amount = false;
      bool has_side = false;
      bool has_value = false;
      const bool ok = visit_object(item, fields, "position", [&](std::string_view key, od::value& value) {
        if (key == "symbol") return fields.string(value, position.symbol, "symbol");
        if (key == "positionSide") {
          return has_side = true, fields.enumeration(value, position.side, "positionSide", parse_position_side);
        }
        if (key == "positionAmt") return has_amount = true, any_decimal(fields, value, amount, "positionAmt");
        if (key == "avgPrice") return any_decimal(fields, value, position.entry_price, "avgPrice");
        if (key == "markPrice") return any_decimal(fields, value, position.mark_price, "markPrice");
        if (key == "unrealizedProfit") return any_decimal(fields, value, position.unrealized_pnl, "unrealizedProfit");
        if (key == "liquidationPrice") return any_decimal(fields, value, position.liquidation_price, "liquidationPrice");
        if (key == "positionValue") return has_value = true, any_decimal(fields, value, value_amount, "positionValue");
        if (key == "updateTime") return fields.int64(value, position.update_time_ms, "updateTime");
        if (key == "leverage") {
          Decimal leverage;
          if (!any_decimal(fields, value, leverage, "leverage")) return false;
          position.leverage = leverage;
          return true;
        }
        if (key == "isolated") {
          bool isolated = false;
          if (!fields.boolean(value, isolated, "isolated")) return false;
          position.margin_mode = isolated ? MarginMode::isolated : MarginMode::cross;
          return true;
        }
        return true;
      });
      if (!ok) return false;
      if (position.symbol.empty()) return fields.missing("symbol");
      if (!has_side) return fields.missing("positionSide");
      if (!has_amount) return fields.missing("positionAmt");
      const auto signed_as_leg = [&](Decimal magnitude) {
        if (position.side == PositionSide::both) return magnitude;
        const Decimal absolute = magnitude.abs();
        return position.side == PositionSide::short_ ? -absolute : absolute;
      };
      position.quantity = signed_as_leg(amount);
      if (has_value) {
        position.notional = signed_as_leg(value_amount);
        if (position.side == PositionSide::both && amount < Decimal{} && value_amount > Decimal{}) {
          position.notional = -value_amount;
        }
      }
      return true;
    });
  });
  if (!read) return read.error();
  return positions;
}

Result<std::string> parse_listen_key(const HttpResponse& response) {
  if (response.status < 200 || response.status >= 300) {
    const std::string_view body = cts::detail::trim_spaces(response.body, " \t\r\n");
    if (!body.empty() && body.front() == '{' && body.find("\"code\"") != std::string_view::npos) {
      Result<void> read = read_envelope(response, Operation::read, "bingx listen key",
                                        [](od::value&, FieldReader&) { return true; });
      if (!read) return read.error();
    }
    return http_status_error(response.status, Operation::read);
  }
  FieldReader fields("bingx listen key");
  std::string key;
  bool has_code = false;
  std::int64_t code = 0;
  std::string message;
  auto document = thread_json_reader().iterate(response.body);
  if (document.error()) return fields.fail_document(document.error()), fields.take_error();
  const auto read_key = [&](od::object& object) {
    return for_each_field(object, fields, [&](std::string_view key_name, od::value& value) {
      if (key_name == "listenKey") return fields.string(value, key, "listenKey");
      if (key_name == "code") return has_code = true, fields.int64_or_text(value, code, "code");
      if (key_name == "msg") return fields.optional_string(value, message, "msg");
      if (key_name == "data") {
        return visit_object(value, fields, "data", [&](std::string_view inner, od::value& field) {
          if (inner == "listenKey") return fields.string(field, key, "listenKey");
          return true;
        });
      }
      return true;
    });
  };
  const bool ok = cts::venue::detail::root_object(document.value_unsafe(), fields, read_key);
  if (has_code && code != 0) return code_error(static_cast<long>(code), message, Operation::read);
  if (!ok) return fields.take_error();
  if (key.empty()) return fields.fail("listenKey", "is missing or empty"), fields.take_error();
  return key;
}

Result<void> parse_listen_key_ack(const HttpResponse& response) {
  if (response.status == 200 || response.status == 204) return {};
  if (response.status == 404) {
    return make_error(ErrorCode::rejected, "bingx listen key: the venue does not know it (expired or closed)");
  }
  return http_status_error(response.status, Operation::read);
}

}  // namespace cts::venue::bingx
