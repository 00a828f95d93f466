// Tests for cts/sign/secret.hpp: masking, loading from the environment and from files
// with safe and unsafe permissions, and that no error message carries the secret.
#include <cts/sign/secret.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace cts;
using namespace cts::sign;

namespace {

constexpr std::string_view kValue = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";

std::filesystem::path write_temp(std::string_view name, std::string_view content, mode_t mode) {
  const auto path = std::filesystem::temp_directory_path() /
                    (std::string("cts-secret-test-") + std::to_string(::getpid()) + "-" + std::string(name));
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
  }
  ::chmod(path.c_str(), mode);
  return path;
}

}  // namespace

TEST_CASE("a Secret formats as a mask with fmt and iostream") {
  const Secret s{kValue};
  CHECK(fmt::format("{}", s) == "********");
  CHECK(fmt::format("key={:>12}", s) == "key=    ********");
  std::ostringstream out;
  out << s;
  CHECK(out.str() == "********");
  CHECK(s.reveal() == kValue);
  CHECK(s.size() == kValue.size());
}

TEST_CASE("copies are deep and a moved-from Secret is empty") {
  Secret a{kValue};
  Secret b = a;
  CHECK(b.reveal() == kValue);
  Secret c = std::move(a);
  CHECK(c.reveal() == kValue);
  CHECK(a.empty());  // NOLINT(bugprone-use-after-move): documented state
  b = Secret("short");
  CHECK(b.reveal() == "short");
  b = c;
  CHECK(b.reveal() == kValue);
}

TEST_CASE("from_env reads a variable and reports unset or empty ones by name") {
  ::setenv("CTS_SIGN_TEST_SECRET", std::string(kValue).c_str(), 1);
  CHECK(Secret::from_env("CTS_SIGN_TEST_SECRET").value().reveal() == kValue);
  ::setenv("CTS_SIGN_TEST_SECRET", "", 1);
  const auto empty = Secret::from_env("CTS_SIGN_TEST_SECRET");
  REQUIRE(!empty);
  CHECK(empty.error().message.find("CTS_SIGN_TEST_SECRET") != std::string::npos);
  ::unsetenv("CTS_SIGN_TEST_SECRET");
  CHECK(!Secret::from_env("CTS_SIGN_TEST_SECRET"));
}

TEST_CASE("from_file accepts a 0600 file and drops the trailing newline") {
  const auto path = write_temp("ok", std::string(kValue) + "\n", 0600);
  CHECK(Secret::from_file(path).value().reveal() == kValue);
  std::filesystem::remove(path);
}

TEST_CASE("from_file refuses group- or world-accessible files without quoting the content") {
  for (mode_t mode : {0640, 0604, 0644, 0660}) {
    CAPTURE(mode);
    const auto path = write_temp("open", kValue, mode);
    const auto r = Secret::from_file(path);
    REQUIRE(!r);
    CHECK(r.error().code == ErrorCode::invalid_argument);
    CHECK(r.error().message.find("chmod 600") != std::string::npos);
    CHECK(r.error().message.find(kValue) == std::string::npos);
    std::filesystem::remove(path);
  }
}

TEST_CASE("from_file reports missing and empty files") {
  CHECK(!Secret::from_file(std::filesystem::temp_directory_path() / "cts-secret-test-does-not-exist"));
  const auto path = write_temp("empty", "\n", 0600);
  const auto r = Secret::from_file(path);
  REQUIRE(!r);
  CHECK(r.error().message.find("empty") != std::string::npos);
  std::filesystem::remove(path);
}

TEST_CASE("from_file reads secrets larger than one read buffer intact") {
  std::string big(10000, 'k');
  big[9999] = 'z';
  const auto path = write_temp("big", big, 0600);
  CHECK(Secret::from_file(path).value().reveal() == big);
  std::filesystem::remove(path);
}

TEST_CASE("from_file refuses directories, FIFOs, devices and oversize files without blocking") {
  const auto fifo =
      std::filesystem::temp_directory_path() / ("cts-secret-test-" + std::to_string(::getpid()) + "-fifo");
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);  // no writer: a blocking open would hang here
  for (const std::filesystem::path& path : {std::filesystem::path("/tmp"), fifo, std::filesystem::path("/dev/zero")}) {
    CAPTURE(path);
    const auto r = Secret::from_file(path);
    REQUIRE(!r);
    CHECK(r.error().code == ErrorCode::invalid_argument);
    CHECK(r.error().message.find("not a regular file") != std::string::npos);
  }
  std::filesystem::remove(fifo);
  const auto big = write_temp("oversize", std::string(Secret::kMaxFileBytes + 1, 'k'), 0600);
  const auto r = Secret::from_file(big);
  REQUIRE(!r);
  CHECK(r.error().message.find("larger than the limit") != std::string::npos);
  std::filesystem::remove(big);
  const auto at_limit = write_temp("at-limit", std::string(Secret::kMaxFileBytes, 'k'), 0600);
  CHECK(Secret::from_file(at_limit).value().size() == Secret::kMaxFileBytes);
  std::filesystem::remove(at_limit);
}
