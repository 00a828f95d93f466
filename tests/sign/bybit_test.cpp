// Tests for cts/sign/bybit.hpp (ccxt cross-check and derived vectors of sign-vectors.json).
#include <cts/sign/bybit.hpp>

#include <doctest/doctest.h>

#include "sign/vectors.hpp"

using namespace cts;
using namespace cts::sign;

TEST_CASE("Bybit GET signs timestamp + key + recv_window + query") {
  const auto& v = test::vector_at(11);
  const BybitSigner signer(v.at("key"), Secret(v.at("secret")));
  HttpRequest r{HttpMethod::get, "/v5/order/realtime", v.input("query"), "", {}};
  REQUIRE(signer.sign(r, {from_unix_millis(1658384314791), {}, {}}));
  CHECK(r.query == v.input("query"));
  CHECK(r.header("X-BAPI-SIGN").value() == v.at("expected_signature"));
  CHECK(r.header("X-BAPI-API-KEY").value() == v.at("key"));
  CHECK(r.header("X-BAPI-TIMESTAMP").value() == "1658384314791");
  CHECK(r.header("X-BAPI-RECV-WINDOW").value() == "5000");
}

TEST_CASE("Bybit POST signs the JSON body") {
  const auto& v = test::vector_at(12);
  const BybitSigner signer(v.at("key"), Secret(v.at("secret")), 5000);
  HttpRequest r{HttpMethod::post, v.input("path"), "", v.input("body"), {}};
  REQUIRE(signer.sign(r, {from_unix_millis(1658385579423), {}, {}}));
  CHECK(r.header("X-BAPI-SIGN").value() == v.at("expected_signature"));
  CHECK(r.body == v.input("body"));
}

// Expected values from `openssl dgst -sha256 -hmac long-key-secret` over
// "1658385579423" + key + "5000" + body: a key that fits the signer's stack buffer for the
// signed prefix exactly, and one that does not.
TEST_CASE("Bybit signs the same text whatever the API key's length") {
  const std::string body = R"({"category":"linear"})";
  for (const auto& [key_length, expected] :
       {std::pair<std::size_t, std::string_view>{108,
                                                 "cb61b869037e35a01bb9bd9137d8863d494c35b3b6ad9030d709acc39ad006fb"},
        std::pair<std::size_t, std::string_view>{120,
                                                 "7c84a9c1b1ef86650b4399c37eb4ee57ca55ff09087eccd74ef9e1ea7e977aab"}}) {
    CAPTURE(key_length);
    const BybitSigner signer(std::string(key_length, 'K'), Secret("long-key-secret"), 5000);
    HttpRequest r{HttpMethod::post, "/v5/order/create", "", body, {}};
    REQUIRE(signer.sign(r, {from_unix_millis(1658385579423), {}, {}}));
    CHECK(r.header("X-BAPI-SIGN").value() == expected);
    CHECK(r.header("X-BAPI-TIMESTAMP").value() == "1658385579423");
    CHECK(r.header("X-BAPI-API-KEY").value() == std::string(key_length, 'K'));
  }
}

TEST_CASE("Bybit WebSocket auth signs GET/realtime + expires") {
  const auto& v = test::vector_at(13);
  const BybitSigner signer("XXXXXXXXXX", Secret(v.at("secret")));
  CHECK(signer.ws_auth_signature(1662350400000) == v.at("expected_signature"));
  CHECK(signer.ws_auth_frame(1662350400000) ==
        R"({"op":"auth","args":["XXXXXXXXXX",1662350400000,")" + v.at("expected_signature") + "\"]}");
}

TEST_CASE("Bybit refuses empty credentials and a non-positive window") {
  CHECK_THROWS_AS(BybitSigner("k", Secret("")), Exception);
  CHECK_THROWS_AS(BybitSigner("", Secret("s")), Exception);
  CHECK_THROWS_AS(BybitSigner("k", Secret("s"), 0), Exception);
}
