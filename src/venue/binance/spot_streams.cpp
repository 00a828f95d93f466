#include "cts/venue/binance/spot_streams.hpp"

#include <algorithm>
#include <utility>
#include <variant>

#include <fmt/format.h>

#include "cts/venue/binance/stream_frames.hpp"
#include "cts/venue/binance/streams.hpp"
#include "cts/venue/binance/ws_api.hpp"
#include "user_events.hpp"

namespace cts::venue::binance {

SpotUserStream::SpotUserStream(const sign::BinanceHmacSigner& signer, std::string request_id_prefix)
    : hmac_(&signer), request_id_prefix_(std::move(request_id_prefix)) {}

SpotUserStream::SpotUserStream(const sign::BinanceEd25519Signer& signer, std::string request_id_prefix)
    : ed25519_(&signer), request_id_prefix_(std::move(request_id_prefix)) {}

Result<std::unique_ptr<UserStreamProtocol>> SpotUserStream::make(const sign::Signer& signer) {
  if (const auto* hmac = dynamic_cast<const sign::BinanceHmacSigner*>(&signer)) {
    return std::unique_ptr<UserStreamProtocol>(std::make_unique<SpotUserStream>(*hmac));
  }
  if (const auto* ed25519 = dynamic_cast<const sign::BinanceEd25519Signer*>(&signer)) {
    return std::unique_ptr<UserStreamProtocol>(std::make_unique<SpotUserStream>(*ed25519));
  }
  return make_error(ErrorCode::unsupported,
                    "the Binance user data stream needs an HMAC or Ed25519 key (WebSocket API signing); fills are "
                    "found by REST");
}

std::vector<std::string> SpotUserStream::after_authentication() const {
  if (ed25519_ == nullptr) return {};
  Result<std::string> frame = ws_api::user_data_subscribe(request_id_prefix_ + "-subscribe");
  if (!frame) return {};  // the prefix makes an invalid id: the logon already failed the same way
  return {std::move(*frame)};
}

Result<std::vector<std::string>> SpotUserStream::subscriptions(SystemTime venue_now) const {
  if (ed25519_ != nullptr) {
    Result<std::string> logon = ws_api::session_logon(request_id_prefix_ + "-logon", *ed25519_, venue_now);
    if (!logon) return logon.error();
    return std::vector<std::string>{std::move(*logon)};
  }
  const std::int64_t timestamp_ms = to_unix_millis(venue_now);
  // The timestamp is given, so the signer adds only the API key (and no recvWindow):
  // the signed text is exactly "apiKey=<key>&timestamp=<ms>".
  std::vector<std::pair<std::string, std::string>> params{{"timestamp", std::to_string(timestamp_ms)}};
  sign::SigningContext context;
  context.now = venue_now;
  Result<std::string> signature = hmac_->sign_ws_params(params, context);
  if (!signature) return signature.error();
  const auto key = std::find_if(params.begin(), params.end(), [](const auto& p) { return p.first == "apiKey"; });
  if (key == params.end()) return make_error(ErrorCode::internal, "the signer added no apiKey parameter");
  const std::string request_id = fmt::format("{}-{}", request_id_prefix_, next_request_.fetch_add(1));
  Result<std::string> frame = user_data_subscribe_frame(request_id, key->second, timestamp_ms, *signature);
  if (!frame) return frame.error();
  return std::vector<std::string>{std::move(*frame)};
}

Result<std::vector<UserEvent>> SpotUserStream::on_message(std::string_view text) {
  if (ed25519_ != nullptr && text.find(R"("status")") != std::string_view::npos &&
      text.find(request_id_prefix_ + "-logon") != std::string_view::npos) {
    Result<ws_api::Reply> reply = ws_api::parse_reply(text);
    if (!reply) return reply.error();
    if (reply->id == request_id_prefix_ + "-logon") {
      if (reply->status != 200) return ws_api::reply_error(*reply, Operation::read);
      return std::vector<UserEvent>{UserAuthenticated{}};
    }
  }
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
