#pragma once
/// \file
/// Pionex spot market-data replies into the unified types: symbols with their rules
/// ("Get symbols info"), the order book ("Get order book depth"), recent trades ("Get
/// market trades"), 24-hour tickers ("Get 24hr tickers") and best bid/ask ("Get book
/// tickers") (pionex-open-api openapi.yaml). Prices and quantities are exact decimals
/// read from JSON strings; times are integers or, where the schema says string
/// (MarketTrade and BookTicker `timestamp`), their digits in a string. A malformed or
/// incomplete reply is a protocol_error naming the field; unknown members are skipped.
/// The overloads without a JsonReader use the calling thread's reader.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cts/core/instrument.hpp"
#include "cts/venue/pionex/envelope.hpp"

namespace cts::venue::pionex {

namespace detail {

/// 10^-digits for `digits` in 0..18 (a precision as a step); false outside.
inline bool step_of_precision(std::int64_t digits, Decimal& out) {
  if (digits < 0 || digits > Decimal::kScale) return false;
  Decimal::Raw raw = 1;
  for (std::int64_t i = digits; i < Decimal::kScale; ++i) raw *= 10;
  out = Decimal::from_raw(raw);
  return true;
}

/// Reads a precision (decimal places) into its step.
inline bool read_precision(od::value& value, FieldReader& fields, Decimal& step, std::string_view field) {
  std::int64_t digits = 0;
  if (!fields.int64(value, digits, field)) return false;
  if (!step_of_precision(digits, step)) return fields.fail(field, "is not in 0..18");
  return true;
}

/// Reads a side word, "BUY" or "SELL".
inline std::optional<Side> parse_side(std::string_view text) noexcept {
  if (text == "BUY") return Side::buy;
  if (text == "SELL") return Side::sell;
  return std::nullopt;
}

/// Reads one SymbolInfo. Required: symbol, baseCurrency, quoteCurrency, basePrecision,
/// quotePrecision.
inline bool read_symbol(od::value& value, FieldReader& fields, ListedInstrument& out) {
  static constexpr std::string_view kRequired[] = {"symbol", "baseCurrency", "quoteCurrency", "basePrecision",
                                                   "quotePrecision"};
  Seen seen;
  Instrument& instrument = out.instrument;
  bool enable = true;
  std::string_view type = "SPOT";
  const bool ok = visit_object(value, fields, "symbols[]", [&](std::string_view key, od::value& v) {
    if (key == "symbol") return seen.mark(0), fields.string(v, instrument.venue_symbol, key);
    if (key == "baseCurrency") return seen.mark(1), fields.string(v, instrument.base, key);
    if (key == "quoteCurrency") return seen.mark(2), fields.string(v, instrument.quote, key);
    if (key == "basePrecision") return seen.mark(3), read_precision(v, fields, instrument.step_size, key);
    if (key == "quotePrecision") return seen.mark(4), read_precision(v, fields, instrument.tick_size, key);
    if (key == "minTradeSize") return fields.decimal(v, instrument.min_quantity, key);
    if (key == "maxTradeSize") return fields.decimal(v, instrument.max_quantity, key);
    if (key == "minAmount") return fields.decimal(v, instrument.min_notional, key);
    if (key == "enable") return fields.boolean(v, enable, key);
    if (key == "type") return fields.string(v, type, key);
    return true;
  });
  if (!ok || !seen.require(fields, kRequired)) return false;
  if (type != "SPOT") return fields.fail("type", "is not SPOT");
  instrument.kind = InstrumentKind::spot;
  out.state = enable ? InstrumentStatus::trading : InstrumentStatus::halted;
  out.status = enable ? "enable" : "disabled";
  return true;
}

/// Reads one trade (REST MarketTrade or the stream's TradeRecord). Required: tradeId,
/// price, size, side.
inline bool read_trade(od::value& value, FieldReader& fields, Trade& out) {
  static constexpr std::string_view kRequired[] = {"tradeId", "price", "size", "side"};
  Seen seen;
  Side side = Side::buy;
  const bool ok = visit_object(value, fields, "trades[]", [&](std::string_view key, od::value& v) {
    if (key == "tradeId") return seen.mark(0), fields.string_id(v, out.id, key);
    if (key == "price") return seen.mark(1), fields.decimal(v, out.price, key);
    if (key == "size") return seen.mark(2), fields.decimal(v, out.quantity, key);
    if (key == "side") return seen.mark(3), fields.enumeration(v, side, key, parse_side);
    if (key == "timestamp") return fields.int64_or_text(v, out.time_ms, key);
    return true;
  });
  if (!ok || !seen.require(fields, kRequired)) return false;
  out.buyer_is_maker = side == Side::sell;  // `side` is the taker's
  return true;
}

/// Reads a book object's `bids` and `asks` (both required) and, when `time` is given,
/// its `updateTime`.
inline bool read_book(od::value& value, FieldReader& fields, BookSnapshot& out, std::string_view what) {
  bool has_bids = false;
  bool has_asks = false;
  const bool ok = visit_object(value, fields, what, [&](std::string_view key, od::value& v) {
    if (key == "bids") return has_bids = true, cts::venue::detail::price_levels(v, fields, key, out.bids);
    if (key == "asks") return has_asks = true, cts::venue::detail::price_levels(v, fields, key, out.asks);
    if (key == "updateTime") return fields.int64(v, out.event_time_ms, key);
    return true;
  });
  return ok && (has_bids || fields.missing("bids")) && (has_asks || fields.missing("asks"));
}

}  // namespace detail

/// GET /api/v1/common/symbols → the listed instruments: symbol → venue_symbol,
/// baseCurrency/quoteCurrency → base/quote, 10^-basePrecision → step_size,
/// 10^-quotePrecision → tick_size, minTradeSize/maxTradeSize → min/max_quantity,
/// minAmount → min_notional, enable true → trading (status "enable"), false → halted
/// ("disabled"). Errors: the venue's; protocol_error for a symbol without a required
/// field, a precision outside 0..18 or a type other than SPOT.
inline Result<std::vector<ListedInstrument>> parse_symbols(const HttpResponse& response,
                                                           JsonReader& reader = thread_json_reader()) {
  std::vector<ListedInstrument> listed;
  auto parsed = detail::parse_list(response, Operation::read, reader, "pionex symbols", "symbols",
                                   [&](detail::od::value& item, detail::FieldReader& fields) {
                                     return detail::read_symbol(item, fields, listed.emplace_back());
                                   });
  if (!parsed) return parsed.error();
  return listed;
}

/// GET /api/v1/market/depth → bids (best first), asks (best first), updateTime →
/// event_time_ms; Pionex's book has no sequence (last_update_id 0). Errors: the venue's;
/// protocol_error when bids or asks are missing or malformed.
inline Result<BookSnapshot> parse_order_book(const HttpResponse& response, JsonReader& reader = thread_json_reader()) {
  BookSnapshot book;
  auto parsed = detail::parse_envelope(response, Operation::read, reader, "pionex depth", detail::Data::required,
                                       [&](detail::od::value& data, detail::FieldReader& fields) {
                                         return detail::read_book(data, fields, book, "data");
                                       });
  if (!parsed) return parsed.error();
  return book;
}

/// GET /api/v1/market/trades → the trades as sent (newest first): tradeId → id, size →
/// quantity, side SELL (the taker sold) → buyer_is_maker, timestamp → time_ms. Errors:
/// the venue's; protocol_error for a trade without tradeId, price, size or side.
inline Result<std::vector<Trade>> parse_market_trades(const HttpResponse& response,
                                                      JsonReader& reader = thread_json_reader()) {
  std::vector<Trade> trades;
  auto parsed = detail::parse_list(response, Operation::read, reader, "pionex trades", "trades",
                                   [&](detail::od::value& item, detail::FieldReader& fields) {
                                     return detail::read_trade(item, fields, trades.emplace_back());
                                   });
  if (!parsed) return parsed.error();
  return trades;
}

/// GET /api/v1/market/tickers → the 24-hour tickers: close → last_price, volume →
/// volume_24h, amount → turnover_24h, time → time_ms (Pionex's ticker has no best bid and
/// ask: those stay 0). Errors: the venue's; protocol_error for a ticker without symbol or
/// close.
inline Result<std::vector<Ticker>> parse_tickers(const HttpResponse& response,
                                                 JsonReader& reader = thread_json_reader()) {
  std::vector<Ticker> tickers;
  auto parsed = detail::parse_list(
      response, Operation::read, reader, "pionex tickers", "tickers",
      [&](detail::od::value& item, detail::FieldReader& fields) {
        static constexpr std::string_view kRequired[] = {"symbol", "close"};
        detail::Seen seen;
        Ticker& ticker = tickers.emplace_back();
        return detail::visit_object(item, fields, "tickers[]",
                                    [&](std::string_view key, detail::od::value& v) {
                                      if (key == "symbol") return seen.mark(0), fields.string(v, ticker.symbol, key);
                                      if (key == "close") return seen.mark(1), fields.decimal(v, ticker.last_price, key);
                                      if (key == "volume") return fields.decimal(v, ticker.volume_24h, key);
                                      if (key == "amount") return fields.decimal(v, ticker.turnover_24h, key);
                                      if (key == "time") return fields.int64_or_text(v, ticker.time_ms, key);
                                      return true;
                                    }) &&
               seen.require(fields, kRequired);
      });
  if (!parsed) return parsed.error();
  return tickers;
}

/// GET /api/v1/market/bookTickers → the best bids and asks (update_id 0: Pionex has no
/// book sequence). Errors: the venue's; protocol_error for an entry without symbol,
/// bidPrice, bidSize, askPrice or askSize.
inline Result<std::vector<BookTicker>> parse_book_tickers(const HttpResponse& response,
                                                          JsonReader& reader = thread_json_reader()) {
  std::vector<BookTicker> tickers;
  auto parsed = detail::parse_list(
      response, Operation::read, reader, "pionex bookTickers", "tickers",
      [&](detail::od::value& item, detail::FieldReader& fields) {
        static constexpr std::string_view kRequired[] = {"symbol", "bidPrice", "bidSize", "askPrice", "askSize"};
        detail::Seen seen;
        BookTicker& best = tickers.emplace_back();
        return detail::visit_object(item, fields, "tickers[]",
                                    [&](std::string_view key, detail::od::value& v) {
                                      if (key == "symbol") return seen.mark(0), fields.string(v, best.symbol, key);
                                      if (key == "bidPrice") return seen.mark(1), fields.decimal(v, best.bid_price, key);
                                      if (key == "bidSize") return seen.mark(2), fields.decimal(v, best.bid_quantity, key);
                                      if (key == "askPrice") return seen.mark(3), fields.decimal(v, best.ask_price, key);
                                      if (key == "askSize") return seen.mark(4), fields.decimal(v, best.ask_quantity, key);
                                      return true;
                                    }) &&
               seen.require(fields, kRequired);
      });
  if (!parsed) return parsed.error();
  return tickers;
}

/// Any reply → the envelope's `timestamp` (the venue's clock), whatever its data. Errors:
/// the venue's; protocol_error for a malformed envelope or one without a timestamp.
inline Result<std::int64_t> parse_reply_time(const HttpResponse& response, JsonReader& reader = thread_json_reader()) {
  auto parsed = detail::parse_envelope(response, Operation::read, reader, "pionex reply", detail::Data::none,
                                       [](detail::od::value&, detail::FieldReader&) { return true; });
  if (!parsed) return parsed.error();
  if (*parsed <= 0) return make_error(ErrorCode::protocol_error, "pionex reply: field \"timestamp\" is missing");
  return *parsed;
}

}  // namespace cts::venue::pionex
