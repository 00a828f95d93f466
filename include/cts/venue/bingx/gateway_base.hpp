#pragma once
/// \file
/// What BingX's swap and spot gateways share: one server clock (GET
/// /openApi/swap/v2/server/time), one listen key per account (POST, PUT and DELETE
/// /openApi/user/auth/userDataStream, keyed but not signed) and the credential latch.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cts/venue/gateway.hpp"

namespace cts::venue::bingx {

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
