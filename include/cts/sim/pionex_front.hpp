#pragma once
/// \file
/// The simulator's Pionex-compatible REST front (spot): turns an HttpRequest into the
/// reply Pionex would give, against the same MatchingEngine as the other fronts. Facts
/// (paths, parameters, field names and types, error codes, the signing rule, endpoint
/// weights and the rate limits) from the official specification, pionex-open-api
/// openapi.yaml; the simulator's own choices are listed below.
///
/// Every reply is Pionex's envelope: `{"result":true,"data":{...},"timestamp":<ms>}`, or
/// `{"result":false,"code":"<CODE>","message":"...","timestamp":<ms>}` with HTTP 401 for
/// authentication (APIKEY_LOST, SIGNATURE_LOST, INVALID_APIKEY, INVALID_SIGNATURE,
/// INVALID_TIMESTAMP: missing, or more than 20 s away from the server's clock) and 400 for
/// the rest (TRADE_INVALID_SYMBOL, TRADE_PARAMETER_ERROR, TRADE_OPERATION_DENIED,
/// TRADE_ORDER_NOT_FOUND, MARKET_INVALID_SYMBOL, MARKET_PARAMETER_ERROR). Signed endpoints
/// take the `timestamp` query parameter and the PIONEX-KEY and PIONEX-SIGNATURE headers,
/// the signature hex(HMAC-SHA256(secret, METHOD + path + "?" + the query parameters,
/// decoded, sorted by name and joined with '&' + the body)); the checks run in that order:
/// key header, signature header, timestamp, key, signature. A refused request changes no
/// state.
///
/// Rate limits (PionexLimitConfig): every request's weight (the endpoint's, as the
/// specification prints it: 5 for symbols, open orders and fills, 1 otherwise) counts
/// against a window of the IP (every endpoint) and of the account (signed endpoints); a
/// request beyond a window gets HTTP 429 and bans that scope for `ban_ms` (Pionex: 60 s),
/// each further request during the ban extending it by `ban_extension_ms` (10 s), and
/// changes nothing. Fault injection is the other fronts' (FaultConfig): a burst answers
/// 429 with `Retry-After: 1` and no ban, a server error before or after executing HTTP
/// 503 with a plain-text body (an unknown outcome for a mutation).
///
/// Endpoints: GET /api/v1/common/symbols, /market/depth, /market/trades,
/// /market/bookTickers; GET /api/v1/account/balances; POST, GET and DELETE
/// /api/v1/trade/order; GET /api/v1/trade/orderByClientOrderId, /trade/openOrders,
/// /trade/fills, /trade/fillsByOrderId; DELETE /api/v1/trade/allOrders. Others (tickers,
/// klines, massOrder, GET allOrders) answer 404.
///
/// The simulator's own values where the specification does not pin them: a fill's `id` is
/// the engine's trade id · 2 + 1 for the maker side (so both sides of a trade differ);
/// insufficient funds is TRADE_OPERATION_DENIED "insufficient balance"; a clientOrderId
/// already used by an open order TRADE_PARAMETER_ERROR; the order's fee is the sum of its
/// fills' commissions, feeCoin the asset of the last; a MARKET buy is placed by `amount`
/// (quote), a MARKET sell by `size`; the 429 of a spent window carries `Retry-After` with
/// the ban's seconds.
///
/// Pure: the time is an argument, no I/O; not thread-safe (the Simulator serialises).

#include <cstdint>
#include <optional>
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
#include "cts/sim/okx_front.hpp"

namespace cts::sim {

/// Pionex's markets: spot BTC_USDT (tick 0.01, step 0.000001, minimum size 0.000001,
/// maximum 1000, minimum amount 10) and ETH_USDT (tick 0.01, step 0.0001, minimum 0.0001,
/// maximum 10000, minimum amount 10). The values are the simulator's own (the
/// specification prints no symbol example).
std::vector<MarketSpec> default_pionex_markets();

/// Pionex's limits, adjustable for tests. Defaults from openapi.yaml "Rate Limits".
struct PionexLimitConfig {
  std::uint32_t ip_weight = 10;            ///< Weight per window per IP (every endpoint).
  std::uint32_t account_weight = 10;       ///< Weight per window per account (signed endpoints).
  std::int64_t window_ms = 1000;           ///< The window.
  std::int64_t ban_ms = 60'000;            ///< The ban after a spent window.
  std::int64_t ban_extension_ms = 10'000;  ///< What each request during a ban adds to it.
};

/// Pionex front settings.
struct PionexFrontConfig {
  PionexLimitConfig limits;  ///< Rate limits.
  FaultConfig faults;        ///< Fault injection (none by default).
};

/// See the file comment.
class PionexFront {
 public:
  /// A front over `engine`, which must outlive it.
  explicit PionexFront(MatchingEngine& engine, PionexFrontConfig config = {});

  /// Lets `api_key` with `secret` act for `account` (the secret held only as keyed HMAC
  /// state). Throws cts::Exception(invalid_argument) for an empty key or secret.
  void add_credential(std::string api_key, std::string_view secret, AccountId account);

  /// The reply to `request` received at `now`. Never throws for bad input: every
  /// malformed or refused request gets Pionex's error envelope and changes no state.
  net::ServerReply handle(const HttpRequest& request, SystemTime now);

  /// The clientOrderId Pionex reports for `order`: the one the client sent, else "".
  [[nodiscard]] std::string_view client_order_id(const Order& order) const;
  /// Appends `order` as Pionex's Order object (the REST replies' and the ORDER topic's).
  void order_json(std::string& out, const Order& order) const;

  /// Counters (`auth_rejected` counts INVALID_APIKEY and INVALID_SIGNATURE).
  [[nodiscard]] const FrontStats& stats() const noexcept { return stats_; }
  /// The configuration (faults may be changed between requests; call reset_faults()).
  [[nodiscard]] PionexFrontConfig& config() noexcept { return config_; }
  /// Reseeds the fault dice and rearms the rate-limit burst from config().faults.
  void reset_faults() noexcept { faults_.reset(config_.faults); }

 private:
  struct Window {
    std::int64_t start = -1;
    std::uint32_t used = 0;
    std::int64_t banned_until = 0;
  };
  class Call;

  HttpResponse dispatch(Call& call);
  // Charges `weight` to `window` at `now_ms`: the ban's end when it is (or becomes) banned.
  std::optional<std::int64_t> charge(Window& window, std::uint32_t limit, std::uint32_t weight, std::int64_t now_ms);
  HttpResponse symbols(Call& call);
  HttpResponse depth(Call& call);
  HttpResponse trades(Call& call);
  HttpResponse book_tickers(Call& call);
  HttpResponse balances(Call& call);
  HttpResponse new_order(Call& call);
  HttpResponse get_order(Call& call, bool by_client_id);
  HttpResponse cancel_order(Call& call);
  HttpResponse open_orders(Call& call);
  HttpResponse cancel_all(Call& call);
  HttpResponse fills(Call& call, bool by_order);
  // The engine market of the `symbol` parameter of `params`; the Error `code` "Invalid
  // symbol" when it is absent or not listed.
  Result<std::string> symbol_market(const std::vector<std::pair<std::string, std::string>>& params,
                                    std::string_view code) const;
  // The engine market of venue symbol `symbol`, if listed.
  [[nodiscard]] std::optional<std::string> market_of(std::string_view symbol) const;

  MatchingEngine& engine_;
  PionexFrontConfig config_;
  RestFaults faults_;
  std::unordered_map<std::string, std::pair<AccountId, sign::HmacSha256>> credentials_;
  Window ip_window_;
  std::unordered_map<AccountId, Window> account_windows_;
  std::unordered_set<OrderId> unnamed_;  // orders placed without a clientOrderId
  FrontStats stats_;
};

}  // namespace cts::sim
