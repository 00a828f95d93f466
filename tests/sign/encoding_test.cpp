// Tests for cts/sign/encoding.hpp: RFC 4648 §10 vectors (base16, base64, base64url),
// RFC 3986 percent-encoding, and rejection of malformed input.
#include <cts/sign/encoding.hpp>

#include <array>
#include <cstdio>
#include <string>
#include <vector>

#include <doctest/doctest.h>

using namespace cts::sign;

TEST_CASE("hex lower and upper (RFC 4648 §10 BASE16)") {
  CHECK(hex_upper(bytes("foobar")) == "666F6F626172");
  CHECK(hex_lower(bytes("foobar")) == "666f6f626172");
  const std::array<std::uint8_t, 4> raw{0x00, 0x0f, 0xa5, 0xff};
  CHECK(hex_lower(raw) == "000fa5ff");
  CHECK(hex_upper(raw) == "000FA5FF");
  CHECK(hex_lower(std::span<const std::uint8_t>{}).empty());
  char buf[8];
  CHECK(hex_lower_to(raw, buf) == buf + hex_size(raw.size()));
  CHECK(std::string_view(buf, 8) == "000fa5ff");
  CHECK(hex_decode("000FA5ff").value() == std::string("\x00\x0f\xa5\xff", 4));
  CHECK(!hex_decode("abc"));
  CHECK(!hex_decode("zz"));
}

TEST_CASE("hex of every byte value, 16 at a time and in the tail, in both cases") {
  // Every byte 0..255 then three more (259 bytes: sixteen 16-byte blocks and a 3-byte
  // tail); the expected digits come from snprintf's %02x and %02X.
  std::vector<std::uint8_t> raw(259);
  for (std::size_t i = 0; i < raw.size(); ++i) raw[i] = static_cast<std::uint8_t>(i % 256);
  std::string lower;
  std::string upper;
  for (std::uint8_t b : raw) {
    char pair[3];
    std::snprintf(pair, sizeof(pair), "%02x", b);
    lower += pair;
    std::snprintf(pair, sizeof(pair), "%02X", b);
    upper += pair;
  }
  CHECK(hex_lower(raw) == lower);
  CHECK(hex_upper(raw) == upper);
  // A SHA-256-sized digest (two blocks, no tail) into a caller buffer.
  char buf[64];
  CHECK(hex_lower_to(std::span<const std::uint8_t>(raw.data() + 224, 32), buf) == buf + 64);
  CHECK(std::string_view(buf, 64) == std::string_view(lower).substr(448, 64));
}

TEST_CASE("base64 encodes and decodes the RFC 4648 §10 vectors") {
  const std::array<std::pair<std::string_view, std::string_view>, 7> vectors{{
      {"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"}, {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
  }};
  for (const auto& [plain, encoded] : vectors) {
    CAPTURE(plain);
    CHECK(base64_encode(bytes(plain)) == encoded);
    CHECK(base64_size(plain.size()) == encoded.size());
    CHECK(base64_decode(encoded).value() == plain);
    std::string unpadded(encoded.substr(0, encoded.find('=')));
    CHECK(base64url_encode(bytes(plain)) == unpadded);
    CHECK(base64url_size(plain.size()) == unpadded.size());
    CHECK(base64url_decode(unpadded).value() == plain);
  }
}

TEST_CASE("base64url uses - and _ where base64 uses + and /") {
  const std::array<std::uint8_t, 3> raw{0xfb, 0xff, 0xbf};
  CHECK(base64_encode(raw) == "+/+/");
  CHECK(base64url_encode(raw) == "-_-_");
  CHECK(base64url_decode("-_-_").value() == std::string("\xfb\xff\xbf"));
  CHECK(!base64url_decode("+/+/"));
}

TEST_CASE("base64_decode rejects malformed input with invalid_argument and never quotes it") {
  for (std::string_view bad : {"Zg=", "Zg", "Z===", "Zm9v!mFy", "Zm9v YmFy", "Zh==", "=Zg="}) {
    CAPTURE(bad);
    const auto r = base64_decode(bad);
    REQUIRE(!r);
    CHECK(r.error().code == cts::ErrorCode::invalid_argument);
    CHECK(r.error().message.find(bad) == std::string::npos);
  }
}

TEST_CASE("percent-encoding keeps RFC 3986 unreserved characters and escapes the rest in uppercase") {
  CHECK(percent_encode("AZaz09-._~") == "AZaz09-._~");
  CHECK(percent_encode("a b+c/d:e=f&g") == "a%20b%2Bc%2Fd%3Ae%3Df%26g");
  // Binance's example: symbol "１２３４５６" (U+FF11..U+FF16) is signed as
  // %EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96 (rest-api.md, Request Security).
  CHECK(percent_encode("\xEF\xBC\x91\xEF\xBC\x92\xEF\xBC\x93\xEF\xBC\x94\xEF\xBC\x95\xEF\xBC\x96") ==
        "%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96");
  CHECK(percent_encode("2017-05-11T15:19:30") == "2017-05-11T15%3A19%3A30");
  CHECK(percent_encoded_size("a b") == 5);
  std::string out = "x=";
  percent_encode_append(out, "1 2");
  CHECK(out == "x=1%202");
  CHECK(percent_decode("a%20b%2bc+d").value() == "a b+c+d");
  CHECK(!percent_decode("a%2"));
  CHECK(!percent_decode("a%zz"));
}
