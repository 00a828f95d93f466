// Tests for cts/store/private_temp_dir.hpp: the directory is private (0700), its name is
// not predictable, files are created exclusively without following a planted link, and
// everything is removed at destruction.
#include <cts/store/private_temp_dir.hpp>

#include <doctest/doctest.h>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

using namespace cts;
using namespace cts::store;
namespace fs = std::filesystem;

TEST_CASE("a private temporary directory is 0700, fresh on every call, and removed with its files") {
  fs::path kept;
  {
    PrivateTempDir first = PrivateTempDir::create("cts-test-").value();
    PrivateTempDir second = PrivateTempDir::create("cts-test-").value();
    CHECK(first.path() != second.path());
    CHECK(first.path().parent_path() == fs::temp_directory_path());
    CHECK(first.path().filename().string().starts_with("cts-test-"));
    CHECK(first.path().filename().string().size() == std::string("cts-test-").size() + 6);
    struct stat info {};
    REQUIRE(::lstat(first.path().c_str(), &info) == 0);
    CHECK(S_ISDIR(info.st_mode));
    CHECK((info.st_mode & 07777) == 0700);
    CHECK(info.st_uid == ::geteuid());

    const fs::path file = first.create_file("journal.sqlite").value();
    CHECK(file == first.path() / "journal.sqlite");
    REQUIRE(::lstat(file.c_str(), &info) == 0);
    CHECK(S_ISREG(info.st_mode));
    CHECK((info.st_mode & 07777) == 0600);
    CHECK(info.st_size == 0);
    std::ofstream(first.path() / "journal.sqlite-wal") << "x";
    kept = first.path();
    PrivateTempDir moved = std::move(first);
    CHECK(moved.path() == kept);
    CHECK(fs::exists(kept));
  }
  CHECK_FALSE(fs::exists(kept));
}

TEST_CASE("create_file refuses an existing file, a planted symbolic link and names that are not one component") {
  PrivateTempDir dir = PrivateTempDir::create("cts-test-").value();
  REQUIRE(dir.create_file("a.sqlite").has_value());
  const Result<fs::path> again = dir.create_file("a.sqlite");
  REQUIRE_FALSE(again.has_value());
  CHECK(again.error().code == ErrorCode::invalid_argument);
  CHECK(again.error().message.find("File exists") != std::string::npos);

  const fs::path outside = dir.path() / "target";
  fs::create_symlink(outside, dir.path() / "link.sqlite");
  CHECK_FALSE(dir.create_file("link.sqlite").has_value());
  CHECK_FALSE(fs::exists(outside));

  for (std::string_view bad : {"", ".", "..", "../escape", "a/b", "with space"}) {
    CAPTURE(bad);
    CHECK(dir.create_file(bad).error().code == ErrorCode::invalid_argument);
  }
  CHECK(PrivateTempDir::create("../up").error().code == ErrorCode::invalid_argument);
  CHECK(PrivateTempDir::create("").error().code == ErrorCode::invalid_argument);
}
