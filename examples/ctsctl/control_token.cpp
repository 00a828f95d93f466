#include "ctsctl/control_token.hpp"

#include <array>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <system_error>
#include <utility>

#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <cts/sign/encoding.hpp>

namespace ctsctl {

namespace {

constexpr std::string_view kTokenFileName = "control-token";

cts::Result<cts::sign::Secret> checked(cts::sign::Secret token, std::string_view origin) {
  if (token.size() < kMinControlTokenLength) {
    return cts::make_error(
        cts::ErrorCode::invalid_argument,
        fmt::format("the control token from {} is shorter than {} characters", origin, kMinControlTokenLength));
  }
  for (char c : token.reveal()) {
    if (c < 0x21 || c > 0x7e) {
      return cts::make_error(cts::ErrorCode::invalid_argument,
                             fmt::format("the control token from {} has a character other than visible ASCII", origin));
    }
  }
  return token;
}

cts::Result<cts::sign::Secret> random_token() {
  std::array<std::uint8_t, 32> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    return cts::make_error(cts::ErrorCode::internal,
                           "no random bytes for the control token (OpenSSL RAND_bytes failed)");
  }
  std::string hex = cts::sign::hex_lower(bytes);
  cts::sign::Secret token(hex);
  OPENSSL_cleanse(bytes.data(), bytes.size());
  OPENSSL_cleanse(hex.data(), hex.size());
  return token;
}

std::filesystem::path private_base() {
  if (const char* runtime = std::getenv("XDG_RUNTIME_DIR"); runtime != nullptr && runtime[0] == '/') return runtime;
  std::error_code ignored;
  std::filesystem::path temp = std::filesystem::temp_directory_path(ignored);
  return temp.empty() ? std::filesystem::path("/tmp") : temp;
}

cts::Error system_error(std::string_view what, const std::filesystem::path& path, int error) {
  return cts::make_error(cts::ErrorCode::internal, fmt::format("{} {}: {}", what, path.string(), std::strerror(error)));
}

// Writes `token` to a new private directory; returns the directory.
cts::Result<std::filesystem::path> write_private(const cts::sign::Secret& token) {
  std::string pattern = (private_base() / "cts-control-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr)
    return system_error("cannot create a private directory like", pattern, errno);
  const std::filesystem::path dir = pattern;
  const auto give_up = [&](std::string_view what, int error) {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
    return system_error(what, dir / kTokenFileName, error);
  };
  const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (dir_fd < 0) return give_up("cannot open the directory of", errno);
  const int fd =
      ::openat(dir_fd, std::string(kTokenFileName).c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  const int open_error = errno;
  ::close(dir_fd);
  if (fd < 0) return give_up("cannot create", open_error);
  std::string_view rest = token.reveal();
  int write_error = 0;
  while (!rest.empty() && write_error == 0) {
    const ssize_t n = ::write(fd, rest.data(), rest.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      write_error = n < 0 ? errno : EIO;
    } else {
      rest.remove_prefix(static_cast<std::size_t>(n));
    }
  }
  if (write_error == 0 && ::write(fd, "\n", 1) != 1) write_error = errno == 0 ? EIO : errno;
  if (::close(fd) != 0 && write_error == 0) write_error = errno;
  if (write_error != 0) return give_up("cannot write", write_error);
  return dir;
}

}  // namespace

cts::Result<ControlToken> ControlToken::resolve(const cts::engine::EngineConfig& config) {
  if (!config.control_token_file.empty()) {
    const std::string origin = "control token file " + config.control_token_file;
    cts::Result<cts::sign::Secret> token = cts::sign::Secret::from_file(config.control_token_file);
    if (!token) return token.error();
    cts::Result<cts::sign::Secret> valid = checked(std::move(*token), origin);
    if (!valid) return valid.error();
    return ControlToken(std::move(*valid), origin, {});
  }
  if (std::getenv(config.control_token_env.c_str()) != nullptr) {
    const std::string origin = "environment variable " + config.control_token_env;
    cts::Result<cts::sign::Secret> token = cts::sign::Secret::from_env(config.control_token_env.c_str());
    if (!token) return token.error();
    cts::Result<cts::sign::Secret> valid = checked(std::move(*token), origin);
    if (!valid) return valid.error();
    return ControlToken(std::move(*valid), origin, {});
  }
  cts::Result<cts::sign::Secret> token = random_token();
  if (!token) return token.error();
  cts::Result<std::filesystem::path> dir = write_private(*token);
  if (!dir) return dir.error();
  const std::string origin = "file written for this run, " + (*dir / kTokenFileName).string();
  return ControlToken(std::move(*token), origin, std::move(*dir));
}

ControlToken::ControlToken(cts::sign::Secret token, std::string origin, std::filesystem::path generated_dir)
    : token_(std::move(token)), origin_(std::move(origin)), generated_dir_(std::move(generated_dir)) {}

ControlToken::ControlToken(ControlToken&& other) noexcept
    : token_(std::move(other.token_)),
      origin_(std::move(other.origin_)),
      generated_dir_(std::exchange(other.generated_dir_, {})) {}

ControlToken::~ControlToken() {
  if (generated_dir_.empty()) return;
  std::error_code ignored;
  std::filesystem::remove_all(generated_dir_, ignored);
}

}  // namespace ctsctl
