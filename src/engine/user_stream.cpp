#include "cts/engine/user_stream.hpp"

#include <iterator>
#include <utility>
#include <variant>

#include <fmt/format.h>

#include "cts/core/error.hpp"

namespace cts::engine {

UserStream::UserStream(std::unique_ptr<venue::UserStreamProtocol> protocol, OrderExecutor& executor,
                       UserStreamOptions options)
    : protocol_(std::move(protocol)), executor_(executor), options_(std::move(options)) {
  if (options_.key_gateway != nullptr &&
      options_.key_gateway->capabilities().private_stream_login == venue::PrivateStreamLogin::listen_key) {
    key_gateway_ = options_.key_gateway;
  }
}

bool UserStream::maintain_key(SteadyTime now) {
  if (key_gateway_ == nullptr) return false;
  if (key_retry_at_ && now < *key_retry_at_) return false;
  const auto failed = [&](Error error) {
    ++stats_.key_errors;
    last_key_error_ = std::move(error);
    key_retry_at_ = now + options_.key_retry_interval;
    return false;
  };
  if (!key_.empty()) {
    const std::chrono::minutes validity = key_gateway_->capabilities().listen_key_validity;
    if (validity.count() <= 0 || (key_refreshed_ && now - *key_refreshed_ < validity / 2)) return false;
    Result<void> extended = key_gateway_->extend_user_stream_key(key_);
    if (extended) {
      ++stats_.key_extensions;
      key_refreshed_ = now;
      key_retry_at_.reset();
      return false;
    }
    // A key the venue no longer knows is replaced now; anything else is tried again
    // (the key stays valid for the other half of its validity).
    if (extended.error().code != ErrorCode::rejected) return failed(extended.error());
    ++stats_.key_errors;
    last_key_error_ = extended.error();
    key_.clear();
  }
  Result<std::string> opened = key_gateway_->open_user_stream_key();
  if (!opened) return failed(opened.error());
  ++stats_.keys_opened;
  key_refreshed_ = now;
  key_retry_at_.reset();
  if (Result<void> taken = protocol_->set_stream_key(*opened); !taken) return failed(taken.error());
  key_ = std::move(*opened);
  return connected_;
}

Result<void> UserStream::close_key() {
  if (key_gateway_ == nullptr || key_.empty()) return {};
  const std::string key = std::move(key_);
  key_.clear();
  return key_gateway_->close_user_stream_key(key);
}

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
      frames_to_send_.clear();
      if (protocol_->subscribed_by_connecting() && (key_gateway_ == nullptr || !key_.empty())) {
        ++stats_.subscriptions;
        subscription_id_.reset();
        live_ = true;
        terminated_ = false;
      }
      return {};
    case net::WsEvent::Kind::message: ++stats_.messages; return on_message(event.text, now);
    case net::WsEvent::Kind::disconnected:
    case net::WsEvent::Kind::closed:
      connected_ = false;
      live_ = false;
      frames_to_send_.clear();
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
    if (std::holds_alternative<venue::UserAuthenticated>(event)) {
      std::vector<std::string> frames = protocol_->after_authentication();
      std::move(frames.begin(), frames.end(), std::back_inserter(frames_to_send_));
    } else if (auto* subscribed = std::get_if<venue::UserSubscribed>(&event)) {
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
    } else if (auto* positions = std::get_if<venue::PositionsUpdate>(&event)) {
      ++stats_.position_updates;
      for (venue::Position& position : positions->positions) {
        auto leg = std::make_pair(position.symbol, position.side);
        auto found = positions_.find(leg);
        if (found != positions_.end() && found->second.event_time_ms > positions->event_time_ms) continue;  // older
        positions_[std::move(leg)] = StreamPosition{std::move(position), positions->event_time_ms, now};
      }
    } else if (std::holds_alternative<venue::UserStreamEnded>(event)) {
      ++stats_.terminations;
      terminated_ = true;
      live_ = false;
      subscription_id_.reset();
      needs_reconcile_ = true;
      // A listen-key stream ends when its key expired: the next maintain_key() opens a
      // new one at once.
      key_.clear();
      key_retry_at_.reset();
    }
  }
  return outcome;
}

}  // namespace cts::engine
