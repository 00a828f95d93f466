#include "cts/engine/user_stream.hpp"

#include <utility>
#include <variant>

#include <fmt/format.h>

#include "cts/core/error.hpp"

namespace cts::engine {

UserStream::UserStream(std::unique_ptr<venue::UserStreamProtocol> protocol, OrderExecutor& executor,
                       UserStreamOptions options)
    : protocol_(std::move(protocol)), executor_(executor), options_(std::move(options)) {}

std::vector<std::string> UserStream::subscriptions() const {
  const std::chrono::milliseconds offset =
      options_.server_time_offset ? options_.server_time_offset() : std::chrono::milliseconds{0};
  Result<std::vector<std::string>> frames = protocol_->subscriptions(options_.wall_clock() + offset);
  if (!frames) return {};
  return std::move(*frames);
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
  Result<std::vector<venue::UserEvent>> parsed = protocol_->on_message(text);
  if (!parsed) {
    Error error = parsed.error();
    if (error.code == ErrorCode::protocol_error) {
      ++stats_.parse_errors;
    } else {
      // An error reply: the only requests this connection sends are the subscription's.
      ++stats_.subscribe_errors;
      if (is_credential_error(error.code)) ++stats_.auth_failures;
    }
    last_error_ = error;
    return error;
  }
  Result<void> outcome;
  for (venue::UserEvent& event : *parsed) {
    if (auto* subscribed = std::get_if<venue::UserSubscribed>(&event)) {
      ++stats_.subscriptions;
      subscription_id_ = subscribed->subscription_id;
      live_ = connected_;
      terminated_ = false;
      needs_reconcile_ = true;  // whatever happened before this point is only known to REST
    } else if (auto* update = std::get_if<venue::OrderUpdate>(&event)) {
      ++stats_.order_updates;
      if (Result<void> applied = executor_.apply_update(*update, now); !applied) {
        ++stats_.update_errors;
        last_error_ = applied.error();
        if (outcome) outcome = applied.error();
      }
    } else if (auto* balances = std::get_if<venue::BalancesUpdate>(&event)) {
      ++stats_.account_updates;
      for (const venue::Balance& balance : balances->balances) {
        auto found = balances_.find(balance.asset);
        if (found != balances_.end() && found->second.event_time_ms > balances->event_time_ms) continue;  // older
        balances_[balance.asset] = StreamBalance{balance.free, balance.locked, balances->event_time_ms};
      }
    } else if (std::holds_alternative<venue::UserStreamEnded>(event)) {
      ++stats_.terminations;
      terminated_ = true;
      live_ = false;
      subscription_id_.reset();
      needs_reconcile_ = true;
    }
  }
  return outcome;
}

}  // namespace cts::engine
