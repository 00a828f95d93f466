#pragma once
/// \file
/// The simulator's OKX-v5-compatible REST front: turns an HttpRequest into the reply OKX
/// would give, against the same MatchingEngine as the Binance and Bybit fronts. It serves
/// instType SPOT (instIds "BTC-USDT", "ETH-USDT": sizes in base units) and SWAP (linear
/// perpetuals such as "BTC-USDT-SWAP": sizes in contracts of Instrument::multiplier base
/// units, OKX's ctVal). The engine's markets are named by the instIds themselves
/// (market_key(kind, instId)).
///
/// Every reply is OKX's envelope `{"code":"0","msg":"","data":[...]}`. Errors carry OKX's
/// code and message with its HTTP status: 401 for authentication (50103/50104/50106/50107
/// a header missing, 50111 invalid OK-ACCESS-KEY, 50105 wrong passphrase, 50112 a
/// malformed timestamp, 50102 a timestamp more than 30 s away from the server's clock,
/// 50113 invalid sign), 429 for 50011 (rate limit), 503 for 50001 (injected server
/// errors), 404 for an unknown path, 200 for everything else (50014 a parameter missing,
/// 51000 a parameter malformed, 51001 unknown instrument, ...).
/// Signed endpoints take OK-ACCESS-KEY, OK-ACCESS-PASSPHRASE, OK-ACCESS-TIMESTAMP (ISO
/// 8601 UTC with milliseconds, e.g. 2020-12-08T09:08:57.715Z) and OK-ACCESS-SIGN =
/// base64 HMAC-SHA256 of timestamp + METHOD + path (+ "?" + query when there is one) +
/// body. The checks run in that order: missing headers, timestamp, key, passphrase,
/// signature; a refused request changes no state.
///
/// Trade endpoints answer per item (`sCode`, `sMsg`): a single order operation that the
/// venue refuses (51008 insufficient balance, 51016 duplicate clOrdId, 51400 cancel of an
/// order already final or unknown, 51503 the same for amend, ...) is `code` "1" "All
/// operations failed" with the item; a malformed request (50014, 51000) is the top-level
/// code with empty data. Batch endpoints (batch-orders, amend-batch-orders,
/// cancel-batch-orders) take a JSON array of 1 to 20 items, each validated and run as the
/// single endpoint does it, in order (so a clOrdId repeated inside one batch fails its
/// second item with 51016); `code` is "0" when all succeed, "2" "Bulk operation partially
/// succeeded" when some fail, "1" when all do; data[i] is item i.
///
/// Rate limits (OkxLimitConfig; OKX's per-endpoint limits over windows of 2 s, counted per
/// account, and per instrument for place, amend and cancel as OKX counts them; a batch
/// counts each of its orders, per account, except that a batch of one order counts as the
/// single endpoint's request, as OKX says; cancel-all-after 1 per second): a request
/// beyond its window's limit gets HTTP 429 code 50011 and changes nothing; a batch with
/// fewer orders left than it holds runs its first ones and fails the others with sCode
/// 50011. Public endpoints are not limited. Fault injection is the other fronts'
/// (FaultConfig): a burst answers 429 50011, a server error before or after executing 503
/// 50001 "Service temporarily unavailable" (a client reads it as an unknown outcome of a
/// mutation, as it must after executing; OKX's 50013 "Systems are busy" would read as a
/// throttle, a request not executed).
///
/// WebSocket order entry (ws_order()): the private WebSocket's ops `order`, `amend-order`,
/// `cancel-order` and their batch forms run here, each order as its REST endpoint runs it
/// (same checks, same clOrdId uniqueness, same reply items and codes) and charged to the
/// same rate-limit windows (OKX: the limits are shared by REST and WebSocket). Their
/// orders name the instrument by `instIdCode`, the integer /public/instruments lists for
/// each instId: here inst_id_code(instId).
///
/// Endpoints: GET /api/v5/public/time, /public/instruments, /market/books,
/// /market/ticker; POST /api/v5/trade/order, amend-order, cancel-order, batch-orders,
/// amend-batch-orders, cancel-batch-orders, cancel-all-after; GET /api/v5/trade/order,
/// orders-pending, orders-history, fills; GET /api/v5/account/balance,
/// /account/positions.
///
/// The simulator's own values where OKX's documentation does not pin them: ordIds are the
/// engine's order ids; billIds (the fills' cursor) are trade id · 64 + the market's index
/// in the engine; a clOrdId is unique per account among every order ever accepted (51016
/// otherwise); a post-only order that would take is refused with 51000; the books' third
/// and fourth level members are "0" (order counts are not kept); positions are one-way
/// ("net") and margined from the account's cash whatever tdMode says (cross or isolated is
/// echoed as sent); the fee rate is the engine's; instruments report maxLmtSz 9999999999
/// and lever 100 (SWAP; the engine's leverage filter), state live; the account's
/// USD values price a currency at the mark of its "<CCY>-USDT" spot market (USDT is 1 USD,
/// a currency without that market 0).
///
/// Pure: the time is an argument, no I/O; not thread-safe (the Simulator serialises).

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "cts/core/clock.hpp"
#include "cts/core/http.hpp"
#include "cts/net/http_server.hpp"
#include "cts/sign/hmac.hpp"
#include "cts/sim/binance_front.hpp"
#include "cts/sim/faults.hpp"
#include "cts/sim/matching_engine.hpp"

namespace cts::sim {

/// A market of any kind and its filters.
struct MarketSpec {
  Instrument instrument;  ///< Its kind, symbol (the venue's) and rules.
  SymbolFilters filters;  ///< Price bounds, leverage filter (linear).
};

/// OKX's markets, named by their instIds: spot BTC-USDT as OKX lists it (tickSz 0.1, lotSz
/// 0.00000001, minSz 0.00001), spot ETH-USDT (tickSz 0.01, lotSz 0.000001, minSz 0.001),
/// and the linear perpetual BTC-USDT-SWAP as OKX lists it (contracts of ctVal 0.01 BTC,
/// so multiplier 0.01; tickSz 0.1, lotSz 0.01, minSz 0.01; settled in USDT). The
/// simulator's own values: ETH-USDT's rules, no minimum notional, maximum order size
/// 9999999999 (SPOT) and 100000000 contracts (SWAP), prices from the tick to 10000000, no
/// percent-price band, leverage 1 to 100 in steps of 0.01.
std::vector<MarketSpec> default_okx_markets();

/// OKX's per-endpoint limits (requests per 2 s window unless said otherwise), adjustable
/// for tests. Defaults from OKX's endpoint pages.
struct OkxLimitConfig {
  std::uint32_t place_per_window = 60;            ///< POST /trade/order, per account and instrument.
  std::uint32_t amend_per_window = 60;            ///< POST /trade/amend-order, per account and instrument.
  std::uint32_t cancel_per_window = 60;           ///< POST /trade/cancel-order, per account and instrument.
  std::uint32_t batch_orders_per_window = 300;    ///< Orders through each batch endpoint, per account.
  std::uint32_t order_query_per_window = 60;      ///< GET /trade/order and /trade/orders-pending.
  std::uint32_t history_per_window = 40;          ///< GET /trade/orders-history.
  std::uint32_t fills_per_window = 60;            ///< GET /trade/fills.
  std::uint32_t balance_per_window = 10;          ///< GET /account/balance.
  std::uint32_t positions_per_window = 10;        ///< GET /account/positions.
  std::uint32_t cancel_all_after_per_second = 1;  ///< POST /trade/cancel-all-after (a 1 s window).
  std::int64_t window_ms = 2000;                  ///< The window of every limit above but cancel-all-after.
};

/// The order operations OkxFront::ws_order() runs.
enum class OkxOrderOp : std::uint8_t {
  place,   ///< `order` / `batch-orders`: POST /api/v5/trade/order and batch-orders.
  amend,   ///< `amend-order` / `batch-amend-orders`: amend-order and amend-batch-orders.
  cancel,  ///< `cancel-order` / `batch-cancel-orders`: cancel-order and cancel-batch-orders.
};

/// What an order request answers, in OKX's words: `code` (0 all done, 1 all failed, 2 some
/// failed, any other code the request refused as a whole), `msg`, and `data`, the JSON
/// array of the per-order items ("[]" when refused as a whole).
struct OkxOpReply {
  long code = 0;     ///< OKX's code.
  std::string msg;   ///< OKX's message ("" on success).
  std::string data;  ///< The JSON array of items, as the REST endpoint writes them.
};

/// OKX front settings.
struct OkxFrontConfig {
  OkxLimitConfig limits;  ///< Rate limits.
  FaultConfig faults;     ///< Fault injection (none by default).
};

/// See the file comment.
class OkxFront {
 public:
  /// A front over `engine`, which must outlive it.
  explicit OkxFront(MatchingEngine& engine, OkxFrontConfig config = {});

  /// Lets `api_key` with `secret` and `passphrase` act for `account`. The secret is held
  /// only as keyed HMAC state. Throws cts::Exception(invalid_argument) for an empty key,
  /// secret or passphrase.
  void add_credential(std::string api_key, std::string_view secret, std::string passphrase, AccountId account);

  /// The reply to `request` received at `now`. Never throws for bad input: every
  /// malformed or refused request gets OKX's error envelope and changes no state. Fires
  /// the due cancel-all-after switches first (advance()).
  net::ServerReply handle(const HttpRequest& request, SystemTime now);

  /// Fires the cancel-all-after switches due at `now`: every open order of an account
  /// whose switch expired is cancelled (the engine records the cancellations as events).
  /// The Simulator calls it from its ticker; handle() calls it too.
  void advance(SystemTime now);

  /// Runs a WebSocket order request of `account` at `now_ms` (the dead-man switches fire
  /// first, as in handle()): `op` on the orders of `args`, the request's `args` as JSON
  /// text (an array of objects of plain values: one for a single op, 1 to 20 when
  /// `batch`). Each order names its instrument by `instIdCode` (an integer or its digits;
  /// `instId`, if also given, is ignored) and is otherwise the REST endpoint's body, run by
  /// the same code. Refusals: 60013 "Invalid args" for args of another shape or count,
  /// 50014 (instIdCode missing) and 51000 (a parameter malformed) at the top level for a
  /// single op and per item in a batch, 51001 per item for an unknown instIdCode, 50011
  /// when the shared rate-limit window is spent (a batch with fewer orders left than it
  /// holds runs its first ones, as over REST). A refused request or item changes no order
  /// or balance. Never throws for bad input.
  OkxOpReply ws_order(AccountId account, OkxOrderOp op, bool batch, std::string_view args, std::int64_t now_ms);

  /// The instIdCode /public/instruments lists for `inst_id` and ws_order() reads: the
  /// CRC-32 of the instId (as okx_book_checksum's CRC) with its top bit cleared, 1 in place
  /// of 0; stable across runs and configurations.
  [[nodiscard]] static std::int64_t inst_id_code(std::string_view inst_id) noexcept;

  /// Counters (the Binance front's: `auth_rejected` counts 50111, 50105 and 50113).
  [[nodiscard]] const FrontStats& stats() const noexcept { return stats_; }
  /// The configuration (faults may be changed between requests; call reset_faults()).
  [[nodiscard]] OkxFrontConfig& config() noexcept { return config_; }
  /// Reseeds the fault dice and rearms the rate-limit burst from config().faults.
  void reset_faults() noexcept { faults_.reset(config_.faults); }

  /// The clOrdId OKX reports for `order`: the one the client sent with it, else "" (the
  /// engine's generated client id is not the client's). The view lives as long as the
  /// order's record in this front (the front's lifetime).
  [[nodiscard]] std::string_view cl_ord_id(const Order& order) const;
  /// The tdMode `order` was placed with ("cash", "cross" or "isolated"; "" for an order
  /// this front did not place).
  [[nodiscard]] std::string_view trade_mode(const Order& order) const;
  /// The tgtCcy `order` was placed with ("base_ccy" or "quote_ccy" for a SPOT market
  /// order that named one; "" otherwise).
  [[nodiscard]] std::string_view target_currency(const Order& order) const;
  /// The mgnMode of `account`'s position on the SWAP market `market` (an engine market
  /// name): the tdMode of its last order there, "cross" when it has none.
  [[nodiscard]] std::string_view margin_mode(AccountId account, std::string_view market) const;

 private:
  struct Credential {
    AccountId account;
    sign::HmacSha256 mac;
    std::string passphrase;
  };
  struct Window {
    std::int64_t start = -1;
    std::uint32_t used = 0;
  };
  // What OKX reports of an order that the engine does not keep.
  struct OrderMeta {
    std::string cl_ord_id;  // as sent, "" when none
    std::string td_mode;
    std::string tgt_ccy;  // SPOT market orders: base_ccy or quote_ccy
  };
  class Fields;
  class Call;
  // Validates and executes one order operation (a single request or one batch item);
  // the order after it, or the OKX error. Changes nothing on error.
  using ItemAction = Result<Order> (OkxFront::*)(const Fields& item, AccountId account, std::int64_t now_ms);

  HttpResponse dispatch(Call& call);
  // Counts `cost` requests against the window `key` of `limit` requests per `window_ms`;
  // how many of them the limit grants (0: the window is spent).
  std::size_t grant(const std::string& key, std::uint32_t limit, std::int64_t window_ms, std::size_t cost,
                    std::int64_t now_ms);
  // Replaces an order's instIdCode with the instId it names, or marks the order refused.
  void resolve_inst_id_code(Fields& item) const;
  // The outcome of `item` (its refusal, or what `action` did).
  Result<Order> run_item(ItemAction action, const Fields& item, AccountId account, std::int64_t now_ms);
  // One order operation of `path`: code 0 with its item, 1 with the failed item, or a
  // malformed request's code (50014, 51000) with empty data.
  OkxOpReply run_single(ItemAction action, const Fields& item, std::string_view path, AccountId account,
                        std::int64_t now_ms);
  // The items of a batch of `path`, the first `granted` run: data[i] is item i; code 0,
  // 1 (all failed) or 2 (some failed); items past `granted` fail with 50011.
  OkxOpReply run_batch(ItemAction action, const std::vector<Fields>& items, std::size_t granted,
                       std::string_view path, AccountId account, std::int64_t now_ms);
  HttpResponse market(Call& call);
  HttpResponse instruments(Call& call);
  Result<Order> place_order(const Fields& item, AccountId account, std::int64_t now_ms);
  Result<Order> amend_order(const Fields& item, AccountId account, std::int64_t now_ms);
  Result<Order> cancel_order(const Fields& item, AccountId account, std::int64_t now_ms);
  HttpResponse cancel_all_after(Call& call);
  HttpResponse order_details(Call& call);
  HttpResponse order_list(Call& call);
  HttpResponse fills(Call& call);
  HttpResponse balance(Call& call);
  HttpResponse positions(Call& call);
  // Appends `o` as one OKX order object.
  void order_json(std::string& out, const Order& o) const;

  MatchingEngine& engine_;
  OkxFrontConfig config_;
  RestFaults faults_;
  std::unordered_map<std::string, Credential> credentials_;
  std::unordered_map<std::string, Window> windows_;              // "<account>:<path>[:<instId>]"
  std::unordered_map<OrderId, OrderMeta> orders_;                // every order this front placed
  std::unordered_set<std::string> cl_ord_ids_;                   // "<account>:<clOrdId>", every one ever accepted
  std::unordered_map<AccountId, std::int64_t> dead_man_;         // cancel-all-after trigger (ms) per armed account
  std::unordered_map<std::string, std::string> position_modes_;  // "<account>:<market>" → the last tdMode
  FrontStats stats_;
};

}  // namespace cts::sim
