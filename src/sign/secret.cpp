// Secret: wiping, masked printing, loading from the environment or a private file.
#include "cts/sign/secret.hpp"

#include <cstdlib>
#include <cstring>
#include <ostream>
#include <span>

#include <openssl/crypto.h>

#include "cts/core/file.hpp"

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
  Result<SmallFile> file = SmallFile::open(path, kMaxFileBytes, "secret file");
  if (!file) return file.error();
  if ((file->mode() & 077) != 0) {
    return make_error(
        ErrorCode::invalid_argument,
        fmt::format("secret file {}: permissions {:04o} let group or others access it; run chmod 600 on it",
                    path.string(), file->mode() & 07777));
  }
  // The bytes go straight into the secret's own buffer: no unwiped copy anywhere.
  Secret secret;
  secret.value_.resize(file->size());
  Result<std::size_t> read = file->read_into(std::span<char>(secret.value_.data(), secret.value_.size()));
  if (!read) return read.error();
  secret.value_.resize(*read);
  while (!secret.value_.empty() && std::strchr(" \t\r\n", secret.value_.back()) != nullptr) {
    secret.value_.back() = '\0';
    secret.value_.pop_back();
  }
  if (secret.empty())
    return make_error(ErrorCode::invalid_argument, fmt::format("secret file {}: empty", path.string()));
  return secret;
}

std::ostream& operator<<(std::ostream& out, const Secret&) { return out << Secret::kMask; }

}  // namespace cts::sign
