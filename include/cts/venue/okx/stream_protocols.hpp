#pragma once
/// \file
/// OKX v5's stream protocols on the venue seam: PublicMarketStream (the public `books`
/// channel of one instrument, a snapshot and updates in the stream kept by BookSync with
/// seqId continuity and checksums) and PrivateUserStream (a `login` op signed with the
/// API secret, then `orders`, `account` and, for SWAP, `positions`). Both answer OKX's
/// keep-alive rule with the text `ping` (a connection idle for 30 s is closed).

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cts/core/result.hpp"
#include "cts/sign/okx.hpp"
#include "cts/sign/signer.hpp"
#include "cts/venue/market_stream.hpp"
#include "cts/venue/okx/book_sync.hpp"
#include "cts/venue/okx/enums.hpp"
#include "cts/venue/user_stream.hpp"

namespace cts::venue::okx {

/// The order book of one instrument on the public stream (path "/ws/v5/public"). It
/// subscribes `books` (400 levels a side, a snapshot then updates every 100 ms):
/// `books5` would resend 5 levels whole every time and carry no seqId continuity, and
/// the tick-by-tick `books-l2-tbt` needs a VIP tier. With `best_bid_ask` it also
/// subscribes `bbo-tbt` (the top level, tick by tick) as the ticker, whose seqId is the
/// instrument's book sequence. A gap (see BookSync) is mended by subscribing again on a
/// new connection.
class PublicMarketStream final : public MarketStream {
 public:
  /// For `inst_id` (e.g. "BTC-USDT", "BTC-USDT-SWAP").
  explicit PublicMarketStream(std::string inst_id, bool best_bid_ask = false)
      : inst_id_(std::move(inst_id)), best_bid_ask_(best_bid_ask) {}

  /// Makes the stream of `inst_id` without bbo-tbt: the registry's factory.
  static std::unique_ptr<MarketStream> make(std::string_view inst_id) {
    return std::make_unique<PublicMarketStream>(std::string(inst_id));
  }

  [[nodiscard]] std::string path() const override { return std::string(kPublicStreamPath); }
  [[nodiscard]] std::string_view application_ping() const noexcept override { return kPingFrame; }
  /// One subscribe frame: `books` (and `bbo-tbt`) of the instrument.
  [[nodiscard]] std::vector<std::string> subscriptions() const override;
  /// `books` of our instrument → book, or gap (see BookSync); `bbo-tbt` → ticker (an
  /// empty side leaves the ticker as it was: none); the subscribe reply for `books` →
  /// subscribed; an `error` event → its code mapped (errors.hpp: 60018 for an unknown
  /// instrument invalid_argument, ...) with OKX's message; pongs, trades, notices,
  /// other channels and instruments → none.
  [[nodiscard]] Result<MarketChange> on_message(std::string_view text) override;
  [[nodiscard]] bool rest_snapshots() const noexcept override { return false; }
  /// Always unsupported: OKX's snapshots come in the stream.
  [[nodiscard]] Result<MarketChange> on_snapshot(const BookSnapshot& snapshot) override;
  void reset() override {
    sync_.clear();
    ticker_.reset();
  }
  [[nodiscard]] bool synced() const noexcept override { return sync_.synced(); }
  [[nodiscard]] const OrderBook& book() const noexcept override { return sync_.book(); }
  /// The newest bbo-tbt top (never set without best_bid_ask).
  [[nodiscard]] const std::optional<BookTicker>& ticker() const noexcept override { return ticker_; }

 private:
  std::string inst_id_;
  bool best_bid_ask_ = false;
  BookSync sync_;
  std::optional<BookTicker> ticker_;
};

/// The private stream of one account for one instrument type (path "/ws/v5/private").
/// The `login` op is sent after connecting and the subscribe op only after OKX's login
/// reply (UserAuthenticated, then after_authentication()): OKX refuses a private
/// subscribe read before the login has completed with 60011 ("Please log in").
class PrivateUserStream final : public UserStreamProtocol {
 public:
  /// Logging in with `signer` (which must outlive the stream), for `type`.
  PrivateUserStream(const sign::OkxSigner& signer, InstType type) : signer_(signer), type_(type) {}

  /// Makes the stream of `type` for `signer`. Errors: invalid_argument when it is not
  /// OKX's.
  static Result<std::unique_ptr<UserStreamProtocol>> make(const sign::Signer& signer, InstType type);
  /// make(signer, InstType::spot): the registry's factory of `okx spot`.
  static Result<std::unique_ptr<UserStreamProtocol>> make_spot(const sign::Signer& signer) {
    return make(signer, InstType::spot);
  }
  /// make(signer, InstType::swap): the registry's factory of `okx swap`.
  static Result<std::unique_ptr<UserStreamProtocol>> make_swap(const sign::Signer& signer) {
    return make(signer, InstType::swap);
  }

  [[nodiscard]] std::string_view application_ping() const noexcept override { return kPingFrame; }
  /// The `login` frame for `venue_now` in Unix seconds (OKX accepts it for 30 s; it
  /// carries the API key, the passphrase and the signature: never log it).
  [[nodiscard]] Result<std::vector<std::string>> subscriptions(SystemTime venue_now) const override;
  /// One subscribe frame, sent after the login reply: `orders` of the instrument type,
  /// `account`, and for SWAP `positions` of SWAP.
  [[nodiscard]] std::vector<std::string> after_authentication() const override;
  /// An `error` event → its code mapped (errors.hpp: 60009 login failed, 60024 wrong
  /// passphrase auth_failed, 60006 timestamp_out_of_window, 60007 invalid_signature, ...)
  /// with OKX's message and the code as venue_code; the subscribe reply for `orders` →
  /// UserSubscribed; `orders` → one OrderUpdate per order; `account` → BalancesUpdate;
  /// `positions` (SWAP streams) → PositionsUpdate (the newest uTime as event time; a
  /// push without positions gives nothing); pongs, notices and other
  /// channels → nothing. A successful login reply → UserAuthenticated.
  [[nodiscard]] Result<std::vector<UserEvent>> on_message(std::string_view text) override;

 private:
  const sign::OkxSigner& signer_;
  InstType type_;
};

}  // namespace cts::venue::okx
