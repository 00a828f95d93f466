// In-memory self-signed P-256 certificate for loopback TLS tests (OpenSSL 3 API only).
#include "cts/net/test_certificate.hpp"

#include <memory>
#include <string>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "cts/core/error.hpp"

namespace cts::net {
namespace {

template <auto Free>
struct Deleter {
  template <class T>
  void operator()(T* p) const noexcept { Free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free_all>>;
using ExtPtr = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION_free>>;

[[noreturn]] void fail(const char* what) {
  throw Exception(make_error(ErrorCode::internal, std::string("test certificate: ") + what + " failed"));
}

void check(int ok, const char* what) {
  if (ok != 1) fail(what);
}

void add_extension(X509* cert, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  ExtPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
  if (!ext) fail("X509V3_EXT_conf_nid");
  check(X509_add_ext(cert, ext.get(), -1), "X509_add_ext");
}

std::string drain(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(size));
}

}  // namespace

TestCertificate make_test_certificate(const TestCertificateNames& names) {
  if (names.dns.empty() && names.ip.empty()) {
    throw Exception(make_error(ErrorCode::invalid_argument, "test certificate: no DNS name and no IP address"));
  }
  PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  if (!key) fail("EVP_PKEY_Q_keygen");
  X509Ptr cert(X509_new());
  if (!cert) fail("X509_new");
  check(X509_set_version(cert.get(), 2), "X509_set_version");
  check(ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1), "ASN1_INTEGER_set");
  if (X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600) == nullptr) fail("X509_gmtime_adj");
  if (X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24 * 3600) == nullptr) fail("X509_gmtime_adj");
  check(X509_set_pubkey(cert.get(), key.get()), "X509_set_pubkey");

  const std::string common_name = names.dns.empty() ? names.ip.front() : names.dns.front();
  X509_NAME* subject = X509_get_subject_name(cert.get());
  check(X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC,
                                   reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1, 0),
        "X509_NAME_add_entry_by_txt");
  check(X509_set_issuer_name(cert.get(), subject), "X509_set_issuer_name");

  std::string alt_names;
  for (const auto& dns : names.dns) alt_names += (alt_names.empty() ? "DNS:" : ",DNS:") + dns;
  for (const auto& ip : names.ip) alt_names += (alt_names.empty() ? "IP:" : ",IP:") + ip;
  add_extension(cert.get(), NID_subject_alt_name, alt_names);
  add_extension(cert.get(), NID_basic_constraints, "critical,CA:TRUE");
  add_extension(cert.get(), NID_key_usage, "critical,digitalSignature,keyCertSign");
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) fail("X509_sign");

  BioPtr cert_bio(BIO_new(BIO_s_mem()));
  BioPtr key_bio(BIO_new(BIO_s_mem()));
  if (!cert_bio || !key_bio) fail("BIO_new");
  check(PEM_write_bio_X509(cert_bio.get(), cert.get()), "PEM_write_bio_X509");
  check(PEM_write_bio_PrivateKey(key_bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr),
        "PEM_write_bio_PrivateKey");
  return TestCertificate{drain(cert_bio.get()), drain(key_bio.get())};
}

}  // namespace cts::net
