#pragma once
/// \file
/// cts::store::OwnerLock: makes one process the owner of a file (a journal) for as long
/// as it holds the lock: an exclusive flock on a sidecar lock file that records the
/// holder's process id, so a second owner is refused with an error naming the holder.

#include <filesystem>
#include <string>
#include <string_view>

#include "cts/core/result.hpp"

namespace cts::store {

/// An exclusive lock on `<path>.lock`, held until destruction. The lock belongs to the
/// open file description (flock): a second OwnerLock on the same path fails whether it
/// is taken by another process or by this one, and the kernel releases it when the
/// holder exits, however it exits (SIGKILL included). The lock file is created 0600
/// without following a symbolic link, is never deleted (deleting it would let two
/// processes lock two different files under one name) and holds the pid of the last
/// holder as text. Movable, not copyable; not thread-safe.
class OwnerLock {
 public:
  /// Locks `<path>.lock`, creating it if absent, and writes this process's id into it.
  /// `what` names the guarded file in errors (e.g. "journal"). Errors: invalid_argument
  /// "<what> <path> is in use by process <pid> (lock file <path>.lock)" when another
  /// owner holds it ("by another process" when its pid cannot be read), and
  /// invalid_argument with the system's reason when the lock file cannot be created or
  /// opened (a read-only directory, a symbolic link in its place, ...).
  static Result<OwnerLock> acquire(const std::filesystem::path& path, std::string_view what);

  /// Releases the lock (the file stays).
  ~OwnerLock();
  /// Takes over `other`'s lock; `other` then holds nothing.
  OwnerLock(OwnerLock&& other) noexcept;
  /// Releases the lock held, then takes over `other`'s.
  OwnerLock& operator=(OwnerLock&& other) noexcept;
  OwnerLock(const OwnerLock&) = delete;
  OwnerLock& operator=(const OwnerLock&) = delete;

  /// The lock file's path (`<path>.lock`).
  [[nodiscard]] const std::filesystem::path& lock_path() const noexcept { return lock_path_; }

 private:
  OwnerLock(int fd, std::filesystem::path lock_path) noexcept : fd_(fd), lock_path_(std::move(lock_path)) {}
  int fd_ = -1;
  std::filesystem::path lock_path_;
};

}  // namespace cts::store
