#pragma once
// Internal to cts::net: a connected TCP socket whose synchronous reads and writes end at
// a deadline, so that HttpClient runs an exchange with Beast's (and Asio TLS's)
// synchronous calls on the calling thread — one poll() and one recv() per read, as a
// bare blocking client pays — instead of driving an io_context through a dozen handler
// dispatches, timer updates and epoll_wait calls per request.

#include <utility>  // Boost 1.74's Asio needs std::exchange declared first under C++20.

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cstddef>

#include <boost/asio/error.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/system/system_error.hpp>
#include <poll.h>

#include "asio.hpp"
#include "cts/core/clock.hpp"

namespace cts::net::detail {

/// A connected, non-blocking TCP socket with a deadline (SyncReadStream and
/// SyncWriteStream, and a next layer for asio::ssl::stream). Each read waits with poll()
/// for data until the deadline, then reads what is there; each write writes what the
/// socket takes and waits for room only when it takes nothing. Past the deadline a read
/// or write fails with beast::error::timeout (the connection is then unusable: close
/// it). One thread at a time.
class DeadlineSocket {
 public:
  /// The socket type under every layer.
  using lowest_layer_type = tcp::socket::lowest_layer_type;
  /// The socket's executor (asio::ssl::stream asks for it; nothing runs on it here).
  using executor_type = tcp::socket::executor_type;

  /// Takes a connected socket in non-blocking mode (`socket.non_blocking(true)`).
  explicit DeadlineSocket(tcp::socket socket) noexcept : socket_(std::move(socket)) {}

  /// The socket.
  [[nodiscard]] tcp::socket& socket() noexcept { return socket_; }
  /// The socket, as the lowest layer of a stream stack.
  [[nodiscard]] lowest_layer_type& lowest_layer() noexcept { return socket_.lowest_layer(); }
  /// The socket's executor.
  [[nodiscard]] executor_type get_executor() noexcept { return socket_.get_executor(); }

  /// Reads and writes from now on end at `deadline`.
  void expires_at(SteadyTime deadline) noexcept { deadline_ = deadline; }

  /// Reads at least one byte into `buffers` once some arrived, before the deadline.
  template <class MutableBuffers>
  std::size_t read_some(const MutableBuffers& buffers, beast::error_code& ec) {
    if (!wait(POLLIN, ec)) return 0;
    return transfer(POLLIN, ec, [&](beast::error_code& e) { return socket_.read_some(buffers, e); });
  }
  /// The same, throwing boost::system::system_error on failure.
  template <class MutableBuffers>
  std::size_t read_some(const MutableBuffers& buffers) {
    beast::error_code ec;
    return or_throw(read_some(buffers, ec), ec);
  }

  /// Writes at least one byte of `buffers`, waiting for room until the deadline.
  template <class ConstBuffers>
  std::size_t write_some(const ConstBuffers& buffers, beast::error_code& ec) {
    return transfer(POLLOUT, ec, [&](beast::error_code& e) { return socket_.write_some(buffers, e); });
  }
  /// The same, throwing boost::system::system_error on failure.
  template <class ConstBuffers>
  std::size_t write_some(const ConstBuffers& buffers) {
    beast::error_code ec;
    return or_throw(write_some(buffers, ec), ec);
  }

 private:
  static std::size_t or_throw(std::size_t transferred, const beast::error_code& ec) {
    if (ec) throw boost::system::system_error(ec);
    return transferred;
  }

  // Runs `op` until it does not report that it would block, waiting for `events` in between.
  template <class Op>
  std::size_t transfer(short events, beast::error_code& ec, Op op) {
    for (;;) {
      const std::size_t n = op(ec);
      if (ec != asio::error::would_block && ec != asio::error::try_again) return n;
      if (!wait(events, ec)) return 0;
    }
  }

  // Waits until the socket reports `events` (or an error or hang-up, which the next
  // call reports): true; false with `ec` set at the deadline or when poll() fails.
  bool wait(short events, beast::error_code& ec) {
    for (;;) {
      const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline_ - std::chrono::steady_clock::now());
      if (left.count() <= 0) {
        ec = beast::error::timeout;
        return false;
      }
      pollfd fd{socket_.native_handle(), events, 0};
      const int ready = ::poll(&fd, 1, static_cast<int>(std::min<std::chrono::milliseconds::rep>(left.count(), INT_MAX)));
      if (ready > 0) {
        ec = {};
        return true;
      }
      if (ready < 0 && errno != EINTR) {
        ec = beast::error_code(errno, boost::system::system_category());
        return false;
      }
    }
  }

  tcp::socket socket_;
  SteadyTime deadline_ = SteadyTime::max();
};

}  // namespace cts::net::detail
