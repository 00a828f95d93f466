// Tests for cts/net/test_certificate.hpp, checked with OpenSSL's own parsers.
#include <cts/core/error.hpp>
#include <cts/net/test_certificate.hpp>

#include <memory>

#include <doctest/doctest.h>
#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

using namespace cts;

namespace {
std::unique_ptr<X509, decltype(&X509_free)> parse_cert(const std::string& pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  return {PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), X509_free};
}
std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> parse_key(const std::string& pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  return {PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr), EVP_PKEY_free};
}
}  // namespace

TEST_CASE("default test certificate: P-256, self-signed CA, localhost and 127.0.0.1, valid now") {
  const auto pair = net::make_test_certificate();
  auto cert = parse_cert(pair.certificate_pem);
  auto key = parse_key(pair.private_key_pem);
  REQUIRE(cert);
  REQUIRE(key);
  CHECK(X509_check_private_key(cert.get(), key.get()) == 1);
  CHECK(EVP_PKEY_is_a(key.get(), "EC") == 1);
  CHECK(EVP_PKEY_get_bits(key.get()) == 256);
  CHECK(X509_check_host(cert.get(), "localhost", 0, 0, nullptr) == 1);
  CHECK(X509_check_ip_asc(cert.get(), "127.0.0.1", 0) == 1);
  CHECK(X509_check_host(cert.get(), "api.binance.com", 0, 0, nullptr) == 0);
  CHECK(X509_check_ca(cert.get()) >= 1);
  CHECK(X509_cmp_current_time(X509_get0_notBefore(cert.get())) < 0);
  CHECK(X509_cmp_current_time(X509_get0_notAfter(cert.get())) > 0);
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> pub(X509_get_pubkey(cert.get()), EVP_PKEY_free);
  CHECK(X509_verify(cert.get(), pub.get()) == 1);
}

TEST_CASE("test certificate names are configurable and each call makes a new key") {
  const auto a = net::make_test_certificate({{"example.invalid"}, {}});
  const auto b = net::make_test_certificate({{"example.invalid"}, {}});
  CHECK(a.private_key_pem != b.private_key_pem);
  auto cert = parse_cert(a.certificate_pem);
  REQUIRE(cert);
  CHECK(X509_check_host(cert.get(), "example.invalid", 0, 0, nullptr) == 1);
  CHECK(X509_check_host(cert.get(), "localhost", 0, 0, nullptr) == 0);
  CHECK(X509_check_ip_asc(cert.get(), "127.0.0.1", 0) == 0);
  CHECK_THROWS_AS(net::make_test_certificate({{}, {}}), Exception);
}
