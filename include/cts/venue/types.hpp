#pragma once
/// \file
/// The unified connector vocabulary: what every venue's parsers produce and its request
/// builders consume (order book levels and snapshots, trades, best bid/ask, order
/// reports with their fills, balances, account trades, futures positions), plus the
/// Request wrapper that carries an HttpRequest together with the facts the engine needs
/// before sending it (endpoint identity, cost, whether it must be signed, whether it
/// mutates state).
///
/// Venue order ids and trade ids are strings holding the venue's own text (Binance's
/// decimal digits, Bybit's UUIDs and long decimals): never converted, so never changed.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "cts/core/decimal.hpp"
#include "cts/core/http.hpp"
#include "cts/core/instrument.hpp"
#include "cts/core/order_types.hpp"
#include "cts/core/venue_id.hpp"

namespace cts::venue {

/// One price level of an order book. A zero quantity in a diff means "remove the level".
struct PriceLevel {
  Decimal price;     ///< Level price.
  Decimal quantity;  ///< Total quantity resting at the price.
  friend bool operator==(const PriceLevel&, const PriceLevel&) = default;
};

/// A full order book snapshot as the venue returned it (bids best first, asks best first).
struct BookSnapshot {
  std::uint64_t last_update_id = 0;  ///< The venue's book sequence number at the snapshot.
  std::int64_t event_time_ms = 0;    ///< Venue time of the snapshot, 0 when not given (spot).
  std::uint64_t sequence = 0;        ///< The venue's cross-sequence (Bybit `seq`), 0 when it has none.
  std::vector<PriceLevel> bids;      ///< Bids, highest price first.
  std::vector<PriceLevel> asks;      ///< Asks, lowest price first.
  /// Equal when every member is.
  friend bool operator==(const BookSnapshot&, const BookSnapshot&) = default;
};

/// One sequenced incremental order book update (Binance depthUpdate: U, u, pu).
/// Levels carry absolute quantities; quantity 0 removes the level.
struct DepthDiff {
  std::string symbol;                         ///< Venue symbol.
  std::int64_t event_time_ms = 0;             ///< Event time.
  std::uint64_t first_update_id = 0;          ///< First update id in the event (U).
  std::uint64_t final_update_id = 0;          ///< Final update id in the event (u).
  std::uint64_t previous_final_update_id = 0; ///< Final update id of the previous event (pu; USD-M only, else 0).
  std::vector<PriceLevel> bids;               ///< Changed bid levels.
  std::vector<PriceLevel> asks;               ///< Changed ask levels.
};

/// An instrument's trading status, whatever the venue calls it.
enum class InstrumentStatus : std::uint8_t {
  unknown,      ///< A status word the venue module does not know (never traded).
  pre_trading,  ///< Listed, not trading yet (pre-launch, pending, call auction).
  trading,      ///< Accepting orders.
  halted,       ///< Temporarily not trading (break, halt).
  settling,     ///< Settling or delivering (dated contracts).
  closed,       ///< No longer trading (delivered, delisted, closed).
};

/// "unknown", "pre_trading", "trading", "halted", "settling" or "closed".
constexpr std::string_view to_string(InstrumentStatus status) noexcept {
  switch (status) {
    case InstrumentStatus::unknown: return "unknown";
    case InstrumentStatus::pre_trading: return "pre_trading";
    case InstrumentStatus::trading: return "trading";
    case InstrumentStatus::halted: return "halted";
    case InstrumentStatus::settling: return "settling";
    case InstrumentStatus::closed: return "closed";
  }
  return "invalid";
}

/// An instrument as a venue lists it, with its trading status.
struct ListedInstrument {
  Instrument instrument;  ///< Symbol, assets, kind and filters.
  InstrumentStatus state = InstrumentStatus::unknown;  ///< The status, unified by the venue module.
  std::string status;     ///< The venue's own status word, e.g. "TRADING", "BREAK", "Trading", "PreLaunch".
  /// True when the venue accepts orders.
  [[nodiscard]] bool trading() const noexcept { return state == InstrumentStatus::trading; }
};

/// One public trade.
struct Trade {
  std::string id;               ///< Venue trade id as the venue writes it (aggregate trade id for aggTrade).
  Decimal price;                ///< Execution price.
  Decimal quantity;             ///< Executed base quantity (contracts for futures).
  std::int64_t time_ms = 0;     ///< Trade time, ms since the Unix epoch.
  bool buyer_is_maker = false;  ///< True when the buyer was the resting order (a sell aggressor).
};

/// Best bid and offer.
struct BookTicker {
  std::string symbol;          ///< Venue symbol.
  std::uint64_t update_id = 0; ///< Book update id, 0 when the payload has none (REST spot).
  Decimal bid_price;           ///< Best bid price.
  Decimal bid_quantity;        ///< Quantity at the best bid.
  Decimal ask_price;           ///< Best ask price.
  Decimal ask_quantity;        ///< Quantity at the best ask.
};

/// A market's 24-hour ticker: best bid and offer with the last, mark and index prices.
/// Prices a venue does not send for the market (mark and index on spot) stay 0.
struct Ticker {
  std::string symbol;          ///< Venue symbol.
  Decimal bid_price;           ///< Best bid price.
  Decimal bid_quantity;        ///< Quantity at the best bid.
  Decimal ask_price;           ///< Best ask price.
  Decimal ask_quantity;        ///< Quantity at the best ask.
  Decimal last_price;          ///< Last traded price.
  Decimal mark_price;          ///< Mark price (derivatives), else 0.
  Decimal index_price;         ///< Index price (derivatives), else 0.
  Decimal volume_24h;          ///< Base volume over 24 hours.
  Decimal turnover_24h;        ///< Quote turnover over 24 hours.
  std::int64_t time_ms = 0;    ///< Venue time of the data, 0 when not given.
};

/// The best bid and offer of `ticker` (update_id 0: a ticker carries no book sequence).
inline BookTicker best_of(Ticker ticker) {
  BookTicker best;
  best.symbol = std::move(ticker.symbol);
  best.bid_price = ticker.bid_price;
  best.bid_quantity = ticker.bid_quantity;
  best.ask_price = ticker.ask_price;
  best.ask_quantity = ticker.ask_quantity;
  return best;
}

/// An order's state at the venue.
enum class OrderStatus : std::uint8_t {
  pending_new,       ///< Accepted but not yet working (spot order lists).
  new_,              ///< Working, nothing filled.
  partially_filled,  ///< Working, partly filled.
  filled,            ///< Completely filled (final).
  pending_cancel,    ///< Cancel in progress.
  canceled,          ///< Cancelled (final).
  rejected,          ///< Refused by the venue (final).
  expired,           ///< Expired by time in force or by the venue (final).
  expired_in_match,  ///< Expired by self-trade prevention (final).
};

/// "pending_new", "new", "partially_filled", "filled", "pending_cancel", "canceled",
/// "rejected", "expired" or "expired_in_match".
constexpr std::string_view to_string(OrderStatus status) noexcept {
  switch (status) {
    case OrderStatus::pending_new: return "pending_new";
    case OrderStatus::new_: return "new";
    case OrderStatus::partially_filled: return "partially_filled";
    case OrderStatus::filled: return "filled";
    case OrderStatus::pending_cancel: return "pending_cancel";
    case OrderStatus::canceled: return "canceled";
    case OrderStatus::rejected: return "rejected";
    case OrderStatus::expired: return "expired";
    case OrderStatus::expired_in_match: return "expired_in_match";
  }
  return "invalid";
}

/// True for the statuses after which an order can never change again.
constexpr bool is_final(OrderStatus status) noexcept {
  return status == OrderStatus::filled || status == OrderStatus::canceled || status == OrderStatus::rejected ||
         status == OrderStatus::expired || status == OrderStatus::expired_in_match;
}

/// Which leg of a hedge-mode futures position an order or position belongs to.
enum class PositionSide : std::uint8_t {
  both,   ///< One-way mode (the default).
  long_,  ///< Hedge mode, long leg.
  short_, ///< Hedge mode, short leg.
};

/// How a futures position's margin is shared.
enum class MarginMode : std::uint8_t {
  cross,     ///< Margin shared across positions.
  isolated,  ///< Margin set aside per position.
};

/// One execution of one of our orders as reported with the order (spot FULL responses).
struct Fill {
  std::string trade_id;          ///< Venue trade id as the venue writes it (dedupe key with the symbol).
  Decimal price;                 ///< Execution price.
  Decimal quantity;              ///< Executed quantity.
  Decimal commission;            ///< Fee charged.
  std::string commission_asset;  ///< Asset the fee was charged in.
};

/// An order as the venue reports it: the reply to create, cancel or query, an entry
/// of the open-orders list, or a user-data execution report.
struct OrderReport {
  std::string symbol;                   ///< Venue symbol.
  std::string order_id;                 ///< Venue order id as the venue writes it (digits, a UUID, ...).
  std::string client_order_id;          ///< Our client order id (the original one for cancels).
  OrderStatus status = OrderStatus::new_;  ///< Current status.
  Side side = Side::buy;                ///< Side.
  OrderType type = OrderType::limit;    ///< Unified type (LIMIT_MAKER is limit + post_only).
  TimeInForce time_in_force = TimeInForce::gtc;  ///< Unified time in force (GTX is post_only).
  bool trailing = false;                ///< True for Binance's TRAILING_STOP_MARKET (type is stop_market).
  Decimal price;                        ///< Limit price; 0 for market orders.
  Decimal trigger_price;                ///< Stop/trigger price; 0 when none.
  Decimal quantity;                     ///< Original quantity.
  Decimal executed_quantity;            ///< Quantity filled so far.
  Decimal cumulative_quote;             ///< Quote value filled so far.
  Decimal average_price;                ///< Average fill price; 0 when nothing filled or not reported.
  bool reduce_only = false;             ///< Futures: reduce-only flag.
  PositionSide position_side = PositionSide::both;  ///< Futures: position leg.
  std::int64_t time_ms = 0;             ///< Venue time of this state (transact or update time).
  std::vector<Fill> fills;              ///< Fills carried in the reply (spot FULL only).
};

/// A venue's acknowledgement of a create, amend or cancel that it carries out
/// asynchronously (Bybit): which order the request was about, not yet the order's state,
/// which the order stream or a query reports.
struct OrderAck {
  std::string symbol;           ///< Venue symbol, when the reply names it (batch replies), else empty.
  std::string order_id;         ///< Venue order id as the venue writes it; empty when the venue did not name it.
  std::string client_order_id;  ///< Our client order id, empty when the order has none.
  std::int64_t time_ms = 0;     ///< Venue time of the acknowledgement, 0 when not given.
};

/// Free and locked amount of one asset in a spot account.
struct Balance {
  std::string asset;  ///< Asset, e.g. "BTC".
  Decimal free;       ///< Available.
  Decimal locked;     ///< Held by open orders.
  friend bool operator==(const Balance&, const Balance&) = default;
};

/// One asset of a futures account.
struct FuturesBalance {
  std::string asset;            ///< Margin asset, e.g. "USDT".
  Decimal wallet_balance;       ///< Wallet balance.
  Decimal cross_wallet_balance; ///< Part used for cross margin.
  Decimal unrealized_pnl;       ///< Unrealised PnL of cross positions.
  Decimal available_balance;    ///< Available for new orders.
};

/// One execution of one of our orders, from the account-trade history.
struct AccountTrade {
  std::string symbol;            ///< Venue symbol.
  std::string id;                ///< Venue trade id as the venue writes it.
  std::string order_id;          ///< Venue order id as the venue writes it.
  Side side = Side::buy;         ///< Our side.
  Decimal price;                 ///< Execution price.
  Decimal quantity;              ///< Executed quantity.
  Decimal quote_quantity;        ///< price · quantity as the venue reports it.
  Decimal commission;            ///< Fee charged.
  std::string commission_asset;  ///< Asset the fee was charged in.
  Decimal realized_pnl;          ///< Futures: realised PnL of this trade; 0 for spot.
  bool maker = false;            ///< True when we were the resting order.
  std::int64_t time_ms = 0;      ///< Trade time.
};

/// A futures position.
struct Position {
  std::string symbol;              ///< Venue symbol.
  PositionSide side = PositionSide::both;  ///< Leg; `both` in one-way mode, `long_`/`short_` in hedge mode.
  Decimal quantity;                ///< Signed size: positive long, negative short.
  Decimal entry_price;             ///< Average entry price.
  Decimal mark_price;              ///< Mark price.
  Decimal unrealized_pnl;          ///< Unrealised PnL.
  Decimal liquidation_price;       ///< Liquidation price; 0 when none.
  Decimal notional;                ///< Signed notional at the mark price.
  std::optional<Decimal> leverage; ///< Leverage, when the payload carries it (Bybit's may be fractional, "12.5").
  std::optional<MarginMode> margin_mode;  ///< Margin mode, when the payload carries it.
  std::int64_t update_time_ms = 0; ///< Last update time.
};

/// The reply to a leverage change.
struct LeverageSetting {
  std::string symbol;        ///< Venue symbol.
  int leverage = 0;          ///< New leverage.
  Decimal max_notional;      ///< Largest position notional allowed at that leverage.
};

/// What to create. Prices and quantities must already respect the instrument's tick and
/// step (cts::Instrument::round_price / round_quantity / validate); the builders format
/// them exactly and never round.
struct NewOrder {
  std::string symbol;                 ///< Venue symbol, e.g. "BTCUSDT".
  Side side = Side::buy;              ///< Side.
  OrderType type = OrderType::limit;  ///< Type.
  TimeInForce time_in_force = TimeInForce::gtc;  ///< Ignored for market orders.
  Decimal quantity;                   ///< Base quantity (contracts for futures), > 0.
  std::optional<Decimal> price;       ///< Limit price; required exactly for limit types.
  std::optional<Decimal> trigger_price;  ///< Stop price; required exactly for stop/take-profit types.
  std::string client_order_id;        ///< Our idempotency key; required (never let the venue pick).
  bool reduce_only = false;           ///< Futures only.
  PositionSide position_side = PositionSide::both;  ///< Futures only (hedge mode legs).
};

/// Which order: by venue id or by client id (at least one).
struct OrderRef {
  std::string symbol;                     ///< Venue symbol.
  std::optional<std::string> order_id;    ///< Venue order id as the venue wrote it, preferred when both are given.
  std::string client_order_id;            ///< Our client order id.
};

/// Whether a failed request could have changed account state. A 5xx or a timeout on a
/// mutation is an unknown outcome; on a read it only means the venue was unavailable.
enum class Operation : std::uint8_t {
  read,      ///< Market data, queries: safe to retry.
  mutation,  ///< Create, amend, cancel, leverage and margin changes: never retry blindly.
};

/// What to change on a working order (at least one of quantity, price, trigger price).
/// Values must already respect the instrument's tick and step; builders never round.
struct OrderAmendment {
  OrderRef order;                        ///< Which order (venue id preferred over client id).
  std::optional<Decimal> quantity;       ///< New total quantity.
  std::optional<Decimal> price;          ///< New limit price.
  std::optional<Decimal> trigger_price;  ///< New trigger price.
};

/// How a request must be authenticated before it is sent.
enum class Security : std::uint8_t {
  none,     ///< Public.
  api_key,  ///< API key header only.
  signed_,  ///< API key header plus timestamp and signature (the signer adds both).
};

/// A request ready for the signer and the transport, with what the engine needs to know
/// before it sends it.
struct Request {
  HttpRequest http;               ///< Method, path, encoded query and body.
  VenueId venue = VenueId::binance_spot;  ///< Venue (selects base URL, signer and limiter policy).
  std::string_view endpoint;      ///< Endpoint identity as the rate policies name it, e.g. "POST /api/v3/order"
                                  ///< or "GET /api/v3/openOrders (no symbol)".
  std::optional<std::uint32_t> cost_param;  ///< The parameter the cost depends on (depth `limit`), if any.
  /// How many times the endpoint's rate-limit cost is charged: the orders of a batch
  /// where the venue counts each one (OKX; Bybit's spot, linear and inverse batches), 1
  /// otherwise. Every pool of the cost is multiplied, the per-IP one too: a batch may be
  /// charged more than the venue counts, never less.
  std::uint32_t cost_times = 1;
  Security security = Security::none;  ///< Authentication the signer must add.
  int weight = 1;                 ///< Request weight charged against the venue's IP limit.
  int order_count = 0;            ///< Orders charged against the account's order-rate limit.
  bool mutation = false;          ///< True when the request may change account state (never retry blindly).
};

}  // namespace cts::venue

template <>
struct fmt::formatter<cts::venue::OrderStatus> : fmt::formatter<std::string_view> {
  auto format(cts::venue::OrderStatus v, format_context& ctx) const {
    return fmt::formatter<std::string_view>::format(cts::venue::to_string(v), ctx);
  }
};
