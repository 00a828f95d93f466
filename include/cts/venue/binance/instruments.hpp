#pragma once
/// \file
/// GET /api/v3/exchangeInfo and /fapi/v1/exchangeInfo → cts::Instrument with its
/// filters (binance-spot-api-docs filters.md; USD-M "Exchange Information").
///
/// Filters used: PRICE_FILTER.tickSize → tick_size; LOT_SIZE.stepSize/minQty/maxQty →
/// step_size/min_quantity/max_quantity; NOTIONAL.minNotional or MIN_NOTIONAL.minNotional
/// (spot) and MIN_NOTIONAL.notional (USD-M) → min_notional. Other filters are ignored.
/// USD-M contractType PERPETUAL (or any *PERPETUAL) → linear_perpetual settled in
/// marginAsset; any other contract type → linear_future with expiry YYMMDD from
/// deliveryDate (UTC).

#include <cstdint>
#include <string>
#include <vector>

#include "cts/venue/binance/detail/parse_common.hpp"
#include "cts/venue/detail/utc_date.hpp"

namespace cts::venue::binance {

/// The unified status of a spot or USD-M symbol status word (spot: PRE_TRADING, TRADING,
/// POST_TRADING, END_OF_DAY, HALT, AUCTION_MATCH, BREAK; USD-M: PENDING_TRADING, TRADING,
/// PRE_DELIVERING, DELIVERING, DELIVERED, PRE_SETTLE, SETTLING, CLOSE); unknown otherwise.
constexpr InstrumentStatus instrument_status(std::string_view word) noexcept {
  if (word == "TRADING") return InstrumentStatus::trading;
  if (word == "PRE_TRADING" || word == "PENDING_TRADING" || word == "AUCTION_MATCH") {
    return InstrumentStatus::pre_trading;
  }
  if (word == "BREAK" || word == "HALT") return InstrumentStatus::halted;
  if (word == "PRE_DELIVERING" || word == "DELIVERING" || word == "PRE_SETTLE" || word == "SETTLING") {
    return InstrumentStatus::settling;
  }
  if (word == "POST_TRADING" || word == "END_OF_DAY" || word == "DELIVERED" || word == "CLOSE") {
    return InstrumentStatus::closed;
  }
  return InstrumentStatus::unknown;
}

namespace detail {

using cts::venue::detail::utc_yymmdd;

/// Reads one element of `filters` into `instrument`.
inline bool read_filter(od::value& value, FieldReader& fields, Instrument& instrument) {
  std::string_view type;
  Decimal tick, step, min_qty, max_qty, min_notional, notional;
  bool has_tick = false, has_step = false, has_min_notional = false, has_notional = false;
  const bool ok = visit_object(value, fields, "filters[]", [&](std::string_view key, od::value& v) {
    if (key == "filterType") return fields.string(v, type, "filterType");
    if (key == "tickSize") return has_tick = true, fields.decimal(v, tick, "tickSize");
    if (key == "stepSize") return has_step = true, fields.decimal(v, step, "stepSize");
    if (key == "minQty") return fields.decimal(v, min_qty, "minQty");
    if (key == "maxQty") return fields.decimal(v, max_qty, "maxQty");
    if (key == "minNotional") return has_min_notional = true, fields.decimal(v, min_notional, "minNotional");
    if (key == "notional") return has_notional = true, fields.decimal(v, notional, "notional");
    return true;
  });
  if (!ok) return false;
  if (type == "PRICE_FILTER") {
    if (!has_tick) return fields.missing("PRICE_FILTER.tickSize");
    instrument.tick_size = tick;
  } else if (type == "LOT_SIZE") {
    if (!has_step) return fields.missing("LOT_SIZE.stepSize");
    instrument.step_size = step;
    instrument.min_quantity = min_qty;
    instrument.max_quantity = max_qty;
  } else if (type == "NOTIONAL" || type == "MIN_NOTIONAL") {
    if (has_min_notional) {
      instrument.min_notional = min_notional;
    } else if (has_notional) {
      instrument.min_notional = notional;
    } else {
      return fields.missing(type == "NOTIONAL" ? "NOTIONAL.minNotional" : "MIN_NOTIONAL.minNotional");
    }
  }
  return true;
}

/// Reads one element of `symbols`.
inline bool read_symbol(od::value& value, FieldReader& fields, ListedInstrument& listed, Market market) {
  static constexpr std::string_view kRequired[] = {"symbol", "status", "baseAsset", "quoteAsset", "filters"};
  Instrument& instrument = listed.instrument;
  Seen seen;
  std::string_view contract_type;
  std::int64_t delivery_ms = 0;
  bool has_contract_type = false;
  const bool ok = visit_object(value, fields, "symbols[]", [&](std::string_view key, od::value& v) {
    if (key == "symbol") return seen.mark(0), fields.string(v, instrument.venue_symbol, "symbol");
    if (key == "status") return seen.mark(1), fields.string(v, listed.status, "status");
    if (key == "baseAsset") return seen.mark(2), fields.string(v, instrument.base, "baseAsset");
    if (key == "quoteAsset") return seen.mark(3), fields.string(v, instrument.quote, "quoteAsset");
    if (key == "filters") {
      seen.mark(4);
      return visit_array(v, fields, "filters", [&](od::value& filter, std::size_t) {
        return read_filter(filter, fields, instrument);
      });
    }
    if (key == "marginAsset") return fields.string(v, instrument.settle, "marginAsset");
    if (key == "contractType") return has_contract_type = true, fields.string(v, contract_type, "contractType");
    if (key == "deliveryDate") return fields.int64(v, delivery_ms, "deliveryDate");
    return true;
  });
  if (!ok || !seen.require(fields, kRequired)) return false;
  listed.state = instrument_status(listed.status);
  if (!instrument.tick_size.is_positive()) return fields.missing("PRICE_FILTER.tickSize");
  if (!instrument.step_size.is_positive()) return fields.missing("LOT_SIZE.stepSize");
  if (market == Market::spot) {
    instrument.kind = InstrumentKind::spot;
    instrument.settle.clear();
    return true;
  }
  if (!has_contract_type) return fields.missing("contractType");
  if (instrument.settle.empty()) return fields.missing("marginAsset");
  if (contract_type.size() >= 9 && contract_type.substr(contract_type.size() - 9) == "PERPETUAL") {
    instrument.kind = InstrumentKind::linear_perpetual;
  } else {
    if (delivery_ms <= 0) return fields.missing("deliveryDate");
    instrument.kind = InstrumentKind::linear_future;
    instrument.expiry = utc_yymmdd(delivery_ms);
  }
  return true;
}

}  // namespace detail

/// Parses an exchangeInfo reply into one ListedInstrument per element of `symbols`
/// (every status; filter on ListedInstrument::trading()). Required per symbol: symbol,
/// status, baseAsset, quoteAsset, filters with PRICE_FILTER.tickSize and
/// LOT_SIZE.stepSize; for USD-M also contractType and marginAsset.
inline Result<std::vector<ListedInstrument>> parse_instruments(const HttpResponse& response, Market market,
                                                               JsonReader& reader = thread_json_reader()) {
  using namespace detail;
  return parse_value<std::vector<ListedInstrument>>(
      response, Operation::read, reader, "binance exchangeInfo",
      [market](od::document& document, FieldReader& fields, std::vector<ListedInstrument>& out) {
        bool has_symbols = false;
        return cts::venue::detail::root_object(document, fields, [&](od::object& object) {
                 return for_each_field(object, fields, [&](std::string_view key, od::value& value) {
                   if (key != "symbols") return true;
                   has_symbols = true;
                   return visit_array(value, fields, "symbols", [&](od::value& item, std::size_t) {
                     return read_symbol(item, fields, out.emplace_back(), market);
                   });
                 });
               }) && (has_symbols || fields.missing("symbols"));
      });
}

}  // namespace cts::venue::binance
