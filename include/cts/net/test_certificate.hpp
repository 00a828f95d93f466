#pragma once
/// \file
/// An in-memory self-signed P-256 certificate for TLS on loopback in tests: no files,
/// no openssl CLI, no expiry to go stale. The certificate is its own CA (CA:TRUE), so a
/// client can trust exactly it (HttpClientOptions::ca_pem) while the server presents it
/// (ServerTls).

#include <string>
#include <vector>

namespace cts::net {

/// A certificate and its key, both PEM.
struct TestCertificate {
  std::string certificate_pem;  ///< Self-signed X.509 v3, P-256/SHA-256.
  std::string private_key_pem;  ///< The P-256 private key (PKCS#8 PEM).
};

/// Names a test certificate is valid for.
struct TestCertificateNames {
  std::vector<std::string> dns{"localhost"};     ///< subjectAltName DNS entries; the first is also the CN.
  std::vector<std::string> ip{"127.0.0.1"};      ///< subjectAltName IP entries.
};

/// Generates a fresh key and a certificate valid from one hour ago for one day, for
/// `names` (default: DNS:localhost, IP:127.0.0.1). Throws cts::Exception (internal) if
/// OpenSSL fails, (invalid_argument) if `names` is empty.
[[nodiscard]] TestCertificate make_test_certificate(const TestCertificateNames& names = {});

}  // namespace cts::net
