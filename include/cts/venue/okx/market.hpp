#pragma once
/// \file
/// OKX v5 market-data replies into the unified types: server time ("Get system time"),
/// instruments with their rules ("Get instruments"), the order book ("Get order book")
/// and the ticker ("Get ticker"). Every parser takes the HttpResponse, maps a non-zero
/// code to the unified error (errors.hpp) and reads prices and quantities as exact
/// decimals; a malformed or incomplete reply is a protocol_error naming the field. The
/// overloads without a JsonReader use the calling thread's reader.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cts/core/instrument.hpp"
#include "cts/venue/okx/enums.hpp"
#include "cts/venue/okx/envelope.hpp"

namespace cts::venue::okx {

/// GET /api/v5/public/time → the server time in ms (`ts`). Errors: the venue's;
/// protocol_error when data does not hold one object with a decimal-string `ts`.
inline Result<std::int64_t> parse_server_time(const HttpResponse& response, JsonReader& reader = thread_json_reader()) {
  using namespace detail;
  std::int64_t ts = -1;
  auto parsed = parse_single(response, Operation::read, reader, "okx time", [&](od::value& item, FieldReader& fields) {
    bool has_ts = false;
    return visit_object(item, fields, "data[]",
                        [&](std::string_view key, od::value& value) {
                          if (key == "ts") return has_ts = true, digits_text(fields, value, ts, "ts");
                          return true;
                        }) &&
           (has_ts || fields.missing("ts"));
  });
  if (!parsed) return parsed.error();
  return ts;
}

/// An instrument as OKX lists it: the unified listing and OKX's numeric instrument code.
struct Listing {
  ListedInstrument listed;        ///< Symbol (instId), assets, kind, rules and state.
  std::int64_t inst_id_code = 0;  ///< `instIdCode` (WebSocket order entry names the instrument by it, see
                                  ///< ws_orders.hpp); 0 when absent or null (not generated yet).
};

namespace detail {

/// The exact product a · b; false when it does not fit or is not exact at 18 decimals.
inline bool exact_product(Decimal a, Decimal b, Decimal& out) {
  Result<Decimal> down = a.checked_mul(b, Rounding::toward_zero);
  Result<Decimal> up = a.checked_mul(b, Rounding::away_from_zero);
  if (!down || !up || *down != *up) return false;
  out = *down;
  return true;
}

/// Splits an instrument family "BTC-USDT" into base and quote.
inline bool split_family(std::string_view family, Instrument& instrument) {
  const std::size_t dash = family.find('-');
  if (dash == std::string_view::npos || dash == 0 || dash + 1 == family.size() ||
      family.find('-', dash + 1) != std::string_view::npos) {
    return false;
  }
  instrument.base.assign(family.substr(0, dash));
  instrument.quote.assign(family.substr(dash + 1));
  return true;
}

/// Reads `instIdCode`: a non-negative JSON integer (or one in a string); null, which
/// OKX sends "when the value is not generated", reads as 0 (none).
inline bool read_inst_id_code(od::value& value, FieldReader& fields, std::int64_t& out) {
  auto null = value.is_null();
  if (!null.error() && null.value_unsafe()) {
    out = 0;
    return true;
  }
  if (!fields.int64_or_text(value, out, "instIdCode")) return false;
  if (out < 0) return fields.fail("instIdCode", "is negative");
  return true;
}

/// Reads one element of an instruments `data` of `type`.
inline bool read_instrument(od::value& value, FieldReader& fields, Listing& listing, InstType type) {
  static constexpr std::string_view kRequired[] = {"instId", "instType", "state", "tickSz", "lotSz", "minSz"};
  ListedInstrument& listed = listing.listed;
  Instrument& instrument = listed.instrument;
  Seen seen;
  std::string_view inst_type;
  std::string_view family;
  std::string_view underlying;
  std::string_view contract_type;
  Decimal contract_value;
  Decimal contract_multiplier;
  const bool ok = visit_object(value, fields, "data[]", [&](std::string_view key, od::value& v) {
    if (key == "instId") return seen.mark(0), fields.string(v, instrument.venue_symbol, key);
    if (key == "instType") return seen.mark(1), fields.string(v, inst_type, key);
    if (key == "state") return seen.mark(2), fields.string(v, listed.status, key);
    if (key == "tickSz") return seen.mark(3), fields.decimal(v, instrument.tick_size, key);
    if (key == "lotSz") return seen.mark(4), fields.decimal(v, instrument.step_size, key);
    if (key == "minSz") return seen.mark(5), fields.decimal(v, instrument.min_quantity, key);
    if (key == "maxLmtSz") return decimal_or_empty(fields, v, instrument.max_quantity, key);
    if (key == "baseCcy") return fields.string(v, instrument.base, key);
    if (key == "quoteCcy") return fields.string(v, instrument.quote, key);
    if (key == "settleCcy") return fields.string(v, instrument.settle, key);
    if (key == "instFamily") return fields.string(v, family, key);
    if (key == "uly") return fields.string(v, underlying, key);
    if (key == "ctType") return fields.string(v, contract_type, key);
    if (key == "ctVal") return decimal_or_empty(fields, v, contract_value, key);
    if (key == "ctMult") return decimal_or_empty(fields, v, contract_multiplier, key);
    if (key == "instIdCode") return read_inst_id_code(v, fields, listing.inst_id_code);
    return true;
  });
  if (!ok || !seen.require(fields, kRequired)) return false;
  if (parse_inst_type(inst_type) != type) {
    return fields.fail("instType", fmt::format("is \"{}\", not {}", inst_type.substr(0, 16), to_string(type)));
  }
  listed.state = instrument_status(listed.status);
  if (!instrument.tick_size.is_positive()) return fields.fail("tickSz", "is not positive");
  if (!instrument.step_size.is_positive()) return fields.fail("lotSz", "is not positive");
  if (type == InstType::spot) {
    if (instrument.base.empty()) return fields.missing("baseCcy");
    if (instrument.quote.empty()) return fields.missing("quoteCcy");
    instrument.kind = InstrumentKind::spot;
    instrument.settle.clear();
    instrument.multiplier = Decimal::from_int(1);
    return true;
  }
  // SWAP: baseCcy and quoteCcy are empty; the family ("BTC-USDT") names them.
  if (!split_family(family.empty() ? underlying : family, instrument)) {
    return fields.fail("instFamily", "is not BASE-QUOTE");
  }
  if (instrument.settle.empty()) return fields.missing("settleCcy");
  if (contract_type == "linear") {
    instrument.kind = InstrumentKind::linear_perpetual;
  } else if (contract_type == "inverse") {
    instrument.kind = InstrumentKind::inverse_perpetual;
  } else {
    return fields.fail("ctType", fmt::format("has value \"{}\", not linear or inverse", contract_type.substr(0, 16)));
  }
  if (!contract_value.is_positive()) return fields.fail("ctVal", "is not positive");
  if (!contract_multiplier.is_positive()) return fields.fail("ctMult", "is not positive");
  if (!exact_product(contract_value, contract_multiplier, instrument.multiplier)) {
    return fields.fail("ctVal", "times ctMult is not exact");
  }
  return true;
}

}  // namespace detail

/// GET /api/v5/public/instruments (instType SPOT or SWAP) → one Listing per element of
/// `data`, every state (filter on ListedInstrument::trading()): instId → venue_symbol,
/// tickSz → tick_size, lotSz → step_size, minSz → min_quantity, maxLmtSz (the largest
/// limit order) → max_quantity, state live/suspend/preopen/test → trading/halted/
/// pre_trading/closed, instIdCode → inst_id_code (null → 0). SPOT: baseCcy, quoteCcy;
/// multiplier 1. SWAP (sizes in contracts): base and quote from instFamily (or uly)
/// "BASE-QUOTE", settleCcy → settle, ctType linear → linear_perpetual, inverse →
/// inverse_perpetual, multiplier = ctVal · ctMult (one contract is worth that much base
/// for a linear swap, that much quote for an inverse one). Errors: the venue's;
/// protocol_error for a missing required field, an instType other than `type`, a
/// non-positive tick, lot, ctVal or ctMult, a negative instIdCode, a SPOT entry without
/// its currencies, a SWAP without a BASE-QUOTE family, settleCcy or known ctType.
inline Result<std::vector<Listing>> parse_instruments(const HttpResponse& response, InstType type,
                                                      JsonReader& reader = thread_json_reader()) {
  using namespace detail;
  std::vector<Listing> listings;
  auto parsed =
      parse_envelope(response, Operation::read, reader, "okx instruments", [&](od::value& item, FieldReader& fields) {
        return read_instrument(item, fields, listings.emplace_back(), type);
      });
  if (!parsed) return parsed.error();
  return listings;
}

/// GET /api/v5/market/books → a BookSnapshot: `bids` and `asks` (best first, as sent;
/// each level ["price", "quantity", "0", "orders"], of which the first two are read),
/// `ts` → event_time_ms; last_update_id and sequence 0 (the REST book carries no
/// sequence). Quantities are base for SPOT, contracts for SWAP. Errors: the venue's;
/// protocol_error when data does not hold one object with bids, asks and ts.
inline Result<BookSnapshot> parse_order_book(const HttpResponse& response, JsonReader& reader = thread_json_reader()) {
  using namespace detail;
  BookSnapshot book;
  auto parsed = parse_single(response, Operation::read, reader, "okx books", [&](od::value& item, FieldReader& fields) {
    static constexpr std::string_view kRequired[] = {"bids", "asks", "ts"};
    Seen seen;
    return visit_object(item, fields, "data[]",
                        [&](std::string_view key, od::value& value) {
                          if (key == "bids")
                            return seen.mark(0), cts::venue::detail::price_levels(value, fields, "bids", book.bids);
                          if (key == "asks")
                            return seen.mark(1), cts::venue::detail::price_levels(value, fields, "asks", book.asks);
                          if (key == "ts") return seen.mark(2), digits_text(fields, value, book.event_time_ms, "ts");
                          return true;
                        }) &&
           seen.require(fields, kRequired);
  });
  if (!parsed) return parsed.error();
  return book;
}

/// GET /api/v5/market/ticker → a Ticker: instId → symbol, bidPx/bidSz, askPx/askSz,
/// last, vol24h → volume_24h (base for SPOT, contracts for SWAP), volCcy24h →
/// turnover_24h (quote for SPOT, base for SWAP), ts → time_ms; an empty price (no quote
/// on a side) reads as 0. Errors: the venue's; protocol_error when data does not hold
/// one object with instId, bidPx, askPx and last.
inline Result<Ticker> parse_ticker(const HttpResponse& response, JsonReader& reader = thread_json_reader()) {
  using namespace detail;
  Ticker ticker;
  auto parsed =
      parse_single(response, Operation::read, reader, "okx ticker", [&](od::value& item, FieldReader& fields) {
        static constexpr std::string_view kRequired[] = {"instId", "bidPx", "askPx", "last"};
        Seen seen;
        return visit_object(item, fields, "data[]",
                            [&](std::string_view key, od::value& v) {
                              if (key == "instId") return seen.mark(0), fields.string(v, ticker.symbol, key);
                              if (key == "bidPx")
                                return seen.mark(1), decimal_or_empty(fields, v, ticker.bid_price, key);
                              if (key == "askPx")
                                return seen.mark(2), decimal_or_empty(fields, v, ticker.ask_price, key);
                              if (key == "last")
                                return seen.mark(3), decimal_or_empty(fields, v, ticker.last_price, key);
                              if (key == "bidSz") return decimal_or_empty(fields, v, ticker.bid_quantity, key);
                              if (key == "askSz") return decimal_or_empty(fields, v, ticker.ask_quantity, key);
                              if (key == "vol24h") return decimal_or_empty(fields, v, ticker.volume_24h, key);
                              if (key == "volCcy24h") return decimal_or_empty(fields, v, ticker.turnover_24h, key);
                              if (key == "ts") return digits_text(fields, v, ticker.time_ms, key, true);
                              return true;
                            }) &&
               seen.require(fields, kRequired);
      });
  if (!parsed) return parsed.error();
  return ticker;
}

}  // namespace cts::venue::okx
