#pragma once
// Internal to cts::net: the short names every Boost.Asio/Beast translation unit of the
// component uses, and the completion token of its coroutines.

#include <utility>  // Boost 1.74's awaitable.hpp uses std::exchange without including it.

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>

namespace cts::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace ssl = boost::asio::ssl;
using tcp = boost::asio::ip::tcp;

/// The completion token of `co_await op(..., with_error(ec))`: the operation's error goes
/// to `ec` instead of being thrown.
inline auto with_error(beast::error_code& ec) { return asio::redirect_error(asio::use_awaitable, ec); }

}  // namespace cts::net
