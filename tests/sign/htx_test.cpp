// Tests for cts/sign/htx.hpp (derived vectors with the HTX doc's placeholder credentials).
#include <cts/sign/htx.hpp>

#include <doctest/doctest.h>

#include "sign/vectors.hpp"

using namespace cts;
using namespace cts::sign;

namespace {
// 2017-05-11T15:19:30Z, the doc example's Timestamp.
constexpr std::int64_t kDocMillis = 1494515970000;
}  // namespace

TEST_CASE("HTX v2: auth params added, all sorted and encoded, Signature URL-encoded last") {
  const auto& v = test::vector_at(25);
  const HtxSigner signer(v.at("key"), Secret(v.at("secret")));
  HttpRequest r{HttpMethod::get, "/v1/order/orders", "order-id=1234567890", "", {}};
  REQUIRE(signer.sign(r, {from_unix_millis(kDocMillis), {}, {}}));
  const std::string& url = v.input("final_url");
  CHECK("https://api.huobi.pro" + r.target() == url);
  CHECK(r.body.empty());
}

TEST_CASE("HTX re-encodes caller values canonically (uppercase hex, %20 for space)") {
  const HtxSigner signer("AK", Secret("SK"));
  HttpRequest r{HttpMethod::get, "/v1/x", "symbol=a%3ab&note=x y", "", {}};
  REQUIRE(signer.sign(r, {from_unix_millis(kDocMillis), {}, {}}));
  CHECK(r.query.rfind("AccessKeyId=AK&SignatureMethod=HmacSHA256&SignatureVersion=2&Timestamp=2017-05-11T15%3A19%3A30&"
                      "note=x%20y&symbol=a%3Ab&Signature=",
                      0) == 0);
}

TEST_CASE("HTX refuses a query that already carries auth parameters or bad escapes") {
  const HtxSigner signer("AK", Secret("SK"));
  for (std::string_view query : {"Signature=abc", "Timestamp=1", "a=%zz"}) {
    HttpRequest r{HttpMethod::get, "/v1/x", std::string(query), "", {}};
    CHECK(!signer.sign(r, {from_unix_millis(kDocMillis), {}, {}}));
    CHECK(r.query == query);
  }
}

TEST_CASE("HTX WebSocket v2 auth (signatureVersion 2.1, camelCase names)") {
  const auto& v = test::vector_at(26);
  const HtxSigner signer(v.at("key"), Secret(v.at("secret")));
  const SystemTime at = from_unix_millis(1567361776000);  // 2019-09-01T18:16:16Z
  CHECK(signer.ws_auth_signature(at) == v.at("expected_signature"));
  CHECK(signer.ws_auth_frame(at) ==
        R"({"action":"req","ch":"auth","params":{"authType":"api","accessKey":"e2xxxxxx-99xxxxxx-84xxxxxx-7xxxx",)"
        R"("signatureMethod":"HmacSHA256","signatureVersion":"2.1","timestamp":"2019-09-01T18:16:16","signature":")" +
            v.at("expected_signature") + "\"}}");
}
