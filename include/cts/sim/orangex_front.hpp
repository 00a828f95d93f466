#pragma once
/// \file
/// The simulator's OrangeX-compatible front: JSON-RPC 2.0 calls, Deribit's dialect,
/// against the same MatchingEngine as the other fronts, served over REST (handle(): a
/// call POSTed to `/api/v1<method>` with the envelope as its body, or a GET of
/// `/api/v1<method>?<params>` as the official SDK sends `/public/get_order_book`) and over
/// the WebSocket (call(), used by OrangexStreams). It lists the linear perpetual
/// BTC-USDT-PERPETUAL (default_orangex_markets()), sized in BTC.
///
/// Methods (those of cts/venue/orangex/requests.hpp): `/public/auth` (grant_type
/// client_signature: client_id, timestamp in ms as a string within 60 s of the server's
/// clock, nonce, signature = the SDK's double hex of HMAC-SHA256(secret, client_id \n
/// timestamp \n nonce \n); grant_type refresh_token), `/public/get_time`,
/// `/public/get_instrument`, `/public/get_order_book` (its `version` the last book
/// event's change_id, book_version()), `/public/ticker`; with
/// `Authorization: bearer <access_token>` (REST) or after `/public/auth` on the
/// connection (WebSocket): `/private/buy`, `/private/sell`, `/private/edit`,
/// `/private/cancel`, `/private/cancel_all_by_instrument`,
/// `/private/get_open_orders_by_instrument`, `/private/get_order_state`,
/// `/private/get_order_state_by_label`, `/private/get_user_trades_by_order`,
/// `/private/get_user_trades_by_instrument`, `/private/get_account_summary`,
/// `/private/get_position`. Replies echo the call's id (null for a GET).
///
/// Errors, as Deribit codes them (HTTP 400 unless said): 13009 "unauthorized" (no,
/// unknown or expired token), 13004 "invalid_credentials" (unknown client, bad
/// signature, stale timestamp, unknown refresh token), 10004 "order_not_found", 10009
/// "not_enough_funds", 11044 "not_open_order" (cancel or edit of a final order), 11029
/// "invalid_arguments" (a parameter missing or malformed, an unknown instrument, a filter
/// failure), -32600 (not a JSON-RPC call), -32601 (unknown method; HTTP 404 over REST),
/// 10028 "too_many_requests" (HTTP 429 with `Retry-After: 1`) for the rate limit and the
/// 429 burst fault,
/// -32000 "internal_server_error" (HTTP 503) for the injected server errors. Over REST the
/// faults are every front's (faults.hpp), and FaultConfig::lost_order_replies drops the
/// replies to the next executed buy, sell, edit, cancel and cancel-all calls, over REST
/// and over the WebSocket alike (call()).
///
/// The simulator's own choices, where neither the SDK nor Deribit pins them: tokens live
/// OrangexFrontConfig::token_lifetime_s (900 s) and are random-looking hex from a
/// counter; a label must be unique among the account's open orders (11050 "bad_request:
/// duplicate label" otherwise); a post-only order that would take is refused (11029);
/// decimals are written as JSON numbers in their exact shortest form; order ids are the
/// engine's; trade ids "<engine trade id>"; the account summary is the settlement
/// currency's free balance (available_funds) and locked balance (initial_margin);
/// private methods are limited to OrangexFrontConfig::private_per_second calls per
/// account per second (REST and WebSocket together).
///
/// Pure: the time is an argument, no I/O; not thread-safe (the Simulator serialises).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
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

/// OrangeX's BTC-USDT-PERPETUAL as the simulator lists it (its own values: tick 0.1,
/// amount step and minimum 0.001 BTC, maximum 1000, no minimum notional, prices up to
/// 10000000, leverage 1 to 100, settled in USDT).
std::vector<MarketSpec> default_orangex_markets();

/// OrangeX front settings.
struct OrangexFrontConfig {
  std::uint32_t private_per_second = 20;  ///< Private calls per account per second.
  std::int64_t token_lifetime_s = 900;    ///< An access token's expires_in.
  FaultConfig faults;                     ///< Fault injection (none by default).
};

/// A WebSocket connection's session: the account its `/public/auth` logged in, if any.
struct OrangexSession {
  std::optional<AccountId> account;  ///< Set by a successful /public/auth on the connection.
};

/// See the file comment.
class OrangexFront {
 public:
  /// A front over `engine`, which must outlive it.
  explicit OrangexFront(MatchingEngine& engine, OrangexFrontConfig config = {});

  /// Lets `client_id` with `secret` act for `account`. The secret is held only as keyed
  /// HMAC state. Throws cts::Exception(invalid_argument) for an empty id or secret.
  void add_credential(std::string client_id, std::string_view secret, AccountId account);

  /// The reply to a REST `request` received at `now`. Never throws for bad input: a
  /// malformed or refused call gets its JSON-RPC error and changes no state.
  net::ServerReply handle(const HttpRequest& request, SystemTime now);

  /// The reply text to one JSON-RPC call `text` received on a WebSocket connection with
  /// `session` at `now_ms` (its `/public/auth` logs the session in): the handlers of
  /// handle(). Of handle()'s faults only FaultConfig::lost_order_replies applies (its
  /// count shared with REST): an executed order call whose reply it takes returns
  /// nothing, for the caller to drop the connection instead of answering. Never throws
  /// for bad input.
  std::optional<std::string> call(std::string_view text, OrangexSession& session, std::int64_t now_ms);

  /// Counters (`auth_rejected` counts 13004 and 13009).
  [[nodiscard]] const FrontStats& stats() const noexcept { return stats_; }
  /// The configuration (faults may be changed between requests; call reset_faults()).
  [[nodiscard]] OrangexFrontConfig& config() noexcept { return config_; }
  /// Reseeds the fault dice and rearms the rate-limit burst from config().faults.
  void reset_faults() noexcept { faults_.reset(config_.faults); }

  /// The engine's market named by an instrument name ("" when none).
  [[nodiscard]] std::string market_of(std::string_view instrument_name) const;
  /// The version of `market`'s book the order book reports: the change_id of the last
  /// book event pushed (0 before the first).
  [[nodiscard]] std::uint64_t book_version(const std::string& market) const;
  /// Counts one book event of `market` and returns its change_id.
  std::uint64_t next_book_version(const std::string& market) { return ++book_versions_[market]; }
  /// Appends `o` as an OrangeX order object.
  void order_json(std::string& out, const Order& o) const;
  /// Appends `fill` as an OrangeX user trade object.
  void trade_json(std::string& out, const Fill& fill) const;
  /// Appends `account`'s summary in `currency` as `/private/get_account_summary`
  /// answers it (currency, balance, available_funds, initial_margin, equity).
  void account_summary_json(std::string& out, AccountId account, std::string_view currency) const;

 private:
  struct Credential {
    AccountId account;
    sign::HmacSha256 mac;
  };
  struct Token {
    AccountId account = 0;
    std::int64_t expires_ms = 0;
  };
  struct Window {
    std::int64_t second = -1;
    std::uint32_t used = 0;
  };
  class Call;

  // The reply (HTTP status and text) to `call` by `account` (nullopt: not logged in).
  std::pair<int, std::string> dispatch(Call& call, std::optional<AccountId> account, OrangexSession* session);
  std::pair<int, std::string> auth(Call& call, OrangexSession* session);
  std::string issue_token(AccountId account, std::int64_t now_ms, std::string& refresh);
  std::pair<int, std::string> run_private(Call& call, AccountId account);

  MatchingEngine& engine_;
  OrangexFrontConfig config_;
  RestFaults faults_;
  std::unordered_map<std::string, Credential> credentials_;
  std::unordered_map<std::string, Token> tokens_;          // access token → session
  std::unordered_map<std::string, AccountId> refreshes_;   // refresh token → account
  std::unordered_map<AccountId, Window> windows_;
  std::unordered_map<OrderId, std::string> labels_;         // the label each order was placed with ("" none)
  std::unordered_map<std::string, std::uint64_t> book_versions_;  // market → the last pushed change_id
  std::uint64_t tokens_issued_ = 0;
  FrontStats stats_;
};

}  // namespace cts::sim
