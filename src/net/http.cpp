// The HTTP/1.1 client and server: the one translation unit that instantiates Beast's
// HTTP machinery (build time matters on small machines; keep Beast HTTP here only).
//
// The client resolves and connects on a small io_context per pooled connection, then
// shakes hands and exchanges with synchronous calls on the calling thread, each read and
// write bounded by a deadline (deadline_socket.hpp). The server runs C++20 coroutines on
// one io_context on its own thread.
#include <utility>  // Boost 1.74's awaitable.hpp uses std::exchange without including it.

#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <fmt/format.h>
#include <sys/socket.h>
#include <zlib.h>

#include "asio.hpp"
#include "cts/core/clock.hpp"
#include "cts/core/detail/ascii.hpp"
#include "cts/core/error.hpp"
#include "cts/net/http_client.hpp"
#include "cts/net/http_server.hpp"
#include "deadline_socket.hpp"
#include "server_loop.hpp"
#include "tls.hpp"
#include "url.hpp"

namespace cts::net {
namespace {

namespace http = beast::http;
using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;
using ClientTlsStream = beast::ssl_stream<detail::DeadlineSocket>;

constexpr std::uint32_t kMaxHeaderBytes = 64 * 1024;
// What one read from the socket asks for at most (Beast's own read size).
constexpr std::size_t kReadChunkBytes = 64 * 1024;

std::uint32_t header_limit_for(std::size_t max_bytes) {
  return static_cast<std::uint32_t>(std::min<std::size_t>(max_bytes, kMaxHeaderBytes));
}

// ---------------------------------------------------------------------------------------
// Shared conversions

std::optional<HttpMethod> from_verb(http::verb verb) {
  switch (verb) {
    case http::verb::get: return HttpMethod::get;
    case http::verb::post: return HttpMethod::post;
    case http::verb::put: return HttpMethod::put;
    case http::verb::delete_: return HttpMethod::delete_;
    case http::verb::patch: return HttpMethod::patch;
    default: return std::nullopt;
  }
}

http::verb to_verb(HttpMethod method) {
  switch (method) {
    case HttpMethod::get: return http::verb::get;
    case HttpMethod::post: return http::verb::post;
    case HttpMethod::put: return http::verb::put;
    case HttpMethod::delete_: return http::verb::delete_;
    case HttpMethod::patch: return http::verb::patch;
  }
  return http::verb::unknown;
}

// The same bytes, as the string view type Beast takes.
beast::string_view beast_view(std::string_view text) noexcept { return {text.data(), text.size()}; }

template <class Fields>
HttpHeaders to_headers(const Fields& fields) {
  HttpHeaders out;
  for (const auto& field : fields) {
    const beast::string_view name = field.name_string();
    const beast::string_view value = field.value();
    out.emplace_back(std::string_view(name.data(), name.size()), std::string_view(value.data(), value.size()));
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Client

// The base URL: its target, without trailing slashes, prefixes every request's path.
detail::Url parse_base_url(std::string_view base_url) {
  detail::Url url = detail::parse_url(base_url, {"http", "https", "base URL"});
  if (url.target.find('?') != std::string::npos) {
    throw Exception(make_error(ErrorCode::invalid_argument,
                               fmt::format("bad base URL \"{}\": a base URL takes no query", base_url.substr(0, 200))));
  }
  while (!url.target.empty() && url.target.back() == '/') url.target.pop_back();
  return url;
}

Result<std::string> gunzip(std::string_view in, std::size_t limit) {
  z_stream zs{};
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) return make_error(ErrorCode::internal, "zlib inflateInit2 failed");
  std::string out;
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  int rc = Z_OK;
  char chunk[16384];
  while (rc == Z_OK) {
    zs.next_out = reinterpret_cast<Bytef*>(chunk);
    zs.avail_out = sizeof(chunk);
    rc = inflate(&zs, Z_NO_FLUSH);
    out.append(chunk, sizeof(chunk) - zs.avail_out);
    if (out.size() > limit) rc = Z_MEM_ERROR;
    if (rc == Z_BUF_ERROR && zs.avail_in == 0) break;
  }
  inflateEnd(&zs);
  if (rc != Z_STREAM_END) return make_error(ErrorCode::protocol_error, "gzip body is corrupt, truncated or too large");
  return out;
}

// One keep-alive connection. Its event loop only resolves the host and connects; the TLS
// handshake and every exchange are synchronous calls on the thread using it.
struct Connection {
  asio::io_context ioc{1};  // first: the sockets below belong to it
  std::optional<detail::DeadlineSocket> plain;
  std::optional<ClientTlsStream> secure;
  // Bytes read but not yet parsed: the parser moves body bytes out as they arrive, so
  // this never holds more than the header limit plus one read.
  beast::flat_buffer buffer{kMaxHeaderBytes + kReadChunkBytes};
  SteadyTime last_used{};

  // Beast reads as much as the buffer has room for, but at least 512 bytes: without room
  // reserved up front, a 560-byte order reply took two reads (and two polls).
  Connection() { buffer.reserve(kReadChunkBytes); }

  detail::DeadlineSocket& transport() { return secure ? secure->next_layer() : *plain; }

  // True when the idle socket shows no sign of having been closed by the peer.
  bool looks_alive() {
    if (!transport().socket().is_open()) return false;
    char byte = 0;
    const auto n = ::recv(transport().socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
  }
};

// What went wrong in one exchange, before mapping to the unified error.
enum class Stage : std::uint8_t { none, connect, handshake, write, read, parse, too_large };

struct Exchange {
  SteadyTime deadline{};  // the whole exchange (connect, TLS, write, read) ends by then
  Stage failed_at = Stage::none;
  beast::error_code ec;
  bool wrote_some = false;
  bool got_some = false;
  std::string setup_error;  // why the TLS handshake could not even start
  http::response<http::string_body> response;
};

}  // namespace

struct HttpClient::Impl {
  std::string base;
  detail::Url url;  // target: the path prefix, without trailing '/'
  HttpClientOptions options;
  std::optional<ssl::context> tls_ctx;
  std::mutex mutex;
  std::vector<std::unique_ptr<Connection>> idle;
  std::atomic<std::uint64_t> opened{0}, sent{0}, received{0}, resent{0};

  Impl(std::string_view base_url, HttpClientOptions opts)
      : base(base_url), url(parse_base_url(base_url)), options(std::move(opts)) {
    if (url.tls) tls_ctx.emplace(detail::make_client_context(options.ca_pem, options.verify_peer));
  }

  std::unique_ptr<Connection> take_idle() {
    const SteadyTime now = std::chrono::steady_clock::now();
    std::unique_lock lock(mutex);
    while (!idle.empty()) {
      auto conn = std::move(idle.back());
      idle.pop_back();
      if (now - conn->last_used < options.idle_timeout && conn->looks_alive()) return conn;
    }
    return nullptr;
  }

  void give_back(std::unique_ptr<Connection> conn) {
    conn->last_used = std::chrono::steady_clock::now();
    std::unique_lock lock(mutex);
    if (idle.size() < options.max_idle_connections) idle.push_back(std::move(conn));
  }

  // When a phase allowed `timeout` must end: its own timeout or the exchange's deadline,
  // whichever comes first.
  static SteadyTime phase_end(const Exchange& ex, std::chrono::milliseconds timeout) {
    return std::min<SteadyTime>(std::chrono::steady_clock::now() + timeout, ex.deadline);
  }

  // Resolves and connects (together within connect_timeout) on the connection's event
  // loop, then shakes hands (https, within tls_timeout) on the calling thread.
  void connect(Connection& conn, Exchange& ex) {
    const SteadyTime connect_end = phase_end(ex, options.connect_timeout);
    tcp::resolver resolver(conn.ioc);
    tcp::socket socket(conn.ioc);
    asio::steady_timer guard(conn.ioc, connect_end);
    bool timed_out = false;
    bool finished = false;  // resolving or connecting ended (a guard that fires later is too late)
    guard.async_wait([&](beast::error_code ec) {
      if (ec || finished) return;
      timed_out = true;
      resolver.cancel();
      beast::error_code ignored;
      socket.close(ignored);
    });
    resolver.async_resolve(url.host, url.port, [&](beast::error_code ec, const tcp::resolver::results_type& endpoints) {
      if (ec || timed_out) {
        ex.ec = ec ? ec : asio::error::operation_aborted;
        finished = true;
        guard.cancel();
        return;
      }
      asio::async_connect(socket, endpoints, [&](beast::error_code connect_ec, const tcp::endpoint&) {
        ex.ec = connect_ec;
        finished = true;
        guard.cancel();
      });
    });
    conn.ioc.run();
    if (timed_out && ex.ec) ex.ec = beast::error::timeout;
    if (!ex.ec) socket.non_blocking(true, ex.ec);
    if (ex.ec) {
      ex.failed_at = Stage::connect;
      return;
    }
    beast::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    opened.fetch_add(1, std::memory_order_relaxed);
    if (!tls_ctx) {
      conn.plain.emplace(std::move(socket));
      return;
    }
    conn.secure.emplace(std::move(socket), *tls_ctx);
    if (auto prepared = detail::prepare_client_handshake(conn.secure->native_handle(), url.host, options.verify_peer);
        !prepared) {
      ex.failed_at = Stage::handshake;
      ex.setup_error = prepared.error().message;
      return;
    }
    conn.transport().expires_at(phase_end(ex, options.tls_timeout));
    conn.secure->handshake(ssl::stream_base::client, ex.ec);
    if (ex.ec) ex.failed_at = Stage::handshake;
  }

  template <class Stream>
  void exchange(Stream& stream, Connection& conn, const http::request<http::string_body>& req, Exchange& ex) {
    // One deadline for the write and every read of the response: a server that drips
    // bytes cannot stretch the exchange past it.
    conn.transport().expires_at(phase_end(ex, options.request_timeout));
    const std::size_t written = http::write(stream, req, ex.ec);
    ex.wrote_some = written > 0;
    if (ex.ec) {
      ex.failed_at = Stage::write;
      return;
    }
    sent.fetch_add(1, std::memory_order_relaxed);
    http::response_parser<http::string_body> parser;
    parser.body_limit(options.max_response_bytes);
    parser.header_limit(header_limit_for(options.max_response_bytes));
    // The header first, then the body. Read in one go, Beast (1.74) loses its body_limit
    // error when body bytes arrive in the same read as the header, and goes on to
    // reserve and read the whole announced body; read separately, an announced
    // Content-Length over the limit ends the exchange before any body byte is kept.
    http::read_header(stream, conn.buffer, parser, ex.ec);
    if (!ex.ec && parser.content_length() && *parser.content_length() > options.max_response_bytes) {
      ex.ec = http::error::body_limit;
    }
    if (!ex.ec && !parser.is_done()) http::read(stream, conn.buffer, parser, ex.ec);
    ex.got_some = parser.got_some();
    if (ex.ec == http::error::body_limit || ex.ec == http::error::header_limit || ex.ec == http::error::buffer_overflow) {
      ex.failed_at = Stage::too_large;
    } else if (ex.ec && ex.ec.category() == http::make_error_code(http::error::bad_version).category() &&
               ex.ec != http::error::end_of_stream && ex.ec != http::error::partial_message) {
      ex.failed_at = Stage::parse;
    } else if (ex.ec) {
      ex.failed_at = Stage::read;
    } else if (parser.get().body().size() > options.max_response_bytes) {
      ex.failed_at = Stage::too_large;
    } else {
      ex.response = parser.release();
    }
  }

  Exchange attempt(std::unique_ptr<Connection>& conn, const http::request<http::string_body>& req,
                   SteadyTime deadline) {
    Exchange ex;
    ex.deadline = deadline;
    if (conn == nullptr) {
      conn = std::make_unique<Connection>();
      connect(*conn, ex);
      if (ex.failed_at != Stage::none) return ex;
    }
    if (conn->secure) {
      exchange(*conn->secure, *conn, req, ex);
    } else {
      exchange(*conn->plain, *conn, req, ex);
    }
    return ex;
  }

  Error to_error(const Exchange& ex) const {
    const std::string where = fmt::format("{}://{}", url.tls ? "https" : "http", url.host_header);
    const std::string why = ex.setup_error.empty() ? ex.ec.message() : ex.setup_error;
    const bool timed_out = ex.ec == beast::error::timeout;
    switch (ex.failed_at) {
      case Stage::connect:
        return make_error(ErrorCode::network, fmt::format("connect to {} {}: {}", where, timed_out ? "timed out" : "failed", why));
      case Stage::handshake:
        return make_error(ErrorCode::network, fmt::format("TLS handshake with {} {}: {}", where, timed_out ? "timed out" : "failed", why));
      case Stage::write:
        if (!ex.wrote_some) return make_error(ErrorCode::network, fmt::format("request to {} not sent: {}", where, why));
        return make_error(timed_out ? ErrorCode::timeout : ErrorCode::unknown_outcome,
                          fmt::format("request to {} partly sent, then: {}", where, why));
      case Stage::read:
        if (timed_out)
          return make_error(ErrorCode::timeout, fmt::format("no complete response from {} before the deadline", where));
        return make_error(ErrorCode::unknown_outcome, fmt::format("connection to {} failed after the request was sent: {}", where, why));
      case Stage::parse:
        return make_error(ErrorCode::protocol_error, fmt::format("malformed HTTP response from {}: {}", where, why));
      case Stage::too_large:
        return make_error(ErrorCode::protocol_error, fmt::format("response from {} exceeds {} bytes", where, options.max_response_bytes));
      case Stage::none: break;
    }
    return make_error(ErrorCode::internal, "HTTP exchange failed without a cause");
  }

  http::request<http::string_body> build(const HttpRequest& request) const {
    std::string target = url.target;
    target += request.path.empty() ? "/" : request.path;
    if (!request.query.empty()) {
      target += '?';
      target += request.query;
    }
    http::request<http::string_body> req{to_verb(request.method), target, 11};
    req.set(http::field::host, url.host_header);
    if (!options.user_agent.empty()) req.set(http::field::user_agent, options.user_agent);
    if (options.accept_gzip) req.set(http::field::accept_encoding, "gzip");
    for (const auto& h : request.headers) req.set(beast_view(h.name), beast_view(h.value));
    req.body() = request.body;
    req.keep_alive(true);
    req.prepare_payload();
    return req;
  }

  Result<HttpResponse> send(const HttpRequest& request, Nanos timeout, const ResendGate& before_resend) {
    if (timeout <= Nanos::zero()) return make_error(ErrorCode::invalid_argument, "HTTP send timeout must be positive");
    const SteadyTime deadline = std::chrono::steady_clock::now() +
                                std::min<Nanos>(timeout, std::chrono::duration_cast<Nanos>(options.total_timeout));
    if (request.path.find_first_of(" \r\n") != std::string::npos || request.query.find_first_of(" \r\n") != std::string::npos) {
      return make_error(ErrorCode::invalid_argument, "request path or query contains a space or line break");
    }
    for (const auto& h : request.headers) {
      if (h.name.empty() || h.name.find_first_of(" :\r\n") != std::string::npos || h.value.find_first_of("\r\n") != std::string::npos) {
        return make_error(ErrorCode::invalid_argument, "request header name or value is malformed");
      }
    }
    const http::request<http::string_body> req = build(request);
    std::unique_ptr<Connection> conn = take_idle();
    const bool reused = conn != nullptr;
    Exchange ex = attempt(conn, req, deadline);
    // The server most likely closed the idle connection as the request went out; it may
    // also have read, executed and counted it. Only a GET is sent again, and only when
    // the caller's gate (which charges its rate budget) lets it.
    if (ex.failed_at == Stage::read && reused && !ex.got_some && request.method == HttpMethod::get &&
        ex.ec != beast::error::timeout && (!before_resend || before_resend())) {
      conn.reset();
      resent.fetch_add(1, std::memory_order_relaxed);
      ex = attempt(conn, req, deadline);
    }
    if (ex.failed_at != Stage::none) return to_error(ex);
    received.fetch_add(1, std::memory_order_relaxed);

    HttpResponse out;
    out.status = static_cast<int>(ex.response.result_int());
    out.headers = to_headers(ex.response.base());
    out.body = std::move(ex.response.body());
    if (options.accept_gzip) {
      if (auto encoding = out.header("Content-Encoding"); encoding && cts::detail::iequals(*encoding, "gzip")) {
        auto inflated = gunzip(out.body, options.max_response_bytes);
        if (!inflated) return inflated.error();
        out.body = std::move(*inflated);
      }
    }
    if (ex.response.keep_alive()) give_back(std::move(conn));
    return out;
  }
};

HttpClient::HttpClient(std::string_view base_url, HttpClientOptions options)
    : impl_(std::make_unique<Impl>(base_url, std::move(options))) {}
HttpClient::~HttpClient() = default;
HttpClient::HttpClient(HttpClient&&) noexcept = default;
HttpClient& HttpClient::operator=(HttpClient&&) noexcept = default;

Result<HttpResponse> HttpClient::send(const HttpRequest& request) {
  return impl_->send(request, std::chrono::duration_cast<Nanos>(impl_->options.total_timeout), nullptr);
}
Result<HttpResponse> HttpClient::send(const HttpRequest& request, Nanos timeout) {
  return impl_->send(request, timeout, nullptr);
}
Result<HttpResponse> HttpClient::send(const HttpRequest& request, const ResendGate& before_resend) {
  return impl_->send(request, std::chrono::duration_cast<Nanos>(impl_->options.total_timeout), before_resend);
}
const std::string& HttpClient::base_url() const noexcept { return impl_->base; }

HttpClientStats HttpClient::stats() const {
  return HttpClientStats{impl_->opened.load(std::memory_order_relaxed), impl_->sent.load(std::memory_order_relaxed),
                         impl_->received.load(std::memory_order_relaxed), impl_->resent.load(std::memory_order_relaxed)};
}

void HttpClient::close_idle_connections() {
  std::vector<std::unique_ptr<Connection>> closing;
  std::unique_lock lock(impl_->mutex);
  closing.swap(impl_->idle);
}

// ---------------------------------------------------------------------------------------
// Server

struct HttpServer::Impl {
  HttpReplyHandler handler;
  HttpServerOptions options;
  std::set<beast::tcp_stream*> live;  // io thread only
  std::atomic<std::uint64_t> accepted{0}, handled{0}, bad{0};
  detail::ServerLoop loop;  // after `live`: frames the loop still holds unregister from it

  Impl(HttpReplyHandler h, HttpServerOptions opts) : handler(std::move(h)), options(std::move(opts)) {
    loop.start(options.tls, options.port, accept_loop());
  }

  ~Impl() { stop(); }

  void stop() {
    // Close every connection, then stop the loop in a second step so that sessions
    // already queued run first, see `stopping` and close their sockets too.
    loop.stop_serving([this] {
      beast::error_code ignored;
      const std::vector<beast::tcp_stream*> all(live.begin(), live.end());
      for (auto* stream : all) stream->socket().close(ignored);
      asio::post(loop.ioc, [this] { loop.ioc.stop(); });
    });
  }

  struct Registration {
    Impl& self;
    beast::tcp_stream& stream;
    Registration(Impl& s, beast::tcp_stream& t) : self(s), stream(t) { self.live.insert(&stream); }
    ~Registration() { self.live.erase(&stream); }
    Registration(const Registration&) = delete;
    Registration& operator=(const Registration&) = delete;
  };

  asio::awaitable<void> accept_loop() {
    for (;;) {
      beast::error_code ec;
      tcp::socket socket = co_await loop.acceptor.async_accept(with_error(ec));
      if (ec || loop.stopping) {
        if (loop.stopping || !loop.acceptor.is_open()) co_return;
        continue;
      }
      accepted.fetch_add(1, std::memory_order_relaxed);
      asio::co_spawn(loop.ioc, session(std::move(socket)), asio::detached);
    }
  }

  asio::awaitable<void> session(tcp::socket socket) {
    beast::error_code ec;
    if (loop.stopping) {
      socket.close(ec);
      co_return;
    }
    socket.set_option(tcp::no_delay(true), ec);
    if (loop.tls_ctx) {
      TlsStream stream(std::move(socket), *loop.tls_ctx);
      Registration registration(*this, beast::get_lowest_layer(stream));
      beast::get_lowest_layer(stream).expires_after(options.idle_timeout);
      co_await stream.async_handshake(ssl::stream_base::server, with_error(ec));
      if (!ec) co_await serve(stream);
    } else {
      PlainStream stream(std::move(socket));
      Registration registration(*this, stream);
      co_await serve(stream);
    }
  }

  static http::response<http::string_body> plain_response(http::status status, std::string_view text, bool keep_alive) {
    http::response<http::string_body> res{status, 11};
    res.set(http::field::content_type, "text/plain");
    res.body() = std::string(text);
    res.keep_alive(keep_alive);
    res.prepare_payload();
    return res;
  }

  ServerReply call_handler(const http::request<http::string_body>& req) {
    const auto method = from_verb(req.method());
    if (!method) {
      ServerReply reply;
      reply.response.status = 405;
      reply.response.body = "method not allowed\n";
      return reply;
    }
    HttpRequest in;
    in.method = *method;
    const std::string_view target(req.target().data(), req.target().size());
    const std::size_t question = target.find('?');
    in.path = std::string(target.substr(0, question));
    if (question != std::string_view::npos) in.query = std::string(target.substr(question + 1));
    in.headers = to_headers(req.base());
    in.body = req.body();
    handled.fetch_add(1, std::memory_order_relaxed);
    try {
      return handler(in);
    } catch (...) {
      ServerReply reply;
      reply.response.status = 500;
      reply.response.body = "internal server error\n";
      return reply;
    }
  }

  template <class Stream>
  asio::awaitable<void> serve(Stream& stream) {
    beast::flat_buffer buffer;
    auto& tcp_layer = beast::get_lowest_layer(stream);
    for (;;) {
      http::request_parser<http::string_body> parser;
      parser.body_limit(options.max_request_bytes);
      parser.header_limit(header_limit_for(options.max_request_bytes));
      beast::error_code ec;
      tcp_layer.expires_after(options.idle_timeout);
      co_await http::async_read(stream, buffer, parser, with_error(ec));
      if (ec == http::error::body_limit || ec == http::error::header_limit || ec == http::error::buffer_overflow) {
        bad.fetch_add(1, std::memory_order_relaxed);
        auto res = plain_response(http::status::payload_too_large, "request too large\n", false);
        co_await http::async_write(stream, res, with_error(ec));
        break;
      }
      if (ec && ec.category() == http::make_error_code(http::error::bad_version).category() &&
          ec != http::error::end_of_stream && ec != http::error::partial_message) {
        bad.fetch_add(1, std::memory_order_relaxed);
        auto res = plain_response(http::status::bad_request, "malformed request\n", false);
        co_await http::async_write(stream, res, with_error(ec));
        break;
      }
      if (ec) break;
      const auto& req = parser.get();
      const bool keep_alive = req.keep_alive();
      ServerReply reply = call_handler(req);
      if (reply.delay.count() > 0) {
        asio::steady_timer timer(loop.ioc, reply.delay);
        co_await timer.async_wait(with_error(ec));
        if (ec || !tcp_layer.socket().is_open()) break;
      }
      if (reply.action == ReplyAction::drop) {
        tcp_layer.socket().shutdown(tcp::socket::shutdown_both, ec);
        break;
      }
      if (reply.action == ReplyAction::reset) {
        tcp_layer.socket().set_option(asio::socket_base::linger(true, 0), ec);
        tcp_layer.socket().close(ec);
        break;
      }
      http::response<http::string_body> res{static_cast<http::status>(reply.response.status), req.version()};
      for (const auto& h : reply.response.headers) res.set(beast_view(h.name), beast_view(h.value));
      res.body() = std::move(reply.response.body);
      res.keep_alive(keep_alive);
      res.prepare_payload();
      tcp_layer.expires_after(options.idle_timeout);
      co_await http::async_write(stream, res, with_error(ec));
      if (ec || !keep_alive) break;
    }
    beast::error_code ignored;
    tcp_layer.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }
};

namespace {
HttpReplyHandler wrap(HttpHandler handler) {
  return [handler = std::move(handler)](const HttpRequest& request) { return ServerReply{handler(request)}; };
}
}  // namespace

HttpServer::HttpServer(HttpHandler handler, HttpServerOptions options)
    : impl_(std::make_unique<Impl>(wrap(std::move(handler)), std::move(options))) {}
HttpServer::HttpServer(HttpReplyHandler handler, HttpServerOptions options)
    : impl_(std::make_unique<Impl>(std::move(handler), std::move(options))) {}
HttpServer::~HttpServer() = default;

std::uint16_t HttpServer::port() const noexcept { return impl_->loop.bound_port; }
std::string HttpServer::base_url() const {
  return fmt::format("{}://127.0.0.1:{}", impl_->loop.tls_ctx ? "https" : "http", impl_->loop.bound_port);
}
void HttpServer::stop() { impl_->stop(); }
HttpServerStats HttpServer::stats() const {
  return HttpServerStats{impl_->accepted.load(std::memory_order_relaxed), impl_->handled.load(std::memory_order_relaxed),
                         impl_->bad.load(std::memory_order_relaxed)};
}

}  // namespace cts::net
