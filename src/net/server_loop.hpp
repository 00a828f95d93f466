#pragma once
// Internal to cts::net: what HttpServer and WsServer share: the io thread, the listener
// on 127.0.0.1 and the TLS identity, started and stopped the same way.

#include <cstdint>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include "asio.hpp"
#include "cts/net/http_server.hpp"
#include "tls.hpp"

namespace cts::net::detail {

/// The io thread, listener and TLS context of one server on 127.0.0.1. A server's Impl
/// holds one as a member (declared after what the io thread's pending handlers use when
/// the loop is destroyed), calls start() in its constructor and stop_serving() in stop()
/// and its destructor.
class ServerLoop {
 public:
  std::optional<ssl::context> tls_ctx;  ///< The server's TLS identity, when it serves TLS.
  asio::io_context ioc{1};              ///< Runs every handler of the server, on one thread.
  tcp::acceptor acceptor{ioc};          ///< Listening on 127.0.0.1:bound_port after start().
  std::uint16_t bound_port = 0;         ///< The port listened on, after start().
  bool stopping = false;                ///< io thread only: stop_serving() has begun.

  ServerLoop() = default;
  ServerLoop(const ServerLoop&) = delete;
  ServerLoop& operator=(const ServerLoop&) = delete;
  ~ServerLoop() = default;

  /// Makes the TLS context for `identity` (when given), listens on 127.0.0.1:`port` (0:
  /// any free port) and runs `accept_loop` on a new io thread. Throws cts::Exception:
  /// invalid_argument for an unusable identity, network when it cannot listen.
  void start(const std::optional<ServerTls>& identity, std::uint16_t port, asio::awaitable<void> accept_loop) {
    if (identity) tls_ctx.emplace(make_server_context(*identity));
    bound_port = listen_on_loopback(acceptor, port);
    asio::co_spawn(ioc, std::move(accept_loop), asio::detached);
    thread_ = std::thread([this] { ioc.run(); });
  }

  /// The first call: on the io thread, sets `stopping`, closes the listener and calls
  /// `close_all()` (which closes the server's connections, and may stop the loop); then
  /// waits for the io thread to end. Later calls return at once.
  template <class CloseAll>
  void stop_serving(CloseAll close_all) {
    std::unique_lock lock(stop_mutex_);
    if (stopped_) return;
    stopped_ = true;
    asio::post(ioc, [this, close_all = std::move(close_all)] {
      stopping = true;
      beast::error_code ignored;
      acceptor.close(ignored);
      close_all();
    });
    if (thread_.joinable()) thread_.join();
  }

 private:
  std::thread thread_;
  std::mutex stop_mutex_;
  bool stopped_ = false;
};

}  // namespace cts::net::detail
