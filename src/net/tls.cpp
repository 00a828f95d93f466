#include "tls.hpp"

#include <boost/asio/ssl.hpp>

#include <fmt/format.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "asio.hpp"
#include "cts/core/error.hpp"

namespace cts::net::detail {

bool is_ip_address(const std::string& host) {
  boost::system::error_code ec;
  (void)asio::ip::make_address(host, ec);  // only whether it parses matters (ec)
  return !ec;
}

ssl::context make_client_context(const std::string& ca_pem, bool verify_peer) {
  ssl::context context(ssl::context::tls_client);
  SSL_CTX_set_min_proto_version(context.native_handle(), TLS1_2_VERSION);
  boost::system::error_code ec;
  if (!ca_pem.empty()) {
    context.add_certificate_authority(asio::buffer(ca_pem), ec);
  } else {
    context.set_default_verify_paths(ec);
  }
  if (ec) {
    throw Exception(make_error(ErrorCode::invalid_argument, fmt::format("unusable CA certificates: {}", ec.message())));
  }
  context.set_verify_mode(verify_peer ? ssl::verify_peer : ssl::verify_none);
  return context;
}

ssl::context make_server_context(const ServerTls& identity) {
  ssl::context context(ssl::context::tls_server);
  SSL_CTX_set_min_proto_version(context.native_handle(), TLS1_2_VERSION);
  boost::system::error_code ec;
  context.use_certificate_chain(asio::buffer(identity.certificate_chain_pem), ec);
  if (!ec) context.use_private_key(asio::buffer(identity.private_key_pem), ssl::context::pem, ec);
  if (ec) {
    throw Exception(make_error(ErrorCode::invalid_argument, fmt::format("unusable TLS identity: {}", ec.message())));
  }
  return context;
}

Result<void> prepare_client_handshake(SSL* handle, const std::string& host, bool verify_peer) {
  const bool ip = is_ip_address(host);
  if (!ip && SSL_set_tlsext_host_name(handle, host.c_str()) != 1) {
    ERR_clear_error();
    return make_error(ErrorCode::network, fmt::format("cannot set the TLS server name (SNI) \"{}\"", host));
  }
  if (verify_peer) {
    X509_VERIFY_PARAM* param = SSL_get0_param(handle);
    X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    const int ok = ip ? X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str())
                      : X509_VERIFY_PARAM_set1_host(param, host.c_str(), host.size());
    if (ok != 1) {
      ERR_clear_error();
      return make_error(ErrorCode::network, fmt::format("cannot verify the host name \"{}\"", host));
    }
  }
  return {};
}

std::uint16_t listen_on_loopback(asio::ip::tcp::acceptor& acceptor, std::uint16_t port) {
  boost::system::error_code ec;
  const asio::ip::tcp::endpoint endpoint(asio::ip::make_address_v4("127.0.0.1"), port);
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    throw Exception(
        make_error(ErrorCode::network, fmt::format("cannot listen on 127.0.0.1:{}: {}", port, ec.message())));
  }
  return acceptor.local_endpoint().port();
}

}  // namespace cts::net::detail
