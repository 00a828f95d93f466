#pragma once
/// \file
/// The simulator's Bybit-v5-compatible REST front (category=spot): turns an HttpRequest
/// into the reply Bybit would give, against the same MatchingEngine as the Binance front.
///
/// Every reply is Bybit's envelope `{"retCode":0,"retMsg":"OK","result":{...},
/// "retExtInfo":{},"time":<ms>}` with HTTP 200; errors carry Bybit's retCode and retMsg
/// (10001 invalid parameters or malformed JSON, 10002 timestamp outside the window,
/// 10003 unknown API key, 10004 bad signature, 10006 rate limit, 10016 injected server
/// error, 110001 unknown order, 110007 insufficient balance, 110072 duplicate
/// orderLinkId). Signed endpoints take X-BAPI-API-KEY, X-BAPI-TIMESTAMP,
/// X-BAPI-RECV-WINDOW (default 5000) and X-BAPI-SIGN = hex HMAC-SHA256 of timestamp +
/// key + recv window + (query string for GET | body for POST); a timestamp is accepted
/// when server_time − recv_window <= timestamp < server_time + 1000. Their replies carry
/// X-Bapi-Limit, X-Bapi-Limit-Status and X-Bapi-Limit-Reset-Timestamp (a per-account,
/// per-endpoint window of one second). Fault injection is the Binance front's
/// (FaultConfig), with Bybit's replies: a burst answers 10006 (with X-Bapi-Limit-Status 0
/// and a reset at the next whole second), a server error 10016.
///
/// Endpoints: GET /v5/market/time, /v5/market/instruments-info, /v5/market/orderbook,
/// /v5/market/tickers; POST /v5/order/create, /v5/order/amend, /v5/order/cancel,
/// /v5/order/cancel-all, /v5/order/create-batch, /v5/order/amend-batch,
/// /v5/order/cancel-batch; GET /v5/order/realtime, /v5/order/history,
/// /v5/execution/list, /v5/account/wallet-balance (accountType=UNIFIED),
/// /v5/user/query-api (every key: read-write, trades spot and contracts, withdraws only
/// with BybitFrontConfig::keys_can_withdraw, no IP binding, expiring 90 days from the
/// request).
///
/// Batch endpoints take {"category":"spot"|"linear","request":[{...},...]} with 1 to 10
/// (spot) or 20 (linear) items, else the whole request fails with 10001. Each item is
/// validated and executed as the single endpoint does it, in order (so an orderLinkId
/// repeated inside one batch fails its second item with 110072); the reply's
/// result.list[i] and retExtInfo.list[i] {code, msg} report item i. Each batch endpoint
/// has its own window per category, where every item counts as one request
/// (BybitLimitConfig::batch_spot_per_second, batch_linear_per_second): with nothing left
/// the request fails with 10006; with fewer left than it holds, its first items run and
/// the others fail with 10006 (and count once in FrontStats::rate_limited).
///
/// WebSocket order entry (ws_order()): the trade stream's ops run here, each as its REST
/// endpoint runs it and charged to the same rate-limit windows (Bybit shares the account
/// limits between REST and the trade WebSocket).
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

namespace cts::sim {

/// Bybit's per-UID, per-endpoint limits (requests per second), adjustable for tests.
struct BybitLimitConfig {
  std::uint32_t order_per_second = 20;  ///< /v5/order/create, amend, cancel, cancel-all (spot).
  std::uint32_t query_per_second = 50;  ///< /v5/order/realtime, history, execution/list, wallet-balance.
  /// Orders per second through each batch endpoint (create-batch, amend-batch,
  /// cancel-batch), category=spot.
  std::uint32_t batch_spot_per_second = 20;
  /// The same for category=linear.
  std::uint32_t batch_linear_per_second = 10;
};

/// What a trade-WebSocket order op answers (websocket/trade/guideline.mdx): Bybit's
/// retCode and retMsg, `data` (the REST endpoint's `result` object), `retExtInfo` (a
/// batch's per-item codes) and the X-Bapi-Limit headers of the window it was charged to
/// (none when it was refused before).
struct BybitOpReply {
  long code = 0;                          ///< retCode (0: done; a batch's items carry their own).
  std::string msg;                        ///< retMsg.
  std::string data = "{}";                ///< The JSON object `data`.
  std::string ext = "{}";                 ///< The JSON object `retExtInfo`.
  std::vector<HttpHeader> limit_headers;  ///< X-Bapi-Limit, -Status and -Reset-Timestamp.
};

/// Bybit front settings.
struct BybitFrontConfig {
  BybitLimitConfig limits;  ///< Rate limits.
  FaultConfig faults;       ///< Fault injection (none by default).
  /// /v5/user/query-api lists the withdrawal permission (Wallet Withdraw) for every key:
  /// a key an engine must refuse, for testing the tools that check keys.
  bool keys_can_withdraw = false;
};

/// See the file comment.
class BybitFront {
 public:
  /// A front over `engine`, which must outlive it.
  explicit BybitFront(MatchingEngine& engine, BybitFrontConfig config = {});

  /// Lets `api_key` with `secret` act for `account`. The secret is held only as keyed
  /// HMAC state. Throws cts::Exception(invalid_argument) for an empty key or secret.
  void add_credential(std::string api_key, std::string_view secret, AccountId account);

  /// The reply to `request` received at `now`. Never throws for bad input: every
  /// malformed request gets Bybit's error envelope and changes no state.
  net::ServerReply handle(const HttpRequest& request, SystemTime now);

  /// Runs a trade-WebSocket order op of `account` (authenticated by the stream) at
  /// `now_ms`: `op` is "order.create", "order.amend", "order.cancel" or a "-batch" form,
  /// `arg` the JSON text of its one argument (the REST endpoint's body), `timestamp` and
  /// `recv_window` the frame's X-BAPI-TIMESTAMP and X-BAPI-RECV-WINDOW. The op runs as its
  /// REST endpoint runs (same checks, codes, orderLinkId uniqueness and reply items) and
  /// is charged to the same per-account window (Bybit shares the limits between REST and
  /// WebSocket). Refusals: 10404 for an unknown op or a category other than spot and
  /// linear, 10001 for a missing or malformed header value or argument, 10002 for a
  /// timestamp outside the window, 10006 for a spent window; the REST front's faults do
  /// not apply. A refused op changes nothing. Never throws for bad input.
  BybitOpReply ws_order(AccountId account, std::string_view op, std::string_view arg,
                        std::optional<std::string_view> timestamp, std::optional<std::string_view> recv_window,
                        std::int64_t now_ms);

  /// Counters (the Binance front's: `auth_rejected` counts 10003 and 10004).
  [[nodiscard]] const FrontStats& stats() const noexcept { return stats_; }
  /// The configuration (faults may be changed between requests; call reset_faults()).
  [[nodiscard]] BybitFrontConfig& config() noexcept { return config_; }
  /// Reseeds the fault dice and rearms the rate-limit burst from config().faults.
  void reset_faults() noexcept { faults_.reset(config_.faults); }

  /// The orderLinkId Bybit reports for `order`: its client id when it was sent with
  /// one, else "" (the engine's generated id is not the client's).
  [[nodiscard]] std::string_view link_id(const Order& order) const;

 private:
  struct Credential {
    AccountId account;
    sign::HmacSha256 mac;
  };
  struct Window {
    std::int64_t second = -1;
    std::uint32_t used = 0;
  };
  class Fields;
  class Call;
  // Validates and executes one order operation (a single request or one batch item);
  // the order as it stands after it, or the Bybit error. Changes nothing on error.
  using ItemAction = Result<Order> (BybitFront::*)(const Fields& item, AccountId account, InstrumentKind kind,
                                                   std::int64_t now_ms);

  HttpResponse dispatch(Call& call);
  // The signed request `call` of an authenticated account: charged to its rate window,
  // then run.
  HttpResponse execute(Call& call);
  HttpResponse market(Call& call);
  HttpResponse trade(Call& call);
  HttpResponse single(Call& call, InstrumentKind kind, ItemAction action);
  HttpResponse batch(Call& call, InstrumentKind kind, ItemAction action);
  Result<Order> create_order(const Fields& item, AccountId account, InstrumentKind kind, std::int64_t now_ms);
  Result<Order> amend_order(const Fields& item, AccountId account, InstrumentKind kind, std::int64_t now_ms);
  Result<Order> cancel_order(const Fields& item, AccountId account, InstrumentKind kind, std::int64_t now_ms);
  HttpResponse query(Call& call);
  HttpResponse wallet(Call& call);
  HttpResponse positions(Call& call);
  HttpResponse set_leverage(Call& call);
  HttpResponse api_key_info(Call& call);

  MatchingEngine& engine_;
  BybitFrontConfig config_;
  RestFaults faults_;
  std::unordered_map<std::string, Credential> credentials_;
  std::unordered_map<std::string, Window> windows_;  // "<account>:<path>", batch paths ":<category>"
  std::unordered_set<std::string> order_link_ids_;   // "<account>:<orderLinkId>", every one ever accepted
  FrontStats stats_;
};

}  // namespace cts::sim
