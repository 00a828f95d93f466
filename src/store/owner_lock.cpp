// The owner lock of a journal (cts/store/owner_lock.hpp).
#include "cts/store/owner_lock.hpp"

#include <cerrno>
#include <cstring>
#include <utility>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <fmt/format.h>

namespace cts::store {

namespace {

/// The pid written in the lock file by its holder, or empty when it cannot be read (the
/// holder is between taking the lock and writing its pid).
std::string read_holder(int fd) {
  char buffer[32] = {};
  const ssize_t n = ::pread(fd, buffer, sizeof buffer - 1, 0);
  if (n <= 0) return {};
  std::string holder;
  for (ssize_t i = 0; i < n && buffer[i] >= '0' && buffer[i] <= '9'; ++i) holder += buffer[i];
  return holder;
}

}  // namespace

Result<OwnerLock> OwnerLock::acquire(const std::filesystem::path& path, std::string_view what) {
  std::filesystem::path lock_path = path;
  lock_path += ".lock";
  const int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    const int error = errno;
    return make_error(ErrorCode::invalid_argument,
                      fmt::format("{} {}: cannot open its lock file {}: {}", what, path.string(), lock_path.string(),
                                  error == ELOOP ? "it is a symbolic link" : std::strerror(error)));
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    const std::string holder = error == EWOULDBLOCK ? read_holder(fd) : std::string();
    ::close(fd);
    if (error != EWOULDBLOCK) {
      return make_error(ErrorCode::invalid_argument, fmt::format("{} {}: cannot lock {}: {}", what, path.string(),
                                                                 lock_path.string(), std::strerror(error)));
    }
    return make_error(
        ErrorCode::invalid_argument,
        fmt::format("{} {} is in use by {} (lock file {})", what, path.string(),
                    holder.empty() ? std::string("another process") : "process " + holder, lock_path.string()));
  }
  const std::string pid = fmt::format("{}\n", ::getpid());
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
    const int error = errno;
    ::close(fd);
    return make_error(ErrorCode::invalid_argument,
                      fmt::format("{} {}: cannot write its lock file {}: {}", what, path.string(), lock_path.string(),
                                  std::strerror(error)));
  }
  return OwnerLock(fd, std::move(lock_path));
}

OwnerLock::~OwnerLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the last descriptor releases the flock
}

OwnerLock::OwnerLock(OwnerLock&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), lock_path_(std::move(other.lock_path_)) {}

OwnerLock& OwnerLock::operator=(OwnerLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    lock_path_ = std::move(other.lock_path_);
  }
  return *this;
}

}  // namespace cts::store
