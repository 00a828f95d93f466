// The WebSocket server: one io thread, C++20 coroutines on Asio, Beast's websocket
// stream over a bare tcp::socket or asio::ssl::stream<tcp::socket> (the lighter stream
// types: build time matters, see docs/net.md).
//
// Each connection is a Session. Its socket is touched only on the io thread; its send
// queue and flags are shared with send()/close() callers under the server's mutex. One
// writer coroutine at a time drains the queue (and finally writes the close frame); a
// per-session deadline timer bounds the handshake and the closing of a connection whose
// peer stopped reading.
#include <utility>  // Boost 1.74's awaitable.hpp uses std::exchange without including it.

#include <atomic>
#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <fmt/format.h>

#include "asio.hpp"
#include "cts/core/error.hpp"
#include "cts/net/ws_server.hpp"
#include "server_loop.hpp"

namespace cts::net {
namespace {

namespace http = beast::http;
namespace websocket = beast::websocket;

}  // namespace

struct WsServer::Impl {
  // A queued message and its frame type.
  struct Outgoing {
    std::string bytes;
    bool binary = false;
  };
  // One accepted TCP connection, from the handshake to its end.
  struct Session {
    WsConnectionId id = 0;
    asio::steady_timer deadline;
    // Guarded by Impl::mutex.
    std::deque<Outgoing> queue;
    std::size_t queued_bytes = 0;
    bool upgraded = false;
    bool writing = false;
    bool closing = false;  // a close frame is due after the queue
    bool gone = false;     // no more sends accepted
    websocket::close_reason reason;
    // io thread only.
    bool finished = false;
    tcp::socket* socket = nullptr;

    explicit Session(asio::io_context& ioc) : deadline(ioc) { deadline.expires_at(asio::steady_timer::time_point::max()); }
    virtual ~Session() = default;
    virtual void start_writer(std::shared_ptr<Session> self) = 0;

    void kill(bool reset) {
      beast::error_code ignored;
      if (socket != nullptr && socket->is_open()) {
        if (reset) socket->set_option(asio::socket_base::linger(true, 0), ignored);
        socket->close(ignored);
      }
    }
  };

  template <class Next>
  struct Typed final : Session {
    Impl& server;
    websocket::stream<Next> ws;

    template <class... Args>
    Typed(Impl& s, Args&&... args) : Session(s.loop.ioc), server(s), ws(std::forward<Args>(args)...) {
      socket = &beast::get_lowest_layer(ws);
    }

    void start_writer(std::shared_ptr<Session> self) override {
      asio::co_spawn(server.loop.ioc, server.writer(std::static_pointer_cast<Typed>(std::move(self))), asio::detached);
    }
  };

  WsServerHandlers handlers;
  WsServerOptions options;
  detail::ServerLoop loop;  // before the sessions: their sockets and timers go first

  mutable std::mutex mutex;
  std::map<WsConnectionId, std::shared_ptr<Session>> sessions;  // guarded by mutex
  WsConnectionId next_id = 1;                                   // io thread only
  std::map<WsConnectionId, std::weak_ptr<Session>> live;        // io thread only: every session

  std::atomic<std::uint64_t> accepted{0}, refused{0}, received{0}, sent{0}, slow{0}, open{0};

  Impl(WsServerHandlers h, WsServerOptions opts) : handlers(std::move(h)), options(std::move(opts)) {
    loop.start(options.tls, options.port, accept_loop());
  }

  ~Impl() { stop(); }

  void stop() {
    // Close every socket. The sessions then finish (calling on_close), and run() returns
    // once no work is left.
    loop.stop_serving([this] {
      {
        std::unique_lock guard(mutex);
        for (auto& [id, s] : sessions) s->gone = true;
      }
      for (auto& [id, weak] : live) {
        if (auto s = weak.lock()) s->kill(false);
      }
    });
  }

  asio::awaitable<void> accept_loop() {
    for (;;) {
      beast::error_code ec;
      tcp::socket socket = co_await loop.acceptor.async_accept(with_error(ec));
      if (loop.stopping || !loop.acceptor.is_open()) co_return;
      if (ec) continue;
      socket.set_option(tcp::no_delay(true), ec);
      std::shared_ptr<Session> session;
      if (loop.tls_ctx) {
        auto typed = std::make_shared<Typed<ssl::stream<tcp::socket>>>(*this, std::move(socket), *loop.tls_ctx);
        session = typed;
        session->id = next_id++;
        asio::co_spawn(loop.ioc, run_session(typed), asio::detached);
      } else {
        auto typed = std::make_shared<Typed<tcp::socket>>(*this, std::move(socket));
        session = typed;
        session->id = next_id++;
        asio::co_spawn(loop.ioc, run_session(typed), asio::detached);
      }
      live.emplace(session->id, session);
      asio::co_spawn(loop.ioc, watchdog(session), asio::detached);
    }
  }

  // Closes the socket when the session's deadline passes (handshake or closing too slow).
  asio::awaitable<void> watchdog(std::shared_ptr<Session> s) {
    while (!s->finished) {
      beast::error_code ec;
      co_await s->deadline.async_wait(with_error(ec));
      if (s->finished) break;
      if (s->deadline.expiry() <= asio::steady_timer::clock_type::now()) {
        s->kill(true);
        s->deadline.expires_at(asio::steady_timer::time_point::max());
      }
    }
  }

  template <class Next>
  asio::awaitable<void> run_session(std::shared_ptr<Typed<Next>> s) {
    s->deadline.expires_after(options.handshake_timeout);
    auto& ws = s->ws;
    beast::error_code ec;
    if (loop.stopping) ec = asio::error::operation_aborted;
    if constexpr (!std::is_same_v<Next, tcp::socket>) {
      if (!ec) co_await ws.next_layer().async_handshake(ssl::stream_base::server, with_error(ec));
    }
    beast::flat_buffer buffer;
    http::request<http::empty_body> request;
    if (!ec) co_await http::async_read(ws.next_layer(), buffer, request, with_error(ec));
    if (ec) {
      finish_unaccepted(*s);
      co_return;
    }
    const std::string target(request.target());
    bool accept = websocket::is_upgrade(request) && !loop.stopping;
    if (accept) {
      std::unique_lock lock(mutex);
      sessions.emplace(s->id, s);
    }
    if (accept && handlers.on_open) {
      try {
        accept = handlers.on_open(s->id, target);
      } catch (...) {
        accept = false;
      }
    }
    if (!accept) {
      {
        std::unique_lock lock(mutex);
        sessions.erase(s->id);
      }
      refused.fetch_add(1, std::memory_order_relaxed);
      http::response<http::string_body> res{websocket::is_upgrade(request) ? http::status::not_found : http::status::bad_request, 11};
      res.set(http::field::content_type, "text/plain");
      res.body() = "no such stream\n";
      res.keep_alive(false);
      res.prepare_payload();
      co_await http::async_write(ws.next_layer(), res, with_error(ec));
      finish_unaccepted(*s);
      co_return;
    }
    ws.read_message_max(options.max_message_bytes);
    ws.auto_fragment(false);
    // Bounds the upgrade and the closing handshakes Beast runs itself (1009, peer close).
    ws.set_option(websocket::stream_base::timeout{options.handshake_timeout, websocket::stream_base::none(), false});
    co_await ws.async_accept(request, with_error(ec));
    if (!ec) {
      accepted.fetch_add(1, std::memory_order_relaxed);
      open.fetch_add(1, std::memory_order_relaxed);
      s->deadline.expires_at(asio::steady_timer::time_point::max());
      bool start = false;
      {
        std::unique_lock lock(mutex);
        s->upgraded = true;
        if (!s->gone && !s->writing && (!s->queue.empty() || s->closing)) start = s->writing = true;
      }
      if (start) asio::co_spawn(loop.ioc, writer(s), asio::detached);
      buffer.consume(buffer.size());
      for (;;) {
        co_await ws.async_read(buffer, with_error(ec));
        if (ec) break;
        received.fetch_add(1, std::memory_order_relaxed);
        const auto data = buffer.cdata();
        if (handlers.on_message) {
          try {
            handlers.on_message(s->id, std::string_view(static_cast<const char*>(data.data()), data.size()));
          } catch (...) {
            s->kill(true);
          }
        }
        buffer.consume(buffer.size());
      }
      open.fetch_sub(1, std::memory_order_relaxed);
    }
    {
      std::unique_lock lock(mutex);
      s->gone = true;
      drop_unsent(*s);
      sessions.erase(s->id);
    }
    finish_unaccepted(*s);
    if (handlers.on_close) {
      try {
        handlers.on_close(s->id);
      } catch (...) {
      }
    }
  }

  void finish_unaccepted(Session& s) {
    live.erase(s.id);
    s.kill(false);
    s.finished = true;
    s.deadline.cancel();
  }

  template <class Next>
  asio::awaitable<void> writer(std::shared_ptr<Typed<Next>> s) {
    auto& ws = s->ws;
    beast::error_code ec;
    for (;;) {
      Outgoing* next = nullptr;
      bool close_now = false;
      websocket::close_reason reason;
      {
        std::unique_lock lock(mutex);
        if (s->finished || (s->gone && !s->closing)) {
          s->writing = false;
          co_return;
        }
        if (!s->queue.empty()) {
          next = &s->queue.front();
        } else if (s->closing) {
          close_now = true;
          reason = s->reason;
          s->gone = true;
        } else {
          s->writing = false;
          co_return;
        }
      }
      if (close_now) {
        s->deadline.expires_after(options.handshake_timeout);
        co_await ws.async_close(reason, with_error(ec));
        if (ec) s->kill(true);
        co_return;  // `writing` stays set: nothing more is written on this connection.
      }
      ws.binary(next->binary);
      co_await ws.async_write(asio::buffer(next->bytes), with_error(ec));
      {
        std::unique_lock lock(mutex);
        if (!s->queue.empty()) {
          s->queued_bytes -= s->queue.front().bytes.size();
          s->queue.pop_front();
        }
        if (ec) {
          s->gone = true;
          s->closing = false;
          s->writing = false;
        }
      }
      if (ec) {
        s->kill(true);
        co_return;
      }
      sent.fetch_add(1, std::memory_order_relaxed);
    }
  }

  // Drops the queued messages the writer has not started (call with `mutex` held). While
  // the writer runs, the front message may be in an async_write that reads it: it stays
  // until that write completes and pops it.
  static void drop_unsent(Session& s) {
    while (s.queue.size() > (s.writing ? 1u : 0u)) {
      s.queued_bytes -= s.queue.back().bytes.size();
      s.queue.pop_back();
    }
  }

  // Marks `s` for a close frame after its queue (call with `mutex` held); true when the
  // caller must start the writer.
  static bool request_close(Session& s, std::uint16_t code, std::string_view reason) {
    if (s.gone || s.closing) return false;
    s.closing = true;
    s.reason = websocket::close_reason(static_cast<websocket::close_code>(code), beast::string_view(reason.data(), reason.size()));
    if (s.upgraded && !s.writing) {
      s.writing = true;
      return true;
    }
    return false;
  }

  bool send(WsConnectionId id, std::string message, bool binary) {
    std::shared_ptr<Session> s;
    bool start = false;
    bool slow_consumer = false;
    {
      std::unique_lock lock(mutex);
      const auto it = sessions.find(id);
      if (it == sessions.end() || it->second->gone || it->second->closing) return false;
      s = it->second;
      if (s->queued_bytes + message.size() > options.max_queued_bytes) {
        // Drop what the peer has not taken (all but a write in flight) and close.
        slow_consumer = true;
        drop_unsent(*s);
        start = request_close(*s, 1008, "slow consumer");
      } else {
        s->queued_bytes += message.size();
        s->queue.push_back(Outgoing{std::move(message), binary});
        if (s->upgraded && !s->writing) start = s->writing = true;
      }
    }
    if (slow_consumer) {
      slow.fetch_add(1, std::memory_order_relaxed);
      // The peer is not reading: a close frame may never get out. Bound the wait.
      asio::post(loop.ioc, [this, s] {
        if (!s->finished) s->deadline.expires_after(options.handshake_timeout);
      });
    }
    if (start) s->start_writer(s);
    return !slow_consumer;
  }

  void close(WsConnectionId id, bool abrupt, std::uint16_t code, std::string_view reason) {
    std::shared_ptr<Session> s;
    bool start = false;
    {
      std::unique_lock lock(mutex);
      const auto it = sessions.find(id);
      if (it == sessions.end()) return;
      s = it->second;
      if (abrupt) {
        s->gone = true;
        drop_unsent(*s);
      } else {
        start = request_close(*s, code, reason);
      }
    }
    if (abrupt) {
      asio::post(loop.ioc, [s] { s->kill(true); });
    } else if (start) {
      s->start_writer(s);
    }
  }

  std::vector<WsConnectionId> ids() const {
    std::unique_lock lock(mutex);
    std::vector<WsConnectionId> out;
    for (const auto& [id, s] : sessions) out.push_back(id);
    return out;
  }
};

WsServer::WsServer(WsServerHandlers handlers, WsServerOptions options)
    : impl_(std::make_unique<Impl>(std::move(handlers), std::move(options))) {}
WsServer::~WsServer() = default;

std::uint16_t WsServer::port() const noexcept { return impl_->loop.bound_port; }
std::string WsServer::base_url() const {
  return fmt::format("{}://127.0.0.1:{}", impl_->loop.tls_ctx ? "wss" : "ws", impl_->loop.bound_port);
}

bool WsServer::send(WsConnectionId connection, std::string message, bool binary) {
  return impl_->send(connection, std::move(message), binary);
}
void WsServer::close(WsConnectionId connection, bool abrupt, std::uint16_t code, std::string_view reason) {
  impl_->close(connection, abrupt, code, reason);
}
void WsServer::close_all(bool abrupt) {
  for (const WsConnectionId id : impl_->ids()) impl_->close(id, abrupt, 1000, {});
}
void WsServer::stop() { impl_->stop(); }

WsServerStats WsServer::stats() const {
  return WsServerStats{impl_->accepted.load(std::memory_order_relaxed), impl_->refused.load(std::memory_order_relaxed),
                       impl_->received.load(std::memory_order_relaxed),  impl_->sent.load(std::memory_order_relaxed),
                       impl_->slow.load(std::memory_order_relaxed),      impl_->open.load(std::memory_order_relaxed)};
}

}  // namespace cts::net
