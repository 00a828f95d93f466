#pragma once
/// \file
/// HttpNotificationTransport: the NotificationTransport over cts::net's keep-alive
/// HTTP client (one pooled client per origin). Compiled in the cts::health library
/// (src/health/http_transport.cpp); this header does not include cts::net.

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "cts/health/notifier.hpp"

namespace cts::health {

/// Settings of the HTTP transport (applied to every origin's client).
struct HttpTransportOptions {
  std::chrono::milliseconds connect_timeout{5'000};  ///< TCP connect deadline.
  std::chrono::milliseconds request_timeout{10'000};  ///< Deadline for writing the request and reading the reply.
  std::string ca_pem;                                ///< Extra trust anchors (tests); empty: the system store.
  std::string user_agent = "cts-health/0.1";         ///< User-Agent.
};

/// Sends notification requests with cts::net::HttpClient. Thread-safe. Transport
/// errors are the client's (network, timeout, unknown_outcome, protocol_error); an
/// invalid origin is an invalid_argument error that never quotes the URL.
class HttpNotificationTransport final : public NotificationTransport {
 public:
  /// A transport with `options`.
  explicit HttpNotificationTransport(HttpTransportOptions options = {});
  ~HttpNotificationTransport() override;
  HttpNotificationTransport(const HttpNotificationTransport&) = delete;
  HttpNotificationTransport& operator=(const HttpNotificationTransport&) = delete;

  /// Sends `request` to `origin` (a client per origin, created on first use); the
  /// whole exchange (connect, write, read) ends within `timeout`.
  Result<HttpResponse> send(std::string_view origin, const HttpRequest& request, Nanos timeout) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cts::health
