// Tests for cts/sign/signer.hpp: the factory for every venue, configuration errors as
// values, and that no secret reaches fmt output or an error message.
#include <cts/sign/signer.hpp>

#include <doctest/doctest.h>

#include "sign/vectors.hpp"

using namespace cts;
using namespace cts::sign;

namespace {

constexpr std::string_view kSecret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
// Kraken's documented example secret (base64).
constexpr std::string_view kKrakenSecret =
    "kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==";

Credentials creds(std::string_view secret) { return Credentials{"api-key", Secret(secret), Secret("passphrase")}; }

}  // namespace

TEST_CASE("add_api_key: Binance's schemes set X-MBX-APIKEY alone, BingX's X-BX-APIKEY; a venue without key-only endpoints refuses") {
  for (VenueId venue : kAllVenues) {
    CAPTURE(venue);
    const std::string_view secret = venue == VenueId::kraken ? kKrakenSecret : kSecret;
    auto signer = make_signer(venue, creds(secret)).value();
    HttpRequest r{HttpMethod::post, "/api/v3/userDataStream", "", "", {}};
    const Result<void> keyed = signer->add_api_key(r);
    if (venue == VenueId::binance_spot || venue == VenueId::binance_usdm) {
      REQUIRE(keyed);
      REQUIRE(r.headers.size() == 1);
      CHECK(r.headers[0].name == "X-MBX-APIKEY");
      CHECK(r.headers[0].value == "api-key");
      CHECK(r.query.empty());  // no timestamp, no signature
    } else if (venue == VenueId::bingx) {
      REQUIRE(keyed);
      REQUIRE(r.headers.size() == 1);
      CHECK(r.headers[0].name == "X-BX-APIKEY");
      CHECK(r.headers[0].value == "api-key");
      CHECK(r.query.empty());
    } else {
      REQUIRE_FALSE(keyed);
      CHECK(keyed.error().code == ErrorCode::unsupported);
      CHECK(r.headers.empty());
    }
  }
}

TEST_CASE("make_signer builds a scheme for every venue") {
  for (VenueId venue : kAllVenues) {
    CAPTURE(venue);
    const std::string_view secret = venue == VenueId::kraken ? kKrakenSecret : kSecret;
    auto signer = make_signer(venue, creds(secret));
    REQUIRE(signer);
    CHECK((*signer)->venue() == venue);
    CHECK(!(*signer)->signature_slot().name.empty());
    HttpRequest r{HttpMethod::post, "/private/endpoint", "a=1", "b=2", {}};
    const auto signed_ = (*signer)->sign(r, {from_unix_millis(1700000000000), {}, {}});
    if (venue == VenueId::orangex) {
      CHECK(signed_.error().code == ErrorCode::auth_failed);  // needs /public/auth first
    } else {
      CHECK(signed_);
      CHECK((!r.headers.empty() || r.query != "a=1" || r.body != "b=2"));
    }
  }
}

TEST_CASE("make_signer reports configuration errors as values") {
  const auto empty = make_signer(VenueId::binance_spot, creds(""));
  REQUIRE(!empty);
  CHECK(empty.error().code == ErrorCode::invalid_argument);
  CHECK(!make_signer(VenueId::kraken, creds("not*base64")));
  CHECK(!make_signer(VenueId::okx, Credentials{"k", Secret("s"), Secret()}));
  CHECK(!make_signer(VenueId::coinbase, creds("-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n")));
  SignerOptions jwt_only;
  jwt_only.coinbase_auth = CoinbaseAuth::cdp_jwt;
  CHECK(!make_signer(VenueId::coinbase, creds(kSecret), jwt_only));
}

TEST_CASE("coinbase picks JWT for CDP keys and legacy HMAC otherwise") {
  const auto& ed = test::vector_at(22);
  auto jwt = make_signer(VenueId::coinbase, Credentials{ed.at("key"), Secret(ed.at("secret")), {}});
  REQUIRE(jwt);
  CHECK((*jwt)->signature_slot().name == "Authorization");
  auto legacy = make_signer(VenueId::coinbase, creds("coinbase-legacy-test-secret"));
  REQUIRE(legacy);
  CHECK((*legacy)->signature_slot().name == "CB-ACCESS-SIGN");
}

TEST_CASE("no secret appears in fmt output or error messages") {
  const Credentials c{"visible-key", Secret(kSecret), Secret("my-passphrase")};
  const std::string shown = fmt::format("{}", c);
  CHECK(shown.find("visible-key") != std::string::npos);
  CHECK(shown.find(kSecret) == std::string::npos);
  CHECK(shown.find("my-passphrase") == std::string::npos);
  CHECK(shown.find("********") != std::string::npos);

  const std::string bad_kraken = "secret!with*invalid~chars-" + std::string(kSecret);
  const auto kraken = make_signer(VenueId::kraken, creds(bad_kraken));
  REQUIRE(!kraken);
  CHECK(kraken.error().to_string().find(kSecret) == std::string::npos);
  const auto pem = make_signer(VenueId::coinbase, creds("-----BEGIN EC PRIVATE KEY-----\n" + std::string(kSecret) +
                                                         "\n-----END EC PRIVATE KEY-----\n"));
  REQUIRE(!pem);
  CHECK(pem.error().to_string().find(kSecret) == std::string::npos);
}
