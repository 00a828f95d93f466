#pragma once
/// \file
/// Pionex account replies into the unified types: the trading account's balances ("Get
/// account balances", pionex-open-api openapi.yaml: coin, free, frozen), read by the
/// REST reply and the private stream's BALANCE topic alike.

#include <string_view>
#include <vector>

#include "cts/venue/pionex/envelope.hpp"

namespace cts::venue::pionex {

namespace detail {

/// Reads one balance {coin, free, frozen}: coin → asset, free → free, frozen → locked.
/// All three required.
inline bool read_balance(od::value& value, FieldReader& fields, Balance& out) {
  static constexpr std::string_view kRequired[] = {"coin", "free", "frozen"};
  Seen seen;
  const bool ok = visit_object(value, fields, "balances[]", [&](std::string_view key, od::value& v) {
    if (key == "coin") return seen.mark(0), fields.string(v, out.asset, key);
    if (key == "free") return seen.mark(1), fields.decimal(v, out.free, key);
    if (key == "frozen") return seen.mark(2), fields.decimal(v, out.locked, key);
    return true;
  });
  return ok && seen.require(fields, kRequired);
}

}  // namespace detail

/// GET /api/v1/account/balances → data.balances (sorted by coin as Pionex sends them).
/// Errors: the venue's; protocol_error for a balance without coin, free or frozen.
inline Result<std::vector<Balance>> parse_balances(const HttpResponse& response,
                                                   JsonReader& reader = thread_json_reader()) {
  std::vector<Balance> balances;
  auto parsed = detail::parse_list(response, Operation::read, reader, "pionex balances", "balances",
                                   [&](detail::od::value& item, detail::FieldReader& fields) {
                                     return detail::read_balance(item, fields, balances.emplace_back());
                                   });
  if (!parsed) return parsed.error();
  return balances;
}

}  // namespace cts::venue::pionex
