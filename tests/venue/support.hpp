// Helpers shared by the venue tests: recorded payloads and canned responses.
#pragma once

#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include <doctest/doctest.h>

#include <cts/core/http.hpp>

namespace cts_test {

/// The text of tests/fixtures/<venue>/<name>.
inline std::string fixture_text(std::string_view venue, std::string_view name) {
  const std::string path =
      std::string(CTS_TEST_DATA_DIR "/fixtures/") + std::string(venue) + "/" + std::string(name);
  std::ifstream file(path, std::ios::binary);
  REQUIRE_MESSAGE(file.good(), "cannot open fixture " << path);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

/// The text of tests/fixtures/binance/<name>.
inline std::string binance_fixture_text(std::string_view name) { return fixture_text("binance", name); }

/// The text of tests/fixtures/bybit/<name>.
inline std::string bybit_fixture_text(std::string_view name) { return fixture_text("bybit", name); }

/// A response with `status` and `body`.
inline cts::HttpResponse response(int status, std::string body) {
  cts::HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

/// A 200 response whose body is the fixture `name`.
inline cts::HttpResponse binance_fixture(std::string_view name) { return response(200, binance_fixture_text(name)); }

/// A 200 response whose body is the Bybit fixture `name`.
inline cts::HttpResponse bybit_fixture(std::string_view name) { return response(200, bybit_fixture_text(name)); }

}  // namespace cts_test
