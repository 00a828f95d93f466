// Tests for cts/sign/bingx.hpp (BingX swap-v2 and spot documented examples, ccxt order).
#include <cts/sign/bingx.hpp>

#include <doctest/doctest.h>

#include "sign/vectors.hpp"

using namespace cts;
using namespace cts::sign;

TEST_CASE("BingX swap-v2 doc example: parameters signed in the order sent") {
  const auto& v = test::vector_at(31);
  const BingxSigner signer(v.at("key"), Secret(v.at("secret")));
  HttpRequest r{HttpMethod::post, "/openApi/swap/v2/trade/leverage", v.at("prehash"), "", {}};
  REQUIRE(signer.sign(r, {from_unix_millis(1), {}, {}}));  // the request carries its own timestamp
  CHECK(r.query == v.at("prehash") + "&signature=" + v.at("expected_signature"));
  CHECK(r.header("X-BX-APIKEY").value() == v.at("key"));
}

TEST_CASE("BingX swap-v2 doc example with query and body") {
  const auto& v = test::vector_at(32);
  const BingxSigner signer(v.at("key"), Secret(v.at("secret")));
  HttpRequest r{HttpMethod::post, "/openApi/swap/v2/trade/leverage", v.input("query"), v.input("body"), {}};
  REQUIRE(signer.sign(r, {from_unix_millis(1), {}, {}}));
  CHECK(r.body == v.input("body") + "&signature=" + v.at("expected_signature"));
}

TEST_CASE("BingX appends the timestamp when the request has none (spot doc example, sorted)") {
  const auto& v = test::vector_at(33);
  const BingxSigner signer(v.at("key"), Secret(v.at("secret")));
  HttpRequest r{HttpMethod::post, "/openApi/spot/v1/trade/order", v.at("prehash"), "", {}};
  REQUIRE(signer.sign(r, {from_unix_millis(1), {}, {}}));
  CHECK(r.query == v.at("prehash") + "&signature=" + v.at("expected_signature"));

  const auto& sorted = test::vector_at(36);  // ccxt: keys a-z, timestamp last
  const BingxSigner ccxt_like("bingx-key", Secret(sorted.at("secret")));
  HttpRequest s{HttpMethod::post, "/openApi/swap/v2/trade/leverage", "leverage=6&side=LONG&symbol=BTC-USDT", "", {}};
  REQUIRE(ccxt_like.sign(s, {from_unix_millis(1667872120843), {}, {}}));
  CHECK(s.query == sorted.at("prehash") + "&signature=" + sorted.at("expected_signature"));
}
