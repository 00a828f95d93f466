#pragma once
/// \file
/// cts::store::PrivateTempDir: a temporary directory only this user can enter, for
/// journals that live as long as one run (the embedded simulator's), with files created
/// exclusively inside it, so no other local user can plant, read or redirect them.

#include <filesystem>
#include <string_view>

#include "cts/core/result.hpp"

namespace cts::store {

/// A fresh directory `<temp>/<prefix>XXXXXX` made by mkdtemp (unpredictable name,
/// mode 0700), where <temp> is the system's temporary directory ($TMPDIR, else /tmp).
/// Removed with everything in it when destroyed. Movable, not copyable; not
/// thread-safe.
class PrivateTempDir {
 public:
  /// Creates the directory. `prefix` is 1 to 64 of [A-Za-z0-9_.-]. Errors:
  /// invalid_argument for a bad prefix or when the directory cannot be created (with
  /// the system's reason).
  static Result<PrivateTempDir> create(std::string_view prefix);

  /// Removes the directory and its content (errors are ignored: nothing to report to).
  ~PrivateTempDir();
  /// Takes over `other`'s directory; `other` then owns none.
  PrivateTempDir(PrivateTempDir&& other) noexcept;
  /// Removes the directory owned, then takes over `other`'s.
  PrivateTempDir& operator=(PrivateTempDir&& other) noexcept;
  PrivateTempDir(const PrivateTempDir&) = delete;
  PrivateTempDir& operator=(const PrivateTempDir&) = delete;

  /// The directory.
  [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }

  /// Creates the empty file `name` (one path component: [A-Za-z0-9_.-], not "." or
  /// "..") in the directory with O_CREAT|O_EXCL|O_NOFOLLOW, mode 0600, and returns its
  /// path. Errors: invalid_argument for a bad name, or when the file exists already
  /// or cannot be created.
  [[nodiscard]] Result<std::filesystem::path> create_file(std::string_view name) const;

 private:
  explicit PrivateTempDir(std::filesystem::path path) noexcept : path_(std::move(path)) {}
  void remove() noexcept;
  std::filesystem::path path_;
};

}  // namespace cts::store
