#pragma once
/// \file
/// A small WebSocket server (ws:// or wss://) on 127.0.0.1, for the simulator's market
/// streams and WebSocket API. Text frames only; protocol pings are answered by the
/// server; every connection has a bounded send queue.
///
/// Threading: the server owns one io thread. The handlers run on that thread, one event
/// at a time, so they need no locking against each other; they must not block. send(),
/// close() and close_all() are thread-safe and may also be called from the handlers.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "cts/net/http_server.hpp"

namespace cts::net {

/// Identifies one accepted WebSocket connection for the lifetime of its server
/// (never reused).
using WsConnectionId = std::uint64_t;

/// What the server calls, on its io thread.
struct WsServerHandlers {
  /// A client asks to upgrade on `target` (path and query, e.g. "/ws/btcusdt@trade" or
  /// "/ws-api/v3"). Return true to accept; false answers the upgrade with 404 and closes
  /// (a request that is not an upgrade gets 400 without this call). send() to the id
  /// already works here: the messages go out right after the upgrade.
  /// Empty: every target is accepted.
  std::function<bool(WsConnectionId, std::string_view target)> on_open;
  /// A complete text (or binary) message arrived on an accepted connection.
  std::function<void(WsConnectionId, std::string_view message)> on_message;
  /// The connection is gone (closed by either side, failed, or dropped as a slow
  /// consumer). Called once per accepted connection, also on stop().
  std::function<void(WsConnectionId)> on_close;
};

/// Options of a WsServer.
struct WsServerOptions {
  /// Port on 127.0.0.1; 0 lets the kernel choose (read it back with port()).
  std::uint16_t port = 0;
  /// Serve wss:// with this identity; plain ws:// when empty.
  std::optional<ServerTls> tls;
  /// Largest accepted incoming message; a larger one closes the connection (1009).
  std::size_t max_message_bytes = 1024u * 1024u;
  /// Bytes queued for one connection beyond which it is a slow consumer: the server
  /// closes it (1008 "slow consumer") instead of buffering without bound.
  std::size_t max_queued_bytes = 8u * 1024u * 1024u;
  /// Deadline for the TCP accept → TLS → upgrade sequence of one connection, and for
  /// each closing handshake (a peer that does not answer, or a slow consumer whose close
  /// frame cannot get out, is then reset).
  std::chrono::milliseconds handshake_timeout{10'000};
};

/// Counters of one server. Read with WsServer::stats().
struct WsServerStats {
  std::uint64_t connections_accepted = 0;  ///< Upgrades accepted.
  std::uint64_t connections_refused = 0;   ///< Upgrades refused by on_open or malformed.
  std::uint64_t messages_received = 0;     ///< Messages passed to on_message.
  std::uint64_t messages_sent = 0;         ///< Messages written completely.
  std::uint64_t slow_consumers = 0;        ///< Connections closed for exceeding max_queued_bytes.
  std::uint64_t open_connections = 0;      ///< Connections currently open.
};

/// See the file comment.
class WsServer {
 public:
  /// Binds and starts serving. Throws cts::Exception (network) when the port cannot be
  /// bound, and (invalid_argument) for an unusable TLS identity.
  explicit WsServer(WsServerHandlers handlers, WsServerOptions options = {});
  /// Stops (see stop()).
  ~WsServer();
  WsServer(const WsServer&) = delete;
  WsServer& operator=(const WsServer&) = delete;

  /// The bound port.
  [[nodiscard]] std::uint16_t port() const noexcept;
  /// "ws://127.0.0.1:<port>" or "wss://127.0.0.1:<port>".
  [[nodiscard]] std::string base_url() const;

  /// Queues a text message (a binary one when `binary`: BingX's GZIP frames) for
  /// `connection`. Returns false when the connection is unknown or closed. A connection
  /// whose queue exceeds max_queued_bytes is closed as a slow consumer (the message is
  /// not queued; false). Thread-safe.
  bool send(WsConnectionId connection, std::string message, bool binary = false);
  /// Closes `connection`: with a close frame (`code`, `reason`) after the queued
  /// messages, or, when `abrupt`, by resetting the TCP connection at once without a
  /// close frame (the "WebSocket disconnect" fault). Unknown ids are ignored.
  /// Thread-safe.
  void close(WsConnectionId connection, bool abrupt = false, std::uint16_t code = 1000,
             std::string_view reason = {});
  /// close() on every open connection. Thread-safe.
  void close_all(bool abrupt = false);
  /// Closes the listener and every connection and joins the io thread. Idempotent; must
  /// not be called from a handler.
  void stop();
  /// A snapshot of the counters. Thread-safe.
  [[nodiscard]] WsServerStats stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cts::net
