// Tests for cts/core/file_replacement.hpp: the target holds its old content until
// commit() and the whole new content after it; an abandoned replacement leaves nothing
// behind; failures are typed errors naming the target.
#include <cts/core/file_replacement.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace cts;

namespace {

// A fresh directory of its own under the system's temporary directory, removed after.
struct Scratch {
  std::filesystem::path dir;
  Scratch() {
    dir = std::filesystem::temp_directory_path() / fmt::format("cts-file-replacement-test-{}", ::getpid());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directory(dir);
  }
  ~Scratch() { std::filesystem::remove_all(dir); }
  [[nodiscard]] std::size_t entries() const {
    return static_cast<std::size_t>(
        std::distance(std::filesystem::directory_iterator(dir), std::filesystem::directory_iterator{}));
  }
};

std::string content_of(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void put(const std::filesystem::path& path, std::string_view content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
}

}  // namespace

TEST_CASE("FileReplacement: the target keeps its old content until commit, then holds exactly the new one") {
  Scratch scratch;
  const auto target = scratch.dir / "export.jsonl";
  put(target, "old content\n");
  Result<FileReplacement> replacement = FileReplacement::begin(target);
  REQUIRE(replacement);
  REQUIRE(replacement->write("first line\n"));
  REQUIRE(replacement->write("second line\n"));
  CHECK(content_of(target) == "old content\n");
  CHECK(scratch.entries() == 2);  // the target and the temporary file beside it
  REQUIRE(replacement->commit());
  CHECK(content_of(target) == "first line\nsecond line\n");
  CHECK(scratch.entries() == 1);
  struct stat st {};
  REQUIRE(::stat(target.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK_FALSE(replacement->write("after"));  // a committed replacement is closed
}

TEST_CASE("FileReplacement: abandoned before commit, the target is untouched and no temporary file remains") {
  Scratch scratch;
  const auto target = scratch.dir / "export.jsonl";
  put(target, "kept\n");
  {
    Result<FileReplacement> replacement = FileReplacement::begin(target);
    REQUIRE(replacement);
    REQUIRE(replacement->write("never committed\n"));
  }
  CHECK(content_of(target) == "kept\n");
  CHECK(scratch.entries() == 1);

  // A target that did not exist is not created by an abandoned replacement.
  const auto absent = scratch.dir / "absent.jsonl";
  { REQUIRE(FileReplacement::begin(absent)); }
  CHECK_FALSE(std::filesystem::exists(absent));
  CHECK(scratch.entries() == 1);
}

TEST_CASE("FileReplacement: a directory that does not exist is an internal error naming the target") {
  Scratch scratch;
  const auto target = scratch.dir / "missing" / "export.jsonl";
  Result<FileReplacement> replacement = FileReplacement::begin(target);
  REQUIRE_FALSE(replacement);
  CHECK(replacement.error().code == ErrorCode::internal);
  CHECK(replacement.error().message.find(target.string()) != std::string::npos);
  CHECK(replacement.error().message.find("No such file or directory") != std::string::npos);
}
