// Tests for cts/sign/ed25519.hpp: RFC 8032 §7.1 TEST 1-3, PEM loading, verification.
#include <cts/sign/ed25519.hpp>

#include <doctest/doctest.h>

#include <cts/sign/encoding.hpp>

using namespace cts;
using namespace cts::sign;

namespace {

struct Rfc8032Case {
  std::string_view seed_hex, public_hex, message_hex, signature_hex;
};

// RFC 8032 §7.1, TEST 1, TEST 2, TEST 3 (re-checked with python-cryptography).
constexpr Rfc8032Case kCases[] = {
    {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
    {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
     "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
    {"c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
     "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
     "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"},
};

}  // namespace

TEST_CASE("Ed25519 signs the RFC 8032 test vectors") {
  for (const auto& c : kCases) {
    CAPTURE(c.public_hex);
    const std::string seed = hex_decode(c.seed_hex).value();
    const auto key = Ed25519Key::from_seed(bytes(seed)).value();
    CHECK(hex_lower(key.public_key()) == c.public_hex);
    const std::string message = hex_decode(c.message_hex).value();
    const auto sig = key.sign(message);
    CHECK(hex_lower(sig) == c.signature_hex);
    const auto pub = key.public_key();
    CHECK(ed25519_verify(pub, message, sig));
    auto tampered = sig;
    tampered[0] ^= 1;
    CHECK(!ed25519_verify(pub, message, tampered));
    CHECK(!ed25519_verify(pub, message + "x", sig));
  }
}

TEST_CASE("Ed25519 keys load from PKCS#8 PEM") {
  // The RFC 8032 TEST 1 seed as PKCS#8 (python-cryptography private_bytes(PEM, PKCS8)).
  constexpr std::string_view pem =
      "-----BEGIN PRIVATE KEY-----\n"
      "MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g\n"
      "-----END PRIVATE KEY-----\n";
  const auto key = Ed25519Key::from_pem(pem).value();
  CHECK(hex_lower(key.public_key()) == kCases[0].public_hex);
  CHECK(hex_lower(key.sign("")) == kCases[0].signature_hex);
}

TEST_CASE("malformed Ed25519 input is a clear error") {
  CHECK(Ed25519Key::from_seed(bytes("short")).error().code == ErrorCode::invalid_argument);
  const auto not_pem = Ed25519Key::from_pem("MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v");
  REQUIRE(!not_pem);
  CHECK(not_pem.error().message.find("MC4CAQ") == std::string::npos);
  const auto broken = Ed25519Key::from_pem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
  REQUIRE(!broken);
  CHECK(broken.error().code == ErrorCode::invalid_argument);
}
