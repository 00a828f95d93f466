#pragma once
// Internal to cts::net: the TLS and listening-socket set-up every client and server of
// the component shares (contexts, SNI and host-name verification, loopback acceptors).

#include <cstdint>
#include <string>

#include <openssl/types.h>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include "cts/core/result.hpp"
#include "cts/net/http_server.hpp"

namespace cts::net::detail {

/// Whether `host` is an IPv4 or IPv6 literal (without brackets) rather than a name.
bool is_ip_address(const std::string& host);

/// A TLS client context: TLS 1.2 at least, trusting `ca_pem` (PEM, one or more
/// certificates) or, when it is empty, the system store; peers verified when
/// `verify_peer`. Throws cts::Exception(invalid_argument) "unusable CA certificates: ..."
/// when `ca_pem` cannot be read.
boost::asio::ssl::context make_client_context(const std::string& ca_pem, bool verify_peer);

/// A TLS server context presenting `identity`: TLS 1.2 at least. Throws
/// cts::Exception(invalid_argument) "unusable TLS identity: ..." for a chain or key that
/// cannot be read.
boost::asio::ssl::context make_server_context(const ServerTls& identity);

/// Prepares the client side of a handshake with `host` on `handle`: the server name
/// (SNI) for a host name, and, when `verify_peer`, the name or IP address the peer's
/// certificate must match (no partial wildcards). Errors: network, naming what failed.
Result<void> prepare_client_handshake(SSL* handle, const std::string& host, bool verify_peer);

/// Opens, binds and listens `acceptor` on 127.0.0.1:`port` (0: any free port), with
/// SO_REUSEADDR; returns the bound port. Throws cts::Exception(network) "cannot listen
/// on 127.0.0.1:<port>: ...".
std::uint16_t listen_on_loopback(boost::asio::ip::tcp::acceptor& acceptor, std::uint16_t port);

}  // namespace cts::net::detail
