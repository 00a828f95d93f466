#pragma once
/// \file
/// BingX's swap WebSocket, sans I/O (docs v3 "WebSocket Rules" and "Partial Order Book
/// Depth"): every server message is GZIP-compressed; the server sends `Ping` every 5 s
/// and wants `Pong` back; a subscription is `{"id","reqType":"sub","dataType"}`, answered
/// with `{"id","code":0,"msg":"","dataType":"","data":null}`; a push carries its
/// `dataType`, e.g. the partial depth `BTC-USDT@depth20@500ms`, whose `data.bids` and
/// `data.asks` are the whole top of the book (the docs print asks highest first). Spot's
/// market stream (docs v3 spot "Subscribe Market Depth Data") is the same protocol on
/// `/market` (`wss://open-api-ws.bingx.com/market`), its partial depth named
/// `<symbol>@depth<level>` (e.g. `BTC-USDT@depth50`, pushed every 300 ms), its pushes
/// timed by `timestamp` instead of `ts`, its subscription replies
/// `{"code":0,"id","msg":"SUCCESS","timestamp"}`. Both markets also push
/// `<symbol>@trade` (swap "Subscribe to Tick-by-Tick Trades": `data` an array of
/// `{q,p,T,m,s}`; spot "Subscription transaction by transaction": `data` one
/// `{E,T,e,m,p,q,s,t}`) and `<symbol>@bookTicker` (swap "Subscribe to the Book Ticker
/// Streams", every 200 ms: `{e,u,E,T,s,b,B,a,A}`; spot "Spot Best Order Book", in real
/// time: `{A,B,E,a,b,e,s}`), which a PublicMarketStream subscribes when asked.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cts/core/result.hpp"
#include "cts/venue/market_stream.hpp"
#include "cts/venue/types.hpp"

namespace cts::venue::bingx {

/// The swap market stream's path under the stream host
/// (`wss://open-api-swap.bingx.com/swap-market`; VST demo:
/// `wss://vst-open-api-ws.bingx.com/swap-market`).
inline constexpr std::string_view kSwapStreamPath = "/swap-market";
/// The spot market stream's path (`wss://open-api-ws.bingx.com/market`), also the spot
/// account stream's.
inline constexpr std::string_view kSpotStreamPath = "/market";
/// The server's keep-alive text and the answer it wants.
inline constexpr std::string_view kServerPing = "Ping";
/// The answer to kServerPing.
inline constexpr std::string_view kPong = "Pong";
/// Largest frame inflate_frame() returns (a 1000-level depth is far below it).
inline constexpr std::size_t kMaxInflatedBytes = 16 * 1024 * 1024;
/// Levels per side of the partial depth the market stream subscribes.
inline constexpr int kStreamDepthLevels = 20;

/// `frame` as text: a GZIP stream (it starts with 0x1f 0x8b) inflated, anything else
/// returned as it is (the simulator and tests may send plain text). Errors: protocol_error
/// for a corrupt or truncated GZIP stream or one inflating beyond kMaxInflatedBytes.
[[nodiscard]] Result<std::string> inflate_frame(std::string_view frame);

/// Frames at most this long are inflated by answer_ping(); BingX's GZIP `Ping` is about
/// 24 bytes, every push is far longer.
inline constexpr std::size_t kMaxPingFrameBytes = 64;

/// `Pong` when `frame` (GZIP or plain) is the server's `Ping`, empty otherwise. Cheap for
/// every other frame (only frames up to kMaxPingFrameBytes are inflated): the WebSocket
/// client's io thread calls it on each frame. Thread-safe.
[[nodiscard]] std::string answer_ping(std::string_view frame);

/// The subscription frame of `data_type` with request id `id`.
[[nodiscard]] std::string subscribe_frame(std::string_view id, std::string_view data_type);

/// The target of an account-stream connection: `url_target` (a trailing '/' dropped;
/// `default_path` when it names no path) + "?listenKey=<key>"; `url_target` alone when
/// `key` is empty. Carries the key: do not log it.
[[nodiscard]] std::string listen_key_target(std::string_view key, std::string_view url_target,
                                            std::string_view default_path);

/// The partial-depth data type of `symbol`: "<symbol>@depth<kStreamDepthLevels>@500ms".
[[nodiscard]] std::string depth_data_type(std::string_view symbol);

/// The spot partial-depth data type of `symbol`: "<symbol>@depth<kStreamDepthLevels>".
[[nodiscard]] std::string spot_depth_data_type(std::string_view symbol);

/// The trade data type of `symbol`, swap and spot: "<symbol>@trade".
[[nodiscard]] std::string trade_data_type(std::string_view symbol);

/// The best bid/ask data type of `symbol`, swap and spot: "<symbol>@bookTicker".
[[nodiscard]] std::string book_ticker_data_type(std::string_view symbol);

/// Which of BingX's market streams a PublicMarketStream reads.
enum class StreamMarket : std::uint8_t {
  swap,  ///< The USDT-M perpetual swap on kSwapStreamPath.
  spot,  ///< Spot on kSpotStreamPath.
};

/// One received frame, inflated and classified.
struct StreamMessage {
  /// What the frame is.
  enum class Kind : std::uint8_t {
    ping,   ///< The server's `Ping`.
    reply,  ///< The answer to a subscription (`id`, `code`, `msg`).
    push,   ///< A push of `data_type`.
  };
  Kind kind = Kind::push;      ///< What the frame is.
  std::string id;              ///< reply: the request's id.
  long code = 0;               ///< reply and push: BingX's code (0: fine).
  std::string message;         ///< reply: `msg`.
  std::string data_type;       ///< push: `dataType`.
  std::int64_t time_ms = 0;    ///< push: `ts` (swap) or `timestamp` (spot) when given.
  BookSnapshot depth;          ///< push of a depth data type: its levels in book order.
  /// push of a trade data type: its trades as sent (the swap sends a batch, spot one),
  /// `id` empty where the push names none (the swap's).
  std::vector<Trade> trades;
  /// push of a book-ticker data type: the best bid and ask, `symbol` as pushed and
  /// `update_id` the push's event time `E` in ms (so comparable with a depth's
  /// last_update_id, the depth push's time; the swap's own update id `u` counts
  /// something else), `T` where `E` is absent.
  std::optional<BookTicker> ticker;
};

/// Inflates and reads one frame. Errors: protocol_error for a frame that is neither
/// `Ping` nor a JSON object of the shapes above, a depth push with malformed or missing
/// levels, a trade without a decimal `p` and `q` or an integer `T`, a book ticker
/// without a decimal `b`, `B`, `a` and `A`, or a member of those of the wrong type.
/// Unknown members are ignored; pushes of other data types keep only their data type.
[[nodiscard]] Result<StreamMessage> parse_stream_message(std::string_view frame);

/// What a PublicMarketStream subscribes besides the depth.
struct MarketStreamOptions {
  bool book_ticker = false;  ///< Also `<symbol>@bookTicker` (ticker()).
  bool trades = false;       ///< Also `<symbol>@trade` (last_trade()).
};

/// The partial order book of one symbol on the swap or spot market stream: every depth push
/// replaces the book (BingX sends the whole top each time: no sequence to keep, no gap
/// possible); when asked, the best bid/ask of `<symbol>@bookTicker` (ticker()) and the
/// newest trade of `<symbol>@trade` (last_trade()). Each data type is one subscription
/// frame. The server's `Ping` is answered with `Pong` (answer()); the client's own
/// keep-alive is the WebSocket protocol ping.
class PublicMarketStream final : public MarketStream {
 public:
  /// For `symbol` (e.g. "BTC-USDT") of `market`, subscribing what `options` ask besides
  /// the depth.
  explicit PublicMarketStream(std::string symbol, StreamMarket market = StreamMarket::swap,
                              MarketStreamOptions options = {})
      : symbol_(std::move(symbol)), market_(market), options_(options) {}
  /// The registry's factory (swap).
  static std::unique_ptr<MarketStream> make(std::string_view symbol) {
    return std::make_unique<PublicMarketStream>(std::string(symbol));
  }
  /// The registry's factory for spot.
  static std::unique_ptr<MarketStream> make_spot(std::string_view symbol) {
    return std::make_unique<PublicMarketStream>(std::string(symbol), StreamMarket::spot);
  }
  /// kSwapStreamPath or kSpotStreamPath.
  [[nodiscard]] std::string path() const override {
    return std::string(market_ == StreamMarket::spot ? kSpotStreamPath : kSwapStreamPath);
  }
  /// `Pong` for the server's `Ping`, empty for any other frame (answer_ping()).
  [[nodiscard]] std::string answer(std::string_view text) const override { return answer_ping(text); }
  /// The depth subscription of the symbol, then the book ticker's and the trades' when
  /// asked (one frame each).
  [[nodiscard]] std::vector<std::string> subscriptions() const override;
  /// The depth push of our symbol → book (a crossed push: gap); its book-ticker push
  /// (when asked) → ticker, unless older than the ticker held (none); its trade push
  /// (when asked) → last_trade() and none; the reply to our depth subscription →
  /// subscribed; a non-zero code in the reply to any of our subscriptions or in one of
  /// our pushes → BingX's error (80015 unknown symbol: invalid_argument); `Ping`, other
  /// pushes and replies → none.
  [[nodiscard]] Result<MarketChange> on_message(std::string_view text) override;
  [[nodiscard]] bool rest_snapshots() const noexcept override { return false; }
  /// Always unsupported: the depth comes whole in the stream.
  [[nodiscard]] Result<MarketChange> on_snapshot(const BookSnapshot& snapshot) override;
  /// Discards the book, the ticker and the last trade.
  void reset() override {
    book_.clear();
    synced_ = false;
    ticker_.reset();
    last_trade_.reset();
  }
  [[nodiscard]] bool synced() const noexcept override { return synced_; }
  [[nodiscard]] const OrderBook& book() const noexcept override { return book_; }
  /// The newest `@bookTicker` best bid/ask (never set without
  /// MarketStreamOptions::book_ticker); its update_id is the push's time in ms, as the
  /// book's last_update_id().
  [[nodiscard]] const std::optional<BookTicker>& ticker() const noexcept override { return ticker_; }
  /// The symbol's newest public trade by trade time (empty until one arrives, or without
  /// MarketStreamOptions::trades).
  [[nodiscard]] const std::optional<Trade>& last_trade() const noexcept { return last_trade_; }

 private:
  // The depth data type subscribed.
  [[nodiscard]] std::string data_type() const;
  // True when `id` names one of our subscriptions.
  [[nodiscard]] bool ours(std::string_view id) const;

  std::string symbol_;
  StreamMarket market_;
  MarketStreamOptions options_;
  OrderBook book_;
  bool synced_ = false;
  std::optional<BookTicker> ticker_;
  std::optional<Trade> last_trade_;
};

}  // namespace cts::venue::bingx
