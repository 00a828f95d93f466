// Tests for cts/sign/hmac.hpp: RFC 4231 known answers (HMAC-SHA256 and HMAC-SHA512),
// multi-part digests, copies, and concurrent use of one keyed object.
#include <cts/sign/hmac.hpp>

#include <string>
#include <thread>
#include <vector>

#include <doctest/doctest.h>

#include <cts/sign/encoding.hpp>

using namespace cts::sign;

namespace {

struct Rfc4231Case {
  std::string key;
  std::string data;
  std::string_view sha256_hex;
  std::string_view sha512_hex;
};

// RFC 4231 §4.2-§4.8 (test cases 1, 2, 3, 6, 7; case 5 tests truncation, which we do
// not offer; case 4 is covered by the other key lengths).
std::vector<Rfc4231Case> rfc4231() {
  return {
      {std::string(20, '\x0b'), "Hi There",
       "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
       "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854"},
      {"Jefe", "what do ya want for nothing?",
       "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
       "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"},
      {std::string(20, '\xaa'), std::string(50, '\xdd'),
       "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
       "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb"},
      {std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First",
       "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
       "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598"},
      {std::string(131, '\xaa'),
       "This is a test using a larger than block-size key and a larger than block-size data. The key needs to be "
       "hashed before being used by the HMAC algorithm.",
       "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
       "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58"},
  };
}

}  // namespace

TEST_CASE("HmacSha256 matches RFC 4231") {
  for (const auto& c : rfc4231()) {
    CAPTURE(c.sha256_hex);
    const HmacSha256 mac(c.key);
    CHECK(hex_lower(mac.digest(c.data)) == c.sha256_hex);
    CHECK(hex_lower(HmacSha256(bytes(c.key)).digest(c.data)) == c.sha256_hex);
  }
}

TEST_CASE("HmacSha512 matches RFC 4231") {
  for (const auto& c : rfc4231()) {
    CAPTURE(c.sha512_hex);
    const HmacSha512 mac(c.key);
    CHECK(hex_lower(mac.digest(c.data)) == c.sha512_hex);
    CHECK(hex_lower(HmacSha512(bytes(c.key)).digest(c.data)) == c.sha512_hex);
  }
}

TEST_CASE("a keyed object gives the same MAC on every call and after copying") {
  const HmacSha256 mac("Jefe");
  const auto first = mac.digest("what do ya want for nothing?");
  CHECK(mac.digest("what do ya want for nothing?") == first);
  HmacSha256 copy = mac;
  CHECK(copy.digest("what do ya want for nothing?") == first);
  copy = HmacSha256("other key");
  CHECK(copy.digest("what do ya want for nothing?") != first);
  CHECK(mac.digest("what do ya want for nothing") != first);
}

TEST_CASE("multi-part digests equal the digest of the concatenation") {
  const HmacSha256 mac256("Jefe");
  CHECK(hex_lower(mac256.digest({"what do ya ", "", "want for nothing?"})) ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  const HmacSha512 mac512("Jefe");
  const std::vector<std::string_view> parts{"what do", " ya want for", " nothing?"};
  CHECK(hex_lower(mac512.digest(std::span<const std::string_view>(parts))) ==
        "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737");
}

TEST_CASE("an empty key and an empty message are valid HMAC inputs") {
  // python3 -c "import hmac,hashlib;print(hmac.new(b'',b'',hashlib.sha256).hexdigest())"
  CHECK(hex_lower(HmacSha256(std::string_view{}).digest("")) ==
        "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

TEST_CASE("concurrent digests on one HmacSha256 [threads]") {
  const HmacSha256 mac(std::string(20, '\x0b'));
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        if (hex_lower(mac.digest("Hi There")) != "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7") {
          ++mismatches[static_cast<std::size_t>(t)];
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int m : mismatches) CHECK(m == 0);
}
