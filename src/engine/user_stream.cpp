#include "cts/engine/user_stream.hpp"

#include <algorithm>
#include <utility>
#include <variant>

#include <fmt/format.h>

#include "cts/core/error.hpp"
#include "cts/venue/binance/stream_frames.hpp"
#include "cts/venue/binance/streams.hpp"

namespace cts::engine {

namespace binance = venue::binance;

namespace {
const sign::BinanceHmacSigner& hmac_signer(const sign::Signer& signer) {
  const auto* hmac = dynamic_cast<const sign::BinanceHmacSigner*>(&signer);
  if (hmac == nullptr) {
    throw Exception(make_error(ErrorCode::invalid_argument,
                    "the user data stream needs a Binance HMAC signer (WebSocket API parameter signing)"));
  }
  return *hmac;
}

bool is_auth_failure(ErrorCode code) { return code == ErrorCode::auth_failed || code == ErrorCode::invalid_signature; }
}  // namespace

UserStream::UserStream(const sign::Signer& signer, OrderExecutor& executor, UserStreamOptions options)
    : signer_(hmac_signer(signer)), executor_(executor), options_(std::move(options)) {}

std::vector<std::string> UserStream::subscriptions() const {
  const std::chrono::milliseconds offset =
      options_.server_time_offset ? options_.server_time_offset() : std::chrono::milliseconds{0};
  const SystemTime at = options_.wall_clock() + offset;
  const std::int64_t timestamp_ms = to_unix_millis(at);
  // The timestamp is given, so the signer adds only the API key (and no recvWindow):
  // the signed text is exactly "apiKey=<key>&timestamp=<ms>".
  std::vector<std::pair<std::string, std::string>> params{{"timestamp", std::to_string(timestamp_ms)}};
  sign::SigningContext context;
  context.now = at;
  Result<std::string> signature = signer_.sign_ws_params(params, context);
  if (!signature) return {};
  const auto key = std::find_if(params.begin(), params.end(), [](const auto& p) { return p.first == "apiKey"; });
  if (key == params.end()) return {};
  const std::string request_id = fmt::format("{}-{}", options_.request_id_prefix, next_request_.fetch_add(1));
  Result<std::string> frame = binance::user_data_subscribe_frame(request_id, key->second, timestamp_ms, *signature);
  if (!frame) return {};
  return {std::move(*frame)};
}

Result<void> UserStream::on_event(const net::WsEvent& event, SteadyTime now) {
  switch (event.kind) {
    case net::WsEvent::Kind::opened:
      if (event.connection > 1) ++stats_.reconnects;
      connected_ = true;
      live_ = false;
      needs_reconcile_ = true;
      return {};
    case net::WsEvent::Kind::message:
      ++stats_.messages;
      return on_message(event.text, now);
    case net::WsEvent::Kind::disconnected:
    case net::WsEvent::Kind::closed:
      connected_ = false;
      live_ = false;
      subscription_id_.reset();
      needs_reconcile_ = true;
      return {};
  }
  return {};
}

Result<void> UserStream::on_message(const std::string& text, SteadyTime now) {
  Result<binance::StreamEvent> parsed = binance::parse_stream_event(text);
  if (!parsed) {
    Error error = parsed.error();
    if (error.code == ErrorCode::protocol_error) {
      ++stats_.parse_errors;
    } else {
      // An error reply: the only request this connection sends is the subscription.
      ++stats_.subscribe_errors;
      if (is_auth_failure(error.code)) ++stats_.auth_failures;
    }
    last_error_ = error;
    return error;
  }
  if (auto* ack = std::get_if<binance::SubscriptionAck>(&*parsed)) {
    if (!ack->subscription_id) return {};
    ++stats_.subscriptions;
    subscription_id_ = ack->subscription_id;
    live_ = connected_;
    terminated_ = false;
    needs_reconcile_ = true;  // whatever happened before this point is only known to REST
    return {};
  }
  if (auto* update = std::get_if<binance::OrderUpdate>(&*parsed)) {
    ++stats_.order_updates;
    Result<void> applied = executor_.apply_update(*update, now);
    if (!applied) {
      ++stats_.update_errors;
      last_error_ = applied.error();
    }
    return applied;
  }
  if (auto* position = std::get_if<binance::AccountPosition>(&*parsed)) {
    ++stats_.account_updates;
    for (const venue::Balance& balance : position->balances) {
      auto found = balances_.find(balance.asset);
      if (found != balances_.end() && found->second.event_time_ms > position->event_time_ms) continue;  // older
      balances_[balance.asset] = StreamBalance{balance.free, balance.locked, position->event_time_ms};
    }
    return {};
  }
  if (std::holds_alternative<binance::StreamTerminated>(*parsed)) {
    ++stats_.terminations;
    terminated_ = true;
    live_ = false;
    subscription_id_.reset();
    needs_reconcile_ = true;
    return {};
  }
  return {};  // balanceUpdate (the next outboundAccountPosition carries the balance) and others
}

}  // namespace cts::engine
