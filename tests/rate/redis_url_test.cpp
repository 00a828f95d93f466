// Tests for cts/rate/redis_url.hpp: the rate.shared URL, and its password never shown.
#include <cts/rate/redis_url.hpp>

#include <doctest/doctest.h>

using cts::rate::parse_redis_url;

TEST_CASE("redis URLs: host, port, database, credentials; the redacted form hides the password") {
  const auto plain = parse_redis_url("redis://127.0.0.1:6390").value();
  CHECK(plain.host == "127.0.0.1");
  CHECK(plain.port == 6390);
  CHECK(plain.database == 0);
  CHECK(plain.password.empty());
  CHECK(plain.redacted == "redis://127.0.0.1:6390/0");

  const auto full = parse_redis_url("redis://ops:s3cret-pw@cache.local/3").value();
  CHECK(full.host == "cache.local");
  CHECK(full.port == 6379);  // Redis's default port
  CHECK(full.database == 3);
  CHECK(full.user == "ops");
  CHECK(full.password == "s3cret-pw");
  CHECK(full.redacted == "redis://ops:***@cache.local:6379/3");

  const auto password_only = parse_redis_url("redis://:pw@[::1]:7000/0").value();
  CHECK(password_only.host == "::1");
  CHECK(password_only.user.empty());
  CHECK(password_only.password == "pw");
  CHECK(password_only.redacted == "redis://:***@[::1]:7000/0");
}

TEST_CASE("malformed redis URLs are refused without quoting them") {
  for (const char* url : {"http://h:1", "rediss://:pw-secret@h:1", "redis://:pw-secret@h:99999", "redis://:pw-secret@h:1/16",
                          "redis://:pw-secret@h:1/x", "redis://:pw-secret@", "redis://pw-secret@h:1"}) {
    INFO(url);
    const auto parsed = parse_redis_url(url);
    REQUIRE_FALSE(parsed.has_value());
    CHECK(parsed.error().code == cts::ErrorCode::invalid_argument);
    CHECK(parsed.error().message.find("pw-secret") == std::string::npos);
  }
}
