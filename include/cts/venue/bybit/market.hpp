#pragma once
/// \file
/// Bybit v5 market-data replies into the unified types: server time (market/time.mdx),
/// instruments with their filters (market/instrument.mdx), the order book
/// (market/orderbook.mdx) and tickers (market/tickers.mdx). Every parser takes the
/// HttpResponse, maps a non-zero retCode to the unified error (errors.hpp) and reads
/// prices and quantities as exact decimals; a malformed or incomplete reply is a
/// protocol_error naming the field. The overloads without a JsonReader use the calling
/// thread's reader.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cts/core/instrument.hpp"
#include "cts/venue/bybit/detail/reply.hpp"
#include "cts/venue/bybit/enums.hpp"
#include "cts/venue/detail/depth_scanner.hpp"
#include "cts/venue/detail/utc_date.hpp"

namespace cts::venue::bybit {

/// A page of a list reply and the cursor of the next one (empty on the last page).
template <class T>
struct Page {
  std::vector<T> items;          ///< The entries of this page, in the venue's order.
  std::string next_page_cursor;  ///< Pass as `cursor` for the next page; empty when there is none.
};

/// GET /v5/market/time → the server time in milliseconds (timeNano / 10^6, exact to the
/// millisecond). Errors: the venue's; protocol_error when timeNano is missing or not a
/// decimal integer string.
inline Result<std::int64_t> parse_server_time(const HttpResponse& response, JsonReader& reader = thread_json_reader()) {
  using namespace detail;
  std::int64_t nanos = -1;
  auto parsed =
      parse_result(response, Operation::read, reader, "bybit server time", [&](od::value& result, FieldReader& fields) {
        bool has_nanos = false;
        return visit_object(result, fields, "result",
                            [&](std::string_view key, od::value& value) {
                              if (key == "timeNano")
                                return has_nanos = true, digits_text(fields, value, nanos, "timeNano");
                              return true;
                            }) &&
               (has_nanos || fields.missing("timeNano"));
      });
  if (!parsed) return parsed.error();
  return nanos / 1'000'000;
}

namespace detail {

/// Reads `priceFilter` into the instrument's tick size (required, positive).
inline bool read_price_filter(od::value& value, FieldReader& fields, Instrument& instrument) {
  bool has_tick = false;
  return visit_object(value, fields, "priceFilter",
                      [&](std::string_view key, od::value& v) {
                        if (key == "tickSize")
                          return has_tick = true, fields.decimal(v, instrument.tick_size, "priceFilter.tickSize");
                        return true;
                      }) &&
         (has_tick || fields.missing("priceFilter.tickSize"));
}

/// Reads `lotSizeFilter`: linear qtyStep, minOrderQty, maxOrderQty, minNotionalValue;
/// spot basePrecision (the quantity step), minOrderQty, maxOrderQty, minOrderAmt (the
/// smallest order value in quote).
inline bool read_lot_size_filter(od::value& value, FieldReader& fields, Instrument& instrument, Category category) {
  const std::string_view step_key = category == Category::spot ? "basePrecision" : "qtyStep";
  const std::string_view notional_key = category == Category::spot ? "minOrderAmt" : "minNotionalValue";
  bool has_step = false;
  return visit_object(value, fields, "lotSizeFilter",
                      [&](std::string_view key, od::value& v) {
                        if (key == step_key) return has_step = true, fields.decimal(v, instrument.step_size, key);
                        if (key == "minOrderQty") return fields.decimal(v, instrument.min_quantity, key);
                        if (key == "maxOrderQty") return fields.decimal(v, instrument.max_quantity, key);
                        if (key == notional_key) return decimal_or_empty(fields, v, instrument.min_notional, key);
                        return true;
                      }) &&
         (has_step ||
          fields.missing(category == Category::spot ? "lotSizeFilter.basePrecision" : "lotSizeFilter.qtyStep"));
}

/// Reads one element of an instruments-info `list`.
inline bool read_instrument(od::value& value, FieldReader& fields, ListedInstrument& listed, Category category) {
  static constexpr std::string_view kRequired[] = {"symbol",    "status",      "baseCoin",
                                                   "quoteCoin", "priceFilter", "lotSizeFilter"};
  Instrument& instrument = listed.instrument;
  Seen seen;
  std::string_view contract_type;
  std::int64_t delivery_ms = 0;
  const bool ok = visit_object(value, fields, "list[]", [&](std::string_view key, od::value& v) {
    if (key == "symbol") return seen.mark(0), fields.string(v, instrument.venue_symbol, key);
    if (key == "status") return seen.mark(1), fields.string(v, listed.status, key);
    if (key == "baseCoin") return seen.mark(2), fields.string(v, instrument.base, key);
    if (key == "quoteCoin") return seen.mark(3), fields.string(v, instrument.quote, key);
    if (key == "priceFilter") return seen.mark(4), read_price_filter(v, fields, instrument);
    if (key == "lotSizeFilter") return seen.mark(5), read_lot_size_filter(v, fields, instrument, category);
    if (key == "settleCoin") return fields.string(v, instrument.settle, key);
    if (key == "contractType") return fields.string(v, contract_type, key);
    if (key == "deliveryTime") return digits_text(fields, v, delivery_ms, key, true);
    return true;
  });
  if (!ok || !seen.require(fields, kRequired)) return false;
  listed.state = instrument_status(listed.status);
  if (!instrument.tick_size.is_positive()) return fields.fail("priceFilter.tickSize", "is not positive");
  if (!instrument.step_size.is_positive()) return fields.fail("lotSizeFilter step", "is not positive");
  if (category == Category::spot) {
    instrument.kind = InstrumentKind::spot;
    instrument.settle.clear();
    return true;
  }
  if (instrument.settle.empty()) return fields.missing("settleCoin");
  if (contract_type == "LinearPerpetual") {
    instrument.kind = InstrumentKind::linear_perpetual;
  } else if (contract_type == "LinearFutures") {
    if (delivery_ms <= 0) return fields.missing("deliveryTime");
    instrument.kind = InstrumentKind::linear_future;
    instrument.expiry = cts::venue::detail::utc_yymmdd(delivery_ms);
  } else {
    return fields.fail("contractType",
                       fmt::format("has value \"{}\", not a linear contract", contract_type.substr(0, 32)));
  }
  return true;
}

}  // namespace detail

/// GET /v5/market/instruments-info (category spot or linear) → one ListedInstrument per
/// element of `list`, every status (filter on ListedInstrument::trading()), with
/// nextPageCursor. priceFilter.tickSize → tick_size; linear lotSizeFilter.qtyStep,
/// minOrderQty, maxOrderQty, minNotionalValue and spot basePrecision, minOrderQty,
/// maxOrderQty, minOrderAmt → step_size, min_quantity, max_quantity, min_notional.
/// Linear contractType LinearPerpetual → linear_perpetual settled in settleCoin;
/// LinearFutures → linear_future expiring on deliveryTime's UTC day. Errors: the venue's;
/// protocol_error for a missing symbol, status, baseCoin, quoteCoin, tick or step, or an
/// inverse contract under `linear`.
inline Result<Page<ListedInstrument>> parse_instruments(const HttpResponse& response, Category category,
                                                        JsonReader& reader = thread_json_reader()) {
  using namespace detail;
  Page<ListedInstrument> page;
  auto parsed = parse_result(response, Operation::read, reader, "bybit instruments-info",
                             [&](od::value& result, FieldReader& fields) {
                               return result_list(
                                   result, fields, page.items,
                                   [&](od::value& item, FieldReader& f, ListedInstrument& listed) {
                                     return read_instrument(item, f, listed, category);
                                   },
                                   [&](std::string_view key, od::value& value) {
                                     if (key == "nextPageCursor")
                                       return fields.optional_string(value, page.next_page_cursor, key);
                                     return true;
                                   });
                             });
  if (!parsed) return parsed.error();
  return page;
}

namespace detail {

/// parse_order_book() through simdjson alone (every reply, malformed ones included).
inline Result<BookSnapshot> parse_order_book_on_demand(const HttpResponse& response, JsonReader& reader) {
  BookSnapshot book;
  auto parsed =
      parse_result(response, Operation::read, reader, "bybit orderbook", [&](od::value& result, FieldReader& fields) {
        static constexpr std::string_view kRequired[] = {"b", "a", "u"};
        Seen seen;
        return visit_object(result, fields, "result",
                            [&](std::string_view key, od::value& value) {
                              if (key == "b")
                                return seen.mark(0), cts::venue::detail::price_levels(value, fields, "b", book.bids);
                              if (key == "a")
                                return seen.mark(1), cts::venue::detail::price_levels(value, fields, "a", book.asks);
                              if (key == "u") return seen.mark(2), fields.uint64(value, book.last_update_id, "u");
                              if (key == "seq") return fields.uint64(value, book.sequence, "seq");
                              if (key == "ts") return fields.int64(value, book.event_time_ms, "ts");
                              return true;
                            }) &&
               seen.require(fields, kRequired);
      });
  if (!parsed) return parsed.error();
  return book;
}

}  // namespace detail

/// GET /v5/market/orderbook → a BookSnapshot: `b` bids and `a` asks (best first, as
/// sent), `u` → last_update_id, `seq` → sequence, `ts` → event_time_ms. Errors: the
/// venue's; protocol_error when `b`, `a` or `u` is missing or a level is not two decimal
/// strings. A successful reply of the documented shape and member order (plain decimals
/// of up to 8+8 digits) goes through the dedicated scanner of
/// cts/venue/detail/depth_scanner.hpp; anything else through simdjson, with the same
/// result for every reply the scanner accepts.
inline Result<BookSnapshot> parse_order_book(const HttpResponse& response, JsonReader& reader = thread_json_reader()) {
  BookSnapshot book;
  if (response.status == 200 && cts::venue::detail::thread_depth_scanner().scan_bybit(response.body, book))
      [[likely]] {
    return book;
  }
  return detail::parse_order_book_on_demand(response, reader);
}

namespace detail {

/// Reads one element of a tickers `list` (spot and linear share the fields used).
inline bool read_ticker(od::value& value, FieldReader& fields, Ticker& ticker) {
  static constexpr std::string_view kRequired[] = {"symbol", "bid1Price", "ask1Price", "lastPrice"};
  Seen seen;
  return visit_object(value, fields, "list[]",
                      [&](std::string_view key, od::value& v) {
                        if (key == "symbol") return seen.mark(0), fields.string(v, ticker.symbol, key);
                        if (key == "bid1Price") return seen.mark(1), decimal_or_empty(fields, v, ticker.bid_price, key);
                        if (key == "ask1Price") return seen.mark(2), decimal_or_empty(fields, v, ticker.ask_price, key);
                        if (key == "lastPrice")
                          return seen.mark(3), decimal_or_empty(fields, v, ticker.last_price, key);
                        if (key == "bid1Size") return decimal_or_empty(fields, v, ticker.bid_quantity, key);
                        if (key == "ask1Size") return decimal_or_empty(fields, v, ticker.ask_quantity, key);
                        if (key == "markPrice") return decimal_or_empty(fields, v, ticker.mark_price, key);
                        if (key == "indexPrice") return decimal_or_empty(fields, v, ticker.index_price, key);
                        if (key == "volume24h") return decimal_or_empty(fields, v, ticker.volume_24h, key);
                        if (key == "turnover24h") return decimal_or_empty(fields, v, ticker.turnover_24h, key);
                        return true;
                      }) &&
         seen.require(fields, kRequired);
}

}  // namespace detail

/// GET /v5/market/tickers → one Ticker per element of `list`, each stamped with the
/// envelope's `time`. Empty price strings (no quote on a side) read as 0. Errors: the
/// venue's; protocol_error for a missing symbol, bid1Price, ask1Price or lastPrice.
inline Result<std::vector<Ticker>> parse_tickers(const HttpResponse& response,
                                                 JsonReader& reader = thread_json_reader()) {
  using namespace detail;
  std::vector<Ticker> tickers;
  std::int64_t time = 0;
  auto parsed = parse_result(
      response, Operation::read, reader, "bybit tickers",
      [&](od::value& result, FieldReader& fields) {
        return result_list(result, fields, tickers, read_ticker, [](std::string_view, od::value&) { return true; });
      },
      &time);
  if (!parsed) return parsed.error();
  for (Ticker& ticker : tickers) ticker.time_ms = time;
  return tickers;
}

}  // namespace cts::venue::bybit
