// Tests for cts/sign/sha.hpp: FIPS 180-2 "abc" and empty-message digests.
#include <cts/sign/sha.hpp>

#include <doctest/doctest.h>

#include <cts/sign/encoding.hpp>

using namespace cts::sign;

TEST_CASE("sha256 and sha512 known answers (FIPS 180-2 appendix examples)") {
  CHECK(hex_lower(sha256("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(hex_lower(sha256("")) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(hex_lower(sha256({"a", "", "bc"})) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(hex_lower(sha512("abc")) ==
        "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
  // Gate APIv4 signs hex(SHA512("")) for an empty body: "cf83e135...927da3e" (gate docs).
  CHECK(hex_lower(sha512("")) ==
        "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e");
}
