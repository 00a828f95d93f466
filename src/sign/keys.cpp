// Ed25519 and ES256 keys on OpenSSL 3 EVP_PKEY.
#include <cstring>
#include <memory>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/pem.h>

#include "cts/core/error.hpp"
#include "cts/sign/ed25519.hpp"
#include "cts/sign/es256.hpp"

namespace cts::sign {
namespace {

struct PkeyFree {
  void operator()(EVP_PKEY* p) const noexcept { EVP_PKEY_free(p); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* p) const noexcept { EVP_MD_CTX_free(p); }
};
struct BioFree {
  void operator()(BIO* p) const noexcept { BIO_free(p); }
};
struct SigFree {
  void operator()(ECDSA_SIG* p) const noexcept { ECDSA_SIG_free(p); }
};
struct BnFree {
  void operator()(BIGNUM* p) const noexcept { BN_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

[[noreturn]] void openssl_failure(const char* what) {
  ERR_clear_error();
  throw Exception(make_error(ErrorCode::internal, std::string("OpenSSL failed: ") + what));
}

Result<Pkey> read_pem(std::string_view pem, std::string_view what) {
  if (pem.find("-----BEGIN") == std::string_view::npos) {
    return make_error(ErrorCode::invalid_argument, fmt::format("{}: not a PEM key (no -----BEGIN line)", what));
  }
  std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) openssl_failure("BIO_new_mem_buf");
  Pkey key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  ERR_clear_error();
  if (!key) return make_error(ErrorCode::invalid_argument, fmt::format("{}: malformed PEM private key", what));
  return key;
}

}  // namespace

struct Ed25519Key::Impl {
  Pkey key;
};
struct Es256Key::Impl {
  Pkey key;
  std::unique_ptr<BIGNUM, BnFree> order;       // n of P-256
  std::unique_ptr<BIGNUM, BnFree> half_order;  // n / 2, the low-S bound
};

Result<Ed25519Key> Ed25519Key::from_seed(std::span<const std::uint8_t> seed) {
  if (seed.size() != 32) {
    return make_error(ErrorCode::invalid_argument, fmt::format("Ed25519 seed must be 32 bytes, got {}", seed.size()));
  }
  Pkey key(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, seed.data(), seed.size()));
  if (!key) openssl_failure("EVP_PKEY_new_raw_private_key");
  return Ed25519Key(std::make_shared<const Impl>(Impl{std::move(key)}));
}

Result<Ed25519Key> Ed25519Key::from_pem(std::string_view pem) {
  auto key = read_pem(pem, "Ed25519 key");
  if (!key) return key.error();
  if (!EVP_PKEY_is_a(key->get(), "ED25519")) {
    return make_error(ErrorCode::invalid_argument, "Ed25519 key: the PEM holds another key type");
  }
  return Ed25519Key(std::make_shared<const Impl>(Impl{std::move(*key)}));
}

std::array<std::uint8_t, 64> Ed25519Key::sign(std::string_view message) const {
  std::array<std::uint8_t, 64> sig{};
  MdCtx ctx(EVP_MD_CTX_new());
  std::size_t len = sig.size();
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, impl_->key.get()) != 1 ||
      EVP_DigestSign(ctx.get(), sig.data(), &len, reinterpret_cast<const unsigned char*>(message.data()),
                     message.size()) != 1 ||
      len != sig.size()) {
    openssl_failure("Ed25519 sign");
  }
  return sig;
}

std::array<std::uint8_t, 32> Ed25519Key::public_key() const {
  std::array<std::uint8_t, 32> pub{};
  std::size_t len = pub.size();
  if (EVP_PKEY_get_raw_public_key(impl_->key.get(), pub.data(), &len) != 1 || len != pub.size()) {
    openssl_failure("EVP_PKEY_get_raw_public_key");
  }
  return pub;
}

bool ed25519_verify(std::span<const std::uint8_t, 32> public_key, std::string_view message,
                    std::span<const std::uint8_t, 64> signature) {
  Pkey key(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, public_key.data(), public_key.size()));
  MdCtx ctx(EVP_MD_CTX_new());
  const bool ok = key && ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) == 1 &&
                  EVP_DigestVerify(ctx.get(), signature.data(), signature.size(),
                                   reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
  ERR_clear_error();
  return ok;
}

Result<Es256Key> Es256Key::from_pem(std::string_view pem) {
  auto key = read_pem(pem, "ES256 key");
  if (!key) return key.error();
  if (!EVP_PKEY_is_a(key->get(), "EC")) {
    return make_error(ErrorCode::invalid_argument, "ES256 key: the PEM holds a non-EC key");
  }
  char group[64] = {};
  std::size_t group_len = 0;
  if (EVP_PKEY_get_utf8_string_param(key->get(), OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group), &group_len) != 1 ||
      std::string_view(group, group_len) != "prime256v1") {
    ERR_clear_error();
    return make_error(ErrorCode::invalid_argument, "ES256 key: the EC key is not on curve P-256");
  }
  std::unique_ptr<EC_GROUP, decltype(&EC_GROUP_free)> curve(EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1),
                                                            &EC_GROUP_free);
  std::unique_ptr<BIGNUM, BnFree> order(curve ? BN_dup(EC_GROUP_get0_order(curve.get())) : nullptr);
  std::unique_ptr<BIGNUM, BnFree> half(BN_new());
  if (!order || !half || !BN_rshift1(half.get(), order.get())) openssl_failure("P-256 order");
  return Es256Key(std::make_shared<const Impl>(Impl{std::move(*key), std::move(order), std::move(half)}));
}

std::array<std::uint8_t, 64> Es256Key::sign(std::string_view message) const {
  unsigned char der[80];
  std::size_t der_len = sizeof(der);
  MdCtx ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, impl_->key.get()) != 1 ||
      EVP_DigestSign(ctx.get(), der, &der_len, reinterpret_cast<const unsigned char*>(message.data()), message.size()) !=
          1) {
    openssl_failure("ES256 sign");
  }
  // OpenSSL emits DER SEQUENCE{r, s}; JWS wants r || s, 32 bytes each, big-endian.
  const unsigned char* p = der;
  std::unique_ptr<ECDSA_SIG, SigFree> sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der_len)));
  if (!sig) openssl_failure("d2i_ECDSA_SIG");
  const BIGNUM* r = ECDSA_SIG_get0_r(sig.get());
  const BIGNUM* s = ECDSA_SIG_get0_s(sig.get());
  // Low-S: (r, s) and (r, n - s) are both valid; emit the smaller s, as most JOSE
  // libraries do, so that signatures are canonical.
  std::unique_ptr<BIGNUM, BnFree> low_s(BN_dup(s));
  if (!low_s) openssl_failure("BN_dup");
  if (BN_cmp(low_s.get(), impl_->half_order.get()) > 0 && !BN_sub(low_s.get(), impl_->order.get(), s)) {
    openssl_failure("BN_sub");
  }
  std::array<std::uint8_t, 64> out{};
  if (BN_bn2binpad(r, out.data(), 32) != 32 || BN_bn2binpad(low_s.get(), out.data() + 32, 32) != 32) {
    openssl_failure("BN_bn2binpad");
  }
  return out;
}

bool Es256Key::verify(std::string_view message, std::span<const std::uint8_t, 64> signature) const {
  std::unique_ptr<ECDSA_SIG, SigFree> sig(ECDSA_SIG_new());
  BIGNUM* r = BN_bin2bn(signature.data(), 32, nullptr);
  BIGNUM* s = BN_bin2bn(signature.data() + 32, 32, nullptr);
  if (!sig || !r || !s || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    openssl_failure("ECDSA_SIG_set0");
  }
  unsigned char der[80];
  unsigned char* p = der;
  const int der_len = i2d_ECDSA_SIG(sig.get(), &p);
  MdCtx ctx(EVP_MD_CTX_new());
  const bool ok = der_len > 0 && ctx &&
                  EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, impl_->key.get()) == 1 &&
                  EVP_DigestVerify(ctx.get(), der, static_cast<std::size_t>(der_len),
                                   reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
  ERR_clear_error();
  return ok;
}

}  // namespace cts::sign
