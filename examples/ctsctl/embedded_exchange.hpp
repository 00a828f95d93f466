#pragma once
/// \file
/// The embedded exchange `ctsctl run` trades against when no venue is configured: the
/// simulator's Binance-compatible REST front and WebSocket side (market streams, user
/// data stream) on 127.0.0.1, with a funded test account.

#include <cstdint>
#include <memory>
#include <string>

#include <cts/core/result.hpp>

namespace ctsctl {

/// A running in-process simulator; stops when destroyed.
class EmbeddedExchange {
 public:
  virtual ~EmbeddedExchange() = default;
  /// e.g. "http://127.0.0.1:41234".
  [[nodiscard]] virtual std::string base_url() const = 0;
  /// Market streams base, e.g. "ws://127.0.0.1:41235" (`/ws/<stream>`, `/stream?streams=`).
  [[nodiscard]] virtual std::string ws_url() const = 0;
  /// The WebSocket API endpoint (user data stream), e.g. "ws://127.0.0.1:41235/ws-api/v3".
  [[nodiscard]] virtual std::string ws_api_url() const = 0;
  /// The funded test account's API key.
  [[nodiscard]] virtual std::string api_key() const = 0;
  /// The funded test account's API secret (a throw-away test secret).
  [[nodiscard]] virtual std::string api_secret() const = 0;
};

/// Starts the simulator with its default symbols (BTCUSDT, ETHUSDT) and market flow
/// seeded with `seed`. Errors: the server could not start.
cts::Result<std::unique_ptr<EmbeddedExchange>> start_embedded_exchange(std::uint64_t seed);

}  // namespace ctsctl
