#pragma once
/// \file
/// OKX v5 account replies into the unified types: the trading account's balance ("Get
/// balance", GET /api/v5/account/balance) and positions ("Get positions", GET
/// /api/v5/account/positions) in net and long/short mode.

#include <string_view>
#include <vector>

#include "cts/venue/okx/enums.hpp"
#include "cts/venue/okx/envelope.hpp"

namespace cts::venue::okx {

namespace detail {

/// Reads one position. Required: instId, posSide, pos. posSide gives the leg and so the
/// position mode: "net" (pos signed: negative is short), "long" and "short" (pos
/// positive; the short leg's quantity is negated here).
inline bool read_position(od::value& value, FieldReader& fields, Position& position) {
  static constexpr std::string_view kRequired[] = {"instId", "posSide", "pos"};
  Seen seen;
  Decimal size;
  Decimal notional;
  const bool ok = visit_object(value, fields, "data[]", [&](std::string_view key, od::value& v) {
    if (key == "instId") return seen.mark(0), fields.string(v, position.symbol, key);
    if (key == "posSide") return seen.mark(1), fields.enumeration(v, position.side, key, parse_position_side);
    if (key == "pos") return seen.mark(2), decimal_or_empty(fields, v, size, key);
    if (key == "avgPx") return decimal_or_empty(fields, v, position.entry_price, key);
    if (key == "markPx") return decimal_or_empty(fields, v, position.mark_price, key);
    if (key == "upl") return decimal_or_empty(fields, v, position.unrealized_pnl, key);
    if (key == "liqPx") return decimal_or_empty(fields, v, position.liquidation_price, key);
    if (key == "notionalUsd") return decimal_or_empty(fields, v, notional, key);
    if (key == "uTime") return digits_text(fields, v, position.update_time_ms, key, true);
    if (key == "mgnMode") {
      std::string_view mode;
      if (!fields.string(v, mode, key)) return false;
      if (auto parsed = parse_margin_mode(mode)) position.margin_mode = *parsed;
      return true;
    }
    if (key == "lever") {
      Decimal leverage;
      if (!decimal_or_empty(fields, v, leverage, key)) return false;
      if (leverage.is_positive()) position.leverage = leverage;
      return true;
    }
    return true;
  });
  if (!ok || !seen.require(fields, kRequired)) return false;
  if (position.side != PositionSide::both && size.is_negative()) {
    return fields.fail("pos", "is negative on a long/short leg");
  }
  const bool short_side = position.side == PositionSide::short_ || size.is_negative();
  position.quantity = position.side == PositionSide::short_ ? -size : size;
  position.notional = short_side ? -notional.abs() : notional.abs();
  return true;
}

/// Reads the `details` of one account into `balances` (one Balance per currency).
inline bool read_balance_account(od::value& value, FieldReader& fields, std::vector<Balance>& balances) {
  return visit_object(value, fields, "data[]", [&](std::string_view key, od::value& v) {
    if (key != "details") return true;
    return visit_array(v, fields, "details", [&](od::value& item, std::size_t) {
      static constexpr std::string_view kRequired[] = {"ccy", "availBal"};
      Seen seen;
      Balance& balance = balances.emplace_back();
      return visit_object(item, fields, "details[]",
                          [&](std::string_view k, od::value& c) {
                            if (k == "ccy") return seen.mark(0), fields.string(c, balance.asset, k);
                            if (k == "availBal") return seen.mark(1), decimal_or_empty(fields, c, balance.free, k);
                            if (k == "frozenBal") return decimal_or_empty(fields, c, balance.locked, k);
                            return true;
                          }) &&
             seen.require(fields, kRequired);
    });
  });
}

}  // namespace detail

/// GET /api/v5/account/balance → one Balance per element of every account's `details`:
/// ccy → asset, availBal → free, frozenBal (held by orders and other uses) → locked.
/// Errors: the venue's; protocol_error for a currency without ccy or availBal.
inline Result<std::vector<Balance>> parse_balance(const HttpResponse& response,
                                                  JsonReader& reader = thread_json_reader()) {
  using namespace detail;
  std::vector<Balance> balances;
  auto parsed = parse_envelope(
      response, Operation::read, reader, "okx balance",
      [&](od::value& item, FieldReader& fields) { return read_balance_account(item, fields, balances); });
  if (!parsed) return parsed.error();
  return balances;
}

/// GET /api/v5/account/positions → the positions of `data` (sizes in contracts):
/// instId → symbol, posSide net/long/short → side both/long_/short_, pos → quantity
/// (signed: a net position's sign as sent, the short leg negated), avgPx → entry_price,
/// markPx, upl → unrealized_pnl, liqPx ("" → 0), lever ("" leaves it unset), mgnMode,
/// notionalUsd → notional (in USD as OKX reports it, signed like the quantity), uTime.
/// Errors: the venue's; protocol_error for a position without instId, posSide or pos,
/// an unknown posSide, or a negative pos on a long/short leg.
inline Result<std::vector<Position>> parse_positions(const HttpResponse& response,
                                                     JsonReader& reader = thread_json_reader()) {
  using namespace detail;
  std::vector<Position> positions;
  auto parsed = parse_envelope(
      response, Operation::read, reader, "okx positions",
      [&](od::value& item, FieldReader& fields) { return read_position(item, fields, positions.emplace_back()); });
  if (!parsed) return parsed.error();
  return positions;
}

}  // namespace cts::venue::okx
