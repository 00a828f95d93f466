#pragma once
/// \file
/// LineClient: a blocking TCP client for line-oriented protocols (SMTP and the like),
/// plain or TLS, with TLS started at once (implicit TLS) or later on the same connection
/// (STARTTLS). It moves bytes and lines; the protocol is the caller's.
///
/// Every step (connect, TLS handshake, write, read of one line) runs on the calling
/// thread and ends by its own timeout or by the client's overall deadline, whichever
/// comes first; a step that runs out of time closes the connection and reports timeout.
/// One thread at a time; no callback runs anywhere.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "cts/core/clock.hpp"
#include "cts/core/result.hpp"

namespace cts::net {

/// How a LineClient verifies the server it starts TLS with.
struct LineClientTls {
  /// Verify the certificate chain and that it names the host (no partial wildcards).
  bool verify_peer = true;
  /// PEM certificates to trust instead of the system store (tests); empty: the system's.
  std::string ca_pem;
};

/// A blocking line-oriented client connection (see the file comment).
class LineClient {
 public:
  /// A client, not connected yet, whose steps all end by `deadline`.
  explicit LineClient(SteadyTime deadline);
  /// Closes the connection.
  ~LineClient();
  LineClient(const LineClient&) = delete;
  LineClient& operator=(const LineClient&) = delete;

  /// Resolves `host` and connects to `port` of the first address that answers, each of
  /// the two within `timeout`. Errors: timeout, network (cannot resolve, cannot connect).
  Result<void> connect(const std::string& host, const std::string& port, Nanos timeout);

  /// Starts TLS on the connected socket: the server name (SNI) of `host`, its
  /// certificate verified as `tls` says, the handshake within `timeout`. Bytes the
  /// server sent before are dropped (RFC 3207 §4.2). Errors: invalid_argument (unusable
  /// `ca_pem`), timeout, network ("TLS certificate verification failed: <reason>" when
  /// the server's certificate is refused, else the handshake failure).
  Result<void> start_tls(const std::string& host, const LineClientTls& tls, Nanos timeout);

  /// Whether TLS is on.
  [[nodiscard]] bool secure() const noexcept;
  /// Whether the connection is open (a timed-out step or close() closes it).
  [[nodiscard]] bool is_open() const noexcept;

  /// Writes all of `bytes` within `timeout`. Errors: timeout, network (the connection
  /// broke; some of the bytes may have been sent).
  Result<void> write(std::string_view bytes, Nanos timeout);

  /// Reads one line, returned without its CRLF, within `timeout`. Errors: timeout,
  /// network (the connection broke or the peer closed it), protocol_error (no CRLF
  /// within `max_bytes` bytes).
  Result<std::string> read_line(std::size_t max_bytes, Nanos timeout);

  /// Brings the overall deadline forward to `deadline` (never later than it was).
  void shorten_deadline(SteadyTime deadline) noexcept;

  /// Closes the connection (no TLS close_notify); idempotent.
  void close() noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cts::net
