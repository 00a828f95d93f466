// Tests for cts/sign/orangex.hpp (the official SDK's self-test vector; token handling).
#include <cts/sign/orangex.hpp>

#include <doctest/doctest.h>

#include "sign/vectors.hpp"

using namespace cts;
using namespace cts::sign;

TEST_CASE("OrangeX client_signature is the SDK's double hex") {
  const auto& v = test::vector_at(40);
  const OrangexSigner signer(v.input("client_id"), Secret(v.at("secret")));
  CHECK(signer.client_signature(1648544509453, "401000476306309121") == v.at("expected_signature"));
  const auto params = signer.auth_params({from_unix_millis(1648544509453), {}, "401000476306309121"});
  CHECK(params.client_id == "e429d4d1");
  CHECK(params.timestamp_ms == 1648544509453);
  CHECK(params.signature == v.at("expected_signature"));
}

TEST_CASE("OrangeX draws a fresh random nonce when none is given") {
  const OrangexSigner signer("id", Secret("secret"));
  const auto a = signer.auth_params({from_unix_millis(1), {}, {}});
  const auto b = signer.auth_params({from_unix_millis(1), {}, {}});
  CHECK(a.nonce.size() == 32);
  CHECK(a.nonce != b.nonce);
  CHECK(a.signature == signer.client_signature(1, a.nonce));
}

TEST_CASE("OrangeX requests need an access token") {
  OrangexSigner signer("id", Secret("secret"));
  HttpRequest r{HttpMethod::post, "/api/v1/private/buy", "", "{}", {}};
  const auto missing = signer.sign(r, {});
  REQUIRE(!missing);
  CHECK(missing.error().code == ErrorCode::auth_failed);
  CHECK(r.headers.empty());
  signer.set_access_token(Secret("tok123"));
  REQUIRE(signer.sign(r, {}));
  CHECK(r.header("Authorization").value() == "bearer tok123");
}
