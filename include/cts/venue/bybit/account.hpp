#pragma once
/// \file
/// Bybit v5 account replies into the unified types: positions (position/position.mdx)
/// and the unified account's wallet balance (account/wallet-balance.mdx).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cts/venue/bybit/detail/reply.hpp"
#include "cts/venue/bybit/enums.hpp"
#include "cts/venue/bybit/market.hpp"

namespace cts::venue::bybit {

namespace detail {

/// Reads one position object (REST list and `position` stream, which calls the entry
/// price entryPrice instead of avgPrice). Required: symbol, side, size, positionIdx. `side` Buy is
/// long and Sell short (quantity and notional are signed accordingly); "" is an empty
/// position. positionIdx gives the leg and so the position mode (0 one-way, 1 and 2
/// hedge). A leverage of "" (portfolio margin) leaves leverage unset; a liqPrice of ""
/// reads as 0. Members it does not read go to `other(key, value)`, which returns false
/// on an error it has reported to `fields`.
template <class Other>
bool read_position_with(od::value& value, FieldReader& fields, Position& position, Other&& other) {
  static constexpr std::string_view kRequired[] = {"symbol", "side", "size", "positionIdx"};
  Seen seen;
  std::string_view side;
  std::int64_t position_index = 0;
  Decimal size;
  Decimal value_at_mark;
  const bool ok = visit_object(value, fields, "list[]", [&](std::string_view key, od::value& v) {
    if (key == "symbol") return seen.mark(0), fields.string(v, position.symbol, key);
    if (key == "side") return seen.mark(1), fields.string(v, side, key);
    if (key == "size") return seen.mark(2), fields.decimal(v, size, key);
    if (key == "positionIdx") return seen.mark(3), fields.int64(v, position_index, key);
    if (key == "avgPrice" || key == "entryPrice") return decimal_or_empty(fields, v, position.entry_price, key);
    if (key == "markPrice") return decimal_or_empty(fields, v, position.mark_price, key);
    if (key == "unrealisedPnl") return decimal_or_empty(fields, v, position.unrealized_pnl, key);
    if (key == "liqPrice") return decimal_or_empty(fields, v, position.liquidation_price, key);
    if (key == "positionValue") return decimal_or_empty(fields, v, value_at_mark, key);
    if (key == "updatedTime") return digits_text(fields, v, position.update_time_ms, key, true);
    if (key == "leverage") {
      Decimal leverage;
      if (!decimal_or_empty(fields, v, leverage, key)) return false;
      if (leverage.is_positive()) position.leverage = leverage;
      return true;
    }
    return other(key, v);
  });
  if (!ok || !seen.require(fields, kRequired)) return false;
  const auto leg = position_side_of_index(position_index);
  if (!leg) return fields.fail("positionIdx", "is not 0, 1 or 2");
  position.side = *leg;
  if (side == "Sell") {
    position.quantity = -size;
    position.notional = -value_at_mark;
  } else if (side == "Buy" || side.empty()) {
    position.quantity = size;
    position.notional = value_at_mark;
  } else {
    return fields.fail("side", fmt::format("has unknown value \"{}\"", side.substr(0, 32)));
  }
  return true;
}

/// Reads one position object (see read_position_with), ignoring the members it does not read.
inline bool read_position(od::value& value, FieldReader& fields, Position& position) {
  return read_position_with(value, fields, position, [](std::string_view, od::value&) { return true; });
}

/// Reads one account of a wallet-balance `list` into `balances` (one Balance per coin).
inline bool read_wallet_account(od::value& value, FieldReader& fields, std::vector<Balance>& balances) {
  return visit_object(value, fields, "list[]", [&](std::string_view key, od::value& v) {
    if (key != "coin") return true;
    return visit_array(v, fields, "coin", [&](od::value& item, std::size_t) {
      static constexpr std::string_view kRequired[] = {"coin", "walletBalance"};
      Seen seen;
      Balance& balance = balances.emplace_back();
      Decimal wallet;
      const bool coin_ok = visit_object(item, fields, "coin[]", [&](std::string_view k, od::value& c) {
        if (k == "coin") return seen.mark(0), fields.string(c, balance.asset, k);
        if (k == "walletBalance") return seen.mark(1), fields.decimal(c, wallet, k);
        if (k == "locked") return decimal_or_empty(fields, c, balance.locked, k);
        return true;
      });
      if (!coin_ok || !seen.require(fields, kRequired)) return false;
      auto free = wallet.checked_sub(balance.locked);
      if (!free) return fields.fail("locked", "does not fit next to walletBalance");
      balance.free = *free;
      return true;
    });
  });
}

}  // namespace detail

/// GET /v5/position/list → the positions of `list` with nextPageCursor. Errors: the
/// venue's; protocol_error for a position without symbol, side, size or positionIdx, a
/// side other than Buy, Sell or "", or a positionIdx other than 0, 1, 2.
inline Result<Page<Position>> parse_positions(const HttpResponse& response, JsonReader& reader = thread_json_reader()) {
  using namespace detail;
  Page<Position> page;
  auto parsed =
      parse_result(response, Operation::read, reader, "bybit positions", [&](od::value& result, FieldReader& fields) {
        return result_list(result, fields, page.items, read_position, cursor_reader(fields, page.next_page_cursor));
      });
  if (!parsed) return parsed.error();
  return page;
}

/// GET /v5/account/wallet-balance?accountType=UNIFIED → one Balance per coin of every
/// account in `list`: `locked` (held by spot orders) as locked, walletBalance − locked as
/// free (derivatives margin in use is not subtracted: see totalAvailableBalance for
/// that). Errors: the venue's; protocol_error for a coin without coin or walletBalance.
inline Result<std::vector<Balance>> parse_wallet_balance(const HttpResponse& response,
                                                         JsonReader& reader = thread_json_reader()) {
  using namespace detail;
  std::vector<Balance> balances;
  auto parsed = parse_result(
      response, Operation::read, reader, "bybit wallet-balance", [&](od::value& result, FieldReader& fields) {
        bool has_list = false;
        const bool ok = visit_object(result, fields, "result", [&](std::string_view key, od::value& value) {
          if (key != "list") return true;
          has_list = true;
          return visit_array(value, fields, "list",
                             [&](od::value& item, std::size_t) { return read_wallet_account(item, fields, balances); });
        });
        return ok && (has_list || fields.missing("list"));
      });
  if (!parsed) return parsed.error();
  return balances;
}

}  // namespace cts::venue::bybit
