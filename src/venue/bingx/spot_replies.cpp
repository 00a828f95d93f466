// BingX spot REST reply parsers.
#include "cts/venue/bingx/spot_replies.hpp"

#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "cts/venue/bingx/errors.hpp"
#include "cts/venue/detail/json.hpp"
#include "cancel_all_after_reply.hpp"
#include "depth.hpp"
#include "envelope.hpp"
#include "fields.hpp"

namespace cts::venue::bingx {

namespace {

namespace od = simdjson::ondemand;
using cts::venue::detail::FieldReader;
using cts::venue::detail::visit_array;
using cts::venue::detail::visit_object;
using namespace cts::venue::bingx::detail;

/// read_envelope() with the spot error map.
template <class OnData>
Result<void> read_spot_envelope(const HttpResponse& response, Operation operation, std::string_view what,
                                OnData&& on_data) {
  return read_envelope(response, operation, what, std::forward<OnData>(on_data), &spot_code_error);
}

/// True when `value` is the empty string "" (read without consuming it).
bool is_empty_text(od::value& value) {
  return cts::detail::trim_spaces(value.raw_json_token(), " \t\r\n") == "\"\"";
}

/// Reads one spot order object. With `blank` given, the placeholder BingX writes for an
/// order a step did not produce (symbol "", orderId 0, status, type and side "") reads
/// as *blank = true.
bool read_spot_order(od::value& value, FieldReader& fields, OrderReport& order, bool* blank = nullptr) {
  std::int64_t created = 0;
  std::int64_t updated = 0;
  std::int64_t transacted = 0;
  bool has_id = false;
  bool has_status = false;
  const auto enumeration = [&](od::value& field, auto& out, std::string_view key, auto parse) {
    if (blank != nullptr && is_empty_text(field)) return true;
    return fields.enumeration(field, out, key, parse);
  };
  const bool ok = visit_object(value, fields, "order", [&](std::string_view key, od::value& field) {
    if (key == "symbol") return fields.string(field, order.symbol, "symbol");
    if (key == "orderId") return has_id = true, order_id(fields, field, order.order_id, "orderId");
    if (key == "clientOrderID" || key == "clientOrderId") return client_id(fields, field, order.client_order_id, key);
    if (key == "side") return enumeration(field, order.side, "side", parse_side);
    if (key == "type") return enumeration(field, order.type, "type", parse_spot_order_type);
    if (key == "status") {
      if (blank != nullptr && is_empty_text(field)) return true;
      return has_status = true, fields.enumeration(field, order.status, "status", parse_status);
    }
    if (key == "price") return any_decimal(fields, field, order.price, "price");
    if (key == "stopPrice" || key == "StopPrice") return any_decimal(fields, field, order.trigger_price, key);
    if (key == "origQty") return any_decimal(fields, field, order.quantity, "origQty");
    if (key == "executedQty") return any_decimal(fields, field, order.executed_quantity, "executedQty");
    if (key == "cummulativeQuoteQty") return any_decimal(fields, field, order.cumulative_quote, "cummulativeQuoteQty");
    if (key == "avgPrice") return any_decimal(fields, field, order.average_price, "avgPrice");
    if (key == "time") return fields.int64(field, created, "time");
    if (key == "updateTime") return fields.int64(field, updated, "updateTime");
    if (key == "transactTime") return fields.int64(field, transacted, "transactTime");
    return true;
  });
  if (!ok) return false;
  if (blank != nullptr && !has_status && order.symbol.empty() && (order.order_id.empty() || order.order_id == "0")) {
    return *blank = true;
  }
  if (!has_id) return fields.missing("orderId");
  if (!has_status) return fields.missing("status");
  if (order.symbol.empty()) return fields.missing("symbol");
  order.time_ms = updated != 0 ? updated : created != 0 ? created : transacted;
  return true;
}

/// One step of a spot cancelReplace as its result object reports it.
struct ReplaceStepResult {
  bool seen = false;        // the result object is there
  bool done = false;        // result
  std::int64_t code = 0;    // code
  std::string message;      // msg
};

/// Reads a cancelReplace result object {code, msg, result}.
bool read_step_result(od::value& value, FieldReader& fields, std::string_view field, ReplaceStepResult& step) {
  step.seen = true;
  bool has_result = false;
  const bool ok = visit_object(value, fields, field, [&](std::string_view key, od::value& member) {
    if (key == "code") return fields.int64_or_text(member, step.code, "code");
    if (key == "msg") return fields.optional_string(member, step.message, "msg");
    if (key == "result") return has_result = true, fields.boolean(member, step.done, "result");
    return true;
  });
  if (!ok) return false;
  if (!has_result) return fields.fail(field, "has no result");
  return true;
}

/// The outcome of one step: its order when it was done, else its refusal. A step BingX
/// reports not done did not happen: a code that would mean an unknown outcome is read as
/// rejected. Errors: protocol_error when a step reported done has no order.
Result<OrderReport> step_outcome(const ReplaceStepResult& step, std::optional<OrderReport>& order,
                                 std::string_view step_name, std::string_view order_field) {
  if (step.done && step.code == 0) {
    if (!order) {
      return make_error(ErrorCode::protocol_error,
                        fmt::format("bingx spot cancelReplace: field \"{}\" is missing", order_field));
    }
    return std::move(*order);
  }
  if (step.code == 0) {
    return make_error(ErrorCode::rejected,
                      fmt::format("bingx spot cancelReplace: the {} failed: {}", step_name, step.message.substr(0, 256)));
  }
  Error error = spot_code_error(static_cast<long>(step.code), step.message, Operation::mutation);
  if (error.code == ErrorCode::unknown_outcome) error.code = ErrorCode::rejected;
  error.message = fmt::format("bingx spot cancelReplace: the {} failed: {}", step_name, error.message);
  return error;
}

/// Reads `data.<member>` as an array of spot orders (null: none).
Result<std::vector<OrderReport>> spot_order_list(const HttpResponse& response, Operation operation,
                                                 std::string_view member, std::string_view what) {
  std::vector<OrderReport> orders;
  Result<void> read = read_spot_envelope(response, operation, what, [&](od::value& data, FieldReader& fields) {
    return visit_object(data, fields, "data", [&](std::string_view key, od::value& value) {
      if (key != member || value.is_null()) return true;
      return visit_array(value, fields, member, [&](od::value& item, std::size_t) {
        return read_spot_order(item, fields, orders.emplace_back());
      });
    });
  });
  if (!read) return read.error();
  return orders;
}

}  // namespace

Result<std::vector<ListedInstrument>> parse_spot_symbols(const HttpResponse& response) {
  std::vector<ListedInstrument> listed;
  Result<void> read =
      read_spot_envelope(response, Operation::read, "bingx spot symbols", [&](od::value& data, FieldReader& fields) {
        return visit_object(data, fields, "data", [&](std::string_view key, od::value& list) {
          if (key != "symbols" || list.is_null()) return true;
          return visit_array(list, fields, "symbols", [&](od::value& item, std::size_t) {
            ListedInstrument& entry = listed.emplace_back();
            Instrument& instrument = entry.instrument;
            instrument.kind = InstrumentKind::spot;
            bool has_tick = false;
            bool has_step = false;
            std::int64_t status = -1;
            const bool ok = visit_object(item, fields, "symbol", [&](std::string_view name, od::value& value) {
              if (name == "symbol") return fields.string(value, instrument.venue_symbol, "symbol");
              if (name == "tickSize") return has_tick = true, any_decimal(fields, value, instrument.tick_size, "tickSize");
              if (name == "stepSize") return has_step = true, any_decimal(fields, value, instrument.step_size, "stepSize");
              if (name == "minQty") return any_decimal(fields, value, instrument.min_quantity, "minQty");
              if (name == "maxQty") return any_decimal(fields, value, instrument.max_quantity, "maxQty");
              if (name == "minNotional") return any_decimal(fields, value, instrument.min_notional, "minNotional");
              if (name == "status") return fields.int64_or_text(value, status, "status");
              return true;
            });
            if (!ok) return false;
            if (instrument.venue_symbol.empty()) return fields.missing("symbol");
            if (!has_tick) return fields.missing("tickSize");
            if (!has_step) return fields.missing("stepSize");
            if (!instrument.tick_size.is_positive()) return fields.fail("tickSize", "is not positive");
            if (!instrument.step_size.is_positive()) return fields.fail("stepSize", "is not positive");
            const std::size_t dash = instrument.venue_symbol.find('-');
            if (dash == std::string::npos || dash == 0 || dash + 1 == instrument.venue_symbol.size()) {
              return fields.fail("symbol", "is not BASE-QUOTE");
            }
            instrument.base = instrument.venue_symbol.substr(0, dash);
            instrument.quote = instrument.venue_symbol.substr(dash + 1);
            entry.status = std::to_string(status);
            if (status == 1) entry.state = InstrumentStatus::trading;
            if (status == 0) entry.state = InstrumentStatus::closed;
            return true;
          });
        });
      });
  if (!read) return read.error();
  return listed;
}

Result<BookSnapshot> parse_spot_depth(const HttpResponse& response) {
  return read_depth_reply(response, "bingx spot depth", "ts", &spot_code_error);
}

Result<BookTicker> parse_spot_book_ticker(const HttpResponse& response) {
  BookTicker best;
  unsigned seen = 0;
  bool first = true;
  Result<void> read = read_spot_envelope(
      response, Operation::read, "bingx spot bookTicker", [&](od::value& data, FieldReader& fields) {
        return visit_array(data, fields, "data", [&](od::value& item, std::size_t) {
          if (!first) return true;
          first = false;
          return visit_object(item, fields, "ticker", [&](std::string_view name, od::value& field) {
            if (name == "symbol") return seen |= 1, fields.string(field, best.symbol, "symbol");
            if (name == "bidPrice") return seen |= 2, any_decimal(fields, field, best.bid_price, "bidPrice");
            if (name == "bidVolume") return seen |= 4, any_decimal(fields, field, best.bid_quantity, "bidVolume");
            if (name == "askPrice") return seen |= 8, any_decimal(fields, field, best.ask_price, "askPrice");
            if (name == "askVolume") return seen |= 16, any_decimal(fields, field, best.ask_quantity, "askVolume");
            return true;
          });
        });
      });
  if (!read) return read.error();
  if (first) return make_error(ErrorCode::protocol_error, "bingx spot bookTicker: data is empty");
  if (seen != 31) return make_error(ErrorCode::protocol_error, "bingx spot bookTicker: a price or volume is missing");
  return best;
}

Result<OrderReport> parse_spot_order(const HttpResponse& response, Operation operation) {
  OrderReport order;
  Result<void> read = read_spot_envelope(response, operation, "bingx spot order",
                                         [&](od::value& data, FieldReader& fields) {
                                           return read_spot_order(data, fields, order);
                                         });
  if (!read) return read.error();
  return order;
}

Result<std::vector<OrderReport>> parse_spot_open_orders(const HttpResponse& response) {
  return spot_order_list(response, Operation::read, "orders", "bingx spot openOrders");
}

Result<std::vector<OrderReport>> parse_spot_cancel_open_orders(const HttpResponse& response) {
  return spot_order_list(response, Operation::mutation, "orders", "bingx spot cancelOpenOrders");
}

Result<std::vector<Balance>> parse_spot_balances(const HttpResponse& response) {
  std::vector<Balance> balances;
  Result<void> read =
      read_spot_envelope(response, Operation::read, "bingx spot balance", [&](od::value& data, FieldReader& fields) {
        return visit_object(data, fields, "data", [&](std::string_view key, od::value& list) {
          if (key != "balances" || list.is_null()) return true;
          return visit_array(list, fields, "balances", [&](od::value& item, std::size_t) {
            Balance& balance = balances.emplace_back();
            bool has_free = false;
            const bool ok = visit_object(item, fields, "balance", [&](std::string_view name, od::value& value) {
              if (name == "asset") return fields.string(value, balance.asset, "asset");
              if (name == "free") return has_free = true, any_decimal(fields, value, balance.free, "free");
              if (name == "locked") return any_decimal(fields, value, balance.locked, "locked");
              return true;
            });
            if (!ok) return false;
            if (balance.asset.empty()) return fields.missing("asset");
            if (!has_free) return fields.missing("free");
            return true;
          });
        });
      });
  if (!read) return read.error();
  return balances;
}

Result<std::vector<AccountTrade>> parse_spot_trades(const HttpResponse& response) {
  std::vector<AccountTrade> trades;
  Result<void> read =
      read_spot_envelope(response, Operation::read, "bingx spot myTrades", [&](od::value& data, FieldReader& fields) {
        return visit_object(data, fields, "data", [&](std::string_view key, od::value& list) {
          if (key != "fills" || list.is_null()) return true;
          return visit_array(list, fields, "fills", [&](od::value& item, std::size_t) {
            AccountTrade& trade = trades.emplace_back();
            Decimal commission;
            bool has_time = false;
            bool has_side = false;
            bool has_quote = false;
            const bool ok = visit_object(item, fields, "fill", [&](std::string_view name, od::value& field) {
              if (name == "symbol") return fields.string(field, trade.symbol, "symbol");
              if (name == "id") return order_id(fields, field, trade.id, "id");
              if (name == "orderId") return order_id(fields, field, trade.order_id, "orderId");
              if (name == "price") return any_decimal(fields, field, trade.price, "price");
              if (name == "qty") return any_decimal(fields, field, trade.quantity, "qty");
              if (name == "quoteQty") return has_quote = true, any_decimal(fields, field, trade.quote_quantity, "quoteQty");
              if (name == "commission") return any_decimal(fields, field, commission, "commission");
              if (name == "commissionAsset") return fields.string(field, trade.commission_asset, "commissionAsset");
              if (name == "time") return has_time = true, fields.int64(field, trade.time_ms, "time");
              if (name == "isMaker") return fields.boolean(field, trade.maker, "isMaker");
              if (name == "isBuyer") {
                bool buyer = false;
                if (!fields.boolean(field, buyer, "isBuyer")) return false;
                trade.side = buyer ? Side::buy : Side::sell;
                return has_side = true;
              }
              return true;
            });
            if (!ok) return false;
            if (trade.id.empty()) return fields.missing("id");
            if (trade.order_id.empty()) return fields.missing("orderId");
            if (!has_time) return fields.missing("time");
            if (!has_side) return fields.missing("isBuyer");
            trade.commission = -commission;
            if (!has_quote) {
              auto quote = trade.price.checked_mul(trade.quantity, Rounding::half_up);
              if (!quote) return fields.fail("qty", "times price overflows");
              trade.quote_quantity = *quote;
            }
            return true;
          });
        });
      });
  if (!read) return read.error();
  return trades;
}

Result<SpotCancelReplaceReply> parse_spot_cancel_replace(const HttpResponse& response) {
  ReplaceStepResult cancel;
  ReplaceStepResult open;
  std::optional<OrderReport> cancelled;
  std::optional<OrderReport> opened;
  const auto read_order_field = [](od::value& value, FieldReader& fields, std::optional<OrderReport>& out) {
    if (value.is_null()) return true;
    bool blank = false;
    OrderReport order;
    if (!read_spot_order(value, fields, order, &blank)) return false;
    if (!blank) out = std::move(order);
    return true;
  };
  Result<void> read = read_spot_envelope(
      response, Operation::mutation, "bingx spot cancelReplace", [&](od::value& data, FieldReader& fields) {
        return visit_object(data, fields, "data", [&](std::string_view key, od::value& value) {
          if (key == "cancelResult") return read_step_result(value, fields, key, cancel);
          if (key == "openResult") return read_step_result(value, fields, key, open);
          if (key == "orderCancelResponse") return read_order_field(value, fields, cancelled);
          if (key == "orderOpenResponse") return read_order_field(value, fields, opened);
          return true;
        });
      });
  if (!read) return read.error();
  if (!cancel.seen || !open.seen) {
    return make_error(ErrorCode::protocol_error, fmt::format("bingx spot cancelReplace: field \"{}\" is missing",
                                                             cancel.seen ? "openResult" : "cancelResult"));
  }
  Result<OrderReport> cancel_outcome = step_outcome(cancel, cancelled, "cancel", "orderCancelResponse");
  if (!cancel_outcome && cancel_outcome.error().code == ErrorCode::protocol_error) return cancel_outcome.error();
  Result<OrderReport> open_outcome = step_outcome(open, opened, "new order", "orderOpenResponse");
  if (!open_outcome && open_outcome.error().code == ErrorCode::protocol_error) return open_outcome.error();
  return SpotCancelReplaceReply{std::move(cancel_outcome), std::move(open_outcome)};
}

Result<CancelAllAfterAck> parse_spot_cancel_all_after(const HttpResponse& response) {
  return detail::read_cancel_all_after(response, "bingx spot cancelAllAfter", &spot_code_error);
}

}  // namespace cts::venue::bingx
