#pragma once
/// \file
/// The simulator's BingX swap WebSocket side (market data), the WebSocket half of
/// BingxFront: connections on `/swap-market` subscribe partial depths with
/// `{"id","reqType":"sub"|"unsub","dataType":"<symbol>@depth<levels>@<interval>"}` (levels
/// 5, 10, 20, 50 or 100; interval as given, e.g. 500ms), answered with
/// `{"id","code":0,"msg":"","dataType":"","data":null}` or code 80015 ("dataType not
/// supported", also for an unknown symbol); every subscribed depth is pushed whole every
/// 200 ms, the docs' interval for BTC-USDT and ETH-USDT, whatever interval the data type
/// names (`{"code":0,"dataType","ts","data":{"bids","asks"}}`, asks highest first as the
/// docs print them); the server sends `Ping` every 5 s and wants the text `Pong` back: a
/// connection that has not answered a Ping when the next one is due is closed (BingX's
/// FAQ names an unanswered Ping as why it disconnects; how long it waits is not
/// documented, one interval is assumed). Every frame it sends is GZIP-compressed in a binary frame, as BingX's.
/// A connection on `/swap-market?listenKey=K` is refused unless K is a live key of the
/// front; it then hears its account's events without subscribing (swap-v2 "Websocket
/// account information push"): every order change as `ORDER_TRADE_UPDATE` (`o`: s, c, i,
/// S, o, q, p, ap, x, X, N, n, T, wt, ps, rp, z as the docs list them; `n` and `rp` the
/// transaction's fee, negative when charged, and realised PnL), and after a change that
/// moved funds an `ACCOUNT_UPDATE` (`a.m` ORDER, `a.B` the settlement asset's wallet
/// balance, `a.P` the symbol's one-way position, signed). Once the key is no longer live
/// (expired or closed) the connection gets `listenKeyExpired` and hears nothing more.
/// Spot (docs v3 spot WebSocket pages) is served on `/market` the same way: depths named
/// `<symbol>@depth<levels>` (5, 10, 20, 50 or 100) of the spot markets, pushed whole every
/// 300 ms as `{"code":0,"dataType","data":{"asks","bids","lastUpdateId"},"success":true,
/// "timestamp"}`; subscriptions answered `{"code":0,"id","msg":"SUCCESS","timestamp"}`; on
/// `/market?listenKey=K` the account's spot events once subscribed: `spot.executionReport`
/// (`{"code":0,"dataType":"spot.executionReport","data":{e,E,s,S,o,q,p,x,X,i,c,l,z,L,n,N,T,
/// t,O,Z,Y,Q,m}}`, `n` the fee written negative, `t` the engine's trade id) and
/// `ACCOUNT_UPDATE` (`a.B` the base and quote assets after a change: `wb` total, `lk`
/// locked). A swap connection hears only swap events and a spot one only spot events.
/// Both markets also serve `<symbol>@trade` and `<symbol>@bookTicker` as the docs v3
/// pages print them: the swap's trades of one tick as one push whose `data` is an array of
/// `{q,p,T,m,s}` ("Subscribe to Tick-by-Tick Trades"), spot's one push a trade, `data`
/// `{E,T,e,m,p,q,s,t}` ("Subscription transaction by transaction"), after each fill of the
/// matching engine; the swap's `{e,u,E,T,s,b,B,a,A}` ("Subscribe to the Book Ticker
/// Streams", `u` the engine's update id) and spot's `{A,B,E,a,b,e,s}` ("Spot Best Order
/// Book") on subscribing and whenever the top of the book changed (BingX's swap pushes it
/// every 200 ms; an empty side is written 0). The market changes the engine records are taken every tick,
/// so they do not pile up.
/// The ws_drop faults apply. Not thread-safe (the Simulator serialises).

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "cts/sim/bingx_front.hpp"
#include "cts/sim/binance_streams.hpp"
#include "cts/sim/faults.hpp"
#include "cts/sim/matching_engine.hpp"
#include "cts/sim/ws_connections.hpp"

namespace cts::sim {

/// `text` as a GZIP stream (zlib deflate with a gzip wrapper).
std::string gzip_text(std::string_view text);

/// See the file comment.
class BingxStreams {
 public:
  /// A WebSocket side over `engine` and `front` (its listen keys); both must outlive it.
  BingxStreams(MatchingEngine& engine, const BingxFront& front, const FaultConfig& faults = {});
  /// Replaces the ws_drop faults.
  void set_faults(const FaultConfig& faults) { connections_.set_faults(faults); }
  /// Accepts connection `connection` on `target` at `now_ms` (false: refused).
  bool open(std::uint64_t connection, std::string_view target, std::int64_t now_ms);
  /// Handles one received frame.
  void message(std::uint64_t connection, std::string_view text, std::int64_t now_ms, std::vector<WsOutput>& out);
  /// Forgets `connection`.
  void close(std::uint64_t connection) { connections_.close(connection); }
  /// Closes the connections that did not answer their last Ping, then pushes the depths
  /// and pings due at `now_ms`.
  void tick(std::int64_t now_ms, std::vector<WsOutput>& out);
  /// The live connections.
  [[nodiscard]] std::vector<std::uint64_t> connections() const { return connections_.ids(); }
  /// The side's counters.
  [[nodiscard]] const StreamsStats& stats() const noexcept { return connections_.stats(); }

 private:
  struct Connection {
    bool dropped = false;
    std::set<std::string> depths;  // subscribed data types
    std::int64_t next_depth_ms = 0;
    std::int64_t next_ping_ms = 0;
    bool ping_unanswered = false;  // a Ping was sent and no Pong came since
    std::string listen_key;        // the account connection's key ("" for market data)
    std::optional<AccountId> account;  // the listening account while its key is live
    bool spot = false;                 // on /market: spot's data types and events
    std::set<std::string> topics;      // spot: the account data types subscribed
    std::set<std::string> feeds;       // the trade and book-ticker data types subscribed
  };
  // A book's best bid and ask (zero levels for an empty side).
  struct Top {
    Level bid;
    Level ask;
    bool operator==(const Top& other) const {
      return bid.price == other.bid.price && bid.quantity == other.bid.quantity && ask.price == other.ask.price &&
             ask.quantity == other.ask.quantity;
    }
  };
  // The book-ticker push of `in`'s top at `now_ms`.
  [[nodiscard]] std::string ticker_push(const Instrument& in, std::int64_t now_ms) const;
  // After subscription `type` of `data_type` (spot's when `spot`) was accepted: a book
  // ticker's current top at once, as a subscriber would otherwise wait for a change.
  void first_ticker(std::uint64_t connection, std::string_view type, const std::string& data_type, bool spot,
                    std::int64_t now_ms, std::vector<WsOutput>& out);
  // The market that trade or book-ticker data type `data_type` names (spot's when
  // `spot`), none when it names no such data type or market.
  [[nodiscard]] std::optional<std::string> feed_market(std::string_view data_type, bool spot) const;
  // Takes every market's changes and pushes its new trades and changed top to the
  // connections that subscribed them.
  void emit_market(std::int64_t now_ms, std::vector<WsOutput>& out);
  // The trade pushes of `trades` of `in`: one for the swap's batch, one a trade for spot.
  [[nodiscard]] std::vector<std::string> trade_pushes(const Instrument& in, const std::vector<Trade>& trades,
                                                      std::int64_t now_ms) const;
  // Pushes the account events the engine recorded, and listenKeyExpired to connections
  // whose key died.
  void emit_account(std::int64_t now_ms, std::vector<WsOutput>& out);
  // The ORDER_TRADE_UPDATE of `event`.
  [[nodiscard]] std::string order_frame(const ExecutionEvent& event) const;
  // The ACCOUNT_UPDATE after `event` moved funds of `o.account`.
  [[nodiscard]] std::string account_frame(const Order& o, std::int64_t time_ms) const;
  // The spot.executionReport of `event`.
  [[nodiscard]] std::string spot_order_frame(const ExecutionEvent& event) const;
  // The spot ACCOUNT_UPDATE of the base and quote assets of `o` after a change.
  [[nodiscard]] std::string spot_account_frame(const Order& o, std::int64_t time_ms) const;
  // Answers spot subscription `data_type` of connection `c` (id `id`) as BingX spot does.
  void spot_subscription(std::uint64_t connection, Connection& c, std::string_view id, std::string_view type,
                         const std::string& data_type, std::int64_t now_ms, std::vector<WsOutput>& out);
  // Sends `text` compressed to `id`.
  void send(std::uint64_t id, std::string_view text, std::vector<WsOutput>& out);
  // The depth push of `data_type` (spot's form when `spot`), or "" when it names no
  // market or level count.
  [[nodiscard]] std::string depth_frame(const std::string& data_type, std::int64_t now_ms, bool spot = false) const;

  MatchingEngine& engine_;
  const BingxFront& front_;
  WsConnections<Connection> connections_;
  std::map<std::string, std::optional<Top>> tops_;  // per market: the top last seen
};

}  // namespace cts::sim
