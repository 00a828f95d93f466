#pragma once
/// \file
/// OKX v5's venue::Gateway for one instrument type (SPOT or SWAP): the sans-I/O builders
/// (requests.hpp) and reply parsers (market.hpp, orders.hpp, account.hpp) of this folder
/// sent through a RequestSender.
///
/// OKX acknowledges creates and cancels per item (sCode "0": accepted), not with the
/// order's state, so the reports of those two operations say what is known: see
/// create_order() and cancel_order(). Lists OKX returns newest first (fills) are
/// returned oldest first, as venue::Gateway asks. Sizes are OKX's: base units for SPOT,
/// contracts for SWAP (Instrument::multiplier is the contract size).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "cts/venue/gateway.hpp"
#include "cts/venue/okx/capabilities.hpp"
#include "cts/venue/okx/enums.hpp"
#include "cts/venue/okx/orders.hpp"
#include "cts/venue/okx/ws_orders.hpp"

namespace cts::venue::okx {

/// Most pages a listing follows through `after` (100 entries a page) before it gives up
/// with protocol_error rather than return a list it knows to be incomplete.
inline constexpr std::size_t kMaxPages = 100;

/// Most fills recent_trades() reads: what the engine's reconciliation asks for by
/// default, in pages of 100.
inline constexpr std::size_t kMaxRecentTrades = 1000;

/// How a gateway trades.
struct GatewayOptions {
  TradeMode swap_trade_mode = TradeMode::cross;  ///< tdMode of SWAP orders (SPOT always trades cash).
  bool demo = false;  ///< Send every request with `x-simulated-trading: 1` (demo trading; demo API keys).
};

/// The OKX v5 gateway of one instrument type. The first signed request the venue
/// answers with a credential error (50111 invalid key, 50113 bad signature, 50105 wrong
/// passphrase, 50110 IP not allowed, 50120 no permission, ... or HTTP 401) is the last
/// one sent: a wrong key, secret or passphrase would be refused by every later one too.
class V5Gateway final : public Gateway {
 public:
  /// A gateway for `type` sending through `sender` (which must outlive it).
  /// invalid_argument is thrown as cts::Exception when options.swap_trade_mode is cash.
  V5Gateway(RequestSender& sender, InstType type, GatewayOptions options = {});

  [[nodiscard]] VenueId venue() const noexcept override { return VenueId::okx; }
  [[nodiscard]] const VenueCapabilities& capabilities() const noexcept override { return okx::capabilities(type_); }
  /// The instrument type this gateway trades.
  [[nodiscard]] InstType inst_type() const noexcept { return type_; }
  /// GET /api/v5/public/time.
  [[nodiscard]] Result<std::int64_t> server_time_ms() override;
  /// GET /api/v5/public/instruments?instType=&instId=. Errors: invalid_argument when the
  /// list does not hold `symbol`, rejected when its state is not live. The listing's
  /// instIdCode, when it has one, is kept (inst_id_codes()).
  [[nodiscard]] Result<Instrument> instrument(std::string_view symbol) override;
  /// The instIdCodes of the instruments instrument() has read (WebSocket order entry
  /// names instruments by them), in this gateway's environment (demo or production).
  [[nodiscard]] const InstIdCodes& inst_id_codes() const noexcept { return inst_id_codes_; }
  /// The tdMode of this gateway's orders: cash for SPOT, the options' for SWAP.
  [[nodiscard]] TradeMode trade_mode() const noexcept {
    return type_ == InstType::spot ? TradeMode::cash : options_.swap_trade_mode;
  }
  /// GET /api/v5/market/ticker (bidPx/bidSz, askPx/askSz; update_id 0).
  [[nodiscard]] Result<BookTicker> book_ticker(std::string_view symbol) override;
  /// GET /api/v5/market/books?sz= (1..400; invalid_argument outside, nothing sent).
  [[nodiscard]] Result<BookSnapshot> depth(std::string_view symbol, std::size_t limit) override;
  /// POST /api/v5/trade/order. OKX's reply is an acknowledgement (ordId, clOrdId, ts):
  /// the report carries those ids, the order's own fields and status pending_new
  /// (accepted, its state not yet known).
  [[nodiscard]] Result<OrderReport> create_order(const NewOrder& order) override;
  /// POST /api/v5/trade/cancel-order, then query_order() by the acknowledged ordId for
  /// the order's state; when that query fails or still finds it working, the report is
  /// the acknowledgement with status pending_cancel. A cancel OKX refuses because the
  /// order is already final or unknown (51400, 51503) is answered by the order's final
  /// state when a query finds it, else by the refusal.
  [[nodiscard]] Result<OrderReport> cancel_order(const OrderRef& ref) override;
  /// GET /api/v5/trade/order by ordId or clOrdId. Errors: order_not_found (51603).
  [[nodiscard]] Result<OrderReport> query_order(const OrderRef& ref) override;
  /// GET /api/v5/trade/orders-pending (100 a page), following `after`.
  [[nodiscard]] Result<std::vector<OrderReport>> open_orders(std::string_view symbol) override;
  /// GET /api/v5/trade/fills?ordId= (100 a page, the last 3 days), following `after`,
  /// oldest first.
  [[nodiscard]] Result<std::vector<AccountTrade>> order_trades(std::string_view symbol,
                                                               std::string_view order_id) override;
  /// GET /api/v5/trade/fills?instId= (limit 1..kMaxRecentTrades; invalid_argument
  /// outside, nothing sent): the newest `limit` fills of the last 3 days, in pages of at
  /// most 100, returned oldest first.
  [[nodiscard]] Result<std::vector<AccountTrade>> recent_trades(std::string_view symbol, std::size_t limit) override;
  /// GET /api/v5/account/balance: availBal free, frozenBal locked.
  [[nodiscard]] Result<std::vector<Balance>> balances() override;
  /// SWAP: GET /api/v5/account/positions?instType=SWAP&instId= (one entry per leg).
  /// SPOT: unsupported, nothing sent.
  [[nodiscard]] Result<std::vector<Position>> positions(std::string_view symbol) override;
  [[nodiscard]] std::optional<Error> credentials_refused() const override { return latch_.refused(); }
  /// cancel_all_after(timeout) (0 or 10..120 s; invalid_argument outside, nothing sent),
  /// its acknowledgement dropped.
  [[nodiscard]] Result<void> arm_dead_man_switch(std::chrono::seconds timeout) override;

  /// POST /api/v5/trade/amend-order: the acknowledgement (the order's new state comes
  /// from a query or the order stream). Errors: the builder's (nothing sent); the item's.
  [[nodiscard]] Result<OrderAck> amend_order(const OrderAmendment& amendment);
  /// POST /api/v5/trade/cancel-all-after: arms (10..120 s) or disarms (0) the dead-man
  /// switch of the whole account. Errors: the builder's (nothing sent); the venue's.
  [[nodiscard]] Result<CancelAllAfterAck> cancel_all_after(int timeout_s);

 private:
  // Adds the demo header when asked and sends.
  Result<HttpResponse> send(const Result<Request>& request);
  // query_order() without the latch check.
  Result<OrderReport> find_order(const OrderRef& ref);
  // Pages of fills of `symbol` (and of one order when `order_id` is given), newest
  // first, until `limit` or the last page.
  Result<std::vector<AccountTrade>> fill_pages(std::string_view symbol, std::optional<std::string_view> order_id,
                                               std::size_t limit);

  RequestSender& sender_;
  InstType type_;
  GatewayOptions options_;
  CredentialLatch latch_;
  InstIdCodes inst_id_codes_;
};

}  // namespace cts::venue::okx
