// Tests for cts/sign/kraken.hpp: the docs.kraken.com AddOrder example, nonce rules
// (strictly increasing, explicit nonces checked), bad secrets.
#include <cts/sign/kraken.hpp>

#include <set>
#include <thread>
#include <vector>

#include <doctest/doctest.h>

#include "sign/vectors.hpp"

using namespace cts;
using namespace cts::sign;

namespace {

const test::Vector& doc() { return test::vector_at(18); }

HttpRequest add_order() {
  return {HttpMethod::post, "/0/private/AddOrder", "", "ordertype=limit&pair=XBTUSD&price=37500&type=buy&volume=1.25", {}};
}

}  // namespace

TEST_CASE("Kraken reproduces the documented AddOrder API-Sign") {
  const KrakenSigner signer("api-key", Secret(doc().at("secret")));
  HttpRequest r = add_order();
  REQUIRE(signer.sign(r, {from_unix_millis(0), 1616492376594, {}}));
  CHECK(r.body == doc().input("postdata"));
  CHECK(r.header("API-Sign").value() == doc().at("expected_signature"));
  CHECK(r.header("API-Key").value() == "api-key");
  CHECK(signer.last_nonce() == 1616492376594);
}

TEST_CASE("Kraken derives nonces from the clock and keeps them strictly increasing") {
  const KrakenSigner signer("api-key", Secret(doc().at("secret")));
  HttpRequest a = add_order();
  HttpRequest b = add_order();
  HttpRequest c = add_order();
  const SigningContext same_ms{from_unix_millis(1616492376594), {}, {}};
  REQUIRE(signer.sign(a, same_ms));
  REQUIRE(signer.sign(b, same_ms));
  REQUIRE(signer.sign(c, {from_unix_millis(1616492376000), {}, {}}));  // clock stepped back
  CHECK(a.body.rfind("nonce=1616492376594&", 0) == 0);
  CHECK(b.body.rfind("nonce=1616492376595&", 0) == 0);
  CHECK(c.body.rfind("nonce=1616492376596&", 0) == 0);
  CHECK(a.header("API-Sign").value() == doc().at("expected_signature"));
}

TEST_CASE("a non-monotonic explicit nonce is refused and nothing is signed") {
  const KrakenSigner signer("api-key", Secret(doc().at("secret")));
  HttpRequest first = add_order();
  REQUIRE(signer.sign(first, {from_unix_millis(0), 100, {}}));
  for (std::uint64_t stale : {100u, 99u, 1u}) {
    HttpRequest r = add_order();
    const auto result = signer.sign(r, {from_unix_millis(0), stale, {}});
    REQUIRE(!result);
    CHECK(result.error().code == ErrorCode::invalid_argument);
    CHECK(result.error().message.find("nonce") != std::string::npos);
    CHECK(r.body == add_order().body);
    CHECK(r.headers.empty());
  }
  CHECK(signer.last_nonce() == 100);
}

TEST_CASE("raise_nonce_floor restores a persisted high-water mark") {
  KrakenSigner signer("api-key", Secret(doc().at("secret")));
  signer.raise_nonce_floor(5000);
  signer.raise_nonce_floor(10);  // never lowers it
  HttpRequest r = add_order();
  REQUIRE(signer.sign(r, {from_unix_millis(1000), {}, {}}));
  CHECK(r.body.rfind("nonce=5001&", 0) == 0);
  HttpRequest explicit_low = add_order();
  CHECK(!signer.sign(explicit_low, {from_unix_millis(0), 5001, {}}));
}

TEST_CASE("a body that already has a nonce is refused") {
  const KrakenSigner signer("api-key", Secret(doc().at("secret")));
  HttpRequest r{HttpMethod::post, "/0/private/Balance", "", "nonce=1", {}};
  CHECK(!signer.sign(r, {from_unix_millis(1000), {}, {}}));
  CHECK(r.body == "nonce=1");
}

TEST_CASE("an empty body is signed as just the nonce") {
  const KrakenSigner signer("api-key", Secret(doc().at("secret")));
  HttpRequest r{HttpMethod::post, "/0/private/Balance", "", "", {}};
  REQUIRE(signer.sign(r, {from_unix_millis(1000), {}, {}}));
  CHECK(r.body == "nonce=1000");
}

TEST_CASE("a secret that is not base64 is a configuration error that does not quote it") {
  try {
    KrakenSigner signer("api-key", Secret("not base64 at all!"));
    FAIL("expected an exception");
  } catch (const Exception& e) {
    CHECK(e.error().code == ErrorCode::invalid_argument);
    CHECK(std::string(e.what()).find("not base64 at all") == std::string::npos);
    CHECK(std::string(e.what()).find("base64") != std::string::npos);
  }
  CHECK_THROWS_AS(KrakenSigner("api-key", Secret("")), Exception);
}

TEST_CASE("concurrent Kraken signing hands out distinct increasing nonces [threads]") {
  const KrakenSigner signer("api-key", Secret(doc().at("secret")));
  constexpr int kThreads = 4;
  constexpr int kPerThread = 200;
  std::vector<std::vector<std::uint64_t>> seen(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        HttpRequest r = add_order();
        if (signer.sign(r, {from_unix_millis(1616492376594), {}, {}})) {
          const auto digits = r.body.substr(6, r.body.find('&') - 6);
          seen[static_cast<std::size_t>(t)].push_back(std::stoull(digits));
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  std::set<std::uint64_t> all;
  for (const auto& per_thread : seen) {
    CHECK(per_thread.size() == kPerThread);
    for (std::size_t i = 1; i < per_thread.size(); ++i) CHECK(per_thread[i] > per_thread[i - 1]);
    all.insert(per_thread.begin(), per_thread.end());
  }
  CHECK(all.size() == kThreads * kPerThread);
  CHECK(signer.last_nonce() == 1616492376594 + kThreads * kPerThread - 1);
}
