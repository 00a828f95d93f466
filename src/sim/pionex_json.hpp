#pragma once
// Internal to the simulator's Pionex side (PionexFront, PionexStreams): the objects both
// write, with the field names and JSON types of pionex-open-api's schemas (Fill, Balance,
// the DEPTH levels).

#include <string>
#include <vector>

#include <fmt/format.h>

#include "cts/core/json_string.hpp"
#include "cts/sim/matching_engine.hpp"

namespace cts::sim::detail {

// The id a Pionex fill carries: the engine's trade id · 2, + 1 for the maker side.
inline std::int64_t pionex_fill_id(const Fill& f) { return f.trade_id * 2 + (f.is_maker ? 1 : 0); }

// Appends `levels` as [["price","size"],...].
inline void pionex_levels(std::string& out, const std::vector<Level>& levels) {
  out.push_back('[');
  for (std::size_t i = 0; i < levels.size(); ++i) {
    fmt::format_to(std::back_inserter(out), R"({}["{}","{}"])", i == 0 ? "" : ",", levels[i].price,
                   levels[i].quantity);
  }
  out.push_back(']');
}

// Appends `f` (of venue symbol `symbol`) as a Fill object; with `with_symbol` false as the
// FILL topic's record, which names no symbol.
inline void pionex_fill_json(std::string& out, const Fill& f, std::string_view symbol, bool with_symbol) {
  fmt::format_to(std::back_inserter(out), R"({{"id":{},"orderId":{},)", pionex_fill_id(f), f.order_id);
  if (with_symbol) {
    out += R"("symbol":)";
    append_json_string(out, symbol);
    out += ',';
  }
  fmt::format_to(std::back_inserter(out),
                 R"("side":"{}","role":"{}","price":"{}","size":"{}","fee":"{}","feeCoin":)",
                 f.is_buyer ? "BUY" : "SELL", f.is_maker ? "MAKER" : "TAKER", f.price, f.quantity, f.commission);
  append_json_string(out, f.commission_asset);
  fmt::format_to(std::back_inserter(out), R"(,"timestamp":{}}})", f.time_ms);
}

// Appends the balances of `account` as [{"coin","free","frozen"},...], coins ascending.
inline void pionex_balances_json(std::string& out, const MatchingEngine& engine, AccountId account) {
  out.push_back('[');
  bool first = true;
  for (const auto& [coin, balance] : engine.balances(account)) {
    if (!first) out.push_back(',');
    first = false;
    out += R"({"coin":)";
    append_json_string(out, coin);
    fmt::format_to(std::back_inserter(out), R"(,"free":"{}","frozen":"{}"}})", balance.free, balance.locked);
  }
  out.push_back(']');
}

}  // namespace cts::sim::detail
