#pragma once
/// \file
/// The simulator's OKX v5 WebSocket side, pure and time-injected (like BybitStreams): the
/// public stream `/ws/v5/public` (`books`: a snapshot after each subscription, then
/// updates; `bbo-tbt`: the top level; `trades`) and the private stream `/ws/v5/private`
/// (`login`, then `orders`, `account` and `positions`). Frame shapes and field names
/// from OKX's v5 WebSocket documentation ("Connect", "Login", "Subscribe", "Order book
/// channel", "Trades channel", "Order channel", "Account channel", "Positions
/// channel"); the texts of refusals (msg) are the simulator's own.
///
/// Instruments are OkxFront's: an engine market's instId is its Instrument::venue_symbol
/// ("BTC-USDT", "BTC-USDT-SWAP"), its instType SPOT for a spot market and SWAP for a
/// linear perpetual, sizes the engine's quantities (base units on SPOT, contracts on
/// SWAP).
///
/// Replies. Every op frame is answered per argument: `{"event":"subscribe","arg":{..},
/// "connId":".."}` (or "unsubscribe"), or `{"event":"error","code":"..","msg":"..",
/// "connId":".."}` with OKX's codes: 60012 for a frame that is not an op OKX knows
/// (not JSON, no op, args not an array of objects; nothing changes), 60018 for an
/// unknown channel or instrument, 60011 for a private channel on a connection not
/// logged in, 60009 for a login on the public stream or a second one. The text `ping`
/// is answered `pong` on every stream. A connection that sent nothing for 30 s is
/// closed (OKX's rule; a client pings to stay open).
///
/// Login: `{"op":"login","args":[{"apiKey","passphrase","timestamp","sign"}]}` with
/// sign = base64(HMAC-SHA256(secret, timestamp + "GET" + "/users/self/verify")) and the
/// timestamp in Unix seconds within 30 s of now; answered `{"event":"login","code":"0",
/// "msg":"","connId":..}` or an error: 60005 unknown apiKey, 60024 wrong passphrase,
/// 60004 timestamp out of the window or not a number, 60007 wrong sign, 60012 missing
/// members. Frames are read in order, so a subscribe sent right after the login frame
/// (without waiting for its reply) finds the connection logged in when the login was
/// good.
///
/// `books`: the snapshot (action "snapshot", prevSeqId -1) holds up to 400 levels a
/// side; each tick that changed them, subscribers get an update (action "update")
/// listing every level that changed, entered or left the 400 with its size now ("0":
/// removed), prevSeqId the seqId of the previous message, and the checksum of the book
/// after it: CRC-32 of the first 25 bids and asks interleaved bid, ask, bid, ... as
/// `price:size` joined by ':', read as a signed 32-bit integer. A level is
/// ["price","size","0","0"] as the REST front writes it, numbers in their shortest form
/// (the engine keeps no count of orders per level). seqIds are per instrument and grow
/// with every change of its book; `bbo-tbt` carries the same seqId and is sent at
/// subscription and at each tick that changed the top level. `trades` lists each tick's
/// public trades (side: the taker's).
///
/// Private channels, for the logged-in account only; objects as the REST front writes
/// them (src/sim/okx_json.hpp). `orders` (instType SPOT, SWAP or ANY): one push per
/// execution event of the account's orders, in order (live, partially_filled, filled,
/// canceled), the order with the event's fill as fillPx, fillSz, tradeId, fillTime and
/// the channel's fillFee (−commission), fillFeeCcy, fillPnl and execType (T or M); fee
/// and pnl accumulated over the order's fills; clOrdId, tdMode and tgtCcy from the REST
/// front. `account`: at subscription the whole account, then, after each event that
/// moved funds, the account with the currencies it moved. `positions` (SWAP or ANY): at
/// subscription the open SWAP positions (possibly none), then at each tick, before the
/// orders pushes of that tick, the positions that changed (a fill, a leverage change),
/// flat ones with pos "0".
///
/// Order entry on `/ws/v5/private` (OKX's "WS / Place order", "WS / Amend order", "WS /
/// Cancel order" and their "multiple orders" pages): `{"id":"<1-32 letters and
/// digits>","op":"order"|"amend-order"|"cancel-order"|"batch-orders"|"batch-amend-orders"|
/// "batch-cancel-orders"[,"expTime":"<ms>"],"args":[{...}]}`, each order naming its
/// instrument by `instIdCode` (OkxFront::inst_id_code(), as /public/instruments lists it)
/// and otherwise the REST body, run by OkxFront::ws_order() (the REST endpoints' checks,
/// clOrdId uniqueness, reply items and shared rate-limit windows). Answered
/// `{"id","op","data":[items],"code","msg","inTime","outTime"}` (times in µs, the
/// simulator's ms · 1000): code "0", "1" (all failed) or "2" (some did) with an item per
/// order (sCode, sMsg), or the request refused as a whole with data empty: 60011 "Please
/// log in" before a login, 50036 when expTime has passed (51000 when it is not a positive
/// number), 60013 "Invalid args" for args that are not 1 (single op) or 1 to 20 (batch)
/// objects, and ws_order()'s refusals (50011 for a spent rate-limit window, 50014/51000 for
/// a malformed single order). A frame without a valid id gets the 60012 error event.
/// The orders' `orders`, `account` and `positions` pushes follow at the next tick as for
/// REST orders.
///
/// Frames are built only for topics someone listens to (the engine's records are
/// taken every tick all the same). The WebSocket faults of a FaultConfig (ws_drop,
/// ws_drop_every) drop a connection instead of sending one of its frames, counted in
/// StreamsStats::drops. Not thread-safe (the Simulator serialises it with its engine).

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "cts/sign/hmac.hpp"
#include "cts/sim/binance_streams.hpp"
#include "cts/sim/matching_engine.hpp"
#include "cts/sim/okx_front.hpp"
#include "cts/sim/ws_connections.hpp"

namespace cts::sim {

/// OKX's order book checksum of `bids` and `asks` (best first; see the file comment).
[[nodiscard]] std::int32_t okx_book_checksum(const std::vector<Level>& bids, const std::vector<Level>& asks);

/// See the file comment.
class OkxStreams {
 public:
  /// Seconds a connection may stay silent before it is closed.
  static constexpr std::int64_t kIdleLimitMs = 30'000;
  /// Levels per side in a `books` snapshot.
  static constexpr std::size_t kBookDepth = 400;

  /// A WebSocket side over `engine` and `front` (the REST front that knows each order's
  /// clOrdId, tdMode and tgtCcy and each position's mgnMode), both of which must outlive
  /// it, dropping connections as `faults`' ws_drop and ws_drop_every say. Turns the
  /// engine's event recording on.
  OkxStreams(MatchingEngine& engine, OkxFront& front, const FaultConfig& faults = {});

  /// Replaces the WebSocket faults and restarts their dice and frame count.
  void set_faults(const FaultConfig& faults);

  /// Lets `api_key` with `secret` and `passphrase` log in as `account`. Throws
  /// cts::Exception(invalid_argument) for an empty key, secret or passphrase.
  void add_credential(std::string api_key, std::string_view secret, std::string passphrase, AccountId account);

  /// A connection asks to upgrade on `target` ("/ws/v5/public" or "/ws/v5/private",
  /// each with an optional query). Returns false (the server answers 404) for any other
  /// path.
  bool open(std::uint64_t connection, std::string_view target, std::int64_t now_ms);
  /// A text message on an open connection; appends the replies (and a subscription's
  /// snapshot) to `out`. Bad frames get an error event and change nothing.
  void message(std::uint64_t connection, std::string_view text, std::int64_t now_ms, std::vector<WsOutput>& out);
  /// The connection is gone; forgets it. Unknown ids are ignored.
  void close(std::uint64_t connection);
  /// Closes the connections silent for more than kIdleLimitMs, then emits what happened
  /// since the last tick: book updates, bbo-tbt and trades of every market.
  void tick(std::int64_t now_ms, std::vector<WsOutput>& out);

  /// Open connections (a dropped one is no longer listed).
  [[nodiscard]] std::vector<std::uint64_t> connections() const;
  /// Counters.
  [[nodiscard]] const StreamsStats& stats() const noexcept { return connections_.stats(); }

 private:
  struct Connection {
    bool is_private = false;
    std::optional<AccountId> account;  // private, once logged in
    std::set<std::string> topics;      // "<channel>:<instId or instType>", or "account"
    std::int64_t last_heard_ms = 0;    // when it last sent something
    std::map<std::string, std::int64_t> position_seqs;  // market → seq of the position as last sent
    bool dropped = false;              // by a fault or the idle rule: sends and hears nothing more
  };
  struct Credential {
    AccountId account = 0;
    std::string passphrase;
    sign::HmacSha256 mac;
  };
  /// What a `books` topic's subscribers hold: the levels last sent and their seqId.
  struct PublishedBook {
    std::vector<Level> bids;  // best first
    std::vector<Level> asks;  // best first
    std::int64_t seq_id = 0;
  };
  /// What `bbo-tbt` subscribers were last sent.
  struct PublishedTop {
    std::optional<Level> bid;
    std::optional<Level> ask;
  };
  /// What an order's fills have added up to (OKX's `fee` and `pnl` of an order).
  struct OrderTotals {
    Decimal fee;  // commission paid, positive
    Decimal pnl;  // PnL the fills realised (SWAP)
  };
  struct Arg;
  /// An order request as received: what its reply echoes and what the front runs.
  struct OrderRequestFrame {
    std::string_view id;    // `id`, checked
    std::string_view name;  // `op` as sent
    OkxOrderOp op = OkxOrderOp::place;
    bool batch = false;
    std::optional<std::string> args;            // `args` as JSON text; none when absent or not an array
    std::optional<std::int64_t> expire_time_ms;  // `expTime`; -1 when it is not a number
  };

  void error(std::uint64_t id, std::string_view code, std::string_view message, std::vector<WsOutput>& out);
  void login(std::uint64_t id, Connection& c, const std::vector<Arg>& args, std::int64_t now_ms,
             std::vector<WsOutput>& out);
  /// Answers an order op (`order`, `amend-order`, ... see the file comment) with its reply
  /// frame, after running it through the front when the connection is logged in.
  void order_request(std::uint64_t id, const Connection& c, const OrderRequestFrame& request, std::int64_t now_ms,
                     std::vector<WsOutput>& out);
  void subscribe(std::uint64_t id, Connection& c, const Arg& arg, bool on, std::int64_t now_ms,
                 std::vector<WsOutput>& out);
  /// The engine market whose instId is `inst_id`, if listed.
  [[nodiscard]] std::optional<std::string> market_of(std::string_view inst_id) const;
  [[nodiscard]] bool has_subscriber(const std::string& topic) const;
  void publish(const std::string& topic, const std::string& frame, std::vector<WsOutput>& out);
  /// The `books` snapshot frame of `market` for a new subscriber: what the topic's
  /// subscribers hold, or, when nobody listens yet, the engine's book now.
  [[nodiscard]] std::string book_snapshot(const std::string& market, std::int64_t now_ms);
  /// A `books` frame of `action` listing `bids` and `asks`, the book `after` it giving
  /// the checksum and seqId.
  [[nodiscard]] static std::string book_frame(std::string_view inst_id, std::string_view action,
                                              const std::vector<Level>& bids, const std::vector<Level>& asks,
                                              const PublishedBook& after, std::int64_t prev_seq_id,
                                              std::int64_t now_ms);
  [[nodiscard]] std::string top_frame(const std::string& market, std::int64_t now_ms) const;
  void emit_market(const std::string& market, std::int64_t now_ms, std::vector<WsOutput>& out);
  /// `orders` and `account` pushes of the engine's execution events since the last tick.
  void emit_private(std::int64_t now_ms, std::vector<WsOutput>& out);
  /// A `positions` push per connection whose account's SWAP positions changed.
  void emit_positions(std::vector<WsOutput>& out);
  /// The `positions` push of `c`'s SWAP positions that changed since it last heard of
  /// them (with `initial`: every open one, possibly none); empty when there is nothing to
  /// say and not `initial`.
  [[nodiscard]] std::string positions_frame(Connection& c, std::string_view topic_type, bool initial);
  /// The `account` push of `account`, its details the currencies of `only` (every one
  /// when null).
  [[nodiscard]] std::string account_frame(AccountId account, const std::vector<AssetBalance>* only,
                                          std::int64_t now_ms) const;
  /// The `orders` channel's object of `o` after `fill` (none: not a fill).
  [[nodiscard]] std::string order_object(const Order& o, const Instrument& in, const OrderTotals& totals,
                                         const Fill* fill) const;

  MatchingEngine& engine_;
  OkxFront& front_;
  std::unordered_map<std::string, Credential> credentials_;
  WsConnections<Connection> connections_;  // a dropped one is forgotten at the next tick()
  std::map<std::string, PublishedBook> books_;      // market → what `books` subscribers hold
  std::map<std::string, PublishedTop> tops_;        // market → what `bbo-tbt` subscribers hold
  std::map<std::string, std::int64_t> sequences_;   // market → its book's seqId now
  std::unordered_map<OrderId, OrderTotals> order_totals_;  // open orders that filled
};

}  // namespace cts::sim
