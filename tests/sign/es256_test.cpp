// Tests for cts/sign/es256.hpp: raw r||s signatures that verify, low-S form, the
// derived RFC 6979 vector of the Coinbase JWT research, and PEM errors.
#include <cts/sign/es256.hpp>

#include <doctest/doctest.h>

#include <cts/sign/encoding.hpp>

#include "sign/vectors.hpp"

using namespace cts;
using namespace cts::sign;

namespace {

// P-256 order n / 2, big-endian: s must not exceed it (low-S).
constexpr std::string_view kHalfOrderHex = "7fffffff800000007fffffffffffffffde737d56d38bcf4279dce5617e3192a8";

}  // namespace

TEST_CASE("ES256 signatures are 64-byte r||s in low-S form and verify") {
  const auto& v = test::vector_at(23);  // RFC 6979 A.2.5 P-256 key, SEC1 PEM
  const auto key = Es256Key::from_pem(v.at("secret")).value();
  for (int i = 0; i < 8; ++i) {
    const auto sig = key.sign(v.at("prehash"));
    CHECK(key.verify(v.at("prehash"), sig));
    CHECK(hex_lower(std::span<const std::uint8_t>(sig.data() + 32, 32)) <= kHalfOrderHex);
    auto tampered = sig;
    tampered[63] ^= 1;
    CHECK(!key.verify(v.at("prehash"), tampered));
    CHECK(!key.verify(v.at("prehash") + ".", sig));
  }
}

TEST_CASE("the verified RFC 6979 ES256 vector (low-S and high-S forms) verifies under the key") {
  const auto& v = test::vector_at(23);
  const auto key = Es256Key::from_pem(v.at("secret")).value();
  const std::string low = base64url_decode(v.at("expected_signature")).value();
  REQUIRE(low.size() == 64);
  CHECK(key.verify(v.at("prehash"), std::span<const std::uint8_t, 64>(bytes(low).data(), 64)));
  const std::string high = base64url_decode(v.at("equivalent_high_s_signature")).value();
  REQUIRE(high.size() == 64);
  CHECK(key.verify(v.at("prehash"), std::span<const std::uint8_t, 64>(bytes(high).data(), 64)));
}

TEST_CASE("ES256 keys also load from PKCS#8 and refuse other curves and garbage") {
  // The same RFC 6979 key as PKCS#8 (python-cryptography).
  constexpr std::string_view pkcs8 =
      "-----BEGIN PRIVATE KEY-----\n"
      "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgya+p2EW6dRZrXCFX\n"
      "Z7HWk05Qw9s26JsSe4piKxIPZyGhRANCAARg/tS6JVqdMclh63TGNW1owEm4kjth\n"
      "+mzmaWIuYPKftnkD/hAIuLyZpBrp6VYovGTy8bIMLX6fUXejwpTURiKZ\n"
      "-----END PRIVATE KEY-----\n";
  const auto key = Es256Key::from_pem(pkcs8).value();
  const auto& v = test::vector_at(23);
  const std::string low = base64url_decode(v.at("expected_signature")).value();
  CHECK(key.verify(v.at("prehash"), std::span<const std::uint8_t, 64>(bytes(low).data(), 64)));

  constexpr std::string_view p384 =
      "-----BEGIN EC PRIVATE KEY-----\n"
      "MIGkAgEBBDAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n"
      "AAAAAAAAMDmgBwYFK4EEACKhZANiAAToa5leNQ5NMSqVprfV2M3NtGgvWIgAoc1s\n"
      "ly4dyypaw42QBGlRsDzLOxeaif2oixtIW58sH0Sw3UHObjw6aQu/qr7B4f9K77JG\n"
      "H92mYpvsvUPPdME9jBoWJWEiQ/AEYUg=\n"
      "-----END EC PRIVATE KEY-----\n";
  const auto wrong_curve = Es256Key::from_pem(p384);
  REQUIRE(!wrong_curve);
  CHECK(wrong_curve.error().message.find("P-256") != std::string::npos);
  CHECK(!Es256Key::from_pem("-----BEGIN EC PRIVATE KEY-----\nnot base64\n-----END EC PRIVATE KEY-----\n"));
  CHECK(!Es256Key::from_pem("MHcCAQEEIMmvqdhFunUWa1whV2ex1pNOUMPbNuibEnuKYisSD2cho"));
}
