#pragma once
/// \file
/// SessionDetail: what the operations API shows of one trading session besides its
/// state and status line: the venue and instrument, how orders travel, the position
/// with its average price and PnL, and the open orders. Taken by the session's own
/// thread after each step (SessionRunner::detail()) and published by the Coordinator
/// with its state (SessionInfo::detail), as the status line is.

#include <optional>
#include <string>
#include <vector>

#include "cts/core/decimal.hpp"
#include "cts/core/order_types.hpp"

namespace cts::engine {

/// One open order of the session.
struct OpenOrderDetail {
  std::string client_order_id;  ///< The engine's client order id.
  Side side = Side::buy;        ///< Buy or sell.
  Decimal price;                ///< Limit price.
  Decimal quantity;             ///< Ordered quantity.
  Decimal filled;               ///< Executed so far.
  std::string status;           ///< The order's state, e.g. "new", "partially_filled".
};

/// See the file comment.
struct SessionDetail {
  std::string venue;                     ///< The venue as ctsctl names it, e.g. "binance".
  std::string market;                    ///< The venue's market, e.g. "spot", "linear".
  std::string symbol;                    ///< The venue symbol, e.g. "BTCUSDT".
  std::string order_transport;           ///< How orders go now: "ws" or "rest".
  Decimal position;                      ///< Signed position (base units or contracts).
  std::optional<Decimal> average_price;  ///< Average open price of the position; none when flat.
  Decimal realized_pnl;                  ///< Realized PnL in the quote currency.
  Decimal unrealized_pnl;                ///< Unrealized PnL at the last mid (zero without a price).
  std::vector<OpenOrderDetail> open_orders;  ///< Orders working at the venue.
};

}  // namespace cts::engine
