#pragma once
/// \file
/// The simulator's Binance-spot-compatible REST front: turns an HttpRequest into the
/// reply Binance would give, against a MatchingEngine. Field names and types (numbers as
/// strings where Binance uses strings), error codes and messages, HTTP statuses, HMAC
/// authentication with timestamp/recvWindow, request-weight and order-count limits with
/// their headers, 429/418, and seeded fault injection. The same execution, checks and
/// limits serve the WebSocket API's trading methods (ws_call(), which BinanceStreams
/// calls for `/ws-api/v3`): Binance's WebSocket API "accepts the same parameters,
/// returns the same status and error codes" and shares the request-weight (per IP) and
/// order-count (per account) limits with REST.
///
/// Pure: the time is an argument, no I/O; not thread-safe (the Simulator serialises).

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "cts/core/clock.hpp"
#include "cts/core/http.hpp"
#include "cts/net/http_server.hpp"
#include "cts/sign/hmac.hpp"
#include "cts/sim/faults.hpp"
#include "cts/sim/matching_engine.hpp"

namespace cts::sim {

/// Binance's limits (spot defaults), adjustable so tests can reach them quickly.
struct RateLimitConfig {
  std::uint32_t request_weight_per_minute = 6000;  ///< REQUEST_WEIGHT per 1 MINUTE (per IP).
  std::uint32_t orders_per_10s = 100;              ///< ORDERS per 10 SECOND (per account).
  std::uint32_t orders_per_day = 200'000;          ///< ORDERS per 1 DAY (per account).
  std::uint32_t violations_before_ban = 3;         ///< 429s answered in a window before the IP is banned (418).
  std::chrono::seconds ban{120};                   ///< First ban length (Binance: from 2 minutes).
};

/// Front settings.
struct FrontConfig {
  RateLimitConfig limits;  ///< Rate limits.
  FaultConfig faults;      ///< Fault injection (none by default).
};

/// Counters for tests and `ctsctl sim`.
struct FrontStats {
  std::uint64_t requests = 0;       ///< Requests seen.
  std::uint64_t executed = 0;       ///< Requests that reached the endpoint logic.
  std::uint64_t faults = 0;         ///< Faults injected.
  std::uint64_t rate_limited = 0;   ///< 429 and 418 answers.
  std::uint64_t signed_requests = 0;  ///< Requests to signed endpoints (orders, account) that reached the key check.
  std::uint64_t auth_rejected = 0;    ///< Of those, refused for the key or the signature (-2014, -2015, -1022).
};

/// A WebSocket API request's parameters, decoded, as (name, value) text pairs.
using WsApiParams = std::vector<std::pair<std::string, std::string>>;

/// What the front answers a WebSocket API request: the reply's `status`, its `result`
/// (status 200) or `error` object, and its `rateLimits` array.
struct WsApiAnswer {
  int status = 200;         ///< The HTTP-like status.
  std::string body;         ///< The `result` JSON, or the `error` object {"code","msg"[,"data"]}.
  std::string rate_limits;  ///< The `rateLimits` JSON array.
};

/// The key that authenticated a WebSocket API request.
struct WsApiKey {
  AccountId account = 0;  ///< The account it acts for.
  bool ed25519 = false;   ///< It is an Ed25519 key (the only kind session.logon takes).
};

/// See the file comment.
class BinanceFront {
 public:
  /// A front over `engine`, which must outlive it.
  BinanceFront(MatchingEngine& engine, FrontConfig config = {});

  /// Lets `api_key` with `secret` act for `account`. The secret is held only as keyed
  /// HMAC state. Throws cts::Exception(invalid_argument) for an empty key or secret.
  void add_credential(std::string api_key, std::string_view secret, AccountId account);
  /// Lets `api_key`, an Ed25519 key with `public_key`, act for `account`: REST requests
  /// carry the percent-encoded base64 signature, WebSocket API requests the base64
  /// signature, and it may log a WebSocket API session on. Throws
  /// cts::Exception(invalid_argument) for an empty key.
  void add_ed25519_credential(std::string api_key, const std::array<std::uint8_t, 32>& public_key, AccountId account);

  /// The reply to `request` received at `now`. Never throws for bad input: every
  /// malformed request gets Binance's error.
  net::ServerReply handle(const HttpRequest& request, SystemTime now);

  /// A WebSocket API trading or account request received at `now_ms`: order.place,
  /// order.test, order.cancel, order.status, openOrders.status, openOrders.cancelAll,
  /// order.cancelReplace, account.status, answered by the REST endpoint of the same
  /// parameters (POST /api/v3/order, ...) with its checks, execution, weight and
  /// order-count limits. A request with `apiKey` and `signature` is authenticated by
  /// ws_authenticate(); without them it acts for `session` (the account logged on the
  /// connection), still needing its timestamp. nullopt for another method (the caller
  /// answers it).
  std::optional<WsApiAnswer> ws_call(std::string_view method, WsApiParams params, std::optional<AccountId> session,
                                     std::int64_t now_ms);
  /// Checks a signed WebSocket API request: `apiKey`, the signature of every other
  /// parameter sorted by name as `k=v&...` (HMAC hex, case-insensitive; Ed25519 base64),
  /// timestamp and recvWindow. Errors with Binance's codes: -2014, -2015 (auth_failed),
  /// -1102, -1131, -1022 (invalid_signature), -1021.
  Result<WsApiKey> ws_authenticate(const WsApiParams& params, std::int64_t now_ms);
  /// Charges `weight` to the request-weight window REST uses; the refusal (429 -1003,
  /// or 418 once banned) when it is spent, nullopt when the request may proceed. For
  /// the WebSocket API's own methods (ping, time, session.*, userDataStream.*).
  std::optional<WsApiAnswer> ws_charge(std::uint32_t weight, std::int64_t now_ms);
  /// The answer refusing a WebSocket API request for `e` (a Binance error with its
  /// venue code), with the status REST gives it (401 for -2014 and -2015, 429 for -1003
  /// and -1015, 400 otherwise).
  [[nodiscard]] WsApiAnswer ws_refusal(const Error& e, std::int64_t now_ms) const;
  /// The `rateLimits` array now: REQUEST_WEIGHT, preceded by `account`'s two ORDERS
  /// windows when given.
  [[nodiscard]] std::string ws_rate_limits(std::optional<AccountId> account, std::int64_t now_ms) const;

  /// Counters.
  [[nodiscard]] const FrontStats& stats() const noexcept { return stats_; }
  /// The configuration (faults may be changed between requests; call reset_faults()).
  [[nodiscard]] FrontConfig& config() noexcept { return config_; }
  /// Reseeds the fault dice and rearms the 429 burst from config().faults.
  void reset_faults() noexcept { faults_.reset(config_.faults); }

 private:
  struct Credential {
    AccountId account = 0;
    std::optional<sign::HmacSha256> mac;                  // an HMAC key
    std::array<std::uint8_t, 32> ed25519_public_key{};    // else an Ed25519 key
  };
  struct Window {
    std::int64_t start = -1;
    std::uint32_t used = 0;
  };
  class Call;

  HttpResponse dispatch(Call& call, const HttpRequest& request);
  HttpResponse execute(Call& call);
  Result<AccountId> authenticate(const Call& call, std::string_view api_key, const std::optional<std::string>& signature,
                                 std::string_view payload, bool percent_encoded);
  static bool verify(const Credential& credential, std::string_view signature, std::string_view payload,
                     bool percent_encoded);
  Result<std::pair<OrderRequest, std::string_view>> parse_new_order(const Call& call, const std::string& symbol) const;
  Result<void> count_order(Call& call);
  static void placed_json(fmt::memory_buffer& b, const PlaceOutcome& placed, std::string_view resp_type,
                          std::int64_t now_ms);
  HttpResponse cancel_replace(Call& call, const std::string& symbol);
  WsApiAnswer ws_answer(const HttpResponse& response, std::optional<AccountId> orders_of, std::int64_t now_ms) const;
  void roll_weight_window(std::int64_t now_ms);
  std::optional<HttpResponse> charge(std::uint32_t weight, std::int64_t now_ms);
  HttpResponse rate_limited(std::int64_t now_ms, bool banned);

  MatchingEngine& engine_;
  FrontConfig config_;
  RestFaults faults_;
  std::unordered_map<std::string, Credential> credentials_;
  Window weight_;
  std::uint32_t violations_ = 0;
  std::int64_t banned_until_ms_ = 0;
  std::unordered_map<AccountId, std::pair<Window, Window>> orders_;  // 10 s, 1 day
  FrontStats stats_;
};

}  // namespace cts::sim
