#pragma once
// The JSON pieces the simulator's OKX v5 REST front and WebSocket side share: OKX's
// words for an order's state and type and a market's instType, price levels, an order
// object as the order list and the `orders` channel write it, a position object as the
// position list and the `positions` channel write it, and an account object as the
// balance and the `account` channel write it. Field names and values from OKX's v5
// documentation ("Get order details", "Order channel", "Get positions", "Positions
// channel", "Get balance", "Account channel").

#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "cts/core/decimal.hpp"
#include "cts/core/instrument.hpp"
#include "cts/core/json_string.hpp"
#include "cts/sim/matching_engine.hpp"
#include "cts/sim/positions.hpp"

namespace cts::sim::detail {

/// OKX's `state` of an order.
inline std::string_view okx_state(const Order& o) {
  switch (o.status) {
    case OrderStatus::new_: return "live";
    case OrderStatus::partially_filled: return "partially_filled";
    case OrderStatus::filled: return "filled";
    default: return "canceled";
  }
}

/// OKX's `ordType` of an order (the time in force folded in).
inline std::string_view okx_ord_type(const Order& o) {
  if (o.type == SimOrderType::market) return "market";
  if (o.type == SimOrderType::limit_maker) return "post_only";
  if (o.time_in_force == TimeInForce::ioc) return "ioc";
  if (o.time_in_force == TimeInForce::fok) return "fok";
  return "limit";
}

/// True for a market OKX lists as SWAP (the simulator's linear perpetuals).
inline bool is_okx_swap(const Instrument& in) { return in.kind != InstrumentKind::spot; }

/// "SWAP" or "SPOT".
inline std::string_view okx_inst_type(const Instrument& in) { return is_okx_swap(in) ? "SWAP" : "SPOT"; }

/// The settlement coin of a SWAP market.
inline const std::string& okx_settle(const Instrument& in) { return in.settle.empty() ? in.quote : in.settle; }

/// `d` as OKX writes a number: its shortest digits.
inline std::string okx_text(Decimal d) { return fmt::format("{}", d); }

/// Appends `levels` as OKX's [["price","size","0","0"],...] (the simulator keeps no
/// count of orders per level).
inline void okx_levels(std::string& out, const std::vector<Level>& levels) {
  out.push_back('[');
  for (std::size_t i = 0; i < levels.size(); ++i) {
    fmt::format_to(std::back_inserter(out), R"({}["{}","{}","0","0"])", i == 0 ? "" : ",", levels[i].price,
                   levels[i].quantity);
  }
  out.push_back(']');
}

/// What an order object reports beyond the engine's Order.
struct OkxOrderFacts {
  std::string_view cl_ord_id;  ///< clOrdId as the client sent it, or "".
  std::string_view td_mode;    ///< tdMode as placed; "" for cash (SPOT) or cross (SWAP).
  std::string_view tgt_ccy;    ///< tgtCcy of a SPOT market order, or "".
  Decimal fee;                 ///< Commission its fills paid so far (positive; written negated as OKX does).
  Decimal pnl;                 ///< PnL its fills realised so far.
  const Fill* last = nullptr;  ///< The fill fillPx, fillSz, fillTime and tradeId report, if any.
};

/// Appends `o` (on market `in`, with `leverage` on a SWAP market) as one OKX order
/// object.
inline void okx_order_json(std::string& out, const Order& o, const Instrument& in, Decimal leverage,
                           const OkxOrderFacts& facts) {
  const bool swap = is_okx_swap(in);
  const std::string_view td_mode = !facts.td_mode.empty() ? facts.td_mode : swap ? "cross" : "cash";
  const std::string& fee_ccy = swap ? okx_settle(in) : (o.side == Side::buy ? in.base : in.quote);
  const bool by_quote = o.type == SimOrderType::market && o.quote_quantity.is_positive();
  const std::string average =
      o.executed.is_positive() ? okx_text(o.cumulative_quote.div(o.executed, Rounding::half_even)) : std::string();
  const std::string lever = swap ? okx_text(leverage) : std::string();
  const std::string price = o.type == SimOrderType::market ? std::string() : okx_text(o.price);
  const Fill* last = facts.last;
  out.append(R"({"accFillSz":")");
  fmt::format_to(
      std::back_inserter(out),
      R"({}","algoClOrdId":"","algoId":"","attachAlgoClOrdId":"","attachAlgoOrds":[],"avgPx":"{}","cTime":"{}","cancelSource":"","cancelSourceReason":"","category":"normal","ccy":"","clOrdId":)",
      o.executed, average, o.time_ms);
  append_json_string(out, facts.cl_ord_id);
  fmt::format_to(
      std::back_inserter(out),
      R"(,"fee":"{}","feeCcy":"{}","fillPx":"{}","fillSz":"{}","fillTime":"{}","instId":"{}","instType":"{}","isTpLimit":"false","lever":"{}","ordId":"{}","ordType":"{}","pnl":"{}","posSide":"{}","px":"{}","pxType":"","pxUsd":"","pxVol":"","quickMgnType":"","rebate":"0","rebateCcy":"{}","reduceOnly":"{}","side":"{}","slOrdPx":"","slTriggerPx":"","slTriggerPxType":"","source":"","state":"{}","stpId":"","stpMode":"cancel_maker","sz":"{}","tag":"","tdMode":"{}","tgtCcy":"{}","tpOrdPx":"","tpTriggerPx":"","tpTriggerPxType":"","tradeId":"{}","uTime":"{}"}})",
      -facts.fee, fee_ccy, last ? okx_text(last->price) : std::string(),
      last ? okx_text(last->quantity) : std::string("0"), last ? std::to_string(last->time_ms) : std::string(),
      in.venue_symbol, okx_inst_type(in), lever, o.id, okx_ord_type(o), facts.pnl, swap ? "net" : "", price, in.quote,
      o.reduce_only ? "true" : "false", o.side == Side::buy ? "buy" : "sell", okx_state(o),
      by_quote ? o.quote_quantity : o.quantity, td_mode, facts.tgt_ccy,
      last ? std::to_string(last->trade_id) : std::string(), o.update_ms);
}

/// Appends `held`, the one-way ("net") position of an account on the SWAP market
/// `market`, as one OKX position object in contracts, margined `mgn_mode` ("cross" or
/// "isolated"): avgPx the entry price, markPx the engine's mark, upl = (mark −
/// entry)·pos·ctVal, notionalUsd = |pos|·ctVal·mark (USDT as USD), imr (cross) or margin
/// (isolated) = |pos|·ctVal·entry / lever, realizedPnl = closed PnL − fees, fee = −fees,
/// pnl = closed PnL; last and tradeId the market's last trade.
inline void okx_position_json(std::string& out, const MatchingEngine& engine, const std::string& market,
                              const Position& held, std::string_view mgn_mode) {
  const Instrument& in = *engine.instrument(market);
  const auto mark = engine.mark_price(market);
  const auto trades = engine.recent_trades(market, 1);
  const std::string last = trades.empty() ? std::string() : okx_text(trades.back().price);
  const Decimal upl = mark ? held.unrealised_pnl(*mark) : Decimal{};
  const Decimal notional =
      mark ? held.size.abs().mul(*mark, Rounding::half_even).mul(in.multiplier, Rounding::half_even) : Decimal{};
  const std::string mark_text = mark ? okx_text(*mark) : std::string();
  const Decimal im = held.initial_margin();
  fmt::format_to(
      std::back_inserter(out),
      R"({{"adl":"1","availPos":"","avgPx":"{}","baseBal":"","bePx":"","cTime":"{}","ccy":"{}","deltaBS":"","deltaPA":"","fee":"{}","fundingFee":"0","gammaBS":"","gammaPA":"","idxPx":"{}","imr":"{}","instId":"{}","instType":"SWAP","interest":"","last":"{}","lever":"{}","liab":"","liabCcy":"","liqPenalty":"0","liqPx":"","margin":"{}","markPx":"{}","mgnMode":"{}","mgnRatio":"","mmr":"0","notionalUsd":"{}","optVal":"","pendingCloseOrdLiabVal":"","pnl":"{}","pos":"{}","posCcy":"","posId":"{}","posSide":"net","quoteBal":"","realizedPnl":"{}","spotInUseAmt":"","spotInUseCcy":"","thetaBS":"","thetaPA":"","tradeId":"{}","uTime":"{}","upl":"{}","uplLastPx":"{}","uplRatio":"{}","usdPx":"","vegaBS":"","vegaPA":""}})",
      held.entry_price, held.created_ms, okx_settle(in), -held.fees, mark_text,
      mgn_mode == "cross" ? okx_text(im) : std::string(), in.venue_symbol, last, held.leverage,
      mgn_mode == "isolated" ? okx_text(im) : std::string(), mark_text, mgn_mode, notional, held.closed_pnl, held.size,
      held.created_ms, held.realised_pnl(), trades.empty() ? std::string() : std::to_string(trades.back().id),
      held.updated_ms, upl, upl,
      im.is_positive() ? okx_text(upl.div(im, Rounding::half_even).round(4, Rounding::half_even)) : std::string("0"));
}

/// Appends the trading account of `account` as one OKX account object (the element of
/// "Get balance"'s data and of the `account` channel's), its `details` listing the
/// currencies `selected(ccy)` accepts; the totals cover every currency. Per currency:
/// cashBal = free + locked, frozenBal = locked + the initial margin of its positions,
/// availBal = cashBal − frozenBal, upl the positions' unrealised PnL, eq = cashBal + upl,
/// imr the initial margin of positions and orders, ordFrozen the locked part. USD values
/// price a currency at the mark of its "<CCY>-USDT" spot market (USDT is 1 USD, a
/// currency without that market 0).
template <class Selected>
void okx_account_json(std::string& out, const MatchingEngine& engine, AccountId account, Selected&& selected,
                      std::int64_t now_ms) {
  const auto usd_price = [&](const std::string& ccy) {
    if (ccy == "USDT") return Decimal::from_int(1);
    return engine.mark_price(market_key(InstrumentKind::spot, ccy + "-USDT")).value_or(Decimal{});
  };
  const auto positions = engine.positions(account);
  std::string details;
  Decimal total_eq, total_imr, total_upl, total_notional, total_order_frozen;
  for (const auto& [ccy, held] : engine.balances(account)) {
    const Decimal cash = held.free + held.locked;
    const Decimal position_im = engine.position_margin(account, ccy);
    const Decimal order_im = engine.order_margin(account, ccy);
    Decimal upl, notional;
    for (const auto& [market, position] : positions) {
      const Instrument& in = *engine.instrument(market);
      if (okx_settle(in) != ccy || position.size.is_zero()) continue;
      if (const auto mark = engine.mark_price(market)) {
        upl += position.unrealised_pnl(*mark);
        notional += position.size.abs().mul(*mark, Rounding::half_even).mul(in.multiplier, Rounding::half_even);
      }
    }
    const Decimal frozen = held.locked + position_im;
    const Decimal price = usd_price(ccy);
    const auto usd = [&](Decimal amount) { return amount.mul(price, Rounding::half_even); };
    total_eq += usd(cash + upl);
    total_imr += usd(position_im + order_im);
    total_upl += usd(upl);
    total_notional += usd(notional);
    total_order_frozen += usd(held.locked);
    if (!selected(ccy)) continue;
    if (!details.empty()) details.push_back(',');
    fmt::format_to(
        std::back_inserter(details),
        R"({{"availBal":"{}","availEq":"{}","borrowFroz":"0","cashBal":"{}","ccy":"{}","crossLiab":"0","disEq":"{}","eq":"{}","eqUsd":"{}","fixedBal":"0","frozenBal":"{}","imr":"{}","interest":"0","isoEq":"0","isoLiab":"0","isoUpl":"0","liab":"0","maxLoan":"0","mgnRatio":"","mmr":"0","notionalLever":"","ordFrozen":"{}","rewardBal":"0","spotInUseAmt":"","clSpotInUseAmt":"","maxSpotInUseAmt":"","spotIsoBal":"0","stgyEq":"0","twap":"0","uTime":"{}","upl":"{}","uplLiab":"0"}})",
        cash - frozen, cash - frozen + upl, cash, ccy, usd(cash + upl), cash + upl, usd(cash + upl), frozen,
        position_im + order_im, held.locked, now_ms, upl);
  }
  fmt::format_to(
      std::back_inserter(out),
      R"({{"adjEq":"{}","borrowFroz":"0","details":[{}],"imr":"{}","isoEq":"0","mgnRatio":"","mmr":"0","notionalUsd":"{}","ordFroz":"{}","totalEq":"{}","uTime":"{}","upl":"{}"}})",
      total_eq, details, total_imr, total_notional, total_order_frozen, total_eq, now_ms, total_upl);
}

}  // namespace cts::sim::detail
