// Tests for cts/sign/gate.hpp (Gate APIv4 documented examples and derived WS vector).
#include <cts/sign/gate.hpp>

#include <doctest/doctest.h>

#include "sign/vectors.hpp"

using namespace cts;
using namespace cts::sign;

namespace {
const SigningContext kDocTime{from_unix_millis(1541993715000), {}, {}};
}

TEST_CASE("Gate GET doc example: empty body hashes as SHA-512 of nothing") {
  const auto& v = test::vector_at(27);
  const GateSigner signer(v.at("key"), Secret(v.at("secret")));
  HttpRequest r{HttpMethod::get, "/api/v4/futures/orders", "contract=BTC_USD&status=finished&limit=50", "", {}};
  REQUIRE(signer.sign(r, kDocTime));
  CHECK(r.header("SIGN").value() == v.at("expected_signature"));
  CHECK(r.header("KEY").value() == "key");
  CHECK(r.header("Timestamp").value() == "1541993715");
}

TEST_CASE("Gate POST doc example and the ccxt spot cross-check") {
  const auto& post = test::vector_at(28);
  const GateSigner signer("key", Secret("secret"));
  HttpRequest r{HttpMethod::post, "/api/v4/futures/orders", "", post.input("body"), {}};
  REQUIRE(signer.sign(r, kDocTime));
  CHECK(r.header("SIGN").value() == post.at("expected_signature"));

  const auto& spot = test::vector_at(29);
  HttpRequest s{HttpMethod::get, "/api/v4/spot/orders", "currency_pair=BTC_USDT&status=open", "", {}};
  REQUIRE(signer.sign(s, kDocTime));
  CHECK(s.header("SIGN").value() == spot.at("expected_signature"));
}

TEST_CASE("Gate WebSocket channel auth") {
  const auto& v = test::vector_at(30);
  const GateSigner signer("key", Secret("secret"));
  CHECK(signer.ws_channel_signature("spot.orders", "subscribe", 1541993715) == v.at("expected_signature"));
}
