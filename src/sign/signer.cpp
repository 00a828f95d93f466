// make_signer: the factory by VenueId.
#include "cts/sign/signer.hpp"

#include "cts/sign/binance.hpp"
#include "cts/sign/bingx.hpp"
#include "cts/sign/bybit.hpp"
#include "cts/sign/coinbase.hpp"
#include "cts/sign/encoding.hpp"
#include "cts/sign/gate.hpp"
#include "cts/sign/htx.hpp"
#include "cts/sign/kraken.hpp"
#include "cts/sign/okx.hpp"
#include "cts/sign/orangex.hpp"
#include "cts/sign/pionex.hpp"

#include <openssl/crypto.h>

namespace cts::sign {

Result<void> Signer::add_api_key(HttpRequest& /*request*/) const {
  return make_error(ErrorCode::unsupported, "this venue's scheme has no key-only authentication");
}

namespace {

// A CDP key is a PEM or base64 of a 32/64-byte Ed25519 key; legacy secrets are neither.
bool looks_like_cdp_key(const Secret& secret) {
  if (secret.reveal().find("-----BEGIN") != std::string_view::npos) return true;
  auto raw = base64_decode(secret.reveal());
  if (!raw) return false;
  const bool ed25519 = raw->size() == 32 || raw->size() == 64;
  OPENSSL_cleanse(raw->data(), raw->size());
  return ed25519;
}

std::unique_ptr<Signer> build(VenueId venue, Credentials& c, SignerOptions& o) {
  switch (venue) {
    case VenueId::binance_spot:
    case VenueId::binance_usdm:
      if (c.secret.reveal().find("-----BEGIN") != std::string_view::npos) {
        auto key = Ed25519Key::from_pem(c.secret.reveal());
        if (!key) throw Exception(key.error());
        return std::make_unique<BinanceEd25519Signer>(venue, std::move(c.api_key), std::move(*key), o.recv_window_ms);
      }
      return std::make_unique<BinanceHmacSigner>(venue, std::move(c.api_key), c.secret, o.recv_window_ms);
    case VenueId::bybit:
      return std::make_unique<BybitSigner>(std::move(c.api_key), c.secret, o.recv_window_ms.value_or(5000));
    case VenueId::okx:
      return std::make_unique<OkxSigner>(std::move(c.api_key), c.secret, std::move(c.passphrase));
    case VenueId::kraken:
      return std::make_unique<KrakenSigner>(std::move(c.api_key), c.secret);
    case VenueId::coinbase: {
      const bool jwt = o.coinbase_auth == CoinbaseAuth::cdp_jwt ||
                       (o.coinbase_auth == CoinbaseAuth::automatic && looks_like_cdp_key(c.secret));
      if (jwt) return std::make_unique<CoinbaseJwtSigner>(std::move(c.api_key), c.secret, std::move(o.host));
      return std::make_unique<CoinbaseLegacySigner>(std::move(c.api_key), c.secret);
    }
    case VenueId::htx:
      return std::make_unique<HtxSigner>(std::move(c.api_key), c.secret, std::move(o.host));
    case VenueId::gate:
      return std::make_unique<GateSigner>(std::move(c.api_key), c.secret);
    case VenueId::bingx:
      return std::make_unique<BingxSigner>(std::move(c.api_key), c.secret, o.recv_window_ms);
    case VenueId::pionex:
      return std::make_unique<PionexSigner>(std::move(c.api_key), c.secret);
    case VenueId::orangex:
      return std::make_unique<OrangexSigner>(std::move(c.api_key), c.secret);
  }
  throw Exception(make_error(ErrorCode::unsupported, fmt::format("no signer for venue {}", venue)));
}

}  // namespace

Result<std::unique_ptr<Signer>> make_signer(VenueId venue, Credentials credentials, SignerOptions options) {
  try {
    return build(venue, credentials, options);
  } catch (const Exception& e) {
    return e.error();
  }
}

}  // namespace cts::sign
