#pragma once
/// \file
/// venue::ListenKeySlot: the listen key a user-stream protocol connects with, where the
/// venue names its private stream by a key (Binance USD-M, BingX): set from the owner's
/// thread (UserStreamProtocol::set_stream_key), read while the WebSocket client's io
/// thread builds the connection target. Thread-safe.

#include <mutex>
#include <string>
#include <utility>

#include "cts/core/result.hpp"

namespace cts::venue {

/// See the file comment.
class ListenKeySlot {
 public:
  /// Keeps `key` (replacing any). Errors: invalid_argument for an empty key, one longer
  /// than 256 characters or one with other than ASCII letters and digits (the venues'
  /// keys are 60-odd of those; anything else could not be put in a URL as it is).
  [[nodiscard]] Result<void> set(std::string key) {
    if (key.empty() || key.size() > 256) {
      return make_error(ErrorCode::invalid_argument, "a listen key has 1 to 256 characters");
    }
    for (const char c : key) {
      if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
        return make_error(ErrorCode::invalid_argument, "a listen key has only ASCII letters and digits");
      }
    }
    const std::lock_guard lock(mutex_);
    key_ = std::move(key);
    return {};
  }
  /// The key held; empty when none (never set, or forgotten). It is a credential: do not
  /// log it.
  [[nodiscard]] std::string get() const {
    const std::lock_guard lock(mutex_);
    return key_;
  }
  /// Forgets the key (the venue said it expired).
  void clear() {
    const std::lock_guard lock(mutex_);
    key_.clear();
  }

 private:
  mutable std::mutex mutex_;
  std::string key_;
};

}  // namespace cts::venue
