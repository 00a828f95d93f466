#pragma once
/// \file
/// ListenKeyStream: what BingX's swap and spot account streams share on the seam: the
/// listen key that names the connection (`<path>?listenKey=<key>`), set by the owner and
/// read by the WebSocket client's io thread, and the answer to the server's `Ping`.
/// SwapUserStream (user_stream.hpp) and SpotUserStream (spot_user_stream.hpp) derive
/// from it.

#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "cts/core/result.hpp"
#include "cts/venue/bingx/streams.hpp"
#include "cts/venue/listen_key_slot.hpp"
#include "cts/venue/user_stream.hpp"

namespace cts::venue::bingx {

/// See the file comment. set_stream_key(), connection_target() and has_key() are
/// thread-safe.
class ListenKeyStream : public UserStreamProtocol {
 public:
  /// Keeps `key` for the next connection. Errors: invalid_argument for an empty key, one
  /// longer than 256 characters or one with other than ASCII letters and digits (BingX's
  /// are 64 hex digits).
  [[nodiscard]] Result<void> set_stream_key(std::string key) override { return key_.set(std::move(key)); }
  /// `url_target` (a trailing '/' dropped; the market's stream path when it names no
  /// path) + "?listenKey=<key>"; `url_target` alone while there is no key. Carries the
  /// key: do not log it.
  [[nodiscard]] std::string connection_target(std::string_view url_target) const override {
    return listen_key_target(key_.get(), url_target, default_path_);
  }
  /// `Pong` for the server's `Ping`, empty for any other frame (answer_ping()).
  [[nodiscard]] std::string answer(std::string_view text) const override { return answer_ping(text); }

 protected:
  /// A stream without a key, whose connection goes to `default_path` (kSwapStreamPath
  /// or kSpotStreamPath) when the URL names none.
  explicit ListenKeyStream(std::string_view default_path) : default_path_(default_path) {}
  /// The registry's factory of `Stream`: any signer will do (the listen-key requests are
  /// signed by the gateway's sender), so it never fails.
  template <class Stream>
  static Result<std::unique_ptr<UserStreamProtocol>> make_stream() {
    return std::unique_ptr<UserStreamProtocol>(std::make_unique<Stream>());
  }
  /// Nothing while a key is held. Errors: invalid_argument while there is none (none set
  /// yet, or it expired).
  [[nodiscard]] Result<void> require_key() const {
    if (key_.get().empty()) return make_error(ErrorCode::invalid_argument, "no listen key to connect with");
    return {};
  }
  /// Forgets the key (BingX said it expired).
  void forget_key() { key_.clear(); }

 private:
  std::string_view default_path_;
  ListenKeySlot key_;
};

}  // namespace cts::venue::bingx
