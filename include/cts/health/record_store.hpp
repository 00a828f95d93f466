#pragma once
/// \file
/// Where the Outbox and the NotificationLog keep their records when they are durable:
/// an ordered list of opaque records (bytes) that is loaded once, appended to, and
/// rewritten whole on compaction. The health library's own implementation is a file
/// (detail::RecordFile, used by open(path)); an application may keep the records in its
/// own storage instead (the engine's MonitorStore keeps them in its SQLite history).
/// Implementations need not be thread-safe: their owner calls them from one thread.

#include <string>
#include <string_view>
#include <vector>

#include "cts/core/result.hpp"

namespace cts::health {

/// An ordered, durable list of records. See the file comment.
class RecordStore {
 public:
  virtual ~RecordStore() = default;
  /// Every record kept, oldest first (a record torn by a crash is left out).
  /// Errors: internal (I/O).
  virtual Result<std::vector<std::string>> load() = 0;
  /// Appends `record`; it is kept once this returns successfully. Errors: internal
  /// (I/O; the record may or may not be kept).
  virtual Result<void> append(std::string_view record) = 0;
  /// Replaces every record with `records` atomically. Errors: internal (I/O; the old
  /// records are kept).
  virtual Result<void> rewrite(const std::vector<std::string>& records) = 0;
};

}  // namespace cts::health
