#include "cts/venue/binance/spot_streams.hpp"

#include <algorithm>
#include <utility>
#include <variant>

#include <fmt/format.h>

#include "cts/venue/binance/stream_frames.hpp"
#include "cts/venue/binance/streams.hpp"
#include "user_events.hpp"

namespace cts::venue::binance {

SpotUserStream::SpotUserStream(const sign::BinanceHmacSigner& signer, std::string request_id_prefix)
    : signer_(signer), request_id_prefix_(std::move(request_id_prefix)) {}

Result<std::unique_ptr<UserStreamProtocol>> SpotUserStream::make(const sign::Signer& signer) {
  const auto* hmac = dynamic_cast<const sign::BinanceHmacSigner*>(&signer);
  if (hmac == nullptr) {
    return make_error(ErrorCode::unsupported,
                      "the Binance user data stream needs an HMAC key (WebSocket API parameter signing); fills are "
                      "found by REST");
  }
  return std::unique_ptr<UserStreamProtocol>(std::make_unique<SpotUserStream>(*hmac));
}

Result<std::vector<std::string>> SpotUserStream::subscriptions(SystemTime venue_now) const {
  const std::int64_t timestamp_ms = to_unix_millis(venue_now);
  // The timestamp is given, so the signer adds only the API key (and no recvWindow):
  // the signed text is exactly "apiKey=<key>&timestamp=<ms>".
  std::vector<std::pair<std::string, std::string>> params{{"timestamp", std::to_string(timestamp_ms)}};
  sign::SigningContext context;
  context.now = venue_now;
  Result<std::string> signature = signer_.sign_ws_params(params, context);
  if (!signature) return signature.error();
  const auto key = std::find_if(params.begin(), params.end(), [](const auto& p) { return p.first == "apiKey"; });
  if (key == params.end()) return make_error(ErrorCode::internal, "the signer added no apiKey parameter");
  const std::string request_id = fmt::format("{}-{}", request_id_prefix_, next_request_.fetch_add(1));
  Result<std::string> frame = user_data_subscribe_frame(request_id, key->second, timestamp_ms, *signature);
  if (!frame) return frame.error();
  return std::vector<std::string>{std::move(*frame)};
}

Result<std::vector<UserEvent>> SpotUserStream::on_message(std::string_view text) {
  Result<StreamEvent> parsed = parse_stream_event(text);
  if (!parsed) return parsed.error();
  std::vector<UserEvent> events;
  if (auto* ack = std::get_if<SubscriptionAck>(&*parsed)) {
    if (ack->subscription_id) events.emplace_back(UserSubscribed{ack->subscription_id});
  } else if (auto* update = std::get_if<binance::OrderUpdate>(&*parsed)) {
    events.emplace_back(detail::to_unified(std::move(*update)));
  } else if (auto* position = std::get_if<AccountPosition>(&*parsed)) {
    events.emplace_back(BalancesUpdate{position->event_time_ms, std::move(position->balances)});
  } else if (std::holds_alternative<StreamTerminated>(*parsed)) {
    events.emplace_back(UserStreamEnded{});
  }
  return events;
}

}  // namespace cts::venue::binance
