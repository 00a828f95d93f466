// Secret: wiping, masked printing, loading from the environment or a private file.
#include "cts/sign/secret.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ostream>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

namespace cts::sign {

Secret::Secret(Secret&& other) noexcept : value_(std::move(other.value_)) { other.wipe(); }

Secret& Secret::operator=(const Secret& other) {
  if (this != &other) {
    wipe();
    value_ = other.value_;
  }
  return *this;
}

Secret& Secret::operator=(Secret&& other) noexcept {
  if (this != &other) {
    wipe();
    value_ = std::move(other.value_);
    other.wipe();
  }
  return *this;
}

Secret::~Secret() { wipe(); }

void Secret::wipe() noexcept {
  // capacity() covers the small-string buffer too, where short secrets live.
  OPENSSL_cleanse(value_.data(), value_.capacity());
  value_.clear();
}

Result<Secret> Secret::from_env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr) {
    return make_error(ErrorCode::invalid_argument, fmt::format("environment variable {} is not set", name));
  }
  if (*value == '\0') {
    return make_error(ErrorCode::invalid_argument, fmt::format("environment variable {} is empty", name));
  }
  return Secret(std::string_view(value));
}

Result<Secret> Secret::from_file(const std::filesystem::path& path) {
  const auto fail = [&](std::string_view why) {
    return make_error(ErrorCode::invalid_argument, fmt::format("secret file {}: {}", path.string(), why));
  };
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) return fail(std::strerror(errno));
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) return fail(std::strerror(errno));
  if (!S_ISREG(st.st_mode)) return fail("not a regular file");
  if ((st.st_mode & 077) != 0) {
    return fail(fmt::format("permissions {:04o} let group or others access it; run chmod 600 on it",
                            st.st_mode & 07777));
  }
  Secret secret;
  secret.value_.reserve(static_cast<std::size_t>(st.st_size) + 1);
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      OPENSSL_cleanse(buf, sizeof(buf));
      return fail(std::strerror(errno));
    }
    if (n == 0) break;
    if (secret.value_.size() + static_cast<std::size_t>(n) > secret.value_.capacity()) {
      // Grow by hand so no unwiped copy of the old buffer is left behind.
      Secret bigger;
      bigger.value_.reserve(2 * (secret.value_.size() + static_cast<std::size_t>(n)));
      bigger.value_.assign(secret.value_);
      secret = std::move(bigger);
    }
    secret.value_.append(buf, static_cast<std::size_t>(n));
  }
  OPENSSL_cleanse(buf, sizeof(buf));
  while (!secret.value_.empty() && std::strchr(" \t\r\n", secret.value_.back()) != nullptr) {
    secret.value_.back() = '\0';
    secret.value_.pop_back();
  }
  if (secret.empty()) return fail("empty");
  return secret;
}

std::ostream& operator<<(std::ostream& out, const Secret&) { return out << Secret::kMask; }

}  // namespace cts::sign
