#pragma once
/// \file
/// Binance spot and USD-M futures: HMAC-SHA256 over "query string concatenated without
/// separator to the body", lowercase hex in a last `signature` parameter, API key in
/// X-MBX-APIKEY (binance-spot-api-docs rest-api.md "SIGNED Endpoint security"; USD-M
/// "general-info"); and the WebSocket API's sorted-parameter signing.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cts/sign/ed25519.hpp"
#include "cts/sign/hmac.hpp"
#include "cts/sign/signer.hpp"

namespace cts::sign {

/// Binance HMAC-SHA256 request signing (spot REST, USD-M REST, spot WebSocket API).
///
/// REST: every byte of the query and body that may not appear raw in a URL (non-ASCII,
/// space, ...) is percent-encoded first, as Binance requires since 2026-01 (signing the
/// raw UTF-8 yields -1022 INVALID_SIGNATURE); then `recvWindow` (if configured) and
/// `timestamp` (ms, from SigningContext::now) are appended — to the body when there is
/// one, else to the query — unless the request already carries a `timestamp`, in which
/// case the caller owns it and nothing is added; then `signature=<hex>` is appended
/// last, over query + body. Thread-safe; no allocation beyond the strings' growth.
class BinanceHmacSigner final : public Signer {
 public:
  /// The most bytes sign() appends (recvWindow, timestamp and signature parameters):
  /// a connector that reserves this much extra capacity saves a reallocation.
  static constexpr std::size_t kAppendedBytes = 140;

  /// A signer for `venue` (binance_spot or binance_usdm). Throws cts::Exception
  /// (invalid_argument) when `api_key` or `secret` is empty or `venue` is not Binance.
  BinanceHmacSigner(VenueId venue, std::string api_key, const Secret& secret,
                    std::optional<std::int64_t> recv_window_ms = std::nullopt);

  [[nodiscard]] VenueId venue() const noexcept override { return venue_; }
  [[nodiscard]] SignatureSlot signature_slot() const noexcept override {
    return {SignatureSlot::Where::param, "signature"};
  }
  /// Signs a REST request as described above. Errors: invalid_argument when the
  /// request already carries a `signature` parameter.
  [[nodiscard]] Result<void> sign(HttpRequest& request, const SigningContext& context) const override;
  /// Sets X-MBX-APIKEY.
  [[nodiscard]] Result<void> add_api_key(HttpRequest& request) const override;

  /// WebSocket API signing: adds `apiKey`, `timestamp` (unless present) and
  /// `recvWindow` (if configured and absent) to `params`, signs every parameter sorted by
  /// name as `k=v&...` over raw UTF-8 values (no percent-encoding, unlike REST), appends
  /// `signature` and returns it. Errors: invalid_argument when `signature` is present.
  [[nodiscard]] Result<std::string> sign_ws_params(std::vector<std::pair<std::string, std::string>>& params,
                                                   const SigningContext& context) const;

 private:
  VenueId venue_;
  std::string api_key_;
  HmacSha256 mac_;
  std::optional<std::int64_t> recv_window_ms_;
};

/// Binance Ed25519 API keys (REST): the same parameter rules as BinanceHmacSigner, with
/// signature = percent-encode(base64(Ed25519(query + body))) — Binance's recommended key
/// type (rest-api.md "SIGNED Endpoint security", Ed25519 keys). Thread-safe.
class BinanceEd25519Signer final : public Signer {
 public:
  /// A signer for `venue` (binance_spot or binance_usdm) with the private key of an
  /// Ed25519 API key. Throws cts::Exception(invalid_argument) when `api_key` is empty or
  /// `venue` is not Binance.
  BinanceEd25519Signer(VenueId venue, std::string api_key, Ed25519Key key,
                       std::optional<std::int64_t> recv_window_ms = std::nullopt);

  [[nodiscard]] VenueId venue() const noexcept override { return venue_; }
  [[nodiscard]] SignatureSlot signature_slot() const noexcept override {
    return {SignatureSlot::Where::param, "signature"};
  }
  /// Signs a REST request (see BinanceHmacSigner::sign for the parameter rules).
  [[nodiscard]] Result<void> sign(HttpRequest& request, const SigningContext& context) const override;
  /// Sets X-MBX-APIKEY.
  [[nodiscard]] Result<void> add_api_key(HttpRequest& request) const override;

  /// WebSocket API signing, as BinanceHmacSigner::sign_ws_params() with signature =
  /// base64(Ed25519(payload)), not percent-encoded (web-socket-api.md "SIGNED Request
  /// Example (Ed25519)"): what session.logon carries. Errors: invalid_argument when
  /// `signature` is present.
  [[nodiscard]] Result<std::string> sign_ws_params(std::vector<std::pair<std::string, std::string>>& params,
                                                   const SigningContext& context) const;
  /// The recvWindow the signer adds (none: the venue's default, 5000 ms): what requests
  /// on a session logged in with this key carry next to their timestamp.
  [[nodiscard]] std::optional<std::int64_t> recv_window_ms() const noexcept { return recv_window_ms_; }

 private:
  VenueId venue_;
  std::string api_key_;
  Ed25519Key key_;
  std::optional<std::int64_t> recv_window_ms_;
};

}  // namespace cts::sign
