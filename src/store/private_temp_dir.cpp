// Private temporary directories (cts/store/private_temp_dir.hpp).
#include "cts/store/private_temp_dir.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>
#include <utility>

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <fmt/format.h>

namespace cts::store {

namespace {

bool is_plain_name(std::string_view name) {
  if (name.empty() || name.size() > 64 || name == "." || name == "..") return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
           c == '-';
  });
}

}  // namespace

Result<PrivateTempDir> PrivateTempDir::create(std::string_view prefix) {
  if (!is_plain_name(prefix)) {
    return make_error(ErrorCode::invalid_argument,
                      fmt::format("temporary directory prefix \"{}\" must be 1 to 64 of [A-Za-z0-9_.-]", prefix));
  }
  std::error_code ec;
  const std::filesystem::path base = std::filesystem::temp_directory_path(ec);
  if (ec) {
    return make_error(ErrorCode::invalid_argument, fmt::format("no temporary directory: {}", ec.message()));
  }
  std::string pattern = (base / fmt::format("{}XXXXXX", prefix)).string();
  if (::mkdtemp(pattern.data()) == nullptr) {  // creates it 0700
    const int error = errno;
    return make_error(ErrorCode::invalid_argument,
                      fmt::format("cannot create a temporary directory {}: {}", pattern, std::strerror(error)));
  }
  return PrivateTempDir(std::filesystem::path(pattern));
}

PrivateTempDir::~PrivateTempDir() { remove(); }

PrivateTempDir::PrivateTempDir(PrivateTempDir&& other) noexcept : path_(std::exchange(other.path_, {})) {}

PrivateTempDir& PrivateTempDir::operator=(PrivateTempDir&& other) noexcept {
  if (this != &other) {
    remove();
    path_ = std::exchange(other.path_, {});
  }
  return *this;
}

void PrivateTempDir::remove() noexcept {
  if (path_.empty()) return;
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);  // does not follow symbolic links inside
  path_.clear();
}

Result<std::filesystem::path> PrivateTempDir::create_file(std::string_view name) const {
  if (!is_plain_name(name)) {
    return make_error(ErrorCode::invalid_argument,
                      fmt::format("file name \"{}\" must be 1 to 64 of [A-Za-z0-9_.-]", name));
  }
  std::filesystem::path file = path_ / std::string(name);
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    const int error = errno;
    return make_error(ErrorCode::invalid_argument,
                      fmt::format("cannot create {}: {}", file.string(), std::strerror(error)));
  }
  ::close(fd);
  return file;
}

}  // namespace cts::store
