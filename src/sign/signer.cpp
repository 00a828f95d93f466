// make_signer: the factory by VenueId.
#include "cts/sign/signer.hpp"

#include "cts/sign/binance.hpp"

namespace cts::sign {

Result<std::unique_ptr<Signer>> make_signer(VenueId venue, Credentials credentials, SignerOptions options) {
  try {
    switch (venue) {
      case VenueId::binance_spot:
      case VenueId::binance_usdm:
        return std::unique_ptr<Signer>(std::make_unique<BinanceHmacSigner>(
            venue, std::move(credentials.api_key), credentials.secret, options.recv_window_ms));
      default:
        break;
    }
  } catch (const Exception& e) {
    return e.error();
  }
  return make_error(ErrorCode::unsupported, fmt::format("no signer for venue {}", venue));
}

}  // namespace cts::sign
