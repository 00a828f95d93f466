#pragma once
/// \file
/// A small HTTP/1.1 server (plain or TLS) on 127.0.0.1, for `/metrics`, `/health` and the
/// simulator's REST front. Keep-alive, one io thread, a synchronous handler.
///
/// Threading: the server owns one thread running its event loop. The handler is called
/// on that thread, one request at a time, so it needs no locking against itself; it must
/// not block for long (use ServerReply::delay to answer late without blocking). State the
/// handler shares with other threads must be synchronised by its owner.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "cts/core/http.hpp"

namespace cts::net {

/// What the server does with a request after the handler ran.
enum class ReplyAction : std::uint8_t {
  respond,        ///< Send the response (after `delay`), keep the connection if the client asked.
  drop,           ///< Send nothing and close the connection gracefully (after `delay`).
  reset,          ///< Abort the connection with a TCP RST (after `delay`).
};

/// A handler's full answer: the response, and how and when to deliver it.
struct ServerReply {
  HttpResponse response;                   ///< The response (ignored unless action is respond).
  ReplyAction action = ReplyAction::respond; ///< Deliver, drop or reset.
  std::chrono::milliseconds delay{0};      ///< Wait this long before acting (a timer; the loop keeps serving).
};

/// A handler answering every request with a response.
using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;
/// A handler that may also delay, drop or reset (fault injection).
using HttpReplyHandler = std::function<ServerReply(const HttpRequest&)>;

/// TLS identity of a server: PEM certificate chain and PEM private key.
struct ServerTls {
  std::string certificate_chain_pem;  ///< Leaf first.
  std::string private_key_pem;        ///< Unencrypted PKCS#8 or traditional PEM.
};

/// Options of an HttpServer.
struct HttpServerOptions {
  /// Port on 127.0.0.1; 0 lets the kernel choose (read it back with port()).
  std::uint16_t port = 0;
  /// Serve https with this identity; plain http when empty.
  std::optional<ServerTls> tls;
  /// Largest accepted request (headers + body); a larger one gets 413 and the
  /// connection is closed.
  std::size_t max_request_bytes = 1024u * 1024u;
  /// A connection idle (or stuck mid-request) longer than this is closed.
  std::chrono::milliseconds idle_timeout{60'000};
};

/// Counters of one server. Read with HttpServer::stats().
struct HttpServerStats {
  std::uint64_t connections_accepted = 0;  ///< TCP connections accepted.
  std::uint64_t requests_handled = 0;      ///< Requests passed to the handler.
  std::uint64_t bad_requests = 0;          ///< Malformed or oversize requests answered 400/413.
};

/// An HTTP/1.1 server on 127.0.0.1. The request given to the handler has method, path,
/// query (without '?') , headers and body; unknown methods are answered 405 without
/// calling the handler, malformed requests 400. A handler that throws gets a 500.
class HttpServer {
 public:
  /// Binds and starts serving. Throws cts::Exception (network) when the port cannot be
  /// bound, and (invalid_argument) for an unusable TLS identity.
  HttpServer(HttpHandler handler, HttpServerOptions options = {});
  /// Binds and starts serving with a handler that may delay, drop or reset.
  HttpServer(HttpReplyHandler handler, HttpServerOptions options = {});
  /// Stops (see stop()).
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  /// The bound port.
  [[nodiscard]] std::uint16_t port() const noexcept;
  /// "http://127.0.0.1:<port>" or "https://127.0.0.1:<port>".
  [[nodiscard]] std::string base_url() const;
  /// Closes the listener and every connection and joins the io thread. Idempotent;
  /// must not be called from the handler.
  void stop();
  /// A snapshot of the counters. Thread-safe.
  [[nodiscard]] HttpServerStats stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cts::net
