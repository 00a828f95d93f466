#pragma once
/// \file
/// What BingX's swap and spot gateways share: one server clock (GET
/// /openApi/swap/v2/server/time), one listen key per account (POST, PUT and DELETE
/// /openApi/user/auth/userDataStream, keyed but not signed), the credential latch, the
/// seam's dead-man switch on each market's cancelAllAfter and what a cancel-replace
/// reports.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cts/venue/bingx/replies.hpp"
#include "cts/venue/gateway.hpp"

namespace cts::venue::bingx {

/// What a cancel-replace (SwapGateway::cancel_replace, SpotGateway::cancel_replace) did:
/// each step's outcome.
struct CancelReplaceReport {
  /// The order as BingX cancelled it, or why it was not cancelled (the order may be
  /// final, unknown or outside the cancel restriction).
  Result<OrderReport> cancelled;
  /// The new order (status pending_new, as create_order() reports it), or why it was not
  /// placed (STOP_ON_FAILURE after a failed cancel, or the place's own refusal).
  Result<OrderReport> replacement;
};

/// The base of SwapGateway and SpotGateway: the operations above, the sender and the
/// latch. The first signed request the venue answers with a credential error (100001
/// or 100412 bad signature, 100413 bad key, 100004 no permission, 100419 IP not allowed,
/// or HTTP 401/403) is the last one sent.
class GatewayBase : public Gateway {
 public:
  [[nodiscard]] VenueId venue() const noexcept override { return VenueId::bingx; }
  /// GET /openApi/swap/v2/server/time (BingX's one server clock: spot has no endpoint of
  /// its own).
  [[nodiscard]] Result<std::int64_t> server_time_ms() override;
  /// POST /openApi/user/auth/userDataStream (the key spot and swap share).
  [[nodiscard]] Result<std::string> open_user_stream_key() override;
  /// PUT /openApi/user/auth/userDataStream?listenKey= (another 60 minutes). Errors:
  /// rejected (HTTP 404) when BingX no longer knows the key.
  [[nodiscard]] Result<void> extend_user_stream_key(std::string_view key) override;
  /// DELETE /openApi/user/auth/userDataStream?listenKey=. Errors: as extend.
  [[nodiscard]] Result<void> close_user_stream_key(std::string_view key) override;
  [[nodiscard]] std::optional<Error> credentials_refused() const override { return latch_.refused(); }
  /// The market's cancel_all_after(timeout) (0 or 10..120 s; invalid_argument outside,
  /// nothing sent), its acknowledgement dropped. Each market has its own switch: the
  /// swap's cancels the account's swap orders, spot's its spot orders.
  [[nodiscard]] Result<void> arm_dead_man_switch(std::chrono::seconds timeout) override;
  /// The market's cancelAllAfter: arms the account's dead-man switch of this market for
  /// `timeout_s` (10..120 s) from now, again at each call, or disarms it (0). Errors: the
  /// builder's (nothing sent); rejected when BingX answers FAILED (it refuses while it is
  /// still cancelling after a switch ran out); the venue's otherwise.
  [[nodiscard]] virtual Result<CancelAllAfterAck> cancel_all_after(int timeout_s) = 0;

 protected:
  /// A gateway sending through `sender` (which must outlive it).
  explicit GatewayBase(RequestSender& sender) : sender_(sender) {}
  /// The instrument `symbol` of `listed` (the market's listing, `market` naming it in
  /// errors). Errors: invalid_argument when the listing does not hold it, rejected when
  /// it is listed but not trading.
  [[nodiscard]] static Result<Instrument> listed_instrument(std::vector<ListedInstrument>& listed,
                                                            std::string_view symbol, std::string_view market);

  RequestSender& sender_;  ///< Where requests go.
  CredentialLatch latch_;  ///< The first credential refusal.
};

}  // namespace cts::venue::bingx
