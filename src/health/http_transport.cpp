// HttpNotificationTransport over cts::net::HttpClient.
#include "cts/health/http_transport.hpp"

#include <map>
#include <mutex>

#include "cts/net/http_client.hpp"

namespace cts::health {

struct HttpNotificationTransport::Impl {
  HttpTransportOptions options;
  std::mutex mutex;
  std::map<std::string, std::unique_ptr<net::HttpClient>, std::less<>> clients;

  Result<net::HttpClient*> client(std::string_view origin) {
    const std::lock_guard lock(mutex);
    auto it = clients.find(origin);
    if (it != clients.end()) return it->second.get();
    net::HttpClientOptions o;
    o.connect_timeout = options.connect_timeout;
    o.request_timeout = options.request_timeout;
    o.ca_pem = options.ca_pem;
    o.user_agent = options.user_agent;
    try {
      auto c = std::make_unique<net::HttpClient>(origin, o);
      auto* raw = c.get();
      clients.emplace(std::string(origin), std::move(c));
      return raw;
    } catch (const Exception&) {
      return make_error(ErrorCode::invalid_argument, "notification transport: unusable origin");
    }
  }
};

HttpNotificationTransport::HttpNotificationTransport(HttpTransportOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
}

HttpNotificationTransport::~HttpNotificationTransport() = default;

Result<HttpResponse> HttpNotificationTransport::send(std::string_view origin, const HttpRequest& request,
                                                     Nanos timeout) {
  auto c = impl_->client(origin);
  if (!c) return c.error();
  return (*c)->send(request, timeout);
}

}  // namespace cts::health
