#pragma once
/// \file
/// The request-signer interface shared by every venue's auth scheme, the inputs it
/// takes (credentials, per-request context, options) and the factory by VenueId.
///
/// Data flow: a connector builds an unsigned cts::HttpRequest (method, path, encoded
/// query, body); the session's Signer adds the venue's timestamp/nonce, signature and
/// auth headers in place; the transport sends exactly those bytes.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "cts/core/clock.hpp"
#include "cts/core/http.hpp"
#include "cts/core/result.hpp"
#include "cts/core/venue_id.hpp"
#include "cts/sign/secret.hpp"

namespace cts::sign {

/// What one signing needs besides the request: the time (injected, never read from a
/// clock inside the signer) and, where a venue uses them, nonces.
struct SigningContext {
  /// Wall time of the request, already corrected by the venue's server-time offset.
  SystemTime now{};
  /// Kraken: use exactly this nonce instead of one derived from `now`. It must exceed
  /// every nonce the signer issued before, otherwise signing fails.
  std::optional<std::uint64_t> nonce;
  /// Coinbase JWT header nonce and OrangeX auth nonce; empty means "draw 16 random
  /// bytes from the OS CSPRNG and hex them". The view must outlive the sign() call.
  std::string_view nonce_text;
};

/// API credentials. fmt prints the key and masks the secrets.
struct Credentials {
  std::string api_key;  ///< Public key id, sent on the wire (Coinbase CDP: the key name).
  Secret secret;        ///< API secret (Kraken: base64; Coinbase CDP: PEM or base64 Ed25519).
  Secret passphrase;    ///< OKX passphrase; empty elsewhere.
};

/// How Coinbase requests are authenticated.
enum class CoinbaseAuth : std::uint8_t {
  automatic,    ///< From the secret: PEM or 64-byte base64 key -> CDP JWT, else legacy HMAC.
  cdp_jwt,      ///< CDP API key: JWT signed with ES256 (PEM EC key) or EdDSA (Ed25519).
  legacy_hmac,  ///< Legacy API key: CB-ACCESS-* headers with HMAC-SHA256 hex.
};

/// Per-venue knobs; every field has the venue's documented default.
struct SignerOptions {
  /// Binance, BingX: add `recvWindow=<ms>` next to `timestamp`. Bybit: the
  /// X-BAPI-RECV-WINDOW header (5000 when unset).
  std::optional<std::int64_t> recv_window_ms;
  /// Host the scheme signs: HTX pre-signed text (default "api.huobi.pro"), Coinbase JWT
  /// `uri` claim (default "api.coinbase.com"). Empty means the default.
  std::string host;
  /// Coinbase only.
  CoinbaseAuth coinbase_auth = CoinbaseAuth::automatic;
};

/// Where a scheme puts the signature (for tools that show it, e.g. `ctsctl sign`).
struct SignatureSlot {
  /// The kind of place.
  enum class Where : std::uint8_t {
    header,  ///< A header field named `name`.
    param,   ///< A parameter named `name` in the query, or in the body if not in the query.
  };
  Where where = Where::header;  ///< The kind of place.
  std::string_view name;        ///< Header or parameter name.
};

/// A venue's request-authentication scheme.
///
/// Thread safety: sign() is safe to call concurrently on one object (keyed state is
/// immutable; Kraken's nonce high-water mark is atomic).
class Signer {
 public:
  virtual ~Signer() = default;

  /// The venue this scheme signs for.
  [[nodiscard]] virtual VenueId venue() const noexcept = 0;
  /// Where the signature ends up.
  [[nodiscard]] virtual SignatureSlot signature_slot() const noexcept = 0;
  /// Adds the timestamp or nonce, the signature and the auth headers to `request`, in
  /// place, so that the bytes the transport sends are the bytes signed. Errors
  /// (invalid_argument: a request the scheme cannot sign, e.g. already carrying a
  /// signature, or a non-monotonic Kraken nonce; auth_failed: no session token) leave
  /// `request` unchanged.
  [[nodiscard]] virtual Result<void> sign(HttpRequest& request, const SigningContext& context) const = 0;
  /// Adds only the API-key header, the venue's way (for endpoints that need the key but
  /// no signature, venue::Security::api_key). The scheme owns the header's name. Errors:
  /// unsupported (request unchanged) for a scheme whose venue has no key-only endpoint,
  /// which is the default.
  [[nodiscard]] virtual Result<void> add_api_key(HttpRequest& request) const;
};

/// Builds the scheme for `venue` from `credentials`. Errors (invalid_argument, never
/// quoting the secret): an empty key or secret, a Kraken secret that is not base64, a
/// malformed Coinbase PEM or Ed25519 key, a missing OKX passphrase.
[[nodiscard]] Result<std::unique_ptr<Signer>> make_signer(VenueId venue, Credentials credentials,
                                                          SignerOptions options = {});

}  // namespace cts::sign

/// Formats credentials as {api_key: "...", secret: ********, passphrase: ********}.
template <>
struct fmt::formatter<cts::sign::Credentials> : fmt::formatter<std::string_view> {
  auto format(const cts::sign::Credentials& c, format_context& ctx) const {
    return fmt::format_to(ctx.out(), "{{api_key: \"{}\", secret: {}, passphrase: {}}}", c.api_key, c.secret,
                          c.passphrase);
  }
};
