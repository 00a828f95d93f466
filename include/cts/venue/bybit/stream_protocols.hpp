#pragma once
/// \file
/// Bybit v5's stream protocols on the venue seam: PublicMarketStream (the public
/// `orderbook.<depth>.<symbol>` topic of one category, snapshots and deltas in the
/// stream, kept by BookSync) and PrivateUserStream (the private stream: an `auth` frame
/// signed with the API secret, then the `order` and `wallet` topics, and `position` for
/// linear contracts). Both answer the
/// venue's keep-alive rule with `{"op":"ping"}` (websocket/connect.mdx: every 20 s).

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cts/core/result.hpp"
#include "cts/sign/bybit.hpp"
#include "cts/sign/signer.hpp"
#include "cts/venue/bybit/book_sync.hpp"
#include "cts/venue/bybit/enums.hpp"
#include "cts/venue/market_stream.hpp"
#include "cts/venue/user_stream.hpp"

namespace cts::venue::bybit {

/// The order book of one symbol on the public stream of its category (path
/// "/v5/public/spot" or "/v5/public/linear"). Bybit sends a snapshot after each
/// subscription and deltas after it; a delta without a book, or a book left crossed,
/// is a gap, mended by subscribing again on a new connection.
class PublicMarketStream final : public MarketStream {
 public:
  /// For `symbol` (e.g. "BTCUSDT") in `category`, `depth` levels (1, 50 or 200; linear
  /// also 500).
  PublicMarketStream(std::string symbol, Category category, int depth = 50);

  [[nodiscard]] std::string path() const override;
  [[nodiscard]] std::string_view application_ping() const noexcept override { return kPingFrame; }
  /// One subscribe frame for the order book topic (req_id "cts-book").
  [[nodiscard]] std::vector<std::string> subscriptions() const override;
  /// The book topic → book (gap: see the class comment; an old delta → none); the
  /// reply to our subscribe → subscribed, or its error (invalid_argument with Bybit's
  /// message); pongs, other topics and other symbols → none.
  [[nodiscard]] Result<MarketChange> on_message(std::string_view text) override;
  [[nodiscard]] bool rest_snapshots() const noexcept override { return false; }
  /// Always unsupported: Bybit's snapshots come in the stream.
  [[nodiscard]] Result<MarketChange> on_snapshot(const BookSnapshot& snapshot) override;
  void reset() override { sync_ = BookSync{}; }
  [[nodiscard]] bool synced() const noexcept override { return sync_.synced(); }
  [[nodiscard]] const OrderBook& book() const noexcept override { return sync_.book(); }
  /// Never set: the book's best levels are the top.
  [[nodiscard]] const std::optional<BookTicker>& ticker() const noexcept override { return ticker_; }

 private:
  std::string symbol_;
  Category category_;
  std::string topic_;
  BookSync sync_;
  std::optional<BookTicker> ticker_;
};

/// The private stream of one account for one category (path "/v5/private" under the
/// stream host). The fills of an order reported Filled or PartiallyFilled are fetched
/// by the executor from REST (its cumulative quantity exceeds the fills it knows).
/// Linear streams also subscribe the all-in-one `position` topic (one subscribe frame
/// holds only all-in-one topics: websocket/private/position.mdx forbids mixing them
/// with categorised ones) and keep its linear positions.
class PrivateUserStream final : public UserStreamProtocol {
 public:
  /// Authenticating with `signer` (which must outlive the stream), for `category`.
  PrivateUserStream(const sign::BybitSigner& signer, Category category) : signer_(signer), category_(category) {}

  /// Makes the stream of `category` for `signer`. Errors: invalid_argument when it is
  /// not Bybit's.
  static Result<std::unique_ptr<UserStreamProtocol>> make(const sign::Signer& signer, Category category);
  /// make(signer, Category::spot): the registry's factory of `bybit spot`.
  static Result<std::unique_ptr<UserStreamProtocol>> make_spot(const sign::Signer& signer) {
    return make(signer, Category::spot);
  }
  /// make(signer, Category::linear): the registry's factory of `bybit linear`.
  static Result<std::unique_ptr<UserStreamProtocol>> make_linear(const sign::Signer& signer) {
    return make(signer, Category::linear);
  }

  [[nodiscard]] std::string_view application_ping() const noexcept override { return kPingFrame; }
  /// The `auth` frame (expires = `venue_now` + 10 s) and one subscribe frame for the
  /// `order` and `wallet` topics, and `position` for linear (req_id "cts-private").
  [[nodiscard]] Result<std::vector<std::string>> subscriptions(SystemTime venue_now) const override;
  /// A failed `auth` → auth_failed with Bybit's message; a failed subscribe →
  /// invalid_argument; our subscribe's success → UserSubscribed; `order` → one
  /// OrderUpdate per order; `wallet` → BalancesUpdate; `position` (linear streams) → one
  /// venue::PositionsUpdate of its positions of category linear (the frame's
  /// creationTime as event time; other categories are left out, and a frame with none
  /// gives nothing); pongs and other topics → nothing.
  [[nodiscard]] Result<std::vector<UserEvent>> on_message(std::string_view text) override;

 private:
  const sign::BybitSigner& signer_;
  Category category_;
};

}  // namespace cts::venue::bybit
