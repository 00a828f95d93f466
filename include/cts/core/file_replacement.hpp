#pragma once
/// \file
/// FileReplacement: writes a file's new content beside it and puts it in place in one
/// step, so that a reader (or a crash) sees either the old file or the whole new one,
/// never a partial write. The content goes to a private temporary file in the target's
/// directory (mkstemp: mode 0600, so the new file is private to its owner whatever the
/// old one's mode was); commit() flushes it to disk,
/// renames it over the target and syncs the directory. A replacement destroyed without
/// a commit removes its temporary file and leaves the target as it was. POSIX.

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "cts/core/error.hpp"
#include "cts/core/result.hpp"

namespace cts {

/// See the file comment. Move-only; not thread-safe.
class FileReplacement {
 public:
  /// Starts replacing `target` with a temporary file created in its directory. Errors:
  /// internal naming the target and the OS reason (the directory does not exist or is
  /// not writable, say).
  static Result<FileReplacement> begin(const std::filesystem::path& target) {
    FileReplacement replacement;
    replacement.target_ = target;
    const std::filesystem::path directory = target.has_parent_path() ? target.parent_path() : ".";
    std::string pattern = (directory / ("." + target.filename().string() + ".XXXXXX")).string();
    std::vector<char> name(pattern.begin(), pattern.end());
    name.push_back('\0');
    replacement.fd_ = ::mkostemp(name.data(), O_CLOEXEC);
    if (replacement.fd_ < 0) return replacement.os_error("cannot create a temporary file beside it");
    replacement.temporary_.assign(name.data());
    return replacement;
  }

  FileReplacement(FileReplacement&& other) noexcept
      : target_(std::move(other.target_)),
        temporary_(std::exchange(other.temporary_, {})),
        fd_(std::exchange(other.fd_, -1)) {}
  FileReplacement& operator=(FileReplacement&& other) noexcept {
    if (this != &other) {
      abandon();
      target_ = std::move(other.target_);
      temporary_ = std::exchange(other.temporary_, {});
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  FileReplacement(const FileReplacement&) = delete;
  FileReplacement& operator=(const FileReplacement&) = delete;
  /// Removes the temporary file when commit() was not reached; the target is untouched.
  ~FileReplacement() { abandon(); }

  /// Appends `bytes` to the new content. Errors: internal with the OS reason (disk
  /// full, say); the target is untouched and the replacement should be dropped.
  Result<void> write(std::string_view bytes) {
    if (fd_ < 0) return make_error(ErrorCode::internal, fmt::format("{}: the replacement is closed", target_.string()));
    while (!bytes.empty()) {
      const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        return os_error("write failed");
      }
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return {};
  }

  /// Flushes the new content to disk, renames it over the target and syncs the
  /// directory: from its success on, the target holds exactly what was written.
  /// Errors: internal with the OS reason; the target then still holds its old content
  /// (or, if only the directory sync failed, the new one) and the temporary file is gone.
  Result<void> commit() {
    if (fd_ < 0) return make_error(ErrorCode::internal, fmt::format("{}: the replacement is closed", target_.string()));
    if (::fsync(fd_) != 0) return os_error("fsync failed");
    const int closed = ::close(std::exchange(fd_, -1));
    if (closed != 0) return os_error("close failed");
    if (std::rename(temporary_.c_str(), target_.c_str()) != 0) return os_error("rename failed");
    temporary_.clear();
    const std::filesystem::path directory = target_.has_parent_path() ? target_.parent_path() : ".";
    const int dir = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0) return os_error("cannot open its directory to sync it");
    const int synced = ::fsync(dir);
    const int sync_errno = errno;
    ::close(dir);
    if (synced != 0) {
      errno = sync_errno;
      return os_error("directory sync failed");
    }
    return {};
  }

 private:
  FileReplacement() = default;

  // The OS error `what` of the target, with errno's text; drops the temporary file.
  Error os_error(std::string_view what) {
    const int saved = errno;
    abandon();
    return make_error(ErrorCode::internal, fmt::format("{}: {}: {}", target_.string(), what, std::strerror(saved)));
  }

  void abandon() noexcept {
    if (fd_ >= 0) ::close(std::exchange(fd_, -1));
    if (!temporary_.empty()) ::unlink(temporary_.c_str());
    temporary_.clear();
  }

  std::filesystem::path target_;
  std::string temporary_;
  int fd_ = -1;
};

}  // namespace cts
