#pragma once
/// \file
/// Parsers for Binance spot and USD-M REST replies, straight from the body into the
/// unified types (simdjson on-demand, decimals parsed exactly from their strings).
///
/// Every parser first checks the HTTP status and turns a Binance error reply into the
/// unified Error (errors.hpp). Unknown fields are ignored; a missing required field, a
/// wrong type, an unknown enum value, a number that does not fit, or malformed or
/// truncated JSON gives protocol_error naming the payload and the field. The `reader`
/// argument selects the JsonReader (default: the calling thread's).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cts/venue/binance/detail/parse_common.hpp"
#include "cts/venue/detail/depth_scanner.hpp"

namespace cts::venue::binance {

/// GET /api/v3/time or /fapi/v1/time → server time in ms since the Unix epoch.
inline Result<std::int64_t> parse_server_time(const HttpResponse& response, JsonReader& reader = thread_json_reader()) {
  using namespace detail;
  return parse_value<std::int64_t>(response, Operation::read, reader, "binance time",
                                   [](od::document& document, FieldReader& fields, std::int64_t& out) {
    bool seen = false;
    return cts::venue::detail::root_object(document, fields, [&](od::object& object) {
             return for_each_field(object, fields, [&](std::string_view key, od::value& value) {
               if (key == "serverTime") return seen = true, fields.int64(value, out, "serverTime");
               return true;
             });
           }) && (seen || fields.missing("serverTime"));
  });
}

namespace detail {

/// parse_order_book() through simdjson on-demand only, for any document: what
/// parse_order_book() runs when the dedicated scanner declines the body.
inline Result<void> parse_order_book_on_demand(const HttpResponse& response, BookSnapshot& out, JsonReader& reader) {
  return parse_into(response, Operation::read, reader, "binance depth", out,
                    [](od::document& document, FieldReader& fields, BookSnapshot& book) {
    static constexpr std::string_view kRequired[] = {"lastUpdateId", "bids", "asks"};
    Seen seen;
    book.event_time_ms = 0;
    return cts::venue::detail::root_object(document, fields, [&](od::object& object) {
             return for_each_field(object, fields, [&](std::string_view key, od::value& value) {
               if (key == "lastUpdateId") return seen.mark(0), fields.uint64(value, book.last_update_id, "lastUpdateId");
               if (key == "bids") return seen.mark(1), cts::venue::detail::price_levels(value, fields, "bids", book.bids);
               if (key == "asks") return seen.mark(2), cts::venue::detail::price_levels(value, fields, "asks", book.asks);
               if (key == "E") return fields.int64(value, book.event_time_ms, "E");
               return true;
             });
           }) && seen.require(fields, kRequired);
  });
}

}  // namespace detail

/// GET /api/v3/depth or /fapi/v1/depth into `out` (its vectors' capacity is reused, so
/// a caller polling the same book allocates nothing). Required: lastUpdateId, bids, asks.
/// On error `out` holds unspecified partial data.
///
/// A reply of Binance's exact spot shape ({"lastUpdateId":N,"bids":[...],"asks":[...]},
/// plain decimals of up to 8+8 digits) goes through a dedicated scanner
/// (cts/venue/detail/depth_scanner.hpp); anything else, including every malformed body,
/// through simdjson, with the same result for every body the scanner accepts.
inline Result<void> parse_order_book(const HttpResponse& response, BookSnapshot& out,
                                     JsonReader& reader = thread_json_reader()) {
  if (auto status = check_status(response, Operation::read); !status) return status;
  if (cts::venue::detail::thread_depth_scanner().scan(response.body, out)) [[likely]] {
    return {};
  }
  return detail::parse_order_book_on_demand(response, out, reader);
}

/// parse_order_book() into a new snapshot.
inline Result<BookSnapshot> parse_order_book(const HttpResponse& response, JsonReader& reader = thread_json_reader()) {
  BookSnapshot out;
  if (auto r = parse_order_book(response, out, reader); !r) return r.error();
  return out;
}

/// GET /api/v3/trades or /fapi/v1/trades. Required per trade: id, price, qty, time,
/// isBuyerMaker.
inline Result<std::vector<Trade>> parse_trades(const HttpResponse& response, JsonReader& reader = thread_json_reader()) {
  using namespace detail;
  return parse_value<std::vector<Trade>>(response, Operation::read, reader, "binance trades",
                                         [](od::document& document, FieldReader& fields, std::vector<Trade>& out) {
    return object_list(document, fields, out, [](od::object& object, FieldReader& f, Trade& trade) {
      static constexpr std::string_view kRequired[] = {"id", "price", "qty", "time", "isBuyerMaker"};
      Seen seen;
      return for_each_field(object, f, [&](std::string_view key, od::value& value) {
               if (key == "id") return seen.mark(0), f.integer_id(value, trade.id, "id");
               if (key == "price") return seen.mark(1), f.decimal(value, trade.price, "price");
               if (key == "qty") return seen.mark(2), f.decimal(value, trade.quantity, "qty");
               if (key == "time") return seen.mark(3), f.int64(value, trade.time_ms, "time");
               if (key == "isBuyerMaker") return seen.mark(4), f.boolean(value, trade.buyer_is_maker, "isBuyerMaker");
               return true;
             }) && seen.require(f, kRequired);
    });
  });
}

/// GET /api/v3/ticker/bookTicker or /fapi/v1/ticker/bookTicker for one symbol.
/// Required: symbol, bidPrice, bidQty, askPrice, askQty (lastUpdateId when sent).
inline Result<BookTicker> parse_book_ticker(const HttpResponse& response, JsonReader& reader = thread_json_reader()) {
  using namespace detail;
  return parse_value<BookTicker>(response, Operation::read, reader, "binance bookTicker",
                                 [](od::document& document, FieldReader& fields, BookTicker& out) {
    static constexpr std::string_view kRequired[] = {"symbol", "bidPrice", "bidQty", "askPrice", "askQty"};
    Seen seen;
    return cts::venue::detail::root_object(document, fields, [&](od::object& object) {
             return for_each_field(object, fields, [&](std::string_view key, od::value& value) {
               if (key == "symbol") return seen.mark(0), fields.string(value, out.symbol, "symbol");
               if (key == "bidPrice") return seen.mark(1), fields.decimal(value, out.bid_price, "bidPrice");
               if (key == "bidQty") return seen.mark(2), fields.decimal(value, out.bid_quantity, "bidQty");
               if (key == "askPrice") return seen.mark(3), fields.decimal(value, out.ask_price, "askPrice");
               if (key == "askQty") return seen.mark(4), fields.decimal(value, out.ask_quantity, "askQty");
               if (key == "lastUpdateId") return fields.uint64(value, out.update_id, "lastUpdateId");
               return true;
             });
           }) && seen.require(fields, kRequired);
  });
}

/// The reply to create, cancel or query order (spot FULL/RESULT, USD-M RESULT).
/// Errors as for every parser; a 5xx on create or cancel is unknown_outcome.
inline Result<OrderReport> parse_order(const HttpResponse& response, Market market, Operation operation,
                                       JsonReader& reader = thread_json_reader()) {
  using namespace detail;
  return parse_value<OrderReport>(response, operation, reader, "binance order",
                                  [market](od::document& document, FieldReader& fields, OrderReport& out) {
    return cts::venue::detail::root_object(document, fields,
                                           [&](od::object& object) { return read_order(object, fields, out, market); });
  });
}

/// GET /api/v3/openOrders, /fapi/v1/openOrders, and spot DELETE /api/v3/openOrders
/// (the cancelled orders; an OCO entry in that list fails with protocol_error).
inline Result<std::vector<OrderReport>> parse_orders(const HttpResponse& response, Market market, Operation operation,
                                                     JsonReader& reader = thread_json_reader()) {
  using namespace detail;
  return parse_value<std::vector<OrderReport>>(
      response, operation, reader, "binance orders",
      [market](od::document& document, FieldReader& fields, std::vector<OrderReport>& out) {
        return object_list(document, fields, out, [market](od::object& object, FieldReader& f, OrderReport& order) {
          return read_order(object, f, order, market);
        });
      });
}

/// GET /api/v3/account → the balances (zero balances are omitted by the request).
/// Required per balance: asset, free, locked.
inline Result<std::vector<Balance>> parse_spot_balances(const HttpResponse& response,
                                                        JsonReader& reader = thread_json_reader()) {
  using namespace detail;
  return parse_value<std::vector<Balance>>(response, Operation::read, reader, "binance account",
                                           [](od::document& document, FieldReader& fields, std::vector<Balance>& out) {
    bool has_balances = false;
    return cts::venue::detail::root_object(document, fields, [&](od::object& object) {
             return for_each_field(object, fields, [&](std::string_view key, od::value& value) {
               if (key != "balances") return true;
               has_balances = true;
               return visit_array(value, fields, "balances", [&](od::value& item, std::size_t) {
                 static constexpr std::string_view kRequired[] = {"asset", "free", "locked"};
                 Balance& balance = out.emplace_back();
                 Seen seen;
                 return visit_object(item, fields, "balances[]", [&](std::string_view k, od::value& v) {
                          if (k == "asset") return seen.mark(0), fields.string(v, balance.asset, "balances[].asset");
                          if (k == "free") return seen.mark(1), fields.decimal(v, balance.free, "balances[].free");
                          if (k == "locked") return seen.mark(2), fields.decimal(v, balance.locked, "balances[].locked");
                          return true;
                        }) && seen.require(fields, kRequired);
               });
             });
           }) && (has_balances || fields.missing("balances"));
  });
}

/// GET /fapi/v3/balance. Required per asset: asset, balance, crossWalletBalance,
/// crossUnPnl, availableBalance.
inline Result<std::vector<FuturesBalance>> parse_futures_balances(const HttpResponse& response,
                                                                  JsonReader& reader = thread_json_reader()) {
  using namespace detail;
  return parse_value<std::vector<FuturesBalance>>(
      response, Operation::read, reader, "binance futures balance",
      [](od::document& document, FieldReader& fields, std::vector<FuturesBalance>& out) {
        return object_list(document, fields, out, [](od::object& object, FieldReader& f, FuturesBalance& balance) {
          static constexpr std::string_view kRequired[] = {"asset", "balance", "crossWalletBalance", "crossUnPnl",
                                                           "availableBalance"};
          Seen seen;
          return for_each_field(object, f, [&](std::string_view key, od::value& value) {
                   if (key == "asset") return seen.mark(0), f.string(value, balance.asset, "asset");
                   if (key == "balance") return seen.mark(1), f.decimal(value, balance.wallet_balance, "balance");
                   if (key == "crossWalletBalance") {
                     return seen.mark(2), f.decimal(value, balance.cross_wallet_balance, "crossWalletBalance");
                   }
                   if (key == "crossUnPnl") return seen.mark(3), f.decimal(value, balance.unrealized_pnl, "crossUnPnl");
                   if (key == "availableBalance") {
                     return seen.mark(4), f.decimal(value, balance.available_balance, "availableBalance");
                   }
                   return true;
                 }) && seen.require(f, kRequired);
        });
      });
}

/// GET /api/v3/myTrades (isBuyer/isMaker) or /fapi/v1/userTrades (buyer/maker,
/// realizedPnl). Required: symbol, id, orderId, price, qty, commission,
/// commissionAsset, time, and isBuyer or buyer.
inline Result<std::vector<AccountTrade>> parse_account_trades(const HttpResponse& response,
                                                              JsonReader& reader = thread_json_reader()) {
  using namespace detail;
  return parse_value<std::vector<AccountTrade>>(
      response, Operation::read, reader, "binance account trades",
      [](od::document& document, FieldReader& fields, std::vector<AccountTrade>& out) {
        return object_list(document, fields, out, [](od::object& object, FieldReader& f, AccountTrade& trade) {
          static constexpr std::string_view kRequired[] = {"symbol", "id",         "orderId",         "price",
                                                           "qty",    "commission", "commissionAsset", "time",
                                                           "isBuyer"};
          Seen seen;
          bool buyer = false;
          const bool ok = for_each_field(object, f, [&](std::string_view key, od::value& value) {
            if (key == "symbol") return seen.mark(0), f.string(value, trade.symbol, "symbol");
            if (key == "id") return seen.mark(1), f.integer_id(value, trade.id, "id");
            if (key == "orderId") return seen.mark(2), f.integer_id(value, trade.order_id, "orderId");
            if (key == "price") return seen.mark(3), f.decimal(value, trade.price, "price");
            if (key == "qty") return seen.mark(4), f.decimal(value, trade.quantity, "qty");
            if (key == "commission") return seen.mark(5), f.decimal(value, trade.commission, "commission");
            if (key == "commissionAsset") {
              return seen.mark(6), f.optional_string(value, trade.commission_asset, "commissionAsset");
            }
            if (key == "time") return seen.mark(7), f.int64(value, trade.time_ms, "time");
            if (key == "isBuyer" || key == "buyer") return seen.mark(8), f.boolean(value, buyer, key);
            if (key == "isMaker" || key == "maker") return f.boolean(value, trade.maker, key);
            if (key == "quoteQty") return f.decimal(value, trade.quote_quantity, "quoteQty");
            if (key == "realizedPnl") return f.decimal(value, trade.realized_pnl, "realizedPnl");
            return true;
          });
          trade.side = buyer ? Side::buy : Side::sell;
          return ok && seen.require(f, kRequired);
        });
      });
}

/// GET /fapi/v2/positionRisk (also reads v3, which lacks leverage and marginType).
/// Required: symbol, positionAmt, entryPrice, markPrice, unRealizedProfit.
inline Result<std::vector<Position>> parse_positions(const HttpResponse& response,
                                                     JsonReader& reader = thread_json_reader()) {
  using namespace detail;
  return parse_value<std::vector<Position>>(
      response, Operation::read, reader, "binance positionRisk",
      [](od::document& document, FieldReader& fields, std::vector<Position>& out) {
        return object_list(document, fields, out, [](od::object& object, FieldReader& f, Position& position) {
          static constexpr std::string_view kRequired[] = {"symbol", "positionAmt", "entryPrice", "markPrice",
                                                           "unRealizedProfit"};
          Seen seen;
          return for_each_field(object, f, [&](std::string_view key, od::value& value) {
                   if (key == "symbol") return seen.mark(0), f.string(value, position.symbol, "symbol");
                   if (key == "positionAmt") return seen.mark(1), f.decimal(value, position.quantity, "positionAmt");
                   if (key == "entryPrice") return seen.mark(2), f.decimal(value, position.entry_price, "entryPrice");
                   if (key == "markPrice") return seen.mark(3), f.decimal(value, position.mark_price, "markPrice");
                   if (key == "unRealizedProfit") {
                     return seen.mark(4), f.decimal(value, position.unrealized_pnl, "unRealizedProfit");
                   }
                   if (key == "liquidationPrice") return f.decimal(value, position.liquidation_price, key);
                   if (key == "notional") return f.decimal(value, position.notional, key);
                   if (key == "positionSide") return f.enumeration(value, position.side, key, parse_position_side);
                   if (key == "updateTime") return f.int64(value, position.update_time_ms, key);
                   if (key == "leverage") {
                     Decimal leverage;
                     if (!f.decimal(value, leverage, key)) return false;
                     if (!leverage.is_integer() || leverage < Decimal::from_int(1) || leverage > Decimal::from_int(1000)) {
                       return f.fail(key, "is not a leverage");
                     }
                     position.leverage = leverage;
                     return true;
                   }
                   if (key == "marginType") {
                     MarginMode mode{};
                     if (!f.enumeration(value, mode, key, parse_margin_mode)) return false;
                     position.margin_mode = mode;
                     return true;
                   }
                   return true;
                 }) && seen.require(f, kRequired);
        });
      });
}

/// POST /fapi/v1/leverage → {"leverage":21,"maxNotionalValue":"1000000","symbol":"BTCUSDT"}.
inline Result<LeverageSetting> parse_leverage(const HttpResponse& response, JsonReader& reader = thread_json_reader()) {
  using namespace detail;
  return parse_value<LeverageSetting>(response, Operation::mutation, reader, "binance leverage",
                                      [](od::document& document, FieldReader& fields, LeverageSetting& out) {
    static constexpr std::string_view kRequired[] = {"symbol", "leverage", "maxNotionalValue"};
    Seen seen;
    return cts::venue::detail::root_object(document, fields, [&](od::object& object) {
             return for_each_field(object, fields, [&](std::string_view key, od::value& value) {
               if (key == "symbol") return seen.mark(0), fields.string(value, out.symbol, "symbol");
               if (key == "leverage") return seen.mark(1), fields.int32(value, out.leverage, "leverage");
               if (key == "maxNotionalValue") return seen.mark(2), fields.decimal(value, out.max_notional, key);
               return true;
             });
           }) && seen.require(fields, kRequired);
  });
}

/// Replies of the form {"code":200,"msg":"..."} (POST /fapi/v1/marginType, DELETE
/// /fapi/v1/allOpenOrders). For marginType, -4046 "No need to change margin type" is
/// success: the mode already is the one asked for.
inline Result<void> parse_acknowledgement(const HttpResponse& response, Operation operation = Operation::mutation) {
  if (response.status == 400) {
    if (auto body = parse_error_body(response.body); body && body->code == -4046) return {};
  }
  if (auto status = check_status(response, operation); !status) return status;
  auto body = parse_error_body(response.body);
  if (!body) return make_error(ErrorCode::protocol_error, "binance acknowledgement: expected {\"code\":200,...}");
  if (body->code != 200 && body->code != 0) {
    return make_error(map_error_code(body->code, body->msg, operation),
                      fmt::format("binance {}: {}", body->code, body->msg), std::to_string(body->code));
  }
  return {};
}

/// POST /fapi/v1/batchOrders: one result per submitted order, in order; an element that
/// is an error object becomes that order's Error (mapped like a whole reply's). The
/// outer Result fails only when the reply as a whole is an error or malformed.
inline Result<std::vector<Result<OrderReport>>> parse_batch_orders(const HttpResponse& response,
                                                                   JsonReader& reader = thread_json_reader()) {
  using namespace detail;
  return parse_value<std::vector<Result<OrderReport>>>(
      response, Operation::mutation, reader, "binance batchOrders",
      [](od::document& document, FieldReader& fields, std::vector<Result<OrderReport>>& out) {
        return cts::venue::detail::root_array(document, fields, [&](od::array& array) {
          return for_each_element(array, fields, [&](od::value& value, std::size_t) {
            od::object object;
            if (value.get_object().get(object)) return fields.fail("[]", "is not an object");
            // An element holding "code" is an error object {"code":..,"msg":..}; any
            // other element is an order, read in a second pass over the same object.
            OrderReport order;
            int code = 0;
            std::string msg;
            bool is_error = false;
            const bool ok = for_each_field(object, fields, [&](std::string_view key, od::value& v) {
              if (key == "code") return is_error = true, fields.int32(v, code, "code");
              if (key == "msg") return fields.string(v, msg, "msg");
              return true;
            });
            if (!ok) return false;
            if (is_error) {
              out.emplace_back(make_error(map_error_code(code, msg, Operation::mutation),
                                          fmt::format("binance {}: {}", code, msg), std::to_string(code)));
              return true;
            }
            if (auto reset = object.reset(); reset.error()) return fields.fail_document(reset.error());
            if (!read_order(object, fields, order, Market::usdm)) return false;
            out.emplace_back(std::move(order));
            return true;
          });
        });
      });
}

/// POST /fapi/v1/listenKey → the listen key (an empty one is a protocol_error).
inline Result<std::string> parse_listen_key(const HttpResponse& response, JsonReader& reader = thread_json_reader()) {
  using namespace detail;
  return parse_value<std::string>(response, Operation::read, reader, "binance listenKey",
                                  [](od::document& document, FieldReader& fields, std::string& out) {
    bool seen = false;
    return cts::venue::detail::root_object(document, fields, [&](od::object& object) {
             return for_each_field(object, fields, [&](std::string_view key, od::value& value) {
               if (key == "listenKey") return seen = true, fields.string_id(value, out, "listenKey");
               return true;
             });
           }) && (seen || fields.missing("listenKey"));
  });
}

/// PUT or DELETE /fapi/v1/listenKey → success for any 2xx reply (`{}`, or the key
/// again). Errors: rejected for -1125 "This listenKey does not exist." (the key expired
/// or was closed: open a new one; elsewhere -1125 is a credential error), the mapped
/// Binance error otherwise.
inline Result<void> parse_listen_key_reply(const HttpResponse& response) {
  Result<void> status = check_status(response, Operation::read);
  if (!status && status.error().venue_code == "-1125") {
    return make_error(ErrorCode::rejected, fmt::format("the venue no longer knows the listen key ({})",
                                                       status.error().message),
                      "-1125");
  }
  return status;
}

}  // namespace cts::venue::binance
