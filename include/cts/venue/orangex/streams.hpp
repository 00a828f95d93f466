#pragma once
/// \file
/// OrangeX's WebSocket, sans-I/O: the JSON-RPC subscribe call, the text heartbeat and
/// the frame classifier, and PublicMarketStream, the seam's market-data protocol of one
/// instrument (the `book.<instrument>.raw` channel joined to a REST snapshot).
///
/// Verified against the official SDK (OrangeX-Global/orangex-api-python,
/// websocket_client.py and websocket_async.py): the URL `/ws/api/v1`; the text `PING`
/// every few seconds, answered `PONG`; `/public/subscribe` with `params.channels`;
/// `book.<instrument>.raw`; the notification `{"method":"subscription","params":
/// {"channel","data"}}` whose data carries `instrument_name`, `change_id`, `timestamp`,
/// `bids` and `asks`, each entry `[price, amount]` or `[action, price, amount]` with
/// action `delete` removing the level; and the book procedure: buffer the events, take a
/// REST snapshot whose `version` is at least the first event's change_id - 1 (else take
/// another), drop the events up to the version, then apply each event whose change_id
/// is the last one + 1 (a larger one is a gap: rebuild). Assumed (Deribit's): an amount of
/// 0 also removes a level; the subscribe reply is a JSON-RPC result. The private
/// channels (user_stream.hpp): the SDK shows `user.trades.<instrument>.raw` subscribed by
/// `/private/subscribe` after `/public/auth` on the connection; the data of it and of
/// `user.orders.<instrument>.raw` and `user.portfolio.<currency>` are assumed to be
/// Deribit's (the REST replies' trade, order and account-summary objects).

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "cts/core/result.hpp"
#include "cts/venue/json_reader.hpp"
#include "cts/venue/market_stream.hpp"
#include "cts/venue/order_book.hpp"
#include "cts/venue/types.hpp"

namespace cts::venue::orangex {

/// The WebSocket path (the SDK's `wss://api.orangex.com/ws/api/v1`).
inline constexpr std::string_view kStreamPath = "/ws/api/v1";
/// The heartbeat the client sends (the SDK sends it every 5 s).
inline constexpr std::string_view kPingFrame = "PING";
/// The venue's answer to it.
inline constexpr std::string_view kPongFrame = "PONG";
/// Most book events buffered while waiting for a snapshot.
inline constexpr std::size_t kMaxBufferedBookEvents = 4096;

/// `book.<instrument>.raw`.
std::string book_channel(std::string_view instrument);
/// The call `{"jsonrpc":"2.0","id":<id>,"method":"<method>","params":{"channels":[...]}}`
/// (method `/public/subscribe` or `/private/subscribe`).
std::string subscribe_frame(std::int64_t id, std::string_view method, const std::vector<std::string>& channels);

/// One `book.<instrument>.raw` event: the levels it sets (amount 0: removed).
struct BookEvent {
  std::string instrument;           ///< instrument_name.
  std::uint64_t change_id = 0;      ///< change_id.
  std::int64_t time_ms = 0;         ///< timestamp.
  std::vector<PriceLevel> bids;     ///< Bid levels set (0: removed).
  std::vector<PriceLevel> asks;     ///< Ask levels set (0: removed).
};

/// The reply to one of our calls on the WebSocket (a subscribe's, say).
struct CallReply {
  std::optional<std::int64_t> id;  ///< The call's id.
  std::optional<Error> error;      ///< The venue's error, mapped (errors.hpp); none: the call succeeded.
};

/// The `PONG` heartbeat answer.
struct Pong {};

/// A `user.orders.<instrument>.raw` notification: the orders as they are after the event
/// (one order object, or an array of them).
struct OrdersEvent {
  std::vector<OrderReport> orders;  ///< Each order's state (replies.hpp's order fields).
};

/// A `user.trades.<instrument>.raw` notification: the account's new executions (an
/// array of trades, or one).
struct TradesEvent {
  std::vector<AccountTrade> trades;  ///< replies.hpp's trade fields.
};

/// A `user.portfolio.<currency>` notification: the account summary after a change.
struct PortfolioEvent {
  Balance balance;  ///< currency, available_funds (free), initial_margin (locked).
};

/// A notification of a channel the classifier does not read (its name kept).
struct OtherNotification {
  std::string channel;  ///< The channel.
};

/// One frame of the WebSocket.
using StreamFrame =
    std::variant<Pong, CallReply, BookEvent, OrdersEvent, TradesEvent, PortfolioEvent, OtherNotification>;

/// `user.orders.<instrument>.raw`.
std::string user_orders_channel(std::string_view instrument);
/// `user.trades.<instrument>.raw`.
std::string user_trades_channel(std::string_view instrument);
/// `user.portfolio.<currency>`.
std::string user_portfolio_channel(std::string_view currency);

/// Classifies one text frame. Errors: protocol_error for a frame that is neither `PONG`
/// nor a JSON-RPC reply or notification, or a book, orders, trades or portfolio event
/// with a malformed or missing member.
Result<StreamFrame> parse_stream_frame(std::string_view text, JsonReader& reader = thread_json_reader());

/// The market-data protocol of one instrument: `book.<instrument>.raw` seeded by a REST
/// snapshot (Gateway::depth's `version`), as the SDK builds its book.
class PublicMarketStream final : public MarketStream {
 public:
  /// For `instrument` (e.g. "BTC-USDT-PERPETUAL").
  explicit PublicMarketStream(std::string instrument) : instrument_(std::move(instrument)) {}
  /// The registry's factory.
  static std::unique_ptr<MarketStream> make(std::string_view instrument) {
    return std::make_unique<PublicMarketStream>(std::string(instrument));
  }
  [[nodiscard]] std::string path() const override { return std::string(kStreamPath); }
  [[nodiscard]] std::string_view application_ping() const noexcept override { return kPingFrame; }
  /// The `/public/subscribe` call of the book channel.
  [[nodiscard]] std::vector<std::string> subscriptions() const override;
  /// `PONG`, other channels → none; the reply to our subscribe → subscribed (its error:
  /// the error); a book event → waiting (buffered until a snapshot), book, none (already
  /// in the book) or gap (a change_id skipped, a crossed book, the buffer full).
  [[nodiscard]] Result<MarketChange> on_message(std::string_view text) override;
  [[nodiscard]] bool rest_snapshots() const noexcept override { return true; }
  [[nodiscard]] std::size_t snapshot_limit() const noexcept override { return 100; }
  /// Loads the snapshot and the buffered events after it: book; waiting when its version
  /// is below the first buffered change_id - 1; gap when the buffered events skip one.
  [[nodiscard]] Result<MarketChange> on_snapshot(const BookSnapshot& snapshot) override;
  void reset() override;
  [[nodiscard]] bool synced() const noexcept override { return synced_; }
  [[nodiscard]] const OrderBook& book() const noexcept override { return book_; }
  /// Never set: no ticker channel is subscribed.
  [[nodiscard]] const std::optional<BookTicker>& ticker() const noexcept override { return ticker_; }

 private:
  // Applies `event` to the synced book: book, none (old) or gap.
  Result<MarketChange> apply(const BookEvent& event);

  std::string instrument_;
  OrderBook book_;
  bool synced_ = false;
  std::deque<BookEvent> buffered_;
  std::optional<BookTicker> ticker_;
};

}  // namespace cts::venue::orangex
