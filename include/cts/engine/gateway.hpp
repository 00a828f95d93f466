#pragma once
/// \file
/// VenueGateway: the unified operations the engine needs from one venue connection,
/// each a blocking call that returns the connector's typed result or a unified Error.
/// BinanceSpotGateway implements it with the sans-I/O Binance spot connector sent
/// through a RestChannel (limiter, signer, HTTP client).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cts/core/instrument.hpp"
#include "cts/core/result.hpp"
#include "cts/engine/rest_channel.hpp"
#include "cts/venue/types.hpp"

namespace cts::engine {

/// The venue operations of a trading session. Implementations are thread-compatible:
/// one session thread calls them.
class VenueGateway {
 public:
  virtual ~VenueGateway() = default;
  /// The venue this gateway talks to.
  [[nodiscard]] virtual VenueId venue() const noexcept = 0;
  /// The venue's clock, ms since the Unix epoch.
  [[nodiscard]] virtual Result<std::int64_t> server_time_ms() = 0;
  /// The instrument `symbol` with its trading rules (not_found-style invalid_argument
  /// when the venue does not list it).
  [[nodiscard]] virtual Result<Instrument> instrument(std::string_view symbol) = 0;
  /// Best bid and ask.
  [[nodiscard]] virtual Result<venue::BookTicker> book_ticker(std::string_view symbol) = 0;
  /// An order book snapshot of `symbol` with at most `limit` levels per side (the seed
  /// of a book kept from the diff-depth stream). Errors: invalid_argument for a limit
  /// the venue does not accept; the venue's otherwise.
  [[nodiscard]] virtual Result<venue::BookSnapshot> depth(std::string_view symbol, std::size_t limit) = 0;
  /// Creates an order. Errors as the connector maps them; timeout/unknown_outcome mean
  /// the order may exist: ask query_order before anything else.
  [[nodiscard]] virtual Result<venue::OrderReport> create_order(const venue::NewOrder& order) = 0;
  /// Cancels an order.
  [[nodiscard]] virtual Result<venue::OrderReport> cancel_order(const venue::OrderRef& ref) = 0;
  /// Queries an order (by venue id or client id). order_not_found when the venue has
  /// no such order.
  [[nodiscard]] virtual Result<venue::OrderReport> query_order(const venue::OrderRef& ref) = 0;
  /// Every open order of `symbol`.
  [[nodiscard]] virtual Result<std::vector<venue::OrderReport>> open_orders(std::string_view symbol) = 0;
  /// Cancels every open order of `symbol` in one request (the venue's cancel-all), ours
  /// and anyone else's on the account, and returns the cancelled orders. Errors:
  /// order_not_found when nothing was open; unsupported (nothing sent) when the venue
  /// has no cancel-all, which is the default; the venue's otherwise.
  [[nodiscard]] virtual Result<std::vector<venue::OrderReport>> cancel_open_orders(std::string_view symbol);
  /// The executions of one order.
  [[nodiscard]] virtual Result<std::vector<venue::AccountTrade>> order_trades(std::string_view symbol,
                                                                              std::string_view order_id) = 0;
  /// The account's most recent executions on `symbol` (every order, ours or not), at
  /// most `limit` of them, oldest first: the fills reconciliation compares with the
  /// journal. Errors: invalid_argument for a limit the venue does not accept; the
  /// venue's otherwise.
  [[nodiscard]] virtual Result<std::vector<venue::AccountTrade>> recent_trades(std::string_view symbol,
                                                                               std::size_t limit) = 0;
  /// The account's balances.
  [[nodiscard]] virtual Result<std::vector<venue::Balance>> balances() = 0;
  /// The error by which the venue refused the API credentials (a signed request
  /// answered auth_failed or invalid_signature), once it has; from then on a gateway
  /// that reports it sends no signed request (each returns this error at once). None
  /// by default.
  [[nodiscard]] virtual std::optional<Error> credentials_refused() const { return std::nullopt; }
};

/// VenueGateway for Binance spot (and the embedded simulator, which speaks it). The
/// first signed request the venue answers with a credential error (-1002, -2014,
/// -2015, -1022, HTTP 401) is the last one sent: a wrong key or secret would be refused
/// by every later one too.
class BinanceSpotGateway final : public VenueGateway {
 public:
  /// A gateway sending through `channel` (which must outlive it).
  explicit BinanceSpotGateway(RestChannel& channel) : channel_(channel) {}

  [[nodiscard]] VenueId venue() const noexcept override { return VenueId::binance_spot; }
  [[nodiscard]] Result<std::int64_t> server_time_ms() override;
  [[nodiscard]] Result<Instrument> instrument(std::string_view symbol) override;
  [[nodiscard]] Result<venue::BookTicker> book_ticker(std::string_view symbol) override;
  [[nodiscard]] Result<venue::BookSnapshot> depth(std::string_view symbol, std::size_t limit) override;
  [[nodiscard]] Result<venue::OrderReport> create_order(const venue::NewOrder& order) override;
  [[nodiscard]] Result<venue::OrderReport> cancel_order(const venue::OrderRef& ref) override;
  [[nodiscard]] Result<venue::OrderReport> query_order(const venue::OrderRef& ref) override;
  [[nodiscard]] Result<std::vector<venue::OrderReport>> open_orders(std::string_view symbol) override;
  /// DELETE /api/v3/openOrders.
  [[nodiscard]] Result<std::vector<venue::OrderReport>> cancel_open_orders(std::string_view symbol) override;
  [[nodiscard]] Result<std::vector<venue::AccountTrade>> order_trades(std::string_view symbol,
                                                                      std::string_view order_id) override;
  /// GET /api/v3/myTrades without orderId (limit 1..1000).
  [[nodiscard]] Result<std::vector<venue::AccountTrade>> recent_trades(std::string_view symbol,
                                                                       std::size_t limit) override;
  [[nodiscard]] Result<std::vector<venue::Balance>> balances() override;
  [[nodiscard]] std::optional<Error> credentials_refused() const override { return credentials_refused_; }

 private:
  template <class T>
  Result<T> checked(Result<T> result);

  RestChannel& channel_;
  std::optional<Error> credentials_refused_;
};

}  // namespace cts::engine
