#pragma once
/// \file
/// The bearer token of `ctsctl run`'s control server: from control.token_file, else
/// from the environment variable control.token_env names, else a fresh random token
/// written to a file only this user can read, whose path (never the token) is printed.

#include <filesystem>
#include <string>

#include <cts/core/result.hpp>
#include <cts/engine/config.hpp>
#include <cts/sign/secret.hpp>

namespace ctsctl {

/// Shortest token accepted from a file or the environment.
inline constexpr std::size_t kMinControlTokenLength = 16;

/// A control token and where it came from. A generated token's file and its private
/// directory are removed when this is destroyed. Movable, not copyable.
class ControlToken {
 public:
  /// Reads or generates the token for `config` (see the file comment). A configured
  /// token must be at least kMinControlTokenLength visible ASCII characters. A
  /// generated one is 32 random bytes in hex, in `<dir>/control-token` where <dir> is
  /// a fresh mkdtemp directory (mode 0700) under $XDG_RUNTIME_DIR, else $TMPDIR, else
  /// /tmp; the file is created with O_EXCL|O_NOFOLLOW, mode 0600. Errors:
  /// invalid_argument for an unreadable or too open token file, an empty or short
  /// token; internal when no random bytes or no private file can be had.
  static cts::Result<ControlToken> resolve(const cts::engine::EngineConfig& config);

  ControlToken(ControlToken&& other) noexcept;
  ControlToken& operator=(ControlToken&&) = delete;
  ControlToken(const ControlToken&) = delete;
  ControlToken& operator=(const ControlToken&) = delete;
  /// Removes a generated token's file and directory.
  ~ControlToken();

  /// The token.
  [[nodiscard]] const cts::sign::Secret& token() const noexcept { return token_; }
  /// Where it came from, for the operator: "control token file PATH", "environment
  /// variable NAME" or "file written for this run, PATH" (a path always last). Never the token.
  [[nodiscard]] const std::string& origin() const noexcept { return origin_; }

 private:
  ControlToken(cts::sign::Secret token, std::string origin, std::filesystem::path generated_dir);
  cts::sign::Secret token_;
  std::string origin_;
  std::filesystem::path generated_dir_;  // empty unless generated
};

}  // namespace ctsctl
