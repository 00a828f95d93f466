#pragma once
/// \file
/// Internal: a durable append-only record file (POSIX). Each record is written as a
/// netstring (`<length>:<bytes>,`) in one write() followed by fdatasync(), so a crash
/// leaves at most one torn record at the end, which replay ignores. Compaction
/// rewrites the live records through a FileReplacement (a temporary file, fsynced and
/// renamed over the old one). Fields inside a record are netstrings too (encode_fields/decode_fields).

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cts/core/file_replacement.hpp"
#include "cts/core/result.hpp"
#include "cts/health/record_store.hpp"

namespace cts::health::detail {

/// Appends `field` as a netstring to `out`.
inline void append_netstring(std::string& out, std::string_view field) {
  out += std::to_string(field.size());
  out += ':';
  out += field;
  out += ',';
}

/// Splits netstrings from `data` starting at `pos`; nullopt when malformed or torn.
inline std::optional<std::string_view> next_netstring(std::string_view data, std::size_t& pos) {
  std::size_t len = 0;
  std::size_t i = pos;
  if (i >= data.size()) return std::nullopt;
  while (i < data.size() && data[i] >= '0' && data[i] <= '9') {
    len = len * 10 + static_cast<std::size_t>(data[i] - '0');
    if (len > (std::size_t{1} << 32)) return std::nullopt;
    ++i;
  }
  if (i == pos || i >= data.size() || data[i] != ':') return std::nullopt;
  ++i;
  if (data.size() - i < len + 1 || data[i + len] != ',') return std::nullopt;
  pos = i + len + 1;
  return data.substr(i, len);
}

/// `fields` as one record body.
inline std::string encode_fields(std::initializer_list<std::string_view> fields) {
  std::string out;
  for (const auto f : fields) append_netstring(out, f);
  return out;
}

/// The fields of a record body; nullopt when malformed.
inline std::optional<std::vector<std::string>> decode_fields(std::string_view body) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < body.size()) {
    auto f = next_netstring(body, pos);
    if (!f) return std::nullopt;
    out.emplace_back(*f);
  }
  return out;
}

/// An append-only file of records, fsync'd on every append.
class RecordFile final : public RecordStore {
 public:
  RecordFile() = default;
  RecordFile(const RecordFile&) = delete;
  RecordFile& operator=(const RecordFile&) = delete;
  ~RecordFile() override { close(); }

  /// Opens (creating) `path` and returns the valid records in it, in order. A torn
  /// tail is truncated away. Errors: internal with the OS message.
  Result<std::vector<std::string>> open(std::string path) {
    close();
    path_ = std::move(path);
    std::size_t valid_end = 0;
    std::size_t file_size = 0;
    std::vector<std::string> records = read(valid_end, file_size);
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd_ < 0) return os_error("open");
    if (valid_end != file_size && ::ftruncate(fd_, static_cast<off_t>(valid_end)) != 0) return os_error("truncate");
    return records;
  }

  /// The valid records of the open file, in order. Errors: internal when not open.
  Result<std::vector<std::string>> load() override {
    if (fd_ < 0) return make_error(ErrorCode::internal, "record file is not open");
    std::size_t valid_end = 0;
    std::size_t file_size = 0;
    return read(valid_end, file_size);
  }

  /// Appends one record and waits until it is on disk.
  Result<void> append(std::string_view record) override {
    if (fd_ < 0) return make_error(ErrorCode::internal, "record file is not open");
    std::string framed;
    append_netstring(framed, record);
    std::size_t done = 0;
    while (done < framed.size()) {
      const ssize_t n = ::write(fd_, framed.data() + done, framed.size() - done);
      if (n < 0) {
        if (errno == EINTR) continue;
        return os_error("write");
      }
      done += static_cast<std::size_t>(n);
    }
    if (::fdatasync(fd_) != 0) return os_error("fdatasync");
    return {};
  }

  /// Replaces the file's content with `records` atomically (write, fsync, rename).
  Result<void> rewrite(const std::vector<std::string>& records) override {
    Result<FileReplacement> replacement = FileReplacement::begin(path_);
    if (!replacement) return replacement.error();
    std::string data;
    for (const auto& r : records) append_netstring(data, r);
    if (Result<void> written = replacement->write(data); !written) return written.error();
    if (Result<void> committed = replacement->commit(); !committed) return committed.error();
    close();
    fd_ = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
    if (fd_ < 0) return os_error("open");
    return {};
  }

  /// Closes the file.
  void close() noexcept {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  // The valid records of path_ (none when it does not exist); `valid_end` is where they
  // end, `file_size` the file's size (larger when the tail is torn).
  std::vector<std::string> read(std::size_t& valid_end, std::size_t& file_size) const {
    std::string data;
    if (FILE* f = std::fopen(path_.c_str(), "rb")) {
      char buf[65536];
      std::size_t n = 0;
      while ((n = std::fread(buf, 1, sizeof(buf), f)) > 0) data.append(buf, n);
      std::fclose(f);
    }
    std::vector<std::string> records;
    std::size_t pos = 0;
    valid_end = 0;
    while (pos < data.size()) {
      auto r = next_netstring(data, pos);
      if (!r) break;
      records.emplace_back(*r);
      valid_end = pos;
    }
    file_size = data.size();
    return records;
  }
  Error os_error(std::string_view what) const {
    return make_error(ErrorCode::internal, std::string(what) + " " + path_ + ": " + std::strerror(errno));
  }
  std::string path_;
  int fd_ = -1;
};

}  // namespace cts::health::detail
