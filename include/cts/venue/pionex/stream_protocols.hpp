#pragma once
/// \file
/// Pionex's stream protocols on the venue seam (pionex-open-api websocketapi.yaml):
/// PublicMarketStream (the DEPTH topic of one symbol on "/wsPub": the top levels, whole,
/// in every message) and PrivateUserStream (the connection to "/ws" authenticated by its
/// query — `key`, `timestamp` and `signature`, sign::PionexSigner::ws_auth_query — then the
/// ORDER and FILL topics of the followed symbol and BALANCE). Both answer the server's
/// `{"op":"PING"}` heartbeat with the PONG it asks for (answer()); three unanswered pings
/// close the connection. The specification documents no subscription acknowledgement: the
/// private stream is live once connected (subscribed_by_connecting()).

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "cts/core/clock.hpp"
#include "cts/core/result.hpp"
#include "cts/sign/pionex.hpp"
#include "cts/sign/signer.hpp"
#include "cts/venue/market_stream.hpp"
#include "cts/venue/order_book.hpp"
#include "cts/venue/user_stream.hpp"

namespace cts::venue::pionex {

/// Levels per side the market stream subscribes (DEPTH takes 1 to 100).
inline constexpr int kStreamDepth = 20;

/// The order book of one symbol from the DEPTH topic (path "/wsPub"). Every message
/// replaces the book: there is no sequence to keep and no gap to mend, except a crossed
/// book, which is reported as one.
class PublicMarketStream final : public MarketStream {
 public:
  /// For `symbol` (e.g. "BTC_USDT").
  explicit PublicMarketStream(std::string symbol) : symbol_(std::move(symbol)) {}

  /// Makes the stream of `symbol`: the registry's factory.
  static std::unique_ptr<MarketStream> make(std::string_view symbol) {
    return std::make_unique<PublicMarketStream>(std::string(symbol));
  }

  [[nodiscard]] std::string path() const override { return std::string("/wsPub"); }
  /// The PONG for a PING frame (see answer_ping()), else empty.
  [[nodiscard]] std::string answer(std::string_view text) const override;
  /// One frame: SUBSCRIBE DEPTH of the symbol with limit kStreamDepth.
  [[nodiscard]] std::vector<std::string> subscriptions() const override;
  /// DEPTH of our symbol → book (gap for a crossed book, which is discarded); an error
  /// reply → the venue's error; pings, trades, other symbols and frames → none.
  /// Errors: protocol_error for a malformed frame or book (nothing changes).
  [[nodiscard]] Result<MarketChange> on_message(std::string_view text) override;
  [[nodiscard]] bool rest_snapshots() const noexcept override { return false; }
  /// Always unsupported: the stream sends whole books.
  [[nodiscard]] Result<MarketChange> on_snapshot(const BookSnapshot& snapshot) override;
  void reset() override {
    book_.clear();
    synced_ = false;
  }
  [[nodiscard]] bool synced() const noexcept override { return synced_; }
  [[nodiscard]] const OrderBook& book() const noexcept override { return book_; }
  /// Never set: Pionex's public stream has no ticker topic.
  [[nodiscard]] const std::optional<BookTicker>& ticker() const noexcept override { return ticker_; }

 private:
  std::string symbol_;
  OrderBook book_;
  bool synced_ = false;
  std::optional<BookTicker> ticker_;
};

/// The private stream of one account (path "/ws").
class PrivateUserStream final : public UserStreamProtocol {
 public:
  /// The wall clock connection_target() signs with.
  using WallClock = SystemTime (*)();

  /// Authenticating with `signer` (which must outlive the stream), signing the URL at
  /// `clock()` (the system clock by default; Pionex accepts ±20 s).
  explicit PrivateUserStream(const sign::PionexSigner& signer, WallClock clock = &system_wall_clock)
      : signer_(signer), clock_(clock) {}

  /// Makes the stream for `signer`: the registry's factory. Errors: invalid_argument when
  /// it is not Pionex's.
  static Result<std::unique_ptr<UserStreamProtocol>> make(const sign::Signer& signer);

  /// The PONG for a PING frame, else empty.
  [[nodiscard]] std::string answer(std::string_view text) const override;
  /// Subscribes ORDER and FILL of `venue_symbol` (before the first connection).
  void follow_symbol(std::string_view venue_symbol) override { symbol_.assign(venue_symbol); }
  /// `url_target`'s path with the query `key=…&timestamp=<clock() ms>&signature=…` (it
  /// carries the API key: never log it).
  [[nodiscard]] std::string connection_target(std::string_view url_target) const override;
  /// True: the signed URL is the authentication, and Pionex acknowledges nothing.
  [[nodiscard]] bool subscribed_by_connecting() const noexcept override { return true; }
  /// SUBSCRIBE ORDER and FILL of the followed symbol (none when no symbol is followed)
  /// and BALANCE. Never fails.
  [[nodiscard]] Result<std::vector<std::string>> subscriptions(SystemTime venue_now) const override;
  /// ORDER → OrderUpdate (the order's state; no fill: the executor reads new fills by
  /// REST when the filled size grows); FILL of an order an ORDER message named and that
  /// is not final → OrderUpdate with that state and the execution as last_fill (FILL
  /// records carry no client order id); BALANCE → BalancesUpdate; an error reply → the
  /// venue's error (INVALID_SIGNATURE invalid_signature, ...); pings and everything else
  /// → nothing. Errors: protocol_error for a malformed frame.
  [[nodiscard]] Result<std::vector<UserEvent>> on_message(std::string_view text) override;

  /// The system clock (the default WallClock).
  static SystemTime system_wall_clock() { return std::chrono::system_clock::now(); }

 private:
  const sign::PionexSigner& signer_;
  WallClock clock_;
  std::string symbol_;
  // The last state of each working order an ORDER message named, by order id.
  std::unordered_map<std::string, OrderReport> working_;
};

}  // namespace cts::venue::pionex
