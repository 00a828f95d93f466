#pragma once
/// \file
/// A keep-alive HTTP/1.1 client for one base URL (`http://` or `https://`). It sends a
/// transport-neutral cts::HttpRequest and returns a cts::HttpResponse or a unified Error
/// that says whether the request may have reached the venue.
///
/// Threading: send() is blocking and safe to call from any number of threads at once.
/// Each call borrows an idle pooled connection (or opens a new one), drives it on the
/// calling thread, and returns it to the pool when the exchange completed cleanly, so
/// concurrent callers never share a socket. No callback ever runs on another thread.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "cts/core/clock.hpp"
#include "cts/core/http.hpp"
#include "cts/core/result.hpp"

namespace cts::net {

/// Options of an HttpClient. The defaults are safe for production: peer and host-name
/// verification on, the system's trust store, bounded timeouts and response sizes.
struct HttpClientOptions {
  /// Deadline for resolving the host and establishing the TCP connection, together.
  std::chrono::milliseconds connect_timeout{5'000};
  /// Deadline for the TLS handshake (https only).
  std::chrono::milliseconds tls_timeout{5'000};
  /// Deadline for writing the request and reading the whole response (however slowly
  /// the server sends it).
  std::chrono::milliseconds request_timeout{10'000};
  /// Deadline for the whole send(): connect, TLS handshake, write and read, including
  /// the one retry of a GET on a stale connection. The per-phase deadlines above end a
  /// phase sooner; send(request, timeout) can shorten it per call.
  std::chrono::milliseconds total_timeout{15'000};
  /// A pooled connection idle longer than this is closed instead of reused.
  std::chrono::milliseconds idle_timeout{30'000};
  /// Idle connections kept for reuse; more concurrent callers open extra connections
  /// that are closed after use.
  std::size_t max_idle_connections = 4;
  /// Largest accepted response body (headers are capped at 64 KiB); a larger one is a
  /// protocol_error. Enforced while reading: a reply that announces a larger
  /// Content-Length is refused before its body is read, and a chunked or unsized one
  /// is cut off as soon as it passes the limit, so memory stays bounded by it.
  std::size_t max_response_bytes = 16u * 1024u * 1024u;
  /// Verify the server certificate chain and host name (https). Turning it off is for
  /// nothing but throw-away experiments: it allows any man in the middle.
  bool verify_peer = true;
  /// PEM certificates to trust instead of the system store (tests pass the in-memory
  /// certificate of net/test_certificate.hpp). Empty: the system's default CA paths.
  std::string ca_pem;
  /// Ask for `Accept-Encoding: gzip` and inflate gzip bodies transparently.
  bool accept_gzip = false;
  /// `User-Agent` sent when the request carries none; empty sends none.
  std::string user_agent = "cts/0.1";
};

/// Counters of one client, for tests and metrics.
struct HttpClientStats {
  std::uint64_t connections_opened = 0;  ///< TCP (+TLS) connections established.
  std::uint64_t requests_sent = 0;       ///< Requests written completely.
  std::uint64_t responses_received = 0;  ///< Complete responses read.
  /// GETs sent a second time because their reused connection closed without a reply.
  std::uint64_t resends = 0;
};

/// Asked by HttpClient::send() before it resends a GET whose reused keep-alive connection
/// closed before any response byte arrived (the server may have received, executed and
/// counted the first send). Returns true to let the resend go (a caller with a rate
/// budget charges it first), false to have send() return the failure instead
/// (unknown_outcome). Runs on the calling thread, at most once per send().
using ResendGate = std::function<bool()>;

/// A keep-alive HTTP/1.1 client bound to one scheme, host and port.
///
/// Errors of send():
/// - ErrorCode::network: the request was certainly not sent (bad URL parts, DNS,
///   connect refused or timed out, TLS handshake or certificate failure). Safe to retry.
/// - ErrorCode::timeout: the request (or part of it) was written and no complete
///   response arrived before request_timeout or the whole-exchange deadline. The
///   venue may have executed it.
/// - ErrorCode::unknown_outcome: the connection failed after the request was (partly)
///   written. The venue may have executed it.
/// - ErrorCode::protocol_error: the response was malformed or too large (the request
///   reached the server).
/// Any HTTP status, including 4xx and 5xx, is a successful HttpResponse: interpreting
/// it is the connector's job.
///
/// A GET that fails on a reused keep-alive connection before any response byte
/// arrived is resent once on a fresh connection (the server most likely closed the
/// idle connection), after the caller's ResendGate agrees when one is given; no other
/// method is ever resent. The resend is a second request the server may count: a caller
/// that keeps a rate budget passes a gate that charges it (engine::RestChannel does).
class HttpClient {
 public:
  /// A client for `base_url`, e.g. "https://api.binance.com" or
  /// "http://127.0.0.1:8080". A path in the URL is prefixed to every request path.
  /// Connects lazily, on the first send(). Throws cts::Exception (invalid_argument)
  /// for a malformed URL or unsupported scheme, and for an unreadable ca_pem.
  explicit HttpClient(std::string_view base_url, HttpClientOptions options = {});
  /// Closes every pooled connection. No send() may be running.
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;
  /// Moves the client; the moved-from client may only be destroyed.
  HttpClient(HttpClient&&) noexcept;
  /// Moves the client; the moved-from client may only be destroyed.
  HttpClient& operator=(HttpClient&&) noexcept;

  /// Sends `request` (its path, query, body and headers as given; Host, User-Agent,
  /// Content-Length and Connection are added) and waits for the response, at most
  /// total_timeout in all. Blocking, thread-safe. Errors as documented on the class.
  [[nodiscard]] Result<HttpResponse> send(const HttpRequest& request);
  /// The same, ending by `timeout` from now when that is sooner than total_timeout
  /// (callers with their own deadline pass what is left of it). invalid_argument when
  /// `timeout` is not positive.
  [[nodiscard]] Result<HttpResponse> send(const HttpRequest& request, Nanos timeout);
  /// send(request), asking `before_resend` before the one resend of a GET on a fresh
  /// connection (see ResendGate); an empty gate lets it go as send(request) does.
  [[nodiscard]] Result<HttpResponse> send(const HttpRequest& request, const ResendGate& before_resend);

  /// The base URL as given to the constructor.
  [[nodiscard]] const std::string& base_url() const noexcept;
  /// A snapshot of the counters. Thread-safe.
  [[nodiscard]] HttpClientStats stats() const;
  /// Closes every idle pooled connection (the next send() reconnects). Thread-safe.
  void close_idle_connections();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cts::net
