#include "cts/venue/binance/usdm_streams.hpp"

#include <utility>
#include <variant>

#include <fmt/format.h>

#include "cts/venue/binance/streams.hpp"
#include "user_events.hpp"

namespace cts::venue::binance {

Result<std::unique_ptr<UserStreamProtocol>> UsdmUserStream::make(const sign::Signer& signer) {
  (void)signer;  // the listen-key requests are not signed, only keyed
  return std::unique_ptr<UserStreamProtocol>(std::make_unique<UsdmUserStream>());
}

Result<void> UsdmUserStream::set_stream_key(std::string key) { return key_.set(std::move(key)); }

Result<std::vector<std::string>> UsdmUserStream::subscriptions(SystemTime) const {
  if (key_.get().empty()) return make_error(ErrorCode::invalid_argument, "no listen key to subscribe to");
  return std::vector<std::string>{};
}

std::string UsdmUserStream::connection_target(std::string_view url_target) const {
  const std::string key = key_.get();
  if (key.empty()) return std::string(url_target);
  if (url_target.ends_with('/')) url_target.remove_suffix(1);
  return fmt::format("{}/ws?listenKey={}", url_target, key);
}

Result<std::vector<UserEvent>> UsdmUserStream::on_message(std::string_view text) {
  Result<StreamEvent> parsed = parse_stream_event(text);
  if (!parsed) return parsed.error();
  std::vector<UserEvent> events;
  if (auto* update = std::get_if<binance::OrderUpdate>(&*parsed)) {
    events.emplace_back(detail::to_unified(std::move(*update)));
  } else if (auto* account = std::get_if<FuturesAccountUpdate>(&*parsed)) {
    if (!account->balances.empty()) {
      BalancesUpdate balances{account->event_time_ms, {}};
      balances.balances.reserve(account->balances.size());
      for (FuturesBalanceUpdate& b : account->balances) {
        balances.balances.push_back(Balance{std::move(b.asset), b.wallet_balance, Decimal{}});
      }
      events.emplace_back(std::move(balances));
    }
    if (!account->positions.empty()) {
      events.emplace_back(venue::PositionsUpdate{account->event_time_ms, std::move(account->positions)});
    }
  } else if (std::holds_alternative<StreamTerminated>(*parsed)) {
    key_.clear();
    events.emplace_back(UserStreamEnded{});
  }
  return events;
}

}  // namespace cts::venue::binance
