#pragma once
// The JSON pieces the simulator's Bybit v5 REST front and WebSocket side share: names
// of sides, statuses, times in force and categories, an order object as Bybit's order
// list and private `order` topic write it, a position object as the position list and
// private `position` topic write it, a market's ticker figures, and price levels. Field
// names and values from Bybit's v5 documentation (order/open-order.mdx,
// websocket/private/order.mdx, position/position.mdx, websocket/private/position.mdx,
// market/tickers.mdx, websocket/public/ticker.mdx).

#include <algorithm>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include <fmt/format.h>
#include <simdjson.h>

#include "cts/core/decimal.hpp"
#include "cts/core/instrument.hpp"
#include "cts/sim/matching_engine.hpp"
#include "cts/sim/positions.hpp"

namespace cts::sim::detail {

using Buffer = fmt::memory_buffer;

/// Reads a WebSocket op's `args` of strings and integers into `out` (strings as they are,
/// integers as their JSON text). False for an element of another type.
inline bool read_op_args(simdjson::dom::array args, std::vector<std::string>& out) {
  for (const simdjson::dom::element arg : args) {
    std::string_view value;
    if (!arg.get_string().get(value)) {
      out.emplace_back(value);
    } else if (arg.is_int64() || arg.is_uint64()) {
      out.push_back(simdjson::minify(arg));
    } else {
      return false;
    }
  }
  return true;
}

/// "Buy" or "Sell".
inline std::string_view bybit_side(Side side) { return side == Side::buy ? "Buy" : "Sell"; }

/// Bybit's orderStatus of `o`.
inline std::string_view status_name(const Order& o) {
  switch (o.status) {
    case OrderStatus::new_: return "New";
    case OrderStatus::partially_filled: return "PartiallyFilled";
    case OrderStatus::filled: return "Filled";
    case OrderStatus::rejected: return "Rejected";
    case OrderStatus::canceled:
    case OrderStatus::expired:
    case OrderStatus::expired_in_match: return o.executed.is_positive() ? "PartiallyFilledCanceled" : "Cancelled";
  }
  return "Cancelled";
}

/// Bybit's timeInForce of `o`.
inline std::string_view time_in_force_name(const Order& o) {
  if (o.type == SimOrderType::limit_maker) return "PostOnly";
  if (o.type == SimOrderType::market) return "IOC";
  return to_binance(o.time_in_force);
}

/// Bybit's name of a category the simulator serves.
inline std::string_view category_name(InstrumentKind kind) { return kind == InstrumentKind::spot ? "spot" : "linear"; }

/// Appends `o` as one Bybit order object (with `link_id` as orderLinkId and `fee` as
/// cumExecFee).
inline void order_json(Buffer& b, const Order& o, const Instrument& in, std::string_view link_id, Decimal fee) {
  const bool linear = in.kind != InstrumentKind::spot;
  const Decimal leaves = is_open(o.status) ? o.quantity - o.executed : Decimal{};
  const std::string average = o.executed.is_positive()
                                  ? fmt::format("{}", o.cumulative_quote.div(o.executed, Rounding::half_even))
                                  : std::string();
  fmt::format_to(
      std::back_inserter(b),
      R"({{"orderId":"{}","orderLinkId":"{}","blockTradeId":"","symbol":"{}","price":"{}","qty":"{}","side":"{}","isLeverage":"{}","positionIdx":0,"orderStatus":"{}","cancelType":"UNKNOWN","rejectReason":"EC_NoError","avgPrice":"{}","leavesQty":"{}","leavesValue":"{}","cumExecQty":"{}","cumExecValue":"{}","cumExecFee":"{}","timeInForce":"{}","orderType":"{}","stopOrderType":"","triggerPrice":"0","reduceOnly":{},"closeOnTrigger":false,"createdTime":"{}","updatedTime":"{}"}})",
      o.id, link_id, in.venue_symbol, o.price, o.quantity, bybit_side(o.side), linear ? "" : "0", status_name(o),
      average, leaves, leaves.mul(o.price, Rounding::half_even), o.executed, o.cumulative_quote, fee,
      time_in_force_name(o), o.type == SimOrderType::market ? "Market" : "Limit", o.reduce_only, o.time_ms,
      o.update_ms);
}

/// Which of Bybit's two position objects position_json() writes.
enum class PositionObject : std::uint8_t {
  rest,    ///< GET /v5/position/list (position/position.mdx): the entry price is avgPrice.
  stream,  ///< The private `position` topic: entryPrice, with the category.
};

/// Appends `held`, the one-way position of an account on the linear market `in`, as one
/// Bybit position object of `shape`: side "" and size "0" when flat, markPrice "" and
/// unrealisedPnl 0 without a mark price (MatchingEngine::mark_price), positionIM and
/// positionBalance its initial margin, no liquidation or bankruptcy price.
inline void position_json(Buffer& b, const Instrument& in, const Position& held, std::optional<Decimal> mark,
                          PositionObject shape) {
  const bool flat = held.size.is_zero();
  const std::string_view side = flat ? "" : (held.size.is_positive() ? "Buy" : "Sell");
  const Decimal im = held.initial_margin();
  const bool stream = shape == PositionObject::stream;
  fmt::format_to(
      std::back_inserter(b),
      R"({{"positionIdx":0,"riskId":1,"riskLimitValue":"2000000","symbol":"{}","side":"{}","size":"{}","{}":"{}","positionValue":"{}","tradeMode":0,"positionStatus":"Normal","autoAddMargin":0,"adlRankIndicator":0,"leverage":"{}","positionBalance":"{}","markPrice":"{}","liqPrice":"","bustPrice":"","positionMM":"0","positionIM":"{}","tpslMode":"Full","takeProfit":"0","stopLoss":"0","trailingStop":"0","unrealisedPnl":"{}","curRealisedPnl":"{}","cumRealisedPnl":"{}","seq":{},"isReduceOnly":false,"{}":"","leverageSysUpdatedTime":"","sessionAvgPrice":"","createdTime":"{}","updatedTime":"{}"{}}})",
      in.venue_symbol, side, held.size.abs(), stream ? "entryPrice" : "avgPrice", held.entry_price, held.value(),
      held.leverage, im, mark ? fmt::format("{}", *mark) : std::string(), im,
      mark && !flat ? held.unrealised_pnl(*mark) : Decimal{}, held.current_realised_pnl(), held.realised_pnl(),
      held.seq, stream ? "mmrSysUpdatedTime" : "mmrSysUpdateTime", held.created_ms, held.updated_ms,
      stream ? R"(,"category":"linear")" : "");
}

/// A market's ticker figures as Bybit's tickers report them (market/tickers.mdx,
/// websocket/public/ticker.mdx), from the engine: the best bid and ask, the last trade,
/// the mark price (MatchingEngine::mark_price; the simulator has no index, so it is the
/// index price too), and the 24 h figures over the public trades the engine keeps.
struct TickerFigures {
  std::optional<Level> bid;         ///< Best bid.
  std::optional<Level> ask;         ///< Best ask.
  std::optional<Decimal> last;      ///< Last trade price.
  std::optional<Decimal> mark;      ///< Mark (and index) price.
  std::optional<Decimal> open_24h;  ///< prevPrice24h: the first trade price of the last 24 h.
  std::optional<Decimal> high_24h;  ///< highPrice24h.
  std::optional<Decimal> low_24h;   ///< lowPrice24h.
  Decimal volume_24h;               ///< volume24h (base).
  Decimal turnover_24h;             ///< turnover24h (quote).
};

/// The ticker figures of `market` at `now_ms`.
inline TickerFigures ticker_figures(const MatchingEngine& engine, const std::string& market, std::int64_t now_ms) {
  TickerFigures out;
  std::tie(out.bid, out.ask) = engine.top(market);
  out.mark = engine.mark_price(market);
  constexpr std::int64_t kDayMs = 24 * 3600 * 1000;
  for (const Trade& t : engine.recent_trades(market, engine.config().recent_trades)) {
    out.last = t.price;
    if (t.time_ms <= now_ms - kDayMs) continue;
    out.volume_24h += t.quantity;
    out.turnover_24h += t.quote_quantity;
    if (!out.open_24h) out.open_24h = t.price;
    out.high_24h = out.high_24h ? std::max(*out.high_24h, t.price) : t.price;
    out.low_24h = out.low_24h ? std::min(*out.low_24h, t.price) : t.price;
  }
  return out;
}

/// `value` as Bybit writes an optional figure: its digits, or "" when there is none.
inline std::string optional_text(const std::optional<Decimal>& value) {
  return value ? fmt::format("{}", *value) : std::string();
}

/// Appends `levels` as Bybit's [["price","size"],...].
inline void bybit_levels(Buffer& b, const std::vector<Level>& levels) {
  b.push_back('[');
  for (std::size_t i = 0; i < levels.size(); ++i) {
    fmt::format_to(std::back_inserter(b), R"({}["{}","{}"])", i == 0 ? "" : ",", levels[i].price, levels[i].quantity);
  }
  b.push_back(']');
}

}  // namespace cts::sim::detail
