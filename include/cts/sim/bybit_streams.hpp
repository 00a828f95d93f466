#pragma once
/// \file
/// The simulator's Bybit v5 WebSocket side, pure and time-injected (like BinanceStreams):
/// the public streams `/v5/public/spot` and `/v5/public/linear` (`orderbook.<depth>.<symbol>`
/// with a snapshot after each subscription and deltas after it, `publicTrade.<symbol>`,
/// `tickers.<symbol>`) and the private stream `/v5/private` (`auth` with an HMAC-SHA256
/// of "GET/realtime" + expires, then the `order`, `execution`, `wallet` and `position`
/// (or `position.linear`) topics), and the trade stream `/v5/trade` (websocket/trade/
/// guideline.mdx: `auth` as on the private stream, then `order.create`, `order.amend`,
/// `order.cancel` and their `-batch` forms run by BybitFront::ws_order, replies with
/// retCode, data, retExtInfo and the X-Bapi-Limit header; a reqId used twice on a
/// connection is refused with 20006). Every stream answers `{"op":"ping"}`. Frame shapes
/// and field names from Bybit's v5 WebSocket documentation
/// (websocket/public/orderbook.mdx, trade.mdx, ticker.mdx, websocket/private/order.mdx,
/// execution.mdx, wallet.mdx, position.mdx, wss-authentication.mdx, connect.mdx); the
/// texts of refusals (ret_msg) are the simulator's own.
///
/// `tickers.<symbol>`: a snapshot after the subscription; then, at each tick that changed
/// a figure, a linear market sends a delta with only the figures that changed (what a
/// client merges onto its snapshot) and a spot market a new snapshot (Bybit sends spot
/// tickers as snapshots only). Figures: websocket/public/ticker.mdx's for the category
/// that the engine has (best bid and ask on linear, last price, mark and index price,
/// 24 h open, high, low, change, volume and turnover; funding rate 0); a figure that does
/// not exist yet (no trade, an empty side) is "".
///
/// `position`: at each tick, before the order and execution frames of the same tick
/// (Bybit, too, may send a fill's position update before its execution), one frame per
/// subscribed connection listing every linear position of its account that changed since
/// the subscription or the last frame (a fill, a leverage change; `seq` grew), in the
/// private topic's shape (entryPrice, category). No frame at subscription: Bybit sends
/// none either (the REST position list gives the state).
///
/// Deltas list every level touched since the last tick with its current size (0:
/// removed), whatever the subscribed depth: a client keeping the book by the
/// documented rule stays equal to the engine's book at its top levels.
///
/// The WebSocket faults of a FaultConfig (ws_drop, ws_drop_every) drop a connection
/// instead of sending one of its frames, counted in StreamsStats::drops, as on the
/// Binance side.
///
/// Not thread-safe (the Simulator serialises it with its engine).

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "cts/sign/hmac.hpp"
#include "cts/sim/binance_streams.hpp"
#include "cts/sim/bybit_front.hpp"
#include "cts/sim/matching_engine.hpp"
#include "cts/sim/ws_connections.hpp"

namespace cts::sim {

/// See the file comment.
class BybitStreams {
 public:
  /// A WebSocket side over `engine` and `front` (the REST front that knows each order's
  /// orderLinkId and runs the trade stream's orders), both of which must outlive it, dropping connections as `faults`'
  /// ws_drop and ws_drop_every say. Turns the engine's event recording on.
  BybitStreams(MatchingEngine& engine, BybitFront& front, const FaultConfig& faults = {});

  /// Replaces the WebSocket faults and restarts their dice and frame count.
  void set_faults(const FaultConfig& faults);

  /// Lets `api_key` with `secret` authenticate as `account`. Throws
  /// cts::Exception(invalid_argument) for an empty key or secret.
  void add_credential(std::string api_key, std::string_view secret, AccountId account);

  /// A connection asks to upgrade on `target` ("/v5/public/spot", "/v5/public/linear",
  /// "/v5/private", "/v5/trade", each with an optional query). Returns false (the server answers
  /// 404) for any other path.
  bool open(std::uint64_t connection, std::string_view target, std::int64_t now_ms);
  /// A text message on an open connection; appends the replies (and a subscription's
  /// snapshots) to `out`. Bad frames get a failed reply and change nothing.
  void message(std::uint64_t connection, std::string_view text, std::int64_t now_ms, std::vector<WsOutput>& out);
  /// The connection is gone; forgets it. Unknown ids are ignored.
  void close(std::uint64_t connection);
  /// Emits what happened since the last tick: the positions that changed, the private
  /// topics of the accounts whose orders changed, and book deltas, public trades and
  /// tickers of every market (the engine's records of them are taken even without
  /// subscribers).
  void tick(std::int64_t now_ms, std::vector<WsOutput>& out);

  /// Open connections (a dropped one is no longer listed).
  [[nodiscard]] std::vector<std::uint64_t> connections() const;
  /// Counters.
  [[nodiscard]] const StreamsStats& stats() const noexcept { return connections_.stats(); }

 private:
  enum class Kind : std::uint8_t { spot, linear, private_, trade };
  /// A ticker's figures as sent: (name, value) in the documented order.
  using TickerFields = std::vector<std::pair<std::string_view, std::string>>;
  struct Connection {
    Kind kind = Kind::spot;
    std::optional<AccountId> account;                   // private, once authenticated
    std::set<std::string> topics;                       // subscribed
    std::map<std::string, TickerFields> tickers_sent;   // tickers topic → the figures the client holds
    std::map<std::string, std::int64_t> position_seqs;  // market → seq of the position as last sent or seen
    std::set<std::string> req_ids;                      // trade: every reqId of an order op received
    bool dropped = false;                               // by a WebSocket fault: sends and hears nothing more
  };
  struct Credential {
    AccountId account = 0;
    sign::HmacSha256 mac;
  };
  struct Request;

  void subscribe(std::uint64_t id, Connection& c, const Request& request, std::int64_t now_ms,
                 std::vector<WsOutput>& out);
  void authenticate(std::uint64_t id, Connection& c, const Request& request, std::int64_t now_ms,
                    std::vector<WsOutput>& out);
  /// Checks `auth` arguments [key, expires, signature] at `now_ms`: nullopt and `account`
  /// set when they are good, else Bybit's code and message (10001 malformed or expired,
  /// 10003 unknown key, 10004 wrong signature).
  [[nodiscard]] std::optional<std::pair<long, std::string_view>> check_auth(const std::vector<std::string>& args,
                                                                          std::int64_t now_ms,
                                                                          AccountId& account) const;
  /// A frame on a `/v5/trade` connection (bybit_trade_stream.cpp).
  void trade_message(std::uint64_t id, Connection& c, std::string_view text, std::int64_t now_ms,
                     std::vector<WsOutput>& out);
  /// The public connection kind that carries listed market `market`'s topics.
  [[nodiscard]] Kind market_kind(const std::string& market) const;
  /// The engine's market name of `symbol` on a public connection of `kind`, if listed.
  [[nodiscard]] std::optional<std::string> market_of(Kind kind, std::string_view symbol) const;
  /// The snapshot frame of book topic `topic` for a new subscriber: what the topic's
  /// subscribers were last sent, or, when nobody listens to it yet, the engine's top
  /// `depth` levels now (which become what was sent).
  [[nodiscard]] std::string book_frame(std::string_view topic, const std::string& market, std::size_t depth,
                                       std::int64_t now_ms);
  /// True when a connection of `kind` listens to `topic` (frames nobody hears are not built).
  [[nodiscard]] bool has_subscriber(Kind kind, const std::string& topic) const;
  void publish(Kind kind, std::string_view topic, const std::string& frame, std::vector<WsOutput>& out);
  void emit_market(const std::string& market, std::int64_t now_ms, std::vector<WsOutput>& out);
  void emit_private(std::int64_t now_ms, std::vector<WsOutput>& out);
  /// The `tickers` figures of `market` (a linear one carries the derivatives figures).
  [[nodiscard]] TickerFields ticker_fields(const std::string& market, std::int64_t now_ms) const;
  void emit_tickers(const std::string& market, Kind kind, std::int64_t now_ms, std::vector<WsOutput>& out);
  /// The topic under which connection `c` hears positions ("position" or
  /// "position.linear"), or empty when it does not.
  [[nodiscard]] static std::string_view position_topic(const Connection& c);
  /// Marks every linear position of `c`'s account as heard (no frame for what came before).
  void note_positions(Connection& c) const;
  void emit_positions(std::int64_t now_ms, std::vector<WsOutput>& out);

  MatchingEngine& engine_;
  BybitFront& front_;
  std::unordered_map<std::string, Credential> credentials_;
  WsConnections<Connection> connections_;  // a dropped one is forgotten at the next tick()
  /// What a book topic's subscribers were last sent: its top levels and its update id u.
  struct PublishedBook {
    std::vector<Level> bids;  // best first
    std::vector<Level> asks;  // best first
    std::uint64_t update_id = 0;
  };
  std::map<std::string, PublishedBook> published_;  // book topic → its last state sent
  std::uint64_t sequence_ = 1;                      // seq: one cross sequence for every book
  std::uint64_t next_frame_id_ = 1;
  std::uint64_t next_trace_id_ = 1;  // the trade stream's Traceid
};

}  // namespace cts::sim
