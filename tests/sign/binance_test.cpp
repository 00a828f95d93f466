// Tests for cts/sign/binance.hpp against Binance's documented examples
// (binance-spot-api-docs rest-api.md / web-socket-api.md; USD-M general-info), copied
// into tests/sign/data/sign-vectors.json.
#include <cts/sign/binance.hpp>

#include <cts/sign/encoding.hpp>

#include <cstdio>
#include <string>

#include <doctest/doctest.h>

#include "sign/vectors.hpp"

using namespace cts;
using namespace cts::sign;

namespace {

BinanceHmacSigner signer_for(const test::Vector& v, VenueId venue = VenueId::binance_spot) {
  return BinanceHmacSigner(venue, v.at("key"), Secret(v.at("secret")));
}

SigningContext at_millis(std::int64_t ms) { return SigningContext{from_unix_millis(ms), {}, {}}; }

}  // namespace

TEST_CASE("spot REST doc example: timestamp appended, signature last, key header") {
  const auto& v = test::vector_at(0);
  const auto signer = signer_for(v);
  HttpRequest r{HttpMethod::post, "/api/v3/order",
                "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000", "", {}};
  REQUIRE(signer.sign(r, at_millis(1499827319559)));
  CHECK(r.query == v.at("prehash") + "&signature=" + v.at("expected_signature"));
  CHECK(r.header("X-MBX-APIKEY").value() == v.at("key"));
}

TEST_CASE("spot REST: configured recvWindow precedes the timestamp") {
  const auto& v = test::vector_at(0);
  const BinanceHmacSigner signer(VenueId::binance_spot, v.at("key"), Secret(v.at("secret")), 5000);
  HttpRequest r{HttpMethod::post, "/api/v3/order", "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1",
                "", {}};
  REQUIRE(signer.sign(r, at_millis(1499827319559)));
  CHECK(r.query == v.at("prehash") + "&signature=" + v.at("expected_signature"));
}

TEST_CASE("spot REST: raw UTF-8 is percent-encoded before signing (doc example 2)") {
  const auto& v = test::vector_at(1);
  const auto signer = signer_for(v);
  HttpRequest r{HttpMethod::post, "/api/v3/order",
                "symbol=\xEF\xBC\x91\xEF\xBC\x92\xEF\xBC\x93\xEF\xBC\x94\xEF\xBC\x95\xEF\xBC\x96&side=BUY&type=LIMIT&"
                "timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000",
                "", {}};
  REQUIRE(signer.sign(r, at_millis(1499827319559)));
  CHECK(r.query == v.at("prehash") + "&signature=" + v.at("expected_signature"));
}

TEST_CASE("spot REST: query and body are signed concatenated without separator (doc example 3)") {
  const auto& v = test::vector_at(2);
  const auto signer = signer_for(v);
  HttpRequest r{HttpMethod::post, "/api/v3/order", v.input("query"), "quantity=1&price=0.1&recvWindow=5000", {}};
  REQUIRE(signer.sign(r, at_millis(1499827319559)));
  CHECK(r.query == v.input("query"));
  CHECK(r.body == v.input("body") + "&signature=" + v.at("expected_signature"));
}

TEST_CASE("USD-M futures doc examples (1/2 and the corrected 3)") {
  const auto& v1 = test::vector_at(5);
  const auto signer = signer_for(v1, VenueId::binance_usdm);
  CHECK(signer.venue() == VenueId::binance_usdm);
  HttpRequest r{HttpMethod::post, "/fapi/v1/order",
                "symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=9000&timeInForce=GTC&recvWindow=5000", "", {}};
  REQUIRE(signer.sign(r, at_millis(1591702613943)));
  CHECK(r.query == v1.at("prehash") + "&signature=" + v1.at("expected_signature"));

  const auto& v3 = test::vector_at(7);
  HttpRequest mixed{HttpMethod::post, "/fapi/v1/order", v3.input("query"), "quantity=1&price=9000&recvWindow=5000", {}};
  REQUIRE(signer.sign(mixed, at_millis(1591702613943)));
  CHECK(mixed.body == v3.input("body") + "&signature=" + v3.at("expected_signature"));
}

TEST_CASE("a caller-supplied timestamp is kept and signed as given") {
  const auto& v = test::vector_at(8);  // ccxt order: timestamp before recvWindow
  const BinanceHmacSigner signer(VenueId::binance_spot, v.at("key"), Secret(v.at("secret")), 60000);
  HttpRequest r{HttpMethod::get, "/api/v3/account", v.at("prehash"), "", {}};
  REQUIRE(signer.sign(r, at_millis(1)));
  CHECK(r.query == v.at("prehash") + "&signature=" + v.at("expected_signature"));
}

TEST_CASE("WebSocket API: params sorted by name, apiKey included, raw UTF-8") {
  const auto& v = test::vector_at(3);
  const auto signer = signer_for(v);
  std::vector<std::pair<std::string, std::string>> params{
      {"symbol", "BTCUSDT"}, {"side", "SELL"},        {"type", "LIMIT"},       {"timeInForce", "GTC"},
      {"quantity", "0.01000000"}, {"price", "52000.00"}, {"recvWindow", "100"}};
  const auto sig = signer.sign_ws_params(params, at_millis(1645423376532));
  REQUIRE(sig);
  CHECK(*sig == v.at("expected_signature"));
  CHECK(params.back() == std::pair<std::string, std::string>{"signature", v.at("expected_signature")});
  CHECK(params.front().first == "apiKey");

  const auto& utf8 = test::vector_at(4);
  std::vector<std::pair<std::string, std::string>> raw{
      {"symbol", "\xEF\xBC\x91\xEF\xBC\x92\xEF\xBC\x93\xEF\xBC\x94\xEF\xBC\x95\xEF\xBC\x96"},
      {"side", "BUY"}, {"type", "LIMIT"}, {"timeInForce", "GTC"}, {"quantity", "1.00000000"}, {"price", "0.10000000"},
      {"recvWindow", "5000"}};
  CHECK(signer.sign_ws_params(raw, at_millis(1645423376532)).value() == utf8.at("expected_signature"));
  CHECK(!signer.sign_ws_params(raw, at_millis(1645423376532)));  // already signed
}

TEST_CASE("a request that already carries a signature is refused and left unchanged") {
  const auto& v = test::vector_at(0);
  const auto signer = signer_for(v);
  HttpRequest r{HttpMethod::post, "/api/v3/order", "symbol=LTCBTC&signature=abc", "", {}};
  const HttpRequest before = r;
  const auto result = signer.sign(r, at_millis(1499827319559));
  REQUIRE(!result);
  CHECK(result.error().code == ErrorCode::invalid_argument);
  CHECK(r.query == before.query);
  CHECK(r.headers.empty());
}

TEST_CASE("empty credentials are a configuration error") {
  CHECK_THROWS_AS(BinanceHmacSigner(VenueId::binance_spot, "key", Secret("")), Exception);
  CHECK_THROWS_AS(BinanceHmacSigner(VenueId::binance_spot, "", Secret("s")), Exception);
  CHECK_THROWS_AS(BinanceHmacSigner(VenueId::okx, "key", Secret("s")), Exception);
}

TEST_CASE("Ed25519 keys: base64 signature, percent-encoded, verifies over query + body") {
  // RFC 8032 TEST 1 key as PKCS#8. Binance's own Ed25519 example cannot be used: its
  // output is an RSA-sized 256-byte blob identical to the RSA example, and no private key
  // is published. So the check is verification with the public key.
  constexpr std::string_view pem =
      "-----BEGIN PRIVATE KEY-----\n"
      "MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g\n"
      "-----END PRIVATE KEY-----\n";
  auto signer = make_signer(VenueId::binance_spot, Credentials{"ed-key", Secret(pem), {}}).value();
  HttpRequest r{HttpMethod::post, "/api/v3/order", "symbol=BTCUSDT&side=BUY", "type=LIMIT&quantity=1&price=0.1", {}};
  REQUIRE(signer->sign(r, at_millis(1499827319559)));
  CHECK(r.header("X-MBX-APIKEY").value() == "ed-key");
  const std::string_view marker = "&signature=";
  const auto at = r.body.find(marker);
  REQUIRE(at != std::string::npos);
  const std::string signed_body = r.body.substr(0, at);
  CHECK(signed_body == "type=LIMIT&quantity=1&price=0.1&timestamp=1499827319559");
  const std::string encoded = r.body.substr(at + marker.size());
  CHECK(encoded.find_first_of("+/=") == std::string::npos);
  const std::string raw = base64_decode(percent_decode(encoded).value()).value();
  REQUIRE(raw.size() == 64);
  const auto key = Ed25519Key::from_pem(pem).value();
  const auto pub = key.public_key();
  CHECK(ed25519_verify(pub, r.query + signed_body, std::span<const std::uint8_t, 64>(bytes(raw).data(), 64)));
  CHECK(!ed25519_verify(pub, r.query + "&" + signed_body, std::span<const std::uint8_t, 64>(bytes(raw).data(), 64)));
}

TEST_CASE("Ed25519 keys sign WebSocket API params sorted by name, base64 not percent-encoded") {
  // RFC 8032 TEST 1 key; the expected signature was computed independently with
  // `openssl pkeyutl -sign -rawin` over the payload below, then base64 (Ed25519 is
  // deterministic).
  constexpr std::string_view pem =
      "-----BEGIN PRIVATE KEY-----\n"
      "MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g\n"
      "-----END PRIVATE KEY-----\n";
  const BinanceEd25519Signer signer(VenueId::binance_spot, "ed-key", Ed25519Key::from_pem(pem).value(), 100);
  CHECK(signer.recv_window_ms() == 100);
  std::vector<std::pair<std::string, std::string>> params;
  const auto sig = signer.sign_ws_params(params, at_millis(1649729878532));
  REQUIRE(sig);
  // Signed text: "apiKey=ed-key&recvWindow=100&timestamp=1649729878532".
  CHECK(*sig == "qxK7uiigia/XMbnUjuY8o6cIWjyYxELKUfUIf4cDq7YaARiSsM0yRcRXbpBWp0gOMPKUGlkPUiMzJLev8nhaDw==");
  REQUIRE(params.size() == 4);
  CHECK(params[0] == std::pair<std::string, std::string>{"apiKey", "ed-key"});
  CHECK(params[1] == std::pair<std::string, std::string>{"recvWindow", "100"});
  CHECK(params[2] == std::pair<std::string, std::string>{"timestamp", "1649729878532"});
  CHECK(params[3].first == "signature");
  CHECK(!signer.sign_ws_params(params, at_millis(1649729878532)));  // already signed
}

TEST_CASE("parameter names and unsafe bytes are found wherever they fall in the string") {
  const auto& v = test::vector_at(0);
  const auto signer = signer_for(v);
  // The scan reads 16 bytes at a time (SSE2) or 32 (AVX2): both boundaries.
  for (std::size_t block : {16u, 32u}) {
    CAPTURE(block);
    // '&' as the last byte of a block, `signature` from the first of the next.
    HttpRequest at_block{HttpMethod::post, "/api/v3/order", std::string(block - 2, 'a') + "=&signature=abc", "", {}};
    CHECK(!signer.sign(at_block, at_millis(1499827319559)));
    // `signature` inside a value, not after '&': not a parameter, so the request is signed.
    HttpRequest inside{HttpMethod::post, "/api/v3/order", std::string(block - 1, 'a') + "signature=1", "", {}};
    REQUIRE(signer.sign(inside, at_millis(1499827319559)));
    CHECK(inside.query.starts_with(std::string(block - 1, 'a') + "signature=1&timestamp=1499827319559&signature="));
    // A caller's timestamp in a later block of the body: kept, none added.
    HttpRequest late{HttpMethod::post, "/api/v3/order", "", std::string(2 * block - 2, 'a') + "=&timestamp=1", {}};
    REQUIRE(signer.sign(late, at_millis(1499827319559)));
    CHECK(late.body.starts_with(std::string(2 * block - 2, 'a') + "=&timestamp=1&signature="));
  }
  // A caller's timestamp as the last parameter, after the first 16 bytes: kept, none added.
  HttpRequest late{HttpMethod::get, "/api/v3/account", "symbol=LTCBTC&recvWindow=5000&timestamp=1", "", {}};
  REQUIRE(signer.sign(late, at_millis(1499827319559)));
  CHECK(late.query.starts_with("symbol=LTCBTC&recvWindow=5000&timestamp=1&signature="));
  // An empty request gets the parameters without a leading '&'.
  HttpRequest empty{HttpMethod::get, "/api/v3/account", "", "", {}};
  REQUIRE(signer.sign(empty, at_millis(1499827319559)));
  CHECK(empty.query.starts_with("timestamp=1499827319559&signature="));
  // Each side of every boundary of the bytes a query may carry raw (RFC 3986 unreserved,
  // sub-delims, ':' '@' '/' '?', '%'), in the first 16 bytes and in the tail.
  HttpRequest bytes{HttpMethod::post, "/api/v3/order", "k=! ~\x7f\"#$<=>?[\\]^_`a{|}z\x80\xff%41", "", {}};
  REQUIRE(signer.sign(bytes, at_millis(1499827319559)));
  CHECK(bytes.query.starts_with("k=!%20~%7F%22%23$%3C=%3E?%5B%5C%5D%5E_%60a%7B%7C%7Dz%80%FF%41&timestamp=1499827319559&"));
}

TEST_CASE("every byte value is percent-encoded or kept as the REST rule says, at every block position") {
  const auto& v = test::vector_at(0);
  const auto signer = signer_for(v);
  // The REST rule, written out here independently of the signer's tables: printable
  // ASCII is kept except `" # < > [ \ ] ^ ` { | }`; controls, space, DEL and non-ASCII
  // become %XX (uppercase).
  const auto expected = [](unsigned char b) {
    const std::string_view never_raw = "\"#<>[\\]^`{|}";
    if (b > 0x20 && b < 0x7f && never_raw.find(static_cast<char>(b)) == std::string_view::npos) {
      return std::string(1, static_cast<char>(b));
    }
    char escaped[4];
    std::snprintf(escaped, sizeof(escaped), "%%%02X", b);
    return std::string(escaped);
  };
  for (int b = 0; b < 256; ++b) {
    // Before, inside and after the first 16- and 32-byte blocks, and in a later block.
    for (std::size_t pad : {0u, 13u, 14u, 15u, 16u, 29u, 30u, 31u, 32u, 45u, 61u, 70u}) {
      const std::string value = std::string(pad, 'a') + static_cast<char>(b) + "z";
      HttpRequest r{HttpMethod::post, "/api/v3/order", "k=" + value, "", {}};
      REQUIRE(signer.sign(r, at_millis(1499827319559)));
      const std::string want = "k=" + std::string(pad, 'a') + expected(static_cast<unsigned char>(b)) + "z&timestamp=1499827319559&signature=";
      CHECK_MESSAGE(r.query.starts_with(want), "byte ", b, " after ", pad, " bytes: ", r.query);
    }
  }
}
