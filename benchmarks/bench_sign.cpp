// Sign/... request signing per venue against the floors measured in the same run on the
// same bytes: Floor/hmac_sha256_169B, Floor/hmac_sha256_bybit_order and
// Floor/hmac_sha256_okx_order (precomputed
// inner/outer SHA256_CTX, struct copy per call: the fastest OpenSSL HMAC, ahead of
// precomputed EVP_MD_CTX states and EVP_MAC) and Floor/hmac_sha512_kraken (precomputed
// SHA512_CTX pads + SHA256_CTX inner hash).
#define OPENSSL_SUPPRESS_DEPRECATED
#include <array>
#include <cstring>
#include <string>
#include <string_view>

#include <benchmark/benchmark.h>
#include <openssl/sha.h>

#include <cts/core/clock.hpp>
#include <cts/core/http.hpp>
#include <cts/sign.hpp>

namespace {

using namespace cts;
using namespace cts::sign;

// A typical Binance limit order as ccxt sends it; with recvWindow and a 13-digit
// timestamp the signed payload is 169 bytes, the size of the peer measurement.
constexpr std::string_view kBinanceOrder =
    "symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=0.00150000&price=97000.00&timeInForce=GTC&"
    "newClientOrderId=x-R4BD3S82AbCdEfGhIjKlMnO";
constexpr std::string_view kBinanceSigned =
    "symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=0.00150000&price=97000.00&timeInForce=GTC&"
    "newClientOrderId=x-R4BD3S82AbCdEfGhIjKlMnO&recvWindow=10000&timestamp=1732250000000";
static_assert(kBinanceSigned.size() == 169);
constexpr std::string_view kSecret64 = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
constexpr std::string_view kKrakenSecret =
    "kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==";
constexpr std::string_view kKrakenPath = "/0/private/AddOrder";
constexpr std::string_view kKrakenBody = "pair=XXBTZUSD&type=buy&ordertype=limit&price=97000.0&volume=0.0015&oflags=post";
constexpr std::string_view kKrakenNonce = "1732250000000";
// RFC 6979 A.2.5 P-256 test key (the Coinbase ES256 test vector's key).
constexpr std::string_view kEcPem =
    "-----BEGIN EC PRIVATE KEY-----\n"
    "MHcCAQEEIMmvqdhFunUWa1whV2ex1pNOUMPbNuibEnuKYisSD2choAoGCCqGSM49\n"
    "AwEHoUQDQgAEYP7UuiVanTHJYet0xjVtaMBJuJI7Yfps5mliLmDyn7Z5A/4QCLi8\n"
    "maQa6elWKLxk8vGyDC1+n1F3o8KU1EYimQ==\n"
    "-----END EC PRIVATE KEY-----\n";

void Sign_binance_order(benchmark::State& state) {
  const BinanceHmacSigner signer(VenueId::binance_spot, "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A",
                                 Secret(kSecret64), 10000);
  const RealClock clock;
  for (auto _ : state) {
    // As a connector builds it: one buffer with room for what the signer appends.
    HttpRequest request{HttpMethod::post, "/api/v3/order", {}, {}, {}};
    request.query.reserve(kBinanceOrder.size() + BinanceHmacSigner::kAppendedBytes);
    request.query.append(kBinanceOrder);
    auto result = signer.sign(request, {clock.system_now(), {}, {}});
    benchmark::DoNotOptimize(result);
    benchmark::DoNotOptimize(request.query.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(Sign_binance_order)->Name("Sign/binance_order");

// HMAC-SHA256 of `payload` under `key` (at most 64 bytes) with the inner and outer states
// keyed once; per call: two struct copies, two updates, two finals.
void hmac_sha256_floor(benchmark::State& state, std::string_view key, std::string_view payload) {
  std::array<unsigned char, 64> block{};
  std::memcpy(block.data(), key.data(), key.size());
  SHA256_CTX inner;
  SHA256_CTX outer;
  std::array<unsigned char, 64> pad{};
  for (std::size_t i = 0; i < 64; ++i) pad[i] = block[i] ^ 0x36;
  SHA256_Init(&inner);
  SHA256_Update(&inner, pad.data(), 64);
  for (std::size_t i = 0; i < 64; ++i) pad[i] = block[i] ^ 0x5c;
  SHA256_Init(&outer);
  SHA256_Update(&outer, pad.data(), 64);
  unsigned char md[32];
  for (auto _ : state) {
    SHA256_CTX c = inner;
    SHA256_Update(&c, payload.data(), payload.size());
    SHA256_Final(md, &c);
    SHA256_CTX o = outer;
    SHA256_Update(&o, md, 32);
    SHA256_Final(md, &o);
    benchmark::DoNotOptimize(md);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

void Floor_hmac_sha256_169B(benchmark::State& state) { hmac_sha256_floor(state, kSecret64, kBinanceSigned); }
BENCHMARK(Floor_hmac_sha256_169B)->Name("Floor/hmac_sha256_169B");

// A Bybit v5 linear limit order body as its builder writes it, and the text Bybit signs
// for it: timestamp + API key + recv_window + body (docs/v5/guide.mdx).
constexpr std::string_view kBybitKey = "XXXXXXXXXX";
constexpr std::string_view kBybitBody =
    R"({"category":"linear","symbol":"BTCUSDT","side":"Buy","orderType":"Limit","qty":"0.001","price":"97000.0",)"
    R"("timeInForce":"PostOnly","orderLinkId":"cts-mm-000000000042"})";

void Sign_bybit_order(benchmark::State& state) {
  const BybitSigner signer{std::string(kBybitKey), Secret(kSecret64)};
  const RealClock clock;
  for (auto _ : state) {
    HttpRequest request{HttpMethod::post, "/v5/order/create", {}, std::string(kBybitBody), {}};
    auto result = signer.sign(request, {clock.system_now(), {}, {}});
    benchmark::DoNotOptimize(result);
    benchmark::DoNotOptimize(request.headers);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(Sign_bybit_order)->Name("Sign/bybit_order");

void Floor_hmac_sha256_bybit_order(benchmark::State& state) {
  const std::string payload = std::string("1732250000000") + std::string(kBybitKey) + "5000" + std::string(kBybitBody);
  hmac_sha256_floor(state, kSecret64, payload);
}
BENCHMARK(Floor_hmac_sha256_bybit_order)->Name("Floor/hmac_sha256_bybit_order");

// An OKX spot limit order body and its secret; OKX signs timestamp + method + path + body.
constexpr std::string_view kOkxSecret = "22582BD0CFF14C41EDBF1AB98506286D";
constexpr std::string_view kOkxBody =
    R"({"instId":"BTC-USDT","tdMode":"cash","side":"buy","ordType":"limit","px":"97000","sz":"0.0015"})";

void Sign_okx_order(benchmark::State& state) {
  const OkxSigner signer("okx-key", Secret(kOkxSecret), Secret("okx-passphrase"));
  const RealClock clock;
  for (auto _ : state) {
    HttpRequest request{HttpMethod::post, "/api/v5/trade/order", {}, std::string(kOkxBody), {}};
    auto result = signer.sign(request, {clock.system_now(), {}, {}});
    benchmark::DoNotOptimize(result);
    benchmark::DoNotOptimize(request.headers);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(Sign_okx_order)->Name("Sign/okx_order");

void Floor_hmac_sha256_okx_order(benchmark::State& state) {
  const std::string payload = std::string("2024-11-22T04:33:20.000Z") + "POST/api/v5/trade/order" + std::string(kOkxBody);
  hmac_sha256_floor(state, kOkxSecret, payload);
}
BENCHMARK(Floor_hmac_sha256_okx_order)->Name("Floor/hmac_sha256_okx_order");

void Sign_kraken_add_order(benchmark::State& state) {
  const KrakenSigner signer("kraken-key", Secret(kKrakenSecret));
  const RealClock clock;
  for (auto _ : state) {
    HttpRequest request{HttpMethod::post, std::string(kKrakenPath), {}, std::string(kKrakenBody), {}};
    auto result = signer.sign(request, {clock.system_now(), {}, {}});
    benchmark::DoNotOptimize(result);
    benchmark::DoNotOptimize(request.body.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(Sign_kraken_add_order)->Name("Sign/kraken_add_order");

void Floor_hmac_sha512_kraken(benchmark::State& state) {
  // The same bytes: SHA-256(nonce || "nonce=<n>&" body) then HMAC-SHA512 over path ||
  // that digest with precomputed pads, the 64-byte decoded secret as key.
  const std::string key = base64_decode(kKrakenSecret).value();
  const std::string postdata = std::string("nonce=") + std::string(kKrakenNonce) + "&" + std::string(kKrakenBody);
  std::array<unsigned char, 128> pad{};
  SHA512_CTX inner;
  SHA512_CTX outer;
  for (std::size_t i = 0; i < 128; ++i) pad[i] = static_cast<unsigned char>((i < key.size() ? key[i] : 0) ^ 0x36);
  SHA512_Init(&inner);
  SHA512_Update(&inner, pad.data(), 128);
  for (std::size_t i = 0; i < 128; ++i) pad[i] = static_cast<unsigned char>((i < key.size() ? key[i] : 0) ^ 0x5c);
  SHA512_Init(&outer);
  SHA512_Update(&outer, pad.data(), 128);
  unsigned char digest256[32];
  unsigned char md[64];
  for (auto _ : state) {
    SHA256_CTX h;
    SHA256_Init(&h);
    SHA256_Update(&h, kKrakenNonce.data(), kKrakenNonce.size());
    SHA256_Update(&h, postdata.data(), postdata.size());
    SHA256_Final(digest256, &h);
    SHA512_CTX c = inner;
    SHA512_Update(&c, kKrakenPath.data(), kKrakenPath.size());
    SHA512_Update(&c, digest256, 32);
    SHA512_Final(md, &c);
    SHA512_CTX o = outer;
    SHA512_Update(&o, md, 64);
    SHA512_Final(md, &o);
    benchmark::DoNotOptimize(md);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(Floor_hmac_sha512_kraken)->Name("Floor/hmac_sha512_kraken");

void Sign_coinbase_jwt_es256(benchmark::State& state) {
  const CoinbaseJwtSigner signer("organizations/test-org/apiKeys/test-key", Secret(kEcPem));
  const RealClock clock;
  for (auto _ : state) {
    HttpRequest request{HttpMethod::post, "/api/v3/brokerage/orders", {}, {}, {}};
    auto result = signer.sign(request, {clock.system_now(), {}, {}});
    benchmark::DoNotOptimize(result);
    benchmark::DoNotOptimize(request.headers);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(Sign_coinbase_jwt_es256)->Name("Sign/coinbase_jwt_es256");

}  // namespace
