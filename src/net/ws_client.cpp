// The WebSocket client: one io thread running C++20 coroutines on Asio, Beast's websocket
// stream over a bare tcp::socket or asio::ssl::stream<tcp::socket> (the lighter stream
// types: build time matters, see docs/net.md).
//
// The io thread owns a WsConnectionState and executes its actions with a steady timer
// armed at next_deadline(). Each connection attempt is a Conn; a Conn that failed or was
// abandoned is marked dead and every coroutine touching it returns quietly. The consumer
// side (event queue, pause flag, open flag) is shared under `mutex`.
//
// Caller-driven (options.caller_driven): no thread runs `ioc`; the consumer's poll(),
// wait(), send() and stop() run it, so "the io thread" below is then the consumer's.
#include <utility>  // Boost 1.74's awaitable.hpp uses std::exchange without including it.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <fmt/format.h>

#include "asio.hpp"
#include "cts/core/error.hpp"
#include "cts/net/ws_client.hpp"
#include "tls.hpp"
#include "url.hpp"

namespace cts::net {
namespace {

namespace websocket = beast::websocket;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kReadChunk = 64 * 1024;

std::int64_t millis(Nanos d) { return std::chrono::duration_cast<std::chrono::milliseconds>(d).count(); }

}  // namespace

struct WsClient::Impl {
  // One connection attempt and, once upgraded, the connection. io thread only.
  struct Conn {
    enum class Out : std::uint8_t { text, app_ping, ping, close };
    std::uint64_t number = 0;
    tcp::resolver resolver;
    asio::steady_timer resume;
    std::deque<std::pair<Out, std::string>> out;
    bool open = false;
    bool dead = false;
    bool writing = false;
    tcp::socket* socket = nullptr;

    explicit Conn(asio::io_context& ioc) : resolver(ioc), resume(ioc) { resume.expires_at(asio::steady_timer::time_point::max()); }
    virtual ~Conn() = default;
    virtual void start_writer(Impl& client, std::shared_ptr<Conn> self) = 0;

    void kill(bool reset) {
      beast::error_code ignored;
      resolver.cancel();
      resume.cancel();
      if (socket != nullptr && socket->is_open()) {
        if (reset) socket->set_option(asio::socket_base::linger(true, 0), ignored);
        socket->close(ignored);
      }
    }
  };

  template <class Next>
  struct Typed final : Conn {
    websocket::stream<Next> ws;
    template <class... Args>
    Typed(asio::io_context& ioc, Args&&... args) : Conn(ioc), ws(std::forward<Args>(args)...) {
      socket = &beast::get_lowest_layer(ws);
    }
    void start_writer(Impl& client, std::shared_ptr<Conn> self) override {
      asio::co_spawn(client.ioc, client.writer(std::static_pointer_cast<Typed>(std::move(self))), asio::detached);
    }
  };

  asio::io_context ioc{1};  // first member: destroyed last, after everything holding io objects
  asio::executor_work_guard<asio::io_context::executor_type> work{ioc.get_executor()};
  std::string url_text;
  detail::Url url;
  WsClientOptions options;
  std::size_t max_queued;
  std::optional<ssl::context> tls_ctx;
  bool driven;  // options.caller_driven

  // io thread only.
  WsConnectionState machine;
  asio::steady_timer tick{ioc};
  asio::steady_timer stop_deadline{ioc};
  std::shared_ptr<Conn> conn;
  std::uint64_t connects_so_far = 0;
  bool stopping = false;

  // Owner's thread.
  std::mutex lifecycle;
  bool started = false;
  bool stop_called = false;
  std::thread thread;

  // Shared with the consumer, guarded by `mutex`.
  mutable std::mutex mutex;
  std::condition_variable cv;
  std::deque<WsEvent> events;
  std::size_t queued_messages = 0;
  bool paused = false;
  Clock::time_point paused_since{};
  Nanos paused_total{0};
  bool open_now = false;
  std::uint64_t open_number = 0;
  bool final_queued = false;

  std::atomic<WsState> state_now{WsState::disconnected};
  std::atomic<std::uint64_t> connects{0}, failures{0}, stale_closes{0}, received{0}, sent{0}, pings{0}, pauses{0};

  Impl(std::string_view u, WsClientOptions opts)
      : url_text(u),
        url(detail::parse_url(u, {"ws", "wss", "WebSocket URL"})),
        options(std::move(opts)),
        max_queued(std::max<std::size_t>(options.max_queued_messages, 1)),
        driven(options.caller_driven),
        machine(options.policy, options.seed) {
    if (url.tls) tls_ctx.emplace(detail::make_client_context(options.ca_pem, options.verify_peer));
  }

  ~Impl() {
    stop();
    conn.reset();
  }

  std::string where() const { return fmt::format("{}://{}{}", url.tls ? "wss" : "ws", url.host_header, url.target); }

  // ---- owner side -------------------------------------------------------------------

  void start() {
    std::unique_lock lock(lifecycle);
    if (started || stop_called) return;
    started = true;
    asio::post(ioc, [this] { act(machine.start(Clock::now())); });
    if (driven) {
      ioc.poll();
      return;
    }
    thread = std::thread([this] { ioc.run(); });
  }

  void stop() {
    std::unique_lock lock(lifecycle);
    if (stop_called) return;
    stop_called = true;
    if (!started) {
      state_now = WsState::closed;
      push_final(std::nullopt);
      return;
    }
    asio::post(ioc, [this] { begin_stop(); });
    if (driven) {
      // Until finish_stop() stops it (the close bounded by stop_deadline). A client that
      // gave up ran out of work: its context is restarted to run begin_stop().
      if (ioc.stopped()) ioc.restart();
      ioc.run();
    } else if (thread.joinable()) {
      thread.join();
    }
  }

  // ---- io thread: the state machine ---------------------------------------------------

  void sync_state() { state_now.store(machine.state(), std::memory_order_relaxed); }

  void reschedule() {
    sync_state();
    if (stopping) return;
    const auto deadline = machine.next_deadline();
    tick.expires_at(deadline ? *deadline : asio::steady_timer::time_point::max());
    if (!deadline) return;
    tick.async_wait([this](beast::error_code ec) {
      if (!ec) on_tick();
    });
  }

  void on_tick() {
    if (stopping) return;
    const auto now = Clock::now();
    if (machine.state() == WsState::open && is_paused()) machine.on_message(now);  // not stale: we are not reading
    for (int i = 0; i < 4; ++i) {
      const WsAction action = machine.poll(now);
      if (action == WsAction::none) break;
      act(action);
    }
    reschedule();
  }

  void act(WsAction action) {
    switch (action) {
      case WsAction::connect: connect(); break;
      case WsAction::send_ping:
        if (conn && conn->open && !conn->dead) {
          if (options.policy.application_ping.empty()) {
            enqueue(conn, Conn::Out::ping, {});
          } else {
            enqueue(conn, Conn::Out::app_ping, options.policy.application_ping);
          }
        }
        break;
      case WsAction::close_stale:
        stale_closes.fetch_add(1, std::memory_order_relaxed);
        if (conn) {
          fail(conn, make_error(ErrorCode::timeout, fmt::format("{}: no message for {} ms, closing the stale stream", where(),
                                                                millis(options.policy.stale_after))),
               true);
        }
        break;
      case WsAction::close_timed_out:
        if (conn) {
          fail(conn, make_error(ErrorCode::timeout, fmt::format("{}: connection attempt took longer than {} ms", where(),
                                                                millis(options.policy.connect_timeout))),
               true);
        }
        break;
      case WsAction::resubscribe:
      case WsAction::none: break;
    }
    reschedule();
  }

  void connect() {
    if (stopping) return;
    std::shared_ptr<Conn> c;
    if (tls_ctx) {
      auto typed = std::make_shared<Typed<ssl::stream<tcp::socket>>>(ioc, ioc, *tls_ctx);
      asio::co_spawn(ioc, run(typed), asio::detached);
      c = typed;
    } else {
      auto typed = std::make_shared<Typed<tcp::socket>>(ioc, ioc);
      asio::co_spawn(ioc, run(typed), asio::detached);
      c = typed;
    }
    c->number = connects_so_far + 1;
    conn = c;
  }

  // The attempt or connection `c` ended with `error`. `machine_knows`: the state machine
  // itself decided it (stale, timed out), so it must not be told again.
  void fail(std::shared_ptr<Conn> c, Error error, bool machine_knows = false, bool reset = false) {
    if (c->dead) return;
    c->dead = true;
    c->kill(reset);
    if (c != conn || stopping) return;
    conn.reset();
    failures.fetch_add(1, std::memory_order_relaxed);
    if (!machine_knows) machine.on_failure(Clock::now());
    sync_state();
    {
      std::unique_lock lock(mutex);
      open_now = false;
      if (paused) {
        paused = false;
        paused_total += Clock::now() - paused_since;
      }
      events.push_back(WsEvent{WsEvent::Kind::disconnected, {}, c->number, error});
    }
    cv.notify_all();
    if (machine.state() == WsState::closed) {
      push_final(make_error(error.code, fmt::format("{}: giving up after {} consecutive failures; last: {}", where(),
                                                    options.policy.max_attempts, error.message)));
      stopping = true;
      sync_state();
      tick.cancel();
      work.reset();
      return;
    }
    reschedule();
  }

  void push_final(std::optional<Error> error) {
    {
      std::unique_lock lock(mutex);
      if (final_queued) return;
      final_queued = true;
      open_now = false;
      events.push_back(WsEvent{WsEvent::Kind::closed, {}, connects_so_far, std::move(error)});
    }
    cv.notify_all();
  }

  bool is_paused() const {
    std::unique_lock lock(mutex);
    return paused;
  }

  void on_opened(const std::shared_ptr<Conn>& c) {
    const auto now = Clock::now();
    machine.on_open(now);
    sync_state();
    c->open = true;
    connects_so_far = c->number;
    connects.fetch_add(1, std::memory_order_relaxed);
    std::vector<std::string> frames;
    if (options.subscriptions) frames = options.subscriptions();
    for (auto& f : frames) enqueue(c, Conn::Out::text, std::move(f));
    {
      std::unique_lock lock(mutex);
      open_now = true;
      open_number = c->number;
      events.push_back(WsEvent{WsEvent::Kind::opened, {}, c->number, std::nullopt});
    }
    cv.notify_all();
    reschedule();
  }

  void enqueue(const std::shared_ptr<Conn>& c, Conn::Out kind, std::string text) {
    c->out.emplace_back(kind, std::move(text));
    if (!c->writing) {
      c->writing = true;
      c->start_writer(*this, c);
    }
  }

  void on_resume() {
    if (!conn || conn->dead) return;
    if (conn->open) machine.on_message(Clock::now());
    conn->resume.cancel();
    reschedule();
  }

  void begin_stop() {
    stopping = true;
    machine.stop();
    sync_state();
    tick.cancel();
    push_final(std::nullopt);
    if (conn && conn->open && !conn->dead) {
      conn->resume.cancel();  // a paused read loop ends; the close below reads the peer's close frame
      enqueue(conn, Conn::Out::close, {});
      stop_deadline.expires_after(std::chrono::seconds(2));
      stop_deadline.async_wait([this](beast::error_code ec) {
        if (!ec) finish_stop();
      });
      return;
    }
    finish_stop();
  }

  void finish_stop() {
    if (conn) {
      conn->dead = true;
      conn->kill(false);
      conn.reset();
    }
    stop_deadline.cancel();
    work.reset();
    ioc.stop();
  }

  // ---- io thread: one connection -------------------------------------------------------

  template <class Next>
  asio::awaitable<void> run(std::shared_ptr<Typed<Next>> c) {
    beast::error_code ec;
    const auto endpoints = co_await c->resolver.async_resolve(url.host, url.port, with_error(ec));
    if (c->dead) co_return;
    if (ec) co_return fail(c, make_error(ErrorCode::network, fmt::format("{}: cannot resolve: {}", where(), ec.message())));
    auto& socket = beast::get_lowest_layer(c->ws);
    co_await asio::async_connect(socket, endpoints, with_error(ec));
    if (c->dead) co_return;
    if (ec) co_return fail(c, make_error(ErrorCode::network, fmt::format("{}: connect failed: {}", where(), ec.message())));
    socket.set_option(tcp::no_delay(true), ec);
    if constexpr (!std::is_same_v<Next, tcp::socket>) {
      if (auto prepared =
              detail::prepare_client_handshake(c->ws.next_layer().native_handle(), url.host, options.verify_peer);
          !prepared) {
        co_return fail(c, make_error(ErrorCode::network, fmt::format("{}: {}", where(), prepared.error().message)));
      }
      co_await c->ws.next_layer().async_handshake(ssl::stream_base::client, with_error(ec));
      if (c->dead) co_return;
      if (ec) co_return fail(c, make_error(ErrorCode::network, fmt::format("{}: TLS handshake failed: {}", where(), ec.message())));
    }
    // The size limit is enforced below, chunk by chunk: Beast's own limit fails the
    // connection in a way whose cause is lost when the TLS teardown that follows errs.
    c->ws.read_message_max(0);
    c->ws.auto_fragment(false);
    Conn* raw = c.get();
    c->ws.control_callback([this, raw](websocket::frame_type, beast::string_view) {
      if (raw == conn.get()) machine.on_message(Clock::now());  // a ping or pong: alive
    });
    std::string target = options.target ? options.target(url.target) : std::string();
    if (target.empty()) target = url.target;
    co_await c->ws.async_handshake(url.host_header, target, with_error(ec));
    if (c->dead) co_return;
    if (ec) co_return fail(c, make_error(ErrorCode::network, fmt::format("{}: upgrade failed: {}", where(), ec.message())));
    on_opened(c);

    beast::flat_buffer buffer;
    for (;;) {
      if (c->dead || stopping) co_return;
      if (is_paused()) {
        co_await c->resume.async_wait(with_error(ec));
        continue;
      }
      bool too_big = false;
      do {
        co_await c->ws.async_read_some(buffer, kReadChunk, with_error(ec));
        too_big = !ec && buffer.size() > options.max_message_bytes;
      } while (!ec && !too_big && !c->ws.is_message_done());
      if (stopping) {
        if (ec) finish_stop();
        co_return;
      }
      if (c->dead) co_return;
      if (ec) {
        if (ec == websocket::error::closed) {
          const auto& reason = c->ws.reason();
          co_return fail(c, make_error(ErrorCode::network, fmt::format("{}: closed by the server ({} {})", where(),
                                                                        static_cast<unsigned>(reason.code),
                                                                        std::string_view(reason.reason.data(), reason.reason.size()))));
        }
        co_return fail(c, make_error(ErrorCode::network, fmt::format("{}: connection lost: {}", where(), ec.message())));
      }
      if (too_big) {
        co_return fail(c, make_error(ErrorCode::protocol_error,
                                     fmt::format("{}: message larger than {} bytes", where(), options.max_message_bytes)));
      }
      const auto now = Clock::now();
      machine.on_message(now);
      received.fetch_add(1, std::memory_order_relaxed);
      const auto data = buffer.cdata();
      if (options.answer) {
        std::string reply = options.answer(std::string_view(static_cast<const char*>(data.data()), data.size()));
        if (!reply.empty()) enqueue(c, Conn::Out::app_ping, std::move(reply));
      }
      {
        std::unique_lock lock(mutex);
        events.push_back(WsEvent{WsEvent::Kind::message, std::string(static_cast<const char*>(data.data()), data.size()), c->number,
                                 std::nullopt});
        if (++queued_messages >= max_queued && !paused) {
          paused = true;
          paused_since = now;
          pauses.fetch_add(1, std::memory_order_relaxed);
        }
      }
      cv.notify_one();
      buffer.consume(buffer.size());
    }
  }

  template <class Next>
  asio::awaitable<void> writer(std::shared_ptr<Typed<Next>> c) {
    beast::error_code ec;
    while (!c->dead && !c->out.empty()) {
      auto& [kind, text] = c->out.front();
      switch (kind) {
        case Conn::Out::text:
        case Conn::Out::app_ping:
          c->ws.text(true);
          co_await c->ws.async_write(asio::buffer(text), with_error(ec));
          if (!ec) (kind == Conn::Out::text ? sent : pings).fetch_add(1, std::memory_order_relaxed);
          break;
        case Conn::Out::ping:
          co_await c->ws.async_ping({}, with_error(ec));
          if (!ec) pings.fetch_add(1, std::memory_order_relaxed);
          break;
        case Conn::Out::close:
          co_await c->ws.async_close(websocket::close_code::normal, with_error(ec));
          if (stopping) finish_stop();
          co_return;  // nothing is written after a close frame; `writing` stays set
      }
      if (c->dead) co_return;
      c->out.pop_front();
      if (ec) co_return fail(c, make_error(ErrorCode::network, fmt::format("{}: write failed: {}", where(), ec.message())));
    }
    c->writing = false;
  }

  // ---- consumer side --------------------------------------------------------------------

  // Takes the front event (call with `lock` held on `mutex`, events not empty).
  WsEvent take(std::unique_lock<std::mutex>& lock) {
    WsEvent event = std::move(events.front());
    events.pop_front();
    bool resume = false;
    if (event.kind == WsEvent::Kind::message) {
      --queued_messages;
      if (paused && queued_messages <= max_queued / 2) {
        paused = false;
        paused_total += Clock::now() - paused_since;
        resume = true;
      }
    }
    lock.unlock();
    if (resume) asio::post(ioc, [this] { on_resume(); });
    return event;
  }

  std::optional<WsEvent> poll() {
    if (driven) ioc.poll();
    std::unique_lock lock(mutex);
    if (events.empty()) return std::nullopt;
    return take(lock);
  }

  std::optional<WsEvent> wait(std::chrono::milliseconds timeout) {
    if (driven) return drive_until_event(Clock::now() + timeout);
    std::unique_lock lock(mutex);
    if (!cv.wait_for(lock, timeout, [this] { return !events.empty(); })) return std::nullopt;
    return take(lock);
  }

  // Caller-driven wait(): runs the context one handler at a time until an event is
  // queued or `deadline` passes. Frames queued by the handler that queued the event
  // (the subscriptions after `opened`) are written before it returns. A context that
  // stopped (the client stopped or gave up) has nothing more to say: the wait then
  // sleeps out its timeout, as a threaded client's would.
  std::optional<WsEvent> drive_until_event(Clock::time_point deadline) {
    for (;;) {
      {
        std::unique_lock lock(mutex);
        if (!events.empty()) {
          if (conn && conn->writing) {
            lock.unlock();
            ioc.poll();
            lock.lock();
          }
          return take(lock);
        }
      }
      if (Clock::now() >= deadline) return std::nullopt;
      if (ioc.stopped()) {
        std::this_thread::sleep_until(deadline);
        return std::nullopt;
      }
      ioc.run_one_until(deadline);
    }
  }

  Result<void> send(std::string text) {
    std::uint64_t number = 0;
    {
      std::unique_lock lock(mutex);
      if (!open_now) return make_error(ErrorCode::network, fmt::format("{}: not connected", where()));
      number = open_number;
    }
    if (driven) {
      // open_now: `conn` is the open connection; the write starts here, in the poll.
      if (conn && conn->open && !conn->dead && conn->number == number) enqueue(conn, Conn::Out::text, std::move(text));
      ioc.poll();
      return {};
    }
    asio::post(ioc, [this, number, text = std::move(text)]() mutable {
      if (conn && conn->open && !conn->dead && conn->number == number) enqueue(conn, Conn::Out::text, std::move(text));
    });
    return {};
  }

  void drop() {
    asio::post(ioc, [this] {
      if (conn && !conn->dead && !stopping) {
        fail(conn, make_error(ErrorCode::network, fmt::format("{}: connection dropped by its owner", where())), false, true);
      }
    });
  }

  WsClientStats stats() const {
    WsClientStats out;
    out.connects = connects.load(std::memory_order_relaxed);
    out.failures = failures.load(std::memory_order_relaxed);
    out.stale_closes = stale_closes.load(std::memory_order_relaxed);
    out.messages_received = received.load(std::memory_order_relaxed);
    out.messages_sent = sent.load(std::memory_order_relaxed);
    out.pings_sent = pings.load(std::memory_order_relaxed);
    out.backpressure_pauses = pauses.load(std::memory_order_relaxed);
    std::unique_lock lock(mutex);
    out.paused_for = paused_total + (paused ? Clock::now() - paused_since : Nanos{0});
    return out;
  }
};

WsClient::WsClient(std::string_view url, WsClientOptions options) : impl_(std::make_unique<Impl>(url, std::move(options))) {}
WsClient::~WsClient() = default;

void WsClient::start() { impl_->start(); }
void WsClient::stop() { impl_->stop(); }
std::optional<WsEvent> WsClient::poll() { return impl_->poll(); }
std::optional<WsEvent> WsClient::wait(std::chrono::milliseconds timeout) { return impl_->wait(timeout); }
Result<void> WsClient::send(std::string text) { return impl_->send(std::move(text)); }
void WsClient::drop() { impl_->drop(); }
WsState WsClient::state() const { return impl_->state_now.load(std::memory_order_relaxed); }
WsClientStats WsClient::stats() const { return impl_->stats(); }
const std::string& WsClient::url() const noexcept { return impl_->url_text; }

}  // namespace cts::net
