#pragma once
/// \file
/// WebSocket frames we send to Binance: market-stream SUBSCRIBE/UNSUBSCRIBE
/// (binance-spot-api-docs web-socket-streams.md "Live Subscribing/Unsubscribing to
/// streams"; the USD-M streams use the same frames), stream names, and the spot user
/// data stream subscription through the WebSocket API (web-socket-api.md
/// "userDataStream.subscribe.signature"; the listenKey endpoints were retired on
/// 2026-02-20). USD-M user data still uses a listenKey (usdm_requests.hpp).

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "cts/core/detail/ascii.hpp"
#include "cts/core/error.hpp"
#include "cts/core/json_string.hpp"
#include "cts/core/result.hpp"

namespace cts::venue::binance {

/// Spot market streams.
inline constexpr std::string_view kSpotStreamUrl = "wss://stream.binance.com:9443/ws";
/// USD-M's routed public market streams (`@depth`, `@bookTicker`); `@aggTrade`,
/// `@markPrice` and the like are on wss://fstream.binance.com/market/ws (Binance routes
/// USD-M streams by path since 2026-04-23; a stream on the wrong path is not delivered).
inline constexpr std::string_view kUsdmStreamUrl = "wss://fstream.binance.com/public/ws";
/// USD-M's routed private endpoint: a listen key's user data stream is
/// `<this>/ws?listenKey=<key>`.
inline constexpr std::string_view kUsdmPrivateStreamUrl = "wss://fstream.binance.com/private";
/// Spot WebSocket API (user data stream subscription).
inline constexpr std::string_view kSpotWebSocketApiUrl = "wss://ws-api.binance.com:443/ws-api/v3";

namespace detail {
inline std::string stream_name(std::string_view symbol, std::string_view suffix) {
  std::string name;
  name.reserve(symbol.size() + suffix.size());
  for (const char c : symbol) name.push_back(cts::detail::ascii_lower(c));
  name.append(suffix);
  return name;
}
inline std::string stream_frame(std::string_view method, std::span<const std::string> streams, std::uint64_t id) {
  std::string frame = R"({"method":")";
  frame.append(method);
  frame.append(R"(","params":[)");
  for (std::size_t i = 0; i < streams.size(); ++i) {
    if (i > 0) frame.push_back(',');
    cts::append_json_string(frame, streams[i]);
  }
  frame.append(fmt::format(R"(],"id":{}}})", id));
  return frame;
}
}  // namespace detail

/// "<symbol>@depth@100ms" (or "<symbol>@depth" for the 1000 ms spot / 250 ms USD-M
/// speed): the diff-depth stream. Symbols are lower-cased.
inline std::string depth_stream(std::string_view symbol, bool fast = true) {
  return detail::stream_name(symbol, fast ? "@depth@100ms" : "@depth");
}
/// "<symbol>@trade" (spot raw trades).
inline std::string trade_stream(std::string_view symbol) { return detail::stream_name(symbol, "@trade"); }
/// "<symbol>@aggTrade" (spot and USD-M aggregate trades).
inline std::string agg_trade_stream(std::string_view symbol) { return detail::stream_name(symbol, "@aggTrade"); }
/// "<symbol>@bookTicker" (best bid/ask, real time).
inline std::string book_ticker_stream(std::string_view symbol) { return detail::stream_name(symbol, "@bookTicker"); }

/// {"method":"SUBSCRIBE","params":[...],"id":<id>}; the reply is {"result":null,"id":<id>}.
inline std::string subscribe_frame(std::span<const std::string> streams, std::uint64_t id) {
  return detail::stream_frame("SUBSCRIBE", streams, id);
}
/// {"method":"UNSUBSCRIBE","params":[...],"id":<id>}.
inline std::string unsubscribe_frame(std::span<const std::string> streams, std::uint64_t id) {
  return detail::stream_frame("UNSUBSCRIBE", streams, id);
}

/// The string the signer signs for userDataStream.subscribe.signature: the parameters
/// sorted by name, `apiKey=<key>&timestamp=<ms>` (WebSocket API signing sorts
/// parameters alphabetically and does not percent-encode).
inline std::string user_data_subscribe_payload(std::string_view api_key, std::int64_t timestamp_ms) {
  return fmt::format("apiKey={}&timestamp={}", api_key, timestamp_ms);
}

/// The userDataStream.subscribe.signature request (weight 2) carrying the signature of
/// user_data_subscribe_payload(). The reply carries the subscriptionId; events then
/// arrive as {"subscriptionId":N,"event":{...}}. Errors: invalid_argument for an empty
/// request id, key or signature. The frame contains the API key (never the secret):
/// do not log it.
inline Result<std::string> user_data_subscribe_frame(std::string_view request_id, std::string_view api_key,
                                                     std::int64_t timestamp_ms, std::string_view signature) {
  if (request_id.empty() || api_key.empty() || signature.empty()) {
    return make_error(ErrorCode::invalid_argument, "user data subscription needs a request id, an API key and a signature");
  }
  std::string frame = R"({"id":)";
  cts::append_json_string(frame, request_id);
  frame.append(R"(,"method":"userDataStream.subscribe.signature","params":{"apiKey":)");
  cts::append_json_string(frame, api_key);
  frame.append(fmt::format(R"(,"timestamp":{},"signature":)", timestamp_ms));
  cts::append_json_string(frame, signature);
  frame.append("}}");
  return frame;
}

/// The userDataStream.unsubscribe request for `subscription_id`.
inline std::string user_data_unsubscribe_frame(std::string_view request_id, std::int64_t subscription_id) {
  std::string frame = R"({"id":)";
  cts::append_json_string(frame, request_id);
  frame.append(fmt::format(R"(,"method":"userDataStream.unsubscribe","params":{{"subscriptionId":{}}}}})",
                           subscription_id));
  return frame;
}

}  // namespace cts::venue::binance
