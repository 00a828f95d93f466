#pragma once
/// \file
/// VenueConnection: the one factory that wires a venue connection's REST path — HTTP
/// client, the venue's rate limiter, its signer, the RestChannel (with the connector's
/// throttle and reply-error readers) and the connector's gateway — from a registry entry (venue/registry.hpp). The trading session, the
/// examples and the tests build their connections here, so the wiring exists once and
/// no caller names a venue's types.

#include <memory>
#include <string>

#include "cts/core/result.hpp"
#include "cts/engine/rest_channel.hpp"
#include "cts/net/http_client.hpp"
#include "cts/rate/budget.hpp"
#include "cts/sign/signer.hpp"
#include "cts/venue/gateway.hpp"
#include "cts/venue/registry.hpp"

namespace cts::engine {

/// What a connection needs besides its connector.
struct ConnectionOptions {
  std::string base_url;           ///< The venue's REST base URL (or a simulator's).
  sign::Credentials credentials;  ///< API key and secret; an empty key: public data only.
  net::HttpClientOptions http;    ///< Transport options (timeouts, custom CA for tests).
  /// The rate budget to share (connections trading one venue account must share one: a
  /// rate::Limiter, or a budget shared with other processes such as rate::RedisBudget);
  /// null: a new rate::Limiter with the venue's published policy. Thread-safe, shared ownership.
  std::shared_ptr<rate::Budget> limiter;
  /// What the gateway applies to every request (demo trading, margin mode), checked by
  /// the caller with venue::check_settings() (the connector ignores what it cannot honour).
  venue::GatewaySettings gateway;
};

/// One venue connection's REST path. Not copyable or movable (its parts refer to each
/// other); the gateway is thread-compatible, the channel thread-safe. Opening sends
/// nothing: the first request is the caller's.
class VenueConnection {
 public:
  /// Wires `connector` (a registry entry, which lives for the whole program). Errors:
  /// invalid_argument for a base URL the HTTP client cannot use, the signer's for
  /// credentials it refuses (an empty secret with a key, ...; never quoting the secret).
  static Result<std::unique_ptr<VenueConnection>> open(const venue::Connector& connector,
                                                       ConnectionOptions options);
  ~VenueConnection();
  VenueConnection(const VenueConnection&) = delete;
  VenueConnection& operator=(const VenueConnection&) = delete;

  /// The registry entry.
  [[nodiscard]] const venue::Connector& connector() const noexcept { return connector_; }
  /// The unified operations.
  [[nodiscard]] venue::Gateway& gateway() noexcept { return *gateway_; }
  /// The request path (limiter → signer → HTTP), with its counters and clock offset.
  [[nodiscard]] RestChannel& channel() noexcept { return *channel_; }
  /// The channel, read-only.
  [[nodiscard]] const RestChannel& channel() const noexcept { return *channel_; }
  /// The signer; null without credentials.
  [[nodiscard]] const sign::Signer* signer() const noexcept { return signer_.get(); }
  /// The limiter (shared with other connections when the options gave one).
  [[nodiscard]] const std::shared_ptr<rate::Budget>& limiter() const noexcept { return limiter_; }

 private:
  explicit VenueConnection(const venue::Connector& connector) : connector_(connector) {}

  const venue::Connector& connector_;
  std::unique_ptr<net::HttpClient> http_;
  std::shared_ptr<rate::Budget> limiter_;
  std::unique_ptr<sign::Signer> signer_;
  std::unique_ptr<RestChannel> channel_;
  std::unique_ptr<venue::Gateway> gateway_;
};

}  // namespace cts::engine
