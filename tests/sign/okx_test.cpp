// Tests for cts/sign/okx.hpp (ccxt cross-check and derived vectors of sign-vectors.json).
#include <cts/sign/okx.hpp>

#include <doctest/doctest.h>

#include "sign/vectors.hpp"

using namespace cts;
using namespace cts::sign;

namespace {
// 2020-12-08T09:08:57.715Z, the doc's example timestamp.
constexpr std::int64_t kDocMillis = 1607418537715;
}  // namespace

TEST_CASE("OKX GET signs timestamp + GET + path?query with an ISO-8601 ms timestamp") {
  const auto& v = test::vector_at(14);
  const OkxSigner signer(v.at("key"), Secret(v.at("secret")), Secret(v.input("OK-ACCESS-PASSPHRASE")));
  HttpRequest r{HttpMethod::get, "/api/v5/account/balance", "ccy=BTC", "", {}};
  REQUIRE(signer.sign(r, {from_unix_millis(kDocMillis), {}, {}}));
  CHECK(r.header("OK-ACCESS-TIMESTAMP").value() == "2020-12-08T09:08:57.715Z");
  CHECK(r.header("OK-ACCESS-SIGN").value() == v.at("expected_signature"));
  CHECK(r.header("OK-ACCESS-KEY").value() == v.at("key"));
  CHECK(r.header("OK-ACCESS-PASSPHRASE").value() == "okx-passphrase");
}

TEST_CASE("OKX POST signs the JSON body") {
  const auto& v = test::vector_at(15);
  const OkxSigner signer("okx-key", Secret(v.at("secret")), Secret("okx-passphrase"));
  HttpRequest r{HttpMethod::post, "/api/v5/account/set-leverage", "", v.input("body"), {}};
  REQUIRE(signer.sign(r, {from_unix_millis(kDocMillis), {}, {}}));
  CHECK(r.header("OK-ACCESS-SIGN").value() == v.at("expected_signature"));
}

TEST_CASE("OKX timestamps keep leading zeros of the milliseconds") {
  const OkxSigner signer("k", Secret("s"), Secret("p"));
  HttpRequest r{HttpMethod::get, "/api/v5/account/balance", "", "", {}};
  REQUIRE(signer.sign(r, {from_unix_millis(1704067200007), {}, {}}));  // 2024-01-01T00:00:00.007Z
  CHECK(r.header("OK-ACCESS-TIMESTAMP").value() == "2024-01-01T00:00:00.007Z");
}

TEST_CASE("OKX timestamps stay right across seconds, days, years and back in time") {
  const OkxSigner signer("k", Secret("s"), Secret("p"));
  const auto stamp = [&](std::int64_t ms) {
    HttpRequest r{HttpMethod::get, "/api/v5/account/balance", "", "", {}};
    REQUIRE(signer.sign(r, {from_unix_millis(ms), {}, {}}));
    return std::string(r.header("OK-ACCESS-TIMESTAMP").value());
  };
  // Expected texts computed independently (Python: epoch + timedelta(milliseconds=ms), UTC).
  CHECK(stamp(1704067199999) == "2023-12-31T23:59:59.999Z");
  CHECK(stamp(1704067200000) == "2024-01-01T00:00:00.000Z");
  CHECK(stamp(1704067200999) == "2024-01-01T00:00:00.999Z");
  CHECK(stamp(1704067201000) == "2024-01-01T00:00:01.000Z");
  CHECK(stamp(1704067200500) == "2024-01-01T00:00:00.500Z");  // back into an earlier second
  CHECK(stamp(kDocMillis) == "2020-12-08T09:08:57.715Z");
  CHECK(stamp(0) == "1970-01-01T00:00:00.000Z");
  CHECK(stamp(-1) == "1969-12-31T23:59:59.999Z");
  CHECK(stamp(951782400123) == "2000-02-29T00:00:00.123Z");
}

TEST_CASE("OKX WebSocket login signs seconds + GET/users/self/verify") {
  const auto& v = test::vector_at(17);
  const OkxSigner signer("okx-key", Secret(v.at("secret")), Secret("pass\"phrase"));
  CHECK(signer.ws_login_signature(1538054050) == v.at("expected_signature"));
  CHECK(signer.ws_login_frame(1538054050) ==
        R"({"op":"login","args":[{"apiKey":"okx-key","passphrase":"pass\"phrase","timestamp":"1538054050","sign":")" +
            v.at("expected_signature") + "\"}]}");
}

TEST_CASE("OKX requires a passphrase") {
  CHECK_THROWS_AS(OkxSigner("k", Secret("s"), Secret()), Exception);
}
