#pragma once
/// \file
/// The simulator's BingX-compatible REST front for the USDT-M perpetual swap ("swap
/// v2") and spot: turns an HttpRequest into the reply BingX would give, against the same
/// MatchingEngine as the other fronts. Its markets are linear perpetuals and spot books
/// named by BingX's symbols ("BTC-USDT"), sized in the base asset.
///
/// Every reply is BingX's envelope `{"code":0,"msg":"","data":...}`; an error carries
/// BingX's code and message (docs v3 "Common Error Codes") in an HTTP 200, except the
/// rate limit (HTTP 429 with code 100410), injected server errors (HTTP 500, 100500
/// "Internal system error") and an unknown path (HTTP 404).
///
/// Signed endpoints take the API key in X-BX-APIKEY and, among the parameters (query
/// string, then a form body), `timestamp` (ms) and `signature` = hex HMAC-SHA256 of the
/// query then the body without the signature item, as sent. The checks run in that
/// order: key missing or unknown (100413 "Incorrect apiKey"), signature missing (100412
/// "Null signature"), timestamp missing or more than `recvWindow` (default 5000 ms) away
/// from the server's clock (100421 "Null timestamp or timestamp mismatch"), signature
/// wrong (100001 "Signature verification failed"); a refused request changes no state.
/// The listen-key endpoints take the API key only.
///
/// Orders: one-way mode (positionSide BOTH, or absent; LONG/SHORT is 109400 "In the
/// One-way mode, the 'PositionSide' field can only be set to BOTH."), types LIMIT and
/// MARKET, timeInForce GTC, IOC, FOK and PostOnly (one that would take is refused with
/// 101215), reduceOnly. clientOrderId is written in lower case, as BingX does, 1 to 40
/// characters, unique per account among every order ever accepted (101481 otherwise).
/// Refusals: 101204 "Insufficient margin", 101290 (reduce-only that would not reduce),
/// 101400 (below the minimum notional), 80016 "order does not exist" (cancel or query of an
/// unknown order, or a cancel of one already closed), 80014 / 100400 for a malformed or
/// missing parameter, 80015 for an unknown symbol.
///
/// Rate limits (BingxLimitConfig): per account and endpoint, as the docs' "rate-limitation"
/// field gives them (5 per second for the trade and account endpoints); a request beyond
/// its window gets HTTP 429 code 100410 and changes nothing. Public endpoints are not
/// limited. Fault injection is the other fronts' (FaultConfig): a burst answers 429
/// 100410, a server error before or after executing HTTP 500 100500.
///
/// Endpoints: GET /openApi/swap/v2/server/time, /quote/contracts, /quote/depth,
/// /quote/bookTicker; POST, DELETE and GET /openApi/swap/v2/trade/order; GET
/// /trade/openOrders; DELETE /trade/allOpenOrders; GET /trade/fillHistory; POST
/// /trade/cancelAllAfter; POST /openApi/swap/v1/trade/cancelReplace; GET
/// /openApi/swap/v3/user/balance; GET /openApi/swap/v2/user/positions; POST, PUT, DELETE
/// /openApi/user/auth/userDataStream.
///
/// cancelAllAfter: type ACTIVATE with timeOut 10..120 s arms the account's switch from the
/// request's time, again at each call; CLOSE disarms it; the reply is data {triggerTime
/// (seconds), status ACTIVATED or CLOSED, note}. When a switch runs out (advance(), which
/// every request and the Simulator's clock call) every open order of the account on the
/// perpetual markets is cancelled and the switch is disarmed. Spot's cancelAllAfter is
/// the same logic on a switch of its own, cancelling the account's spot orders only.
///
/// cancelReplace: cancelReplaceMode STOP_ON_FAILURE or ALLOW_FAILURE (required),
/// cancelOrderId or cancelClientOrderId, cancelRestrictions ONLY_NEW, ONLY_PENDING or
/// ONLY_PARTIALLY_FILLED (optional), and the new order's parameters as for a place. Every
/// parameter is checked first (a malformed one is an error envelope and changes nothing);
/// then, in one step no other request sees half of, the order is cancelled when it is
/// working and its state passes the restriction (the simulator's orders are never
/// PENDING, so ONLY_PENDING always fails the cancel), and the new order is placed unless
/// the cancel failed under STOP_ON_FAILURE. The reply is code 0 with data {cancelResult,
/// cancelMsg, cancelResponse (the order object, null when not cancelled), replaceResult,
/// replaceMsg, newOrderResponse (null when not placed)}, the results as the strings
/// "true"/"false"; a failed step's message is the simulator's wording (BingX documents none).
///
/// The simulator's own values where BingX's documentation does not pin them: orderIds
/// are the engine's order ids, tradeIds the engine's trade ids; depth T is the server
/// time; a listen key is 64 hex digits valid 60 minutes from its creation or last
/// extension; the balance lists the settlement asset (USDT) only: balance = cash,
/// availableMargin = cash − order margin − position margin, usedMargin the position
/// margin, freezedMargin the order margin; positions report liquidationPrice 0; the fill
/// history's window is the request's startTs..endTs (both required) whatever its length.
///
/// Spot (docs v3 spot pages), on the same account, keys, signature rule and faults:
/// GET /openApi/spot/v1/common/symbols, /market/depth (1..1000 levels, asks highest
/// first), /ticker/bookTicker; POST /openApi/spot/v1/trade/order (LIMIT, MARKET;
/// timeInForce GTC, IOC, FOK, PostOnly; newClientOrderId), POST /trade/cancel, GET
/// /trade/query, GET /trade/openOrders, POST /trade/cancelOpenOrders, GET /trade/myTrades
/// (commission a JSON number, negative when charged), GET /openApi/spot/v1/account/balance
/// (every asset: free, locked). Its markets: BingX's BTC-USDT spot as the docs' symbols
/// example lists it (tickSize 0.01, stepSize 0.00001, minNotional 5, maxQty 18.2663756,
/// maxNotional 500000; the minimum quantity one step, the simulator's). A resting order
/// without fills is PENDING, as the docs' examples print one; a closed one CANCELED.
/// Refusals in the docs' words: 100202 insufficient assets, 100400 below the minimum
/// notional or a cancel of an order "FILLED or CANCELLED already", 100421 "order not exist"
/// (query of an unknown order) and an unknown symbol; the post-only (101215) and repeated
/// client id (101481) refusals are the swap's, spot's own not being documented. Each spot
/// trade endpoint allows `spot_trade_per_second` (10, the docs') per account.
/// POST /openApi/spot/v1/trade/order/cancelReplace is the swap's cancelReplace logic with
/// spot's names (cancelClientOrderID, newClientOrderId; cancelReplaceMode, also read as
/// the docs' table spells it, CancelReplaceMode) and restrictions (NEW, PENDING,
/// PARTIALLY_FILLED: a resting order is PENDING, so NEW is never met), and spot's reply:
/// data {cancelResult, openResult: {code, msg, result}, orderOpenResponse (as a place
/// answers), orderCancelResponse (the order object)}, the docs' placeholder (symbol "",
/// orderId 0, status "") for an order a step did not produce. A cancel of an unknown
/// order is the docs' 100400 " order not exist", of one no longer open 100400 "FILLED or
/// CANCELLED already"; a cancel refused by the restriction and a new order not placed
/// under STOP_ON_FAILURE are code 0 with result false and the simulator's message (BingX
/// documents neither). POST /openApi/spot/v1/trade/cancelAllAfter: see
/// cancelAllAfter above.
///
/// Pure: the time is an argument, no I/O; not thread-safe (the Simulator serialises).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "cts/core/clock.hpp"
#include "cts/core/http.hpp"
#include "cts/net/http_server.hpp"
#include "cts/sign/hmac.hpp"
#include "cts/sim/binance_front.hpp"
#include "cts/sim/faults.hpp"
#include "cts/sim/matching_engine.hpp"
#include "cts/sim/okx_front.hpp"

namespace cts::sim {

/// BingX's BTC-USDT and ETH-USDT perpetuals and BTC-USDT spot (see the file comment for
/// spot's rules); the perpetuals as the docs v3 contracts example lists them
/// (pricePrecision 1 and 2, quantityPrecision 4 and 2, tradeMinQuantity 0.0001 and 0.01,
/// tradeMinUSDT 2, maxLongLeverage 125), settled in USDT. The simulator's own values:
/// prices from the tick to 10000000, no maximum quantity or notional, no percent-price
/// band, leverage 1 to 125 in steps of 1.
std::vector<MarketSpec> default_bingx_markets();

/// The status BingX spot writes for `status`: PENDING for an open order without fills
/// (as the docs' examples print a resting order), PARTIALLY_FILLED, FILLED, CANCELED
/// (also an IOC's or FOK's expired rest), FAILED.
constexpr std::string_view bingx_spot_status_text(OrderStatus status) noexcept {
  switch (status) {
    case OrderStatus::new_: return "PENDING";
    case OrderStatus::partially_filled: return "PARTIALLY_FILLED";
    case OrderStatus::filled: return "FILLED";
    case OrderStatus::canceled:
    case OrderStatus::expired_in_match:
    case OrderStatus::expired: return "CANCELED";
    case OrderStatus::rejected: return "FAILED";
  }
  return "PENDING";
}

/// BingX's per-endpoint limits per account (requests per second), adjustable for tests.
struct BingxLimitConfig {
  std::uint32_t trade_per_second = 5;    ///< Each of place, cancel, query, openOrders, allOpenOrders, fillHistory.
  std::uint32_t account_per_second = 5;  ///< Each of balance and positions.
  std::uint32_t cancel_all_after_per_second = 2;  ///< POST /trade/cancelAllAfter.
  std::uint32_t spot_trade_per_second = 10;  ///< Each spot trade endpoint and cancelAllAfter (docs: "10/second").
                                             ///< The spot balance: account_per_second.
};

/// BingX front settings.
struct BingxFrontConfig {
  BingxLimitConfig limits;  ///< Rate limits.
  FaultConfig faults;       ///< Fault injection (none by default).
};

/// See the file comment.
class BingxFront {
 public:
  /// A front over `engine`, which must outlive it.
  explicit BingxFront(MatchingEngine& engine, BingxFrontConfig config = {});
  /// Lets `api_key` with `secret` act for `account`. The secret is held only as keyed
  /// HMAC state. Throws cts::Exception(invalid_argument) for an empty key or secret.
  void add_credential(std::string api_key, std::string_view secret, AccountId account);
  /// The reply to `request` received at `now`. Never throws for bad input: every
  /// malformed or refused request gets BingX's error envelope and changes no state.
  /// Fires the due cancelAllAfter switches first (advance()).
  net::ServerReply handle(const HttpRequest& request, SystemTime now);
  /// Fires the cancelAllAfter switches due at `now`: every open order of an account
  /// whose switch expired is cancelled.
  void advance(SystemTime now);
  /// The account whose listen key `key` is, while the key is valid at `now_ms`.
  [[nodiscard]] std::optional<AccountId> listen_key_account(std::string_view key, std::int64_t now_ms) const;
  /// The clientOrderId BingX reports for `order` (as stored: lower case), or "".
  [[nodiscard]] std::string_view client_order_id(const Order& order) const;
  /// Counters (`auth_rejected` counts 100413 and 100001).
  [[nodiscard]] const FrontStats& stats() const noexcept { return stats_; }
  /// The configuration (faults may be changed between requests; call reset_faults()).
  [[nodiscard]] BingxFrontConfig& config() noexcept { return config_; }
  /// Reseeds the fault dice and rearms the rate-limit burst from config().faults.
  void reset_faults() noexcept { faults_.reset(config_.faults); }
  /// Appends `o` as one BingX order object (the REST replies' and the order stream's
  /// fields).
  void order_json(std::string& out, const Order& o) const;
  /// Appends the positions of `account` that are not flat as BingX position objects.
  void positions_json(std::string& out, AccountId account, std::string_view only_symbol) const;

 private:
  struct Credential {
    AccountId account;
    sign::HmacSha256 mac;
  };
  struct Window {
    std::int64_t start = -1;
    std::uint32_t used = 0;
  };
  struct ListenKey {
    AccountId account;
    std::int64_t expires_ms;
  };
  class Call;
  // A new order as a request's parameters give it: the engine's request and the client
  // id in lower case ("" when none).
  struct RequestedOrder {
    OrderRequest order;
    std::string client;
  };

  net::ServerReply serve(const HttpRequest& request, std::int64_t now_ms);
  HttpResponse market(Call& call);
  HttpResponse listen_key(Call& call);
  HttpResponse place(Call& call);
  HttpResponse cancel(Call& call);
  HttpResponse query(Call& call);
  HttpResponse open_orders(Call& call);
  HttpResponse cancel_all(Call& call);
  HttpResponse fill_history(Call& call);
  // cancelAllAfter of `kind`'s switch (swap: linear_perpetual; spot).
  HttpResponse cancel_all_after(Call& call, InstrumentKind kind);
  // What a cancelReplace did: the new order as requested, the cancel's and the place's
  // outcomes (each the order, or BingX's refusal of that step).
  struct Replaced {
    RequestedOrder next;
    Result<Order> cancelled;
    Result<Order> placed;
  };
  // A cancelReplace on `kind`'s markets (the swap's or spot's parameter names and
  // restrictions): every parameter checked (a malformed one is its error, nothing
  // changed), then the cancel and the place in one step.
  Result<Replaced> replace(Call& call, InstrumentKind kind);
  HttpResponse cancel_replace(Call& call);
  // The new order the request's parameters describe (symbol, side, positionSide, type,
  // quantity, price, timeInForce, reduceOnly, clientOrderId; for a spot market, `kind`
  // spot: no positionSide or reduceOnly, the client id named newClientOrderId), or
  // BingX's error.
  [[nodiscard]] Result<RequestedOrder> read_new_order(const Call& call,
                                                      InstrumentKind kind = InstrumentKind::linear_perpetual) const;
  // Places `next` (its client id unused on the account, else 101481), or BingX's error.
  Result<Order> submit(const RequestedOrder& next, std::int64_t now_ms);
  HttpResponse balance(Call& call);
  HttpResponse positions(Call& call);
  // {"orders":[...]}: the open orders of `account` in `market` (every market of `kind`
  // when none), as swap or spot order objects.
  [[nodiscard]] HttpResponse open_orders_of(AccountId account, const std::optional<std::string>& market,
                                            InstrumentKind kind) const;
  HttpResponse spot_market(Call& call);
  HttpResponse spot(Call& call);
  HttpResponse spot_place(Call& call);
  HttpResponse spot_cancel_replace(Call& call);
  // Appends `o` as the order object a spot place answers with (transactTime `now_ms`).
  void spot_placed_json(std::string& out, const Order& o, std::int64_t now_ms) const;
  HttpResponse spot_open_orders(Call& call);
  HttpResponse spot_my_trades(Call& call, const std::string& market);
  HttpResponse spot_balance(Call& call);
  // Appends `o` as one BingX spot order object.
  void spot_order_json(std::string& out, const Order& o) const;
  // The engine spot market of the request's `symbol`, or BingX's error (80014, 100421).
  [[nodiscard]] Result<std::string> spot_named_market(const Call& call) const;
  // The spot order the request's `id_key` (else `client_key`, compared in lower case)
  // names, or BingX's error (80014, 100421 "order not exist").
  [[nodiscard]] Result<const Order*> spot_target_order(const Call& call, const std::string& market,
                                                       std::string_view id_key = "orderId",
                                                       std::string_view client_key = "clientOrderID") const;
  // The engine spot market of BingX symbol `symbol`, or nothing.
  [[nodiscard]] std::optional<std::string> spot_market_of(std::string_view symbol) const;
  // The engine market of the request's `symbol`, or BingX's error (80014, 80015).
  [[nodiscard]] Result<std::string> named_market(const Call& call) const;
  // The order of `market` the request's `id_key` (else `client_key`, compared in lower
  // case) names, or BingX's error (80014, 80016).
  [[nodiscard]] Result<const Order*> target_order(const Call& call, const std::string& market,
                                                  std::string_view id_key = "orderId",
                                                  std::string_view client_key = "clientOrderId") const;
  // The engine market of BingX symbol `symbol`, or nothing.
  [[nodiscard]] std::optional<std::string> market_of(std::string_view symbol) const;
  // True when the per-second window `key` of `limit` has room (and takes one).
  bool grant(const std::string& key, std::uint32_t limit, std::int64_t now_ms);

  MatchingEngine& engine_;
  BingxFrontConfig config_;
  RestFaults faults_;
  std::unordered_map<std::string, Credential> credentials_;
  std::unordered_map<std::string, Window> windows_;          // "<account>:<endpoint>"
  std::unordered_map<OrderId, std::string> client_ids_;      // every order this front placed with a client id
  std::unordered_set<std::string> used_client_ids_;          // "<account>:<clientOrderId>", every one accepted
  std::map<std::pair<AccountId, InstrumentKind>, std::int64_t> dead_man_;  // cancelAllAfter trigger (ms) per armed switch
  std::unordered_map<std::string, ListenKey> listen_keys_;
  std::uint64_t listen_key_counter_ = 0;
  FrontStats stats_;
};

}  // namespace cts::sim
