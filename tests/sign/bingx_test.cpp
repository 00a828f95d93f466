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

// BingX API docs v3 (BingX-API/docs-v3 @ d84f954, static/js/app.4ba922b42c5d07b46306.js,
// "Signature Description"): the doc's key pair and parameters. The signature the doc prints
// (1e63e8cf...) matches neither of its two strings; the expected values below are
// HMAC-SHA256 computed independently (Python hmac and `openssl dgst -sha256 -hmac`).
namespace {
constexpr const char* kV3Secret = "mheO6dR8ovSsxZQCOYEFCtelpuxcWGTfHw7te326y6jOwq5WpvFQ9JNljoTwBXZGv5It07m9RXSPpDQEK2w";
constexpr const char* kV3Key = "hO6oQotzTE0S5FRYze2Jx2wGx7eVnJGMolpA1nZyehsoMgCcgKNWQHd4QgTFZuwl4Zt4xMe2PqGBegWXO4A";
}  // namespace

TEST_CASE("BingX docs v3, query string: parameters signed as sent, not sorted") {
  const BingxSigner signer(kV3Key, Secret(kV3Secret));
  HttpRequest r{HttpMethod::get, "/openApi/swap/v2/user/balance", "recvWindow=0&symbol=BTC-USDT&timestamp=1696751141337",
                "", {}};
  REQUIRE(signer.sign(r, {from_unix_millis(1), {}, {}}));
  CHECK(r.query ==
        "recvWindow=0&symbol=BTC-USDT&timestamp=1696751141337"
        "&signature=f8d883609dfd31c824feb4de865b071008dedb1d461451fa70847875c8e7a7a2");
}

TEST_CASE("BingX docs v3, JSON body: members signed sorted a-z, signature added to the object") {
  const BingxSigner signer(kV3Key, Secret(kV3Secret));
  // The doc's members in another order: the signed text is sorted, the body keeps its order.
  HttpRequest r{HttpMethod::post, "/openApi/subAccount/v1/create", "",
                R"({"timestamp":1696751141337,"subAccountString":"abc12345","recvWindow":0})", {}};
  REQUIRE(signer.sign(r, {from_unix_millis(1), {}, {}}));
  // hmac(secret, "recvWindow=0&subAccountString=abc12345&timestamp=1696751141337")
  CHECK(r.body ==
        R"({"timestamp":1696751141337,"subAccountString":"abc12345","recvWindow":0,)"
        R"("signature":"8d0d3ea9b592be3678c33332ab13e9102e093e67255921e15a581146c87c272f"})");
  CHECK(r.header("X-BX-APIKEY").value() == kV3Key);
}

TEST_CASE("BingX JSON body: timestamp and recvWindow added, then sorted with the rest") {
  const BingxSigner signer(kV3Key, Secret(kV3Secret), 5000);
  HttpRequest r{HttpMethod::post, "/openApi/swap/v2/trade/order", "", R"({ "symbol" : "BTC-USDT" })", {}};
  REQUIRE(signer.sign(r, {from_unix_millis(1696751141337), {}, {}}));
  // hmac(secret, "recvWindow=5000&symbol=BTC-USDT&timestamp=1696751141337")
  CHECK(r.body ==
        R"({ "symbol" : "BTC-USDT" ,"recvWindow":5000,"timestamp":1696751141337,)"
        R"("signature":"693ca51c03a2a2b631b28ba74708f12caa65985e7148e8a942e8fcab25bd96be"})");

  const BingxSigner plain(kV3Key, Secret(kV3Secret));
  HttpRequest order{HttpMethod::post, "/openApi/swap/v2/trade/order", "",
                    R"({"symbol":"BTC-USDT","side":"BUY","type":"LIMIT","price":"100.5","quantity":0.01,)"
                    R"("clientOrderID":"cts-1"})",
                    {}};
  REQUIRE(plain.sign(order, {from_unix_millis(1696751141337), {}, {}}));
  // hmac(secret, "clientOrderID=cts-1&price=100.5&quantity=0.01&side=BUY&symbol=BTC-USDT&timestamp=1696751141337&type=LIMIT")
  CHECK(order.body.ends_with(
      R"(,"timestamp":1696751141337,"signature":"6c0d7c2464afc5c78c22d3e1f637e738a5199d6ceb869b108d31b95f4e9814d1"})"));

  HttpRequest empty{HttpMethod::post, "/openApi/swap/v2/trade/order", "", "{}", {}};
  REQUIRE(plain.sign(empty, {from_unix_millis(1696751141337), {}, {}}));
  CHECK(empty.body.starts_with(R"({"timestamp":1696751141337,"signature":")"));
}

TEST_CASE("BingX JSON body: what cannot be signed as sent is refused, request unchanged") {
  const BingxSigner signer(kV3Key, Secret(kV3Secret));
  for (const std::string body :
       {R"({"a":{"b":1}})", R"({"a":[1]})", R"({"a":"x\"y"})", R"({"a":1)", R"({"a":1} x)", R"({"signature":"00"})",
        R"({"a" 1})", R"({"a":})"}) {
    HttpRequest r{HttpMethod::post, "/p", "", body, {}};
    const auto signed_ = signer.sign(r, {from_unix_millis(1), {}, {}});
    REQUIRE_FALSE(signed_);
    CHECK(signed_.error().code == ErrorCode::invalid_argument);
    CHECK(r.body == body);
    CHECK_FALSE(r.header("X-BX-APIKEY"));
  }
  HttpRequest with_query{HttpMethod::post, "/p", "symbol=BTC-USDT", R"({"a":1})", {}};
  CHECK_FALSE(signer.sign(with_query, {from_unix_millis(1), {}, {}}));
}

TEST_CASE("BingX listen-key requests carry the API key only (swap-v2 doc, generate Listen Key)") {
  const BingxSigner signer("g6ikQYpMiWLecMQ39DUivd4ENem9ygzAim63xUPFhRtCFBUDNLajRoZNiubPemKT", Secret("any-secret"));
  HttpRequest request{HttpMethod::post, "/openApi/user/auth/userDataStream", "", "", {}};
  REQUIRE(signer.add_api_key(request));
  CHECK(request.header("X-BX-APIKEY") == "g6ikQYpMiWLecMQ39DUivd4ENem9ygzAim63xUPFhRtCFBUDNLajRoZNiubPemKT");
  CHECK(request.query.empty());  // no timestamp, no signature
}
