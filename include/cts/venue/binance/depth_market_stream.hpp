#pragma once
/// \file
/// DepthMarketStream: the market streams of one Binance symbol on the venue seam, for
/// spot and USD-M alike — the `<symbol>@depth@100ms` diff-depth stream joined to a REST
/// snapshot by BookSync under the market's own continuity rule (spot: U/u; USD-M: the
/// first event straddles the snapshot, then each `pu` equals the previous `u`), the
/// `<symbol>@bookTicker` best bid/ask and, when asked, `<symbol>@aggTrade`. All are
/// subscribed with one SUBSCRIBE frame on one connection (the market's path).
/// SpotMarketStream (spot_streams.hpp) and UsdmMarketStream (usdm_streams.hpp) are its
/// two markets.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cts/core/result.hpp"
#include "cts/venue/binance/book_sync.hpp"
#include "cts/venue/binance/enums.hpp"
#include "cts/venue/market_stream.hpp"
#include "cts/venue/types.hpp"

namespace cts::venue::binance {

/// Options of a DepthMarketStream.
struct MarketStreamOptions {
  bool fast_depth = true;             ///< The 100 ms diff-depth stream (else spot's 1000 ms, USD-M's 250 ms).
  std::uint64_t subscribe_id = 1;     ///< Request id of the SUBSCRIBE frame.
  std::size_t snapshot_limit = 1000;  ///< Levels of the REST snapshot (spot weight 50, USD-M 20 at 1000).
  bool aggregate_trades = false;      ///< Also subscribe `<symbol>@aggTrade` (last_trade()).
};

/// The market streams of one symbol of `market`. Not thread-safe, except
/// subscriptions() and path().
class DepthMarketStream : public MarketStream {
 public:
  /// For `symbol` (e.g. "BTCUSDT") of `market` (spot or usdm), on `path` under the
  /// market-stream base URL ("/ws" for spot's raw streams, "/public/ws" for USD-M's).
  DepthMarketStream(std::string symbol, Market market, MarketStreamOptions options, std::string path);

  [[nodiscard]] std::string path() const override { return path_; }
  /// One SUBSCRIBE for the diff-depth, book-ticker (and aggregate-trade) streams.
  [[nodiscard]] std::vector<std::string> subscriptions() const override;
  /// depthUpdate → the book (waiting while no snapshot joined it; gap when an update is
  /// missing or the book crossed), bookTicker → ticker (an older one is ignored), the
  /// reply to our SUBSCRIBE → subscribed; aggTrade/trade of the symbol → last_trade()
  /// and none; other symbols and events → none.
  [[nodiscard]] Result<MarketChange> on_message(std::string_view text) override;
  [[nodiscard]] bool rest_snapshots() const noexcept override { return true; }
  [[nodiscard]] std::size_t snapshot_limit() const noexcept override { return options_.snapshot_limit; }
  [[nodiscard]] Result<MarketChange> on_snapshot(const BookSnapshot& snapshot) override;
  void reset() override;
  [[nodiscard]] bool synced() const noexcept override { return sync_.synced(); }
  [[nodiscard]] const OrderBook& book() const noexcept override { return sync_.book(); }
  [[nodiscard]] const std::optional<BookTicker>& ticker() const noexcept override { return ticker_; }
  /// The symbol's newest public trade from the trade streams (empty until one arrives,
  /// or without MarketStreamOptions::aggregate_trades).
  [[nodiscard]] const std::optional<Trade>& last_trade() const noexcept { return last_trade_; }

 private:
  std::string symbol_;
  MarketStreamOptions options_;
  std::string path_;
  std::vector<std::string> streams_;
  BookSync sync_;
  std::optional<BookTicker> ticker_;
  std::optional<Trade> last_trade_;
};

}  // namespace cts::venue::binance
