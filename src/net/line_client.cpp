// LineClient: each asynchronous step runs the private io_context until the step
// completes or its deadline passes; then the socket is closed, the step's handler runs
// with operation_aborted, and the step reports a timeout.
#include "cts/net/line_client.hpp"

#include <algorithm>
#include <optional>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>

#include <fmt/format.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "asio.hpp"
#include "cts/core/error.hpp"
#include "tls.hpp"

namespace cts::net {

using error_code = boost::system::error_code;

struct LineClient::Impl {
  SteadyTime deadline;
  asio::io_context ioc;
  tcp::socket socket{ioc};
  std::optional<ssl::context> context;
  std::optional<ssl::stream<tcp::socket&>> tls;
  std::string in;  // bytes read past the last line returned

  explicit Impl(SteadyTime d) : deadline(d) {}

  // Runs one asynchronous step started by `start` (which gets a completion handler)
  // until it completes, or until `limit` or the deadline passes: then the connection is
  // closed and the result is timed_out.
  template <class Start>
  error_code step(Start&& start, Nanos limit, std::size_t* transferred = nullptr) {
    error_code result = asio::error::would_block;
    std::size_t n = 0;
    bool done = false;
    start([&](const error_code& ec, std::size_t bytes = 0) {
      result = ec;
      n = bytes;
      done = true;
    });
    const SteadyTime now = std::chrono::steady_clock::now();
    ioc.restart();
    ioc.run_until(std::min(now + std::chrono::duration_cast<SteadyTime::duration>(limit), deadline));
    if (!done) {
      error_code ignored;
      socket.close(ignored);
      ioc.restart();
      ioc.run();
      return asio::error::timed_out;
    }
    if (transferred != nullptr) *transferred = n;
    return result;
  }

  static Error failure(std::string_view what, const error_code& ec) {
    if (ec == asio::error::timed_out) return make_error(ErrorCode::timeout, fmt::format("{}: timed out", what));
    if (ec == asio::error::eof) return make_error(ErrorCode::network, fmt::format("{}: closed by the peer", what));
    return make_error(ErrorCode::network, fmt::format("{}: {}", what, ec.message()));
  }
};

LineClient::LineClient(SteadyTime deadline) : impl_(std::make_unique<Impl>(deadline)) {}
LineClient::~LineClient() { close(); }

Result<void> LineClient::connect(const std::string& host, const std::string& port, Nanos timeout) {
  tcp::resolver resolver(impl_->ioc);
  tcp::resolver::results_type endpoints;
  error_code ec = impl_->step(
      [&](auto handler) {
        resolver.async_resolve(host, port, [&, handler](const error_code& e, tcp::resolver::results_type r) mutable {
          endpoints = std::move(r);
          handler(e);
        });
      },
      timeout);
  if (ec) return Impl::failure("cannot resolve the server", ec);
  ec = impl_->step(
      [&](auto handler) {
        asio::async_connect(impl_->socket, endpoints,
                            [handler](const error_code& e, const tcp::endpoint&) mutable { handler(e); });
      },
      timeout);
  if (ec) return Impl::failure("cannot connect to the server", ec);
  return {};
}

Result<void> LineClient::start_tls(const std::string& host, const LineClientTls& tls, Nanos timeout) {
  try {
    impl_->context.emplace(detail::make_client_context(tls.ca_pem, tls.verify_peer));
  } catch (const Exception& e) {
    return e.error();
  }
  impl_->in.clear();
  impl_->tls.emplace(impl_->socket, *impl_->context);
  SSL* handle = impl_->tls->native_handle();
  if (auto prepared = detail::prepare_client_handshake(handle, host, tls.verify_peer); !prepared)
    return prepared.error();
  const error_code ec =
      impl_->step([&](auto handler) { impl_->tls->async_handshake(ssl::stream_base::client, handler); }, timeout);
  if (ec) {
    const long verify = SSL_get_verify_result(handle);
    if (verify != X509_V_OK && ec != asio::error::timed_out) {
      return make_error(ErrorCode::network,
                        fmt::format("TLS certificate verification failed: {}", X509_verify_cert_error_string(verify)));
    }
    return Impl::failure("TLS handshake failed", ec);
  }
  return {};
}

bool LineClient::secure() const noexcept { return impl_->tls.has_value(); }
bool LineClient::is_open() const noexcept { return impl_->socket.is_open(); }

Result<void> LineClient::write(std::string_view bytes, Nanos timeout) {
  const error_code ec = impl_->step(
      [&](auto handler) {
        if (impl_->tls) {
          asio::async_write(*impl_->tls, asio::buffer(bytes.data(), bytes.size()), handler);
        } else {
          asio::async_write(impl_->socket, asio::buffer(bytes.data(), bytes.size()), handler);
        }
      },
      timeout);
  if (ec) return Impl::failure("the connection broke while sending", ec);
  return {};
}

Result<std::string> LineClient::read_line(std::size_t max_bytes, Nanos timeout) {
  std::size_t n = 0;
  const error_code ec = impl_->step(
      [&](auto handler) {
        auto buffer = asio::dynamic_buffer(impl_->in, max_bytes);
        if (impl_->tls) {
          asio::async_read_until(*impl_->tls, buffer, "\r\n", handler);
        } else {
          asio::async_read_until(impl_->socket, buffer, "\r\n", handler);
        }
      },
      timeout, &n);
  if (ec == asio::error::not_found) {
    return make_error(ErrorCode::protocol_error, fmt::format("no line end within {} bytes", max_bytes));
  }
  if (ec) return Impl::failure("the connection broke while reading", ec);
  std::string line = impl_->in.substr(0, n - 2);
  impl_->in.erase(0, n);
  return line;
}

void LineClient::shorten_deadline(SteadyTime deadline) noexcept {
  impl_->deadline = std::min(impl_->deadline, deadline);
}

void LineClient::close() noexcept {
  error_code ignored;
  impl_->socket.close(ignored);
}

}  // namespace cts::net
