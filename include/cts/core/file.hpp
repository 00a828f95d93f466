#pragma once
/// \file
/// Bounded reading of small input files (configuration, scenario scripts, secrets): the
/// one place that opens a file named by a user. Only regular files are read; a
/// directory, FIFO, device or socket is refused before a byte is read (a FIFO is opened
/// without blocking), and a file larger than the caller's limit is refused instead of
/// being read into memory. POSIX (open/fstat/read), like the rest of cts's platform.

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "cts/core/error.hpp"
#include "cts/core/result.hpp"

namespace cts {

/// The default limit of read_small_file: 1 MiB.
inline constexpr std::size_t kDefaultMaxFileBytes = std::size_t{1} << 20;

/// An open regular file of at most a given size, for callers that must control where
/// the bytes go (a secret reads straight into its wiped buffer). Move-only; closes the
/// descriptor on destruction.
class SmallFile {
 public:
  /// Opens `path` for reading. `what` names the file in errors ("config file").
  /// Errors (invalid_argument, message naming `what`, the path and the reason): the
  /// file cannot be opened or examined, is not a regular file (directory, FIFO,
  /// character or block device, socket), or is larger than `max_bytes`.
  static Result<SmallFile> open(const std::filesystem::path& path, std::size_t max_bytes, std::string_view what) {
    SmallFile file(path, max_bytes, what);
    // O_NONBLOCK: opening a FIFO with no writer would otherwise block forever.
    file.fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (file.fd_ < 0) return file.fail(std::strerror(errno));
    struct stat st {};
    if (::fstat(file.fd_, &st) != 0) return file.fail(std::strerror(errno));
    if (!S_ISREG(st.st_mode)) return file.fail(fmt::format("not a regular file ({})", kind_of(st.st_mode)));
    if (st.st_size < 0 || static_cast<std::uintmax_t>(st.st_size) > max_bytes) return file.too_large();
    file.size_ = static_cast<std::size_t>(st.st_size);
    file.mode_ = st.st_mode;
    return file;
  }

  SmallFile(SmallFile&& other) noexcept
      : path_(std::move(other.path_)),
        what_(std::move(other.what_)),
        max_bytes_(other.max_bytes_),
        size_(other.size_),
        mode_(other.mode_),
        fd_(std::exchange(other.fd_, -1)) {}
  SmallFile& operator=(SmallFile&& other) noexcept {
    if (this != &other) {
      close();
      path_ = std::move(other.path_);
      what_ = std::move(other.what_);
      max_bytes_ = other.max_bytes_;
      size_ = other.size_;
      mode_ = other.mode_;
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  SmallFile(const SmallFile&) = delete;
  SmallFile& operator=(const SmallFile&) = delete;
  ~SmallFile() { close(); }

  /// The size the file had when opened (≤ the limit; files such as those of /proc
  /// report 0 and are still read up to the limit).
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  /// The file's mode bits when opened (st_mode), e.g. to refuse a secret others can read.
  [[nodiscard]] unsigned mode() const noexcept { return static_cast<unsigned>(mode_); }

  /// Reads the rest of the file into `out` and returns the number of bytes read.
  /// Errors: invalid_argument when the file holds more than `out.size()` bytes (it
  /// grew, or lied about its size), or when reading fails.
  Result<std::size_t> read_into(std::span<char> out) {
    std::size_t filled = 0;
    for (;;) {
      char probe = 0;
      const bool full = filled == out.size();
      Result<std::size_t> n = read_chunk(full ? std::span<char>(&probe, 1) : out.subspan(filled));
      if (!n) return n.error();
      if (*n == 0) return filled;
      if (full)
        return fail(fmt::format("holds more than the {} bytes expected (it grew while being read)", out.size()));
      filled += *n;
    }
  }

  /// Reads the whole file, up to the limit given to open(). Errors: invalid_argument
  /// when it holds more than the limit (it grew since open(), or reported size 0 as
  /// files of /proc do) or when reading fails.
  Result<std::string> read_all() {
    std::string out;
    out.reserve(size_);
    char chunk[4096];
    for (;;) {
      Result<std::size_t> n = read_chunk(chunk);
      if (!n) return n.error();
      if (*n == 0) return out;
      if (out.size() + *n > max_bytes_) return too_large();
      out.append(chunk, *n);
    }
  }

 private:
  SmallFile(std::filesystem::path path, std::size_t max_bytes, std::string_view what)
      : path_(std::move(path)), what_(what), max_bytes_(max_bytes) {}

  // One read() into `into`, retried on EINTR; 0 at end of file.
  Result<std::size_t> read_chunk(std::span<char> into) {
    for (;;) {
      const ssize_t n = ::read(fd_, into.data(), into.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return fail(std::strerror(errno));
      return static_cast<std::size_t>(n);
    }
  }

  static std::string_view kind_of(mode_t mode) noexcept {
    if (S_ISDIR(mode)) return "a directory";
    if (S_ISFIFO(mode)) return "a FIFO";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    if (S_ISSOCK(mode)) return "a socket";
    return "not a plain file";
  }

  [[nodiscard]] Error fail(std::string_view why) const {
    return make_error(ErrorCode::invalid_argument, fmt::format("{} {}: {}", what_, path_.string(), why));
  }
  [[nodiscard]] Error too_large() const { return fail(fmt::format("larger than the limit of {} bytes", max_bytes_)); }

  void close() noexcept {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

  std::filesystem::path path_;
  std::string what_;
  std::size_t max_bytes_ = 0;
  std::size_t size_ = 0;
  mode_t mode_ = 0;
  int fd_ = -1;
};

/// Reads the whole regular file at `path` (at most `max_bytes`). `what` names the file
/// in errors ("config file", "scenario"). Errors: those of SmallFile::open and
/// SmallFile::read_into (invalid_argument naming the file and the reason).
inline Result<std::string> read_small_file(const std::filesystem::path& path, std::string_view what,
                                           std::size_t max_bytes = kDefaultMaxFileBytes) {
  Result<SmallFile> file = SmallFile::open(path, max_bytes, what);
  if (!file) return file.error();
  return file->read_all();
}

}  // namespace cts
