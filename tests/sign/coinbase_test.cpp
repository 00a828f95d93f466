// Tests for cts/sign/coinbase.hpp: CDP JWT (EdDSA byte-exact on the derived RFC 8032
// vector; ES256 verified with the public key), legacy HMAC ccxt cross-checks, bad keys.
#include <cts/sign/coinbase.hpp>

#include <doctest/doctest.h>

#include <cts/sign/encoding.hpp>

#include "sign/vectors.hpp"

using namespace cts;
using namespace cts::sign;

namespace {
constexpr std::string_view kNonce = "0123456789abcdef0123456789abcdef";
const SystemTime kNbf = from_unix_millis(1700000000000);

std::vector<std::string> split_jwt(const std::string& jwt) {
  const auto a = jwt.find('.');
  const auto b = jwt.find('.', a + 1);
  return {jwt.substr(0, a), jwt.substr(a + 1, b - a - 1), jwt.substr(b + 1)};
}
}  // namespace

TEST_CASE("CDP EdDSA JWT is byte-identical to the verified vector") {
  const auto& v = test::vector_at(22);
  const CoinbaseJwtSigner signer(v.at("key"), Secret(v.at("secret")));
  CHECK(signer.algorithm() == "EdDSA");
  CHECK(signer.jwt(HttpMethod::get, "/api/v3/brokerage/accounts", kNbf, kNonce) == v.at("full_jwt"));
  HttpRequest r{HttpMethod::get, "/api/v3/brokerage/accounts", "limit=50", "", {}};
  REQUIRE(signer.sign(r, {kNbf, {}, kNonce}));
  CHECK(r.header("Authorization").value() == "Bearer " + v.at("full_jwt"));  // the query is not in `uri`
}

TEST_CASE("CDP ES256 JWT: header and claims as documented, r||s verifies") {
  const auto& v = test::vector_at(23);
  const CoinbaseJwtSigner signer(v.at("key"), Secret(v.at("secret")));
  CHECK(signer.algorithm() == "ES256");
  const std::string jwt = signer.jwt(HttpMethod::get, "/api/v3/brokerage/accounts", kNbf, kNonce);
  const auto parts = split_jwt(jwt);
  CHECK(parts[0] + "." + parts[1] == v.at("prehash"));
  CHECK(base64url_decode(parts[0]).value() == v.input("jwt_header_json"));
  CHECK(base64url_decode(parts[1]).value() == v.input("jwt_payload_json"));
  const std::string sig = base64url_decode(parts[2]).value();
  REQUIRE(sig.size() == 64);
  const auto key = Es256Key::from_pem(v.at("secret")).value();
  CHECK(key.verify(v.at("prehash"), std::span<const std::uint8_t, 64>(bytes(sig).data(), 64)));
}

TEST_CASE("CDP WebSocket JWT has no uri claim and a random nonce by default") {
  const auto& v = test::vector_at(22);
  const CoinbaseJwtSigner signer(v.at("key"), Secret(v.at("secret")));
  const auto parts = split_jwt(signer.ws_jwt(kNbf));
  const std::string payload = base64url_decode(parts[1]).value();
  CHECK(payload == R"({"sub":"organizations/test-org/apiKeys/test-key","iss":"cdp","nbf":1700000000,"exp":1700000120})");
  const std::string header = base64url_decode(parts[0]).value();
  CHECK(header.find(kNonce) == std::string::npos);
  CHECK(header.find(R"("nonce":")") != std::string::npos);
}

TEST_CASE("unusable CDP secrets are configuration errors that never quote the secret") {
  for (std::string_view bad : {"-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n", "c2hvcnQ=",
                               // 64 bytes whose second half is not the seed's public key
                               "nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2DXWpgBgrEKt9VL/tPJZAc6DuFy89qmIyWvAhpo9wdRGw=="}) {
    CAPTURE(bad);
    try {
      CoinbaseJwtSigner signer("organizations/o/apiKeys/k", Secret(bad));
      FAIL("expected an exception");
    } catch (const Exception& e) {
      CHECK(e.error().code == ErrorCode::invalid_argument);
      CHECK(std::string(e.what()).find(bad.substr(0, 20)) == std::string::npos);
    }
  }
}

TEST_CASE("legacy HMAC: v3 signs the path without the query, v2 with it") {
  const CoinbaseLegacySigner signer("legacy-key", Secret("coinbase-legacy-test-secret"));
  const SigningContext at{from_unix_millis(1667500462000), {}, {}};

  HttpRequest v3{HttpMethod::get, "/api/v3/brokerage/accounts", "limit=50", "", {}};
  REQUIRE(signer.sign(v3, at));
  CHECK(v3.header("CB-ACCESS-SIGN").value() == test::vector_at(19).at("expected_signature"));
  CHECK(v3.header("CB-ACCESS-TIMESTAMP").value() == "1667500462");
  CHECK(v3.header("CB-ACCESS-KEY").value() == "legacy-key");

  HttpRequest post{HttpMethod::post, "/api/v3/brokerage/orders/batch_cancel", "", R"({"order_ids":["abc"]})", {}};
  REQUIRE(signer.sign(post, at));
  CHECK(post.header("CB-ACCESS-SIGN").value() == test::vector_at(20).at("expected_signature"));

  HttpRequest v2{HttpMethod::get, "/v2/accounts", "limit=50", "", {}};
  REQUIRE(signer.sign(v2, at));
  CHECK(v2.header("CB-ACCESS-SIGN").value() == test::vector_at(21).at("expected_signature"));
}
