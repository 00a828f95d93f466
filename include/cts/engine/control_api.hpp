#pragma once
/// \file
/// The HTTP control API of a Coordinator (ControlApi, sans-I/O) and the server that
/// serves it on 127.0.0.1 (ControlServer).
///
/// | Route | Access |
/// |---|---|
/// | GET / | open: the status page (HTML that holds no data; it reads the routes below with the token the operator types) |
/// | GET /health | open: the health document (no positions, no secrets) |
/// | GET /metrics | open: every family except those reveals_holdings() names; with a valid token, every family |
/// | GET /sessions, GET /sessions/<name> | token (status lines show positions and PnL) |
/// | GET /api/performance | token: PerformanceSampler::to_json with the process's figures (404 without a sampler) |
/// | POST /sessions/<name>/<command>, POST /sessions/<command> | token, and a request no HTML form can send |
/// | GET /api/... (ops_api.hpp: sessions, overview, alerts, silences, incidents, uptime) | token |
/// | POST /api/... (acknowledge, silence, expire, incident actions) | token, and a request no HTML form can send |
///
/// Every request is refused with 403 before anything else when its Host is not the
/// bound `127.0.0.1:port` (DNS rebinding), when it carries an Origin other than
/// `http://127.0.0.1:port` (a page of another site), or when a browser marks it
/// Sec-Fetch-Site other than same-origin or none. A route that needs the token answers
/// 401 (`WWW-Authenticate: Bearer`) when the `Authorization: Bearer <token>` header is
/// missing or wrong, with the same body either way. The token is compared in constant
/// time (CRYPTO_memcmp over SHA-256 digests, so its length does not leak either). A
/// state change must be a POST (405 otherwise) whose Content-Type is application/json
/// or which carries the header X-CTS-Control (415 otherwise): both force a browser into
/// a CORS preflight that this API never grants. Duplicate Host, Origin or
/// Authorization headers are refused (400).
///
/// Then: 404 for an unknown path or session, 409 for an illegal transition (nothing
/// changes), 200 with JSON for a done operation; stop and kill do not wait (the answer
/// says "stopping").

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "cts/core/http.hpp"
#include "cts/engine/coordinator.hpp"
#include "cts/engine/performance.hpp"
#include "cts/sign/secret.hpp"

namespace cts::net {
class HttpServer;
}

namespace cts::engine {

class Monitor;

/// The header that marks a state change as sent by a program (any value).
inline constexpr std::string_view kControlHeader = "X-CTS-Control";

/// Answers control requests for one coordinator. Thread-safe (it only reads its own
/// constant state and calls the coordinator's thread-safe members).
class ControlApi {
 public:
  /// An API for `coordinator` (which must outlive it), accepting requests addressed to
  /// `authority` ("127.0.0.1:9100": the Host they must name; their Origin, if any,
  /// must be "http://" + authority) and authenticated by `token`. Only a digest of the
  /// token is kept. `monitor` (may be null; it must outlive the API) serves the alert,
  /// silence, incident, overview and uptime routes; `performance` (may be null: the
  /// route answers 404; it must outlive the API) serves GET /api/performance. Throws
  /// cts::Exception (invalid_argument) when the token or the authority is empty.
  ControlApi(Coordinator& coordinator, const sign::Secret& token, std::string authority,
             std::string service_id = "cts-engine", Monitor* monitor = nullptr,
             const PerformanceSampler* performance = nullptr);

  /// The answer to `request` (see the file comment).
  [[nodiscard]] HttpResponse handle(const HttpRequest& request) const;

  /// The authority requests must name.
  [[nodiscard]] const std::string& authority() const noexcept { return authority_; }

 private:
  enum class Auth : std::uint8_t { missing, wrong, valid };
  [[nodiscard]] Auth authenticate(const HttpRequest& request) const;
  [[nodiscard]] HttpResponse route(const HttpRequest& request) const;

  Coordinator& coordinator_;
  Monitor* monitor_;  // null: the alert, incident, overview and uptime routes answer 404
  std::array<std::uint8_t, 32> token_digest_{};
  std::string authority_;
  std::string origin_;
  std::string service_id_;
  const PerformanceSampler* performance_;
};

/// How a ControlServer listens.
struct ControlServerOptions {
  /// The port on 127.0.0.1; 0 lets the kernel choose (read it back with port()). The
  /// server binds loopback only: the API is plain HTTP, and a remote operator reaches
  /// it through a tunnel that keeps the token off the network.
  std::uint16_t port = 0;
  /// The bearer token the protected routes require; must not be empty.
  sign::Secret token;
  /// The health document's serviceId.
  std::string service_id = "cts-engine";
  /// The monitor behind the alert, silence, incident, overview and uptime routes (it
  /// must outlive the server); null: those routes answer 404.
  Monitor* monitor = nullptr;
  /// What GET /api/performance reads (null: 404); must outlive the server.
  const PerformanceSampler* performance = nullptr;
};

/// A ControlApi served over HTTP by a net::HttpServer (one io thread).
class ControlServer {
 public:
  /// Binds 127.0.0.1 and starts serving. Throws cts::Exception: invalid_argument for an
  /// empty token, network when the port cannot be bound. `coordinator` must outlive
  /// the server.
  ControlServer(Coordinator& coordinator, ControlServerOptions options);
  /// Stops serving.
  ~ControlServer();
  ControlServer(const ControlServer&) = delete;
  ControlServer& operator=(const ControlServer&) = delete;

  /// The bound port.
  [[nodiscard]] std::uint16_t port() const noexcept;
  /// "http://127.0.0.1:<port>".
  [[nodiscard]] std::string base_url() const;
  /// Closes the listener and every connection; idempotent.
  void stop();

 private:
  std::unique_ptr<ControlApi> api_;
  std::atomic<const ControlApi*> ready_{nullptr};  // set once api_ exists
  std::unique_ptr<net::HttpServer> server_;
};

}  // namespace cts::engine
