#pragma once
/// \file
/// Secret: key material that never reaches a log line. Formatting a Secret (fmt or
/// iostream) prints a fixed mask; the bytes are wiped with OPENSSL_cleanse when the
/// Secret is destroyed; loading it from a file refuses files other users could read.

#include <cstddef>
#include <filesystem>
#include <iosfwd>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "cts/core/result.hpp"

namespace cts::sign {

/// An API secret, passphrase or private key (PEM text or base64).
///
/// Copies are deep and each copy wipes itself on destruction; a moved-from Secret is
/// empty. reveal() is the only way to the bytes: call it where the bytes are consumed
/// (keying an HMAC, parsing a PEM), never to print.
class Secret {
 public:
  /// What fmt and operator<< print instead of the value.
  static constexpr std::string_view kMask = "********";

  /// An empty secret.
  Secret() = default;
  /// Takes a copy of `value`. The caller should wipe its own copy if it can.
  explicit Secret(std::string_view value) : value_(value) {}
  /// Deep copy.
  Secret(const Secret& other) : value_(other.value_) {}
  /// Takes the bytes; `other` becomes empty.
  Secret(Secret&& other) noexcept;
  /// Deep copy (the old value is wiped first).
  Secret& operator=(const Secret& other);
  /// Takes the bytes (the old value is wiped first); `other` becomes empty.
  Secret& operator=(Secret&& other) noexcept;
  /// Wipes the bytes.
  ~Secret();

  /// Reads environment variable `name`. Errors: invalid_argument when it is unset or
  /// empty (the message names the variable, never a value).
  static Result<Secret> from_env(const char* name);
  /// Largest secret file from_file reads: 64 KiB (a PEM private key is a few KiB).
  static constexpr std::size_t kMaxFileBytes = 64 * 1024;

  /// Reads the whole file at `path`, dropping trailing whitespace (a final newline).
  /// Errors: invalid_argument when the file cannot be opened or read, is not a regular
  /// file (a directory, FIFO or device is refused without reading), is larger than
  /// kMaxFileBytes, is empty, or grants any permission to group or others
  /// (mode & 077 != 0: "chmod 600" fixes it) — the same rule ssh applies to private keys.
  static Result<Secret> from_file(const std::filesystem::path& path);

  /// The secret bytes. The view lives as long as this Secret is neither modified nor destroyed.
  [[nodiscard]] std::string_view reveal() const noexcept { return value_; }
  /// True when there are no bytes.
  [[nodiscard]] bool empty() const noexcept { return value_.empty(); }
  /// Number of bytes.
  [[nodiscard]] std::size_t size() const noexcept { return value_.size(); }

 private:
  void wipe() noexcept;
  std::string value_;
};

/// Prints Secret::kMask, never the value.
std::ostream& operator<<(std::ostream& out, const Secret& secret);

}  // namespace cts::sign

/// Formats a Secret as its mask ("********"), whatever the format spec.
template <>
struct fmt::formatter<cts::sign::Secret> : fmt::formatter<std::string_view> {
  auto format(const cts::sign::Secret&, format_context& ctx) const {
    return fmt::formatter<std::string_view>::format(cts::sign::Secret::kMask, ctx);
  }
};
