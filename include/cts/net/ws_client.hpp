#pragma once
/// \file
/// A WebSocket client stream (ws:// or wss://) that stays connected: it follows a
/// WsConnectionState (connect timeout, protocol or application pings, a no-message
/// staleness watchdog, reconnect with full-jitter exponential backoff), sends the
/// subscriptions again after every (re)connect, and hands messages to the consumer
/// through a bounded queue that applies backpressure.
///
/// Threading, two modes (WsClientOptions::caller_driven):
/// - io thread (the default): the client owns one io thread that runs the connection.
///   The consumer pulls events with poll() or wait() on its own thread (typically the
///   trading session's), so no user callback ever runs on the io thread except the
///   `subscriptions` and `target` hooks, which must only build frames. send() is
///   thread-safe. Each frame sent crosses to the io thread and each message back.
/// - caller-driven: no thread is started; the consumer's own calls run the connection
///   on its thread: poll() does the ready work, wait() runs it until an event is queued
///   or the timeout passes, send() writes the frame before it returns (unless the socket
///   is full: the rest goes out during the next poll() or wait()), stop() runs it until
///   the close completes. Timers (pings, the staleness watchdog, connect timeout,
///   reconnect backoff) fire only while the consumer is inside poll(), wait(), send()
///   or stop(): call poll() or wait() at least as often as the shortest of them (the
///   trading session does every step). The hooks run inside those calls. Every call
///   but state(), stats() and url() must come from one thread at a time, never from a
///   hook. A request/reply exchange then costs no thread hand-off.
///
/// Backpressure: when the consumer falls behind and `max_queued_messages` are waiting,
/// the client stops reading from the socket (TCP flow control then slows the server)
/// until the queue drains below half; nothing is dropped silently. Time spent paused
/// is counted, and the staleness watchdog does not fire while the client itself is the
/// one not reading.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cts/core/result.hpp"
#include "cts/net/ws_connection.hpp"

namespace cts::net {

/// Options of a WsClient.
struct WsClientOptions {
  /// Timing: connect timeout, ping interval, staleness, backoff (see WsPolicy).
  WsPolicy policy;
  /// Seed of the backoff jitter.
  std::uint64_t seed = 1;
  /// Verify the server certificate chain and host name (wss). Keep it on.
  bool verify_peer = true;
  /// PEM certificates to trust instead of the system store (tests); empty: system store.
  std::string ca_pem;
  /// Largest accepted incoming message; a larger one is a protocol error and the
  /// connection is closed and re-established.
  std::size_t max_message_bytes = 16u * 1024u * 1024u;
  /// Messages waiting for the consumer beyond which reading pauses (backpressure).
  std::size_t max_queued_messages = 65'536;
  /// Built on the io thread (caller-driven: in the consumer's call) after every
  /// successful (re)connect: the frames to send first (subscriptions, logon, user-data
  /// subscribe with a fresh signature). Empty: nothing is sent.
  std::function<std::vector<std::string>()> subscriptions;
  /// Built on the io thread (caller-driven: in the consumer's call) before every
  /// connection attempt from the URL's own request target (path and query, "/" at
  /// least): the target to upgrade on instead, e.g. one that names a listen key. No
  /// hook, or an empty result: the URL's. Error messages name the URL's target, never
  /// this one (it may carry a credential).
  std::function<std::string(std::string_view url_target)> target;
  /// Run on the io thread (caller-driven: in the consumer's call) for every received
  /// text message before the consumer sees it: a non-empty result is written back at
  /// once, ahead of anything the consumer sends later (a venue's application-level
  /// heartbeat answer: Pionex's PONG to its PING). Counted with the pings. Must be cheap
  /// and thread-safe. No hook: nothing is answered.
  std::function<std::string(std::string_view message)> answer;
  /// Run the connection in the consumer's calls instead of an io thread (see the file
  /// comment): for a consumer that both sends and waits for the replies on one thread.
  bool caller_driven = false;
};

/// What the consumer receives.
struct WsEvent {
  /// The kind of event.
  enum class Kind : std::uint8_t {
    opened,        ///< Connected and subscriptions sent; `connection` counts connects from 1.
    message,       ///< A text message in `text`.
    disconnected,  ///< The connection ended; `error` says why; a reconnect follows unless closed.
    closed,        ///< The client gave up (max_attempts) or was stopped. Final.
  };
  Kind kind = Kind::message;       ///< What happened.
  std::string text;                ///< The message (message only).
  /// The connection it belongs to (1 for the first). A failed attempt carries the number
  /// the connection would have had; `closed` carries the last successful one (0: none).
  std::uint64_t connection = 0;
  std::optional<Error> error;      ///< Why (disconnected, closed by failure).
};

/// Counters of one client. Read with WsClient::stats().
struct WsClientStats {
  std::uint64_t connects = 0;            ///< Successful upgrades.
  std::uint64_t failures = 0;            ///< Failed attempts and dropped connections.
  std::uint64_t stale_closes = 0;        ///< Connections closed by the staleness watchdog.
  std::uint64_t messages_received = 0;   ///< Messages read from the socket.
  std::uint64_t messages_sent = 0;       ///< Frames written (subscriptions, send(), pings excluded).
  std::uint64_t pings_sent = 0;          ///< Protocol or application pings written.
  std::uint64_t backpressure_pauses = 0; ///< Times reading paused because the queue was full.
  std::chrono::nanoseconds paused_for{0};///< Total time reading was paused.
};

/// See the file comment.
class WsClient {
 public:
  /// A client for `url` ("ws://host:port/path" or "wss://..."). Does not connect until
  /// start(). Throws cts::Exception (invalid_argument) for a malformed URL or an
  /// unreadable ca_pem.
  WsClient(std::string_view url, WsClientOptions options = {});
  /// Stops the client (as stop()) and joins its io thread.
  ~WsClient();
  WsClient(const WsClient&) = delete;
  WsClient& operator=(const WsClient&) = delete;

  /// Starts connecting on the io thread (caller-driven: begins the attempt; it proceeds in
  /// the next calls). Idempotent.
  void start();
  /// Closes the connection (close frame, waiting up to 2 s for the server's, then TCP
  /// close), stops reconnecting and joins the io thread; a final `closed` event is
  /// queued. Idempotent. Events already queued stay readable. Not from a hook.
  void stop();

  /// The next event, if one is waiting. Never blocks (caller-driven: does the work that
  /// is ready first, without waiting for any).
  [[nodiscard]] std::optional<WsEvent> poll();
  /// The next event, waiting up to `timeout` for one.
  [[nodiscard]] std::optional<WsEvent> wait(std::chrono::milliseconds timeout);

  /// Queues a text frame on the current connection. Errors: network when no
  /// connection is open (the frame is not kept for the next one: state belongs in the
  /// subscriptions hook). Thread-safe (caller-driven: the consumer's thread; the frame
  /// is written before the call returns unless the socket is full).
  Result<void> send(std::string text);
  /// Drops the current connection abruptly, as a network failure would (tests, and the
  /// engine when it detects a gap it cannot repair in place). A reconnect follows
  /// (caller-driven: the drop happens in the next poll() or wait()).
  void drop();

  /// The connection state now (thread-safe snapshot).
  [[nodiscard]] WsState state() const;
  /// A snapshot of the counters. Thread-safe.
  [[nodiscard]] WsClientStats stats() const;
  /// The URL as given.
  [[nodiscard]] const std::string& url() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cts::net
