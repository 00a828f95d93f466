#pragma once
/// \file
/// The simulator's matching engine: one price-time-priority book per market, accounts
/// whose balances are locked by their open orders, maker/taker fees, and every symbol
/// filter the front advertises in exchangeInfo (PRICE_FILTER, LOT_SIZE, NOTIONAL,
/// PERCENT_PRICE_BY_SIDE) enforced like Binance spot.
///
/// Markets are spot or linear perpetual (Instrument::kind). A spot fill exchanges base for
/// quote; a linear fill moves the account's position (cts/sim/positions.hpp) and pays its
/// fee and realised PnL in the settlement coin (Instrument::settle, else the quote). A
/// linear order locks its initial margin (price·qty / leverage; a market order the cost of
/// walking the book / leverage; a reduce-only order nothing) in the settlement coin; what
/// any new order may lock is the free balance minus the initial margin of the account's
/// positions settled in that coin. There is no liquidation and no funding: a loss beyond
/// the free balance drives it negative. A linear market may trade contracts of
/// Instrument::multiplier base units (OKX's SWAP): quantities, fills and trades are then
/// in contracts and prices per base unit, while margin, fees, notional, position values
/// and PnL are multiplied by it (price·qty·multiplier); Order::cumulative_quote and
/// Fill::quote_quantity stay price·qty, so cumulative_quote / executed is the average price.
///
/// Pure and deterministic: no I/O, no clock (every call takes `now_ms`), no threads.
/// Not thread-safe; the Simulator serialises access. Errors on spot carry Binance's code
/// in Error::venue_code and its message text, so the Binance front can pass them through;
/// errors only linear orders can meet carry Bybit's (the one front that serves linear).

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "cts/core/decimal.hpp"
#include "cts/core/instrument.hpp"
#include "cts/core/order_types.hpp"
#include "cts/core/result.hpp"
#include "cts/sim/positions.hpp"

namespace cts::sim {

/// Exchange-assigned order id (Binance `orderId`), unique per engine.
using OrderId = std::int64_t;

/// The engine's name for the book of `venue_symbol` of `kind`: the symbol itself for spot,
/// "<kind>/<symbol>" otherwise (e.g. "linear_perpetual/BTCUSDT"), so that the spot and the
/// perpetual book of one symbol stay apart. Every `symbol` argument of MatchingEngine and
/// Order::symbol / Fill::symbol hold this name; Instrument::venue_symbol keeps the venue's.
std::string market_key(InstrumentKind kind, std::string_view venue_symbol);

/// Order types the engine executes (Binance names: LIMIT, MARKET, LIMIT_MAKER).
enum class SimOrderType : std::uint8_t { limit, market, limit_maker };
/// Order status, with Binance's names.
enum class OrderStatus : std::uint8_t { new_, partially_filled, filled, canceled, rejected, expired, expired_in_match };

/// "LIMIT", "MARKET" or "LIMIT_MAKER".
std::string_view to_binance(SimOrderType type) noexcept;
/// "NEW", "PARTIALLY_FILLED", "FILLED", "CANCELED", "REJECTED", "EXPIRED", "EXPIRED_IN_MATCH".
std::string_view to_binance(OrderStatus status) noexcept;
/// "GTC", "IOC" or "FOK": the time in force as the simulator's replies and reports name
/// it (any other value is reported as "GTC", the only one the simulator rests).
std::string_view to_binance(TimeInForce tif) noexcept;
/// True for NEW and PARTIALLY_FILLED.
constexpr bool is_open(OrderStatus s) noexcept { return s == OrderStatus::new_ || s == OrderStatus::partially_filled; }

/// Free and locked amounts of one asset.
struct Balance {
  Decimal free;    ///< Available for new orders.
  Decimal locked;  ///< Held by open orders.
};

/// A new order as the venue receives it.
struct OrderRequest {
  AccountId account = 0;                 ///< Owner.
  std::string symbol;                    ///< Venue symbol, e.g. "BTCUSDT".
  Side side = Side::buy;                 ///< BUY or SELL.
  SimOrderType type = SimOrderType::limit; ///< LIMIT, MARKET or LIMIT_MAKER.
  TimeInForce time_in_force = TimeInForce::gtc; ///< GTC, IOC or FOK (limit only).
  Decimal quantity;                      ///< Base quantity; zero for a market order by quote amount.
  std::optional<Decimal> quote_quantity; ///< Market orders: spend/receive this much quote instead.
  std::optional<Decimal> price;          ///< Limit price (LIMIT, LIMIT_MAKER).
  std::string client_order_id;           ///< Caller's id; generated when empty.
  bool reduce_only = false;              ///< Linear only: may only reduce the position.
};

/// An order and its execution state.
struct Order {
  OrderId id = 0;                 ///< Exchange id.
  AccountId account = 0;          ///< Owner.
  std::string symbol;             ///< Venue symbol.
  std::string client_order_id;    ///< Caller's id.
  Side side = Side::buy;          ///< Side.
  SimOrderType type = SimOrderType::limit; ///< Type.
  TimeInForce time_in_force = TimeInForce::gtc; ///< Time in force.
  Decimal price;                  ///< Limit price (0 for market).
  Decimal quantity;               ///< Original quantity (for market-by-quote: the executed one).
  Decimal quote_quantity;         ///< Requested quote amount (market-by-quote), else 0.
  Decimal executed;               ///< Filled base quantity.
  Decimal cumulative_quote;       ///< Sum of price·quantity over fills.
  Decimal locked;                 ///< Funds still held for the order (quote for buys, base for sells).
  OrderStatus status = OrderStatus::new_; ///< Status.
  bool reduce_only = false;               ///< Linear only: may only reduce the position.
  std::int64_t time_ms = 0;       ///< Creation time.
  std::int64_t update_ms = 0;     ///< Last change.
};

/// One side of one trade, as an account sees it (Binance myTrades / fills).
struct Fill {
  std::int64_t trade_id = 0;      ///< Per-symbol trade id.
  OrderId order_id = 0;           ///< The account's order.
  AccountId account = 0;          ///< The account.
  std::string symbol;             ///< Venue symbol.
  Decimal price;                  ///< Trade price (the maker's).
  Decimal quantity;               ///< Base quantity.
  Decimal quote_quantity;         ///< price·quantity.
  Decimal commission;             ///< Fee charged.
  std::string
      commission_asset;     ///< Asset the fee was charged in (spot: the one received; linear: the settlement coin).
  Decimal closed_quantity;  ///< Linear: the part of the fill that reduced the position (Bybit closedSize).
  Decimal realised_pnl;     ///< Linear: the PnL the closed part realised, fee excluded (Bybit execPnl).
  bool is_buyer = false;          ///< The account bought.
  bool is_maker = false;          ///< The account's order was resting.
  std::int64_t time_ms = 0;       ///< Execution time.
};

/// A public trade (Binance /api/v3/trades).
struct Trade {
  std::int64_t id = 0;            ///< Per-symbol trade id.
  Decimal price;                  ///< Price.
  Decimal quantity;               ///< Base quantity.
  Decimal quote_quantity;         ///< price·quantity.
  std::int64_t time_ms = 0;       ///< Time.
  bool is_buyer_maker = false;    ///< The resting order was the buy.
};

/// One aggregated price level.
struct Level {
  Decimal price;     ///< Price.
  Decimal quantity;  ///< Sum of remaining quantities.
};

/// What a new order did: its final state and the fills it took (taker side).
struct PlaceOutcome {
  Order order;              ///< The order after matching.
  std::vector<Fill> fills;  ///< The taker's fills, in execution order.
};

/// PERCENT_PRICE_BY_SIDE: a limit price must lie within multipliers of the average
/// trade price (weighted by quantity) over the last `avg_price_mins` minutes (0: the
/// last trade price). BUY: avg·bid_down ≤ price ≤ avg·bid_up; SELL: avg·ask_down ≤
/// price ≤ avg·ask_up. Not applied before the symbol's first trade (no average yet).
struct PercentPriceBySide {
  Decimal bid_multiplier_up = Decimal::from_int(5);                    ///< bidMultiplierUp.
  Decimal bid_multiplier_down = Decimal::from_raw(Decimal::kOne / 5);  ///< bidMultiplierDown (0.2).
  Decimal ask_multiplier_up = Decimal::from_int(5);                    ///< askMultiplierUp.
  Decimal ask_multiplier_down = Decimal::from_raw(Decimal::kOne / 5);  ///< askMultiplierDown (0.2).
  int avg_price_mins = 5;                                              ///< avgPriceMins.
};

/// The filters of one symbol beyond those its Instrument carries (tick, step, min/max
/// quantity, min notional), with Binance's BTCUSDT values as defaults. Exactly these
/// are advertised in exchangeInfo and enforced by place(); a zero maximum disables it.
struct SymbolFilters {
  std::optional<Decimal> min_price;                     ///< PRICE_FILTER minPrice; unset: the tick size.
  Decimal max_price = Decimal::from_int(1'000'000);     ///< PRICE_FILTER maxPrice.
  Decimal max_notional = Decimal::from_int(9'000'000);  ///< NOTIONAL maxNotional.
  bool apply_min_to_market = true;                      ///< NOTIONAL applyMinToMarket.
  bool apply_max_to_market = false;                     ///< NOTIONAL applyMaxToMarket.
  int notional_avg_price_mins = 5;                      ///< NOTIONAL avgPriceMins (market orders' valuation).
  std::optional<PercentPriceBySide> percent_price_by_side = PercentPriceBySide{};  ///< Unset: not advertised.
  Decimal min_leverage = Decimal::from_int(1);    ///< Linear: smallest leverage set_leverage() accepts.
  Decimal max_leverage = Decimal::from_int(100);  ///< Linear: largest leverage.
  Decimal leverage_step = Decimal::from_raw(Decimal::kOne / 100);  ///< Linear: leverage increment (0.01).
  std::optional<int> price_scale;  ///< Decimals prices are shown with (Bybit priceScale); unset: the tick's.
};

/// Engine settings.
struct EngineConfig {
  Decimal maker_fee_rate = Decimal::from_raw(Decimal::kOne / 1000);  ///< 0.1 %.
  Decimal taker_fee_rate = Decimal::from_raw(Decimal::kOne / 1000);  ///< 0.1 %.
  int fee_decimals = 8;                    ///< Fees are rounded up to this many decimals.
  bool retain_history = true;              ///< Keep closed orders and account fills for queries.
  std::size_t recent_trades = 1000;        ///< Public trades kept per symbol.
};

/// What happened to an order (Binance executionReport `x`).
enum class ExecutionKind : std::uint8_t { new_, trade, canceled, expired, trade_prevention };
/// "NEW", "TRADE", "CANCELED", "EXPIRED" or "TRADE_PREVENTION".
std::string_view to_binance(ExecutionKind kind) noexcept;

/// One asset's balance, named.
struct AssetBalance {
  std::string asset;  ///< Asset, e.g. "BTC".
  Balance balance;    ///< Free and locked amounts.
};

/// Something the engine did that a user data stream reports. A new order gives NEW,
/// then one TRADE per fill (status PARTIALLY_FILLED, the last one FILLED when it
/// completes), then EXPIRED for an IOC/FOK/market remainder; a resting order gives a
/// TRADE per maker fill; cancel gives CANCELED; self-trade prevention gives
/// TRADE_PREVENTION (status EXPIRED_IN_MATCH) for the expired maker.
struct ExecutionEvent {
  Order order;                     ///< The order after the change.
  std::optional<Fill> fill;        ///< The fill that caused it (TRADE only).
  ExecutionKind kind = ExecutionKind::new_;  ///< What happened.
  std::int64_t time_ms = 0;        ///< When.
  /// The account's balances of the symbol's base and quote assets right after the
  /// change, when the change moved funds (Binance outboundAccountPosition); empty when
  /// no balance changed (e.g. a FOK that expires without locking anything).
  std::vector<AssetBalance> balances;
};

/// A price level whose aggregate quantity may have changed.
struct LevelChange {
  Side side = Side::buy;  ///< Bid (buy) or ask (sell) side.
  Decimal price;          ///< The level's price.
};

/// What changed in one symbol's public market data since the last take: the levels
/// touched (a diff-depth event lists them with their current quantity) and the new
/// public trades.
struct MarketChanges {
  std::vector<LevelChange> levels;  ///< Touched levels, in order (may repeat).
  std::vector<Trade> trades;        ///< New public trades, oldest first.
};

/// Price-time-priority matching over every configured symbol. See the file comment.
class MatchingEngine {
 public:
  /// An engine with `config` and no symbols or accounts.
  explicit MatchingEngine(EngineConfig config = {});

  /// Adds a tradable market with its filters (tick_size, step_size, min/max quantity,
  /// min_notional from the instrument, the rest from `filters`), named
  /// market_key(instrument.kind, instrument.venue_symbol). Throws
  /// cts::Exception(invalid_argument) on a duplicate, a kind other than spot and
  /// linear_perpetual, a non-positive tick or step, a negative filter value, or a linear
  /// leverage filter that does not hold kDefaultLeverage.
  void add_symbol(const Instrument& instrument, SymbolFilters filters = {});
  /// Every market name (market_key), in the order added.
  [[nodiscard]] const std::vector<std::string>& markets() const noexcept { return symbol_order_; }
  /// The instrument of `symbol`, or nullptr.
  [[nodiscard]] const Instrument* instrument(std::string_view symbol) const;
  /// The filters of `symbol` (min_price always set), or nullptr.
  [[nodiscard]] const SymbolFilters* filters(std::string_view symbol) const;
  /// Every instrument, in the order added.
  [[nodiscard]] std::vector<const Instrument*> instruments() const;

  /// Creates an empty account.
  AccountId create_account();
  /// Credits `amount` (≥ 0) of `asset` to the free balance of `account`.
  void deposit(AccountId account, std::string_view asset, Decimal amount);
  /// The balance of `asset` (zero when never credited).
  [[nodiscard]] Balance balance(AccountId account, std::string_view asset) const;
  /// Every asset balance of `account`, sorted by asset.
  [[nodiscard]] std::map<std::string, Balance, std::less<>> balances(AccountId account) const;
  /// Fees collected so far in `asset`.
  [[nodiscard]] Decimal fees_collected(std::string_view asset) const;
  /// Sum over every account of free + locked `asset`, plus the fees collected in it
  /// (conserved by spot trading; linear fills add realised PnL, which is not).
  [[nodiscard]] Decimal total_supply(std::string_view asset) const;

  /// The position of `account` on the linear market `symbol`, or nullptr when it never
  /// traded there nor set its leverage.
  [[nodiscard]] const Position* position(AccountId account, std::string_view symbol) const;
  /// Every position of `account` (flat ones included) with its market name, by market.
  [[nodiscard]] std::vector<std::pair<std::string, Position>> positions(AccountId account) const;
  /// The leverage `account` uses on `symbol` (kDefaultLeverage until set).
  [[nodiscard]] Decimal leverage(AccountId account, std::string_view symbol) const;
  /// Sets the leverage of `account` on the linear market `symbol`; the position's initial
  /// margin follows it, open orders keep the margin they locked. Errors (Bybit's codes):
  /// 10001 (invalid_argument) for a market that is not linear or a leverage outside
  /// [min_leverage, max_leverage] or off leverage_step; 110043 "Set leverage not
  /// modified" (rejected) when it is the current one; 110044 "Insufficient available
  /// margin" (insufficient_funds) when the position's larger margin would exceed what is
  /// available. No state changes on error.
  Result<void> set_leverage(AccountId account, std::string_view symbol, Decimal leverage, std::int64_t now_ms);
  /// Initial margin of the positions of `account` settled in `coin`.
  [[nodiscard]] Decimal position_margin(AccountId account, std::string_view coin) const;
  /// Initial margin held by the open linear orders of `account` settled in `coin`.
  [[nodiscard]] Decimal order_margin(AccountId account, std::string_view coin) const;
  /// The mark price of `symbol`: the mid of the best bid and ask when both exist, else
  /// the last trade price, else nothing (the simulator has no index).
  [[nodiscard]] std::optional<Decimal> mark_price(std::string_view symbol) const;

  /// Validates, locks funds and matches a new order. Errors (venue_code is Binance's):
  /// -1121 unknown symbol; -1013 "Filter failure: PRICE_FILTER|LOT_SIZE|NOTIONAL|
  /// PERCENT_PRICE_BY_SIDE" (limit prices against min/max/tick and the average price;
  /// quantities against min/max/step; notional price·quantity against min/max, market
  /// orders valued at the average price over avgPriceMins, or the best opposite price
  /// before any trade, with applyMinToMarket/applyMaxToMarket);
  /// -1102 missing price/quantity; -2010 insufficient balance, LIMIT_MAKER that would
  /// take, or a duplicate client order id among open orders. A FOK that cannot fill
  /// completely and a market/IOC remainder end EXPIRED (not an error). Linear markets
  /// (Bybit's codes): 110007 "Insufficient available balance" (insufficient_funds) when
  /// the initial margin exceeds the available balance; 110017 "ReduceOnly rule not
  /// satisified." (invalid_argument, as cts::venue::bybit classifies it) when a reduce-only order would increase the
  /// position or exceed its size — refused, not capped, as Bybit documents no capping; 10001 (invalid_argument) for a
  /// market order by quote amount. A resting reduce-only order fills only what still reduces the position when it is
  /// reached and is cancelled when nothing does. reduce_only on spot: -1106. No state changes on error.
  Result<PlaceOutcome> place(const OrderRequest& request, std::int64_t now_ms);
  /// Cancels an open order by id, or by client order id when `order_id` is empty.
  /// Errors: -2011 "Unknown order sent." when it does not exist or is not open.
  Result<Order> cancel(AccountId account, std::string_view symbol, std::optional<OrderId> order_id,
                       std::string_view client_order_id, std::int64_t now_ms);
  /// Changes the quantity and/or price of a resting order (by id, or by client order id
  /// when `order_id` is empty), keeping its ids; the order goes to the back of its new
  /// level. `quantity` is the new total (it must exceed what already filled). Errors:
  /// -2011 unknown or closed order; -1013 filter failure; invalid_argument when neither
  /// value is given, the quantity is not above the filled one, or the new price would
  /// cross the book (the simulator does not match amended orders); -2010 insufficient
  /// balance (linear: 110007, and 110017 when a reduce-only order would grow beyond the
  /// position). No state changes on error; no execution event is recorded.
  Result<Order> amend(AccountId account, std::string_view symbol, std::optional<OrderId> order_id,
                      std::string_view client_order_id, std::optional<Decimal> quantity,
                      std::optional<Decimal> price, std::int64_t now_ms);
  /// Cancels every open order of `account` on `symbol`; returns them (may be empty).
  std::vector<Order> cancel_all(AccountId account, std::string_view symbol, std::int64_t now_ms);

  /// The order by id, or by client order id when `order_id` is empty; nullptr if unknown.
  [[nodiscard]] const Order* find_order(AccountId account, std::string_view symbol, std::optional<OrderId> order_id,
                                        std::string_view client_order_id) const;
  /// Open orders of `account`, on `symbol` or all symbols when empty, oldest first.
  [[nodiscard]] std::vector<Order> open_orders(AccountId account, std::string_view symbol) const;
  /// Every order of `account` on `symbol`, oldest first (closed ones if retained).
  [[nodiscard]] std::vector<Order> all_orders(AccountId account, std::string_view symbol) const;
  /// Fills of `account` on `symbol`, oldest first (if retained).
  [[nodiscard]] std::vector<Fill> account_fills(AccountId account, std::string_view symbol) const;

  /// Up to `limit` aggregated levels per side, best first.
  [[nodiscard]] std::pair<std::vector<Level>, std::vector<Level>> depth(std::string_view symbol, std::size_t limit) const;
  /// Best bid and best ask, if any.
  [[nodiscard]] std::pair<std::optional<Level>, std::optional<Level>> top(std::string_view symbol) const;
  /// A number that grows with every change of `symbol`'s book (Binance lastUpdateId).
  [[nodiscard]] std::int64_t last_update_id(std::string_view symbol) const;
  /// The last `limit` public trades, oldest first.
  [[nodiscard]] std::vector<Trade> recent_trades(std::string_view symbol, std::size_t limit) const;

  /// The aggregate remaining quantity resting at `price` on one side (zero when none).
  [[nodiscard]] Decimal level_quantity(std::string_view symbol, Side side, Decimal price) const;

  /// Events since the last call (order updates and fills), oldest first; clears them.
  /// Only recorded while `record_events(true)`.
  std::vector<ExecutionEvent> take_events();
  /// The book levels touched and the public trades of `symbol` since the last call;
  /// clears them. Only recorded while `record_events(true)`. Every change of
  /// last_update_id() touches at least one level.
  MarketChanges take_market_changes(std::string_view symbol);
  /// Turns event recording (execution events and market changes) on or off (off by
  /// default).
  void record_events(bool on) noexcept { record_events_ = on; }

  /// The configuration.
  [[nodiscard]] const EngineConfig& config() const noexcept { return config_; }

 private:
  // A trade inside the averaging window.
  struct WindowTrade {
    std::int64_t time_ms;
    Decimal quantity;
    Decimal quote;
  };
  struct Book {
    Instrument instrument;
    bool linear = false;
    SymbolFilters filters;
    std::deque<WindowTrade> window;  // trades of the last max(avgPriceMins) minutes
    Decimal window_quantity, window_quote;
    std::optional<Decimal> last_price;
    std::map<Decimal, std::deque<OrderId>, std::greater<>> bids;
    std::map<Decimal, std::deque<OrderId>> asks;
    std::deque<Trade> trades;
    std::int64_t next_trade_id = 1;
    std::int64_t update_id = 1;
    MarketChanges changes;
  };
  struct Account {
    std::map<std::string, Balance, std::less<>> assets;
    std::vector<OrderId> orders;
    std::vector<Fill> fills;
  };

  Balance& asset(AccountId account, std::string_view name);
  Result<void> check_filters(Book& book, const OrderRequest& request, std::int64_t now_ms);
  std::optional<Decimal> average_price(Book& book, int minutes, std::int64_t now_ms);
  Result<Decimal> funds_needed(const Book& book, const OrderRequest& request) const;
  Result<Decimal> linear_margin(const Book& book, const OrderRequest& request) const;
  Decimal available(AccountId account, std::string_view asset_name) const;
  const std::string& lock_asset(const Book& book, Side side) const;
  void move_linear_funds(Book& book, Order& order, Decimal quantity, Decimal price, bool is_maker, Fill& fill,
                         std::int64_t now_ms);
  void cancel_in_match(Book& book, Order& maker, std::int64_t now_ms);
  Decimal fillable(const Book& book, const OrderRequest& request) const;
  void match(Book& book, Order& taker, std::vector<Fill>& fills, std::int64_t now_ms);
  void settle(Book& book, Order& taker, Order& maker, Decimal quantity, std::vector<Fill>& fills, std::int64_t now_ms);
  bool release(Order& order);
  void remove_from_book(Book& book, const Order& order);
  void touch(Book& book, Side side, Decimal price);
  void emit(const Order& order, const std::optional<Fill>& fill, ExecutionKind kind, std::int64_t now_ms,
            bool balances_changed);
  std::vector<AssetBalance> snapshot_balances(const Order& order) const;
  Decimal fee(Decimal amount, Decimal rate) const;

  EngineConfig config_;
  std::unordered_map<std::string, Book> books_;
  std::vector<std::string> symbol_order_;
  std::vector<Account> accounts_;
  std::unordered_map<OrderId, Order> orders_;
  std::unordered_map<std::string, OrderId> open_by_client_id_;  // "<account>:<symbol>:<id>"
  std::map<std::string, Decimal, std::less<>> fees_;
  std::vector<ExecutionEvent> events_;
  PositionBook positions_;
  bool record_events_ = false;
  OrderId next_order_id_ = 1;
};

}  // namespace cts::sim
