// Tests for cts/core/file.hpp: regular files are read whole, anything else (directory,
// FIFO, device) and anything over the limit is refused with a typed error, fast.
#include <cts/core/file.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace cts;

namespace {

std::filesystem::path temp_path(std::string_view name) {
  return std::filesystem::temp_directory_path() / fmt::format("cts-file-test-{}-{}", ::getpid(), name);
}

std::filesystem::path write_temp(std::string_view name, std::string_view content) {
  const auto path = temp_path(name);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  return path;
}

}  // namespace

TEST_CASE("read_small_file returns the bytes of a regular file up to and at the limit") {
  const auto empty = write_temp("empty", "");
  CHECK(read_small_file(empty, "config file").value().empty());
  std::string content(10000, 'a');
  content[9999] = 'z';
  const auto path = write_temp("ok", content);
  CHECK(read_small_file(path, "config file", 10000).value() == content);
  const auto over = read_small_file(path, "config file", 9999);
  REQUIRE(!over);
  CHECK(over.error().code == ErrorCode::invalid_argument);
  CHECK(over.error().message == fmt::format("config file {}: larger than the limit of 9999 bytes", path.string()));
  std::filesystem::remove(path);
  std::filesystem::remove(empty);
}

TEST_CASE("read_small_file refuses a directory, a FIFO without a writer and devices without reading") {
  const auto fifo = temp_path("fifo");
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);  // a blocking open would hang the test here
  const std::pair<std::filesystem::path, std::string_view> cases[] = {{"/tmp", "a directory"},
                                                                      {fifo, "a FIFO"},
                                                                      {"/dev/zero", "a character device"},
                                                                      {"/dev/null", "a character device"}};
  for (const auto& [path, kind] : cases) {
    CAPTURE(path);
    const auto r = read_small_file(path, "scenario");
    REQUIRE(!r);
    CHECK(r.error().code == ErrorCode::invalid_argument);
    CHECK(r.error().message == fmt::format("scenario {}: not a regular file ({})", path.string(), kind));
  }
  std::filesystem::remove(fifo);
}

TEST_CASE("read_small_file names a missing file and the OS reason") {
  const auto r = read_small_file(temp_path("missing"), "config file");
  REQUIRE(!r);
  CHECK(r.error().code == ErrorCode::invalid_argument);
  CHECK(r.error().message.find("No such file or directory") != std::string::npos);
}

TEST_CASE("SmallFile::read_into refuses a file that holds more than the buffer") {
  const auto path = write_temp("grown", "0123456789");
  auto file = SmallFile::open(path, 100, "secret file");
  REQUIRE(file);
  CHECK(file->size() == 10);
  char small[4];
  const auto r = file->read_into(small);
  REQUIRE(!r);
  CHECK(r.error().message.find("holds more than the 4 bytes expected") != std::string::npos);
  auto again = SmallFile::open(path, 100, "secret file");
  REQUIRE(again);
  char exact[10];
  CHECK(again->read_into(exact).value() == 10);
  CHECK(std::string_view(exact, 10) == "0123456789");
  std::filesystem::remove(path);
}
