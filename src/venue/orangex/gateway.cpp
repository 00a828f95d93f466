#include "cts/venue/orangex/gateway.hpp"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

namespace cts::venue::orangex {

namespace {

/// True for the refusals of a cancel whose order is already final.
bool order_already_final(const Error& error) { return error.venue_code == "10010" || error.venue_code == "11044"; }

/// Oldest first, trades of one time keeping their listed order reversed (the venue
/// lists newest first).
void oldest_first(std::vector<AccountTrade>& trades) {
  std::reverse(trades.begin(), trades.end());
  std::stable_sort(trades.begin(), trades.end(),
                   [](const AccountTrade& a, const AccountTrade& b) { return a.time_ms < b.time_ms; });
}

}  // namespace

PerpetualGateway::PerpetualGateway(RequestSender& sender, const sign::Signer* signer, GatewayOptions options)
    : sender_(sender), signer_(dynamic_cast<const sign::OrangexSigner*>(signer)), options_(std::move(options)) {}

std::chrono::steady_clock::time_point PerpetualGateway::now() const {
  return options_.clock ? options_.clock() : std::chrono::steady_clock::now();
}

Result<void> PerpetualGateway::ensure_token(bool force) {
  if (signer_ == nullptr) {
    return make_error(ErrorCode::auth_failed, "orangex: no OrangeX credentials to log in with");
  }
  const auto started = now();
  if (!force && refresh_at_ && started < *refresh_at_) return {};
  const auto keep = [&](AuthToken token) {
    const std::chrono::seconds life{token.expires_in_s};
    const auto margin = std::min<std::chrono::seconds>(options_.refresh_margin, life / 2);
    signer_->set_access_token(std::move(token.access_token));
    refresh_token_ = std::move(token.refresh_token);
    refresh_at_ = started + life - margin;
  };
  if (!force && refresh_at_ && !refresh_token_.empty()) {
    const std::int64_t id = next_id();
    Result<HttpResponse> response = sender_.execute(refresh_request(id, refresh_token_.reveal()));
    if (response) {
      Result<AuthToken> token = parse_auth(*response, id);
      if (token) {
        keep(std::move(*token));
        return {};
      }
    }
  }
  Result<std::int64_t> venue_now = server_time_ms();
  if (!venue_now) return venue_now.error();
  sign::SigningContext context;
  context.now = from_unix_millis(*venue_now);
  const std::int64_t id = next_id();
  Result<AuthToken> token =
      latch_.call(sender_, auth_request(id, signer_->auth_params(context)),
                  [&](const HttpResponse& response) { return parse_auth(response, id); });
  if (!token) {
    refresh_at_.reset();
    return token.error();
  }
  keep(std::move(*token));
  return {};
}

template <class Build, class Parse>
auto PerpetualGateway::private_call(Build&& build, Parse&& parse)
    -> decltype(parse(std::declval<const HttpResponse&>(), std::int64_t{})) {
  using Reply = decltype(parse(std::declval<const HttpResponse&>(), std::int64_t{}));
  if (latch_.refused()) return Reply(*latch_.refused());
  for (int attempt = 0;; ++attempt) {
    if (Result<void> live = ensure_token(attempt > 0); !live) return Reply(live.error());
    const std::int64_t id = next_id();
    Result<HttpResponse> response = send(sender_, build(id));
    if (!response) return Reply(response.error());
    Reply reply = parse(*response, id);
    if (!reply && reply.error().venue_code == "13009" && attempt == 0) continue;
    return latch_.checked(std::move(reply));
  }
}

Result<std::int64_t> PerpetualGateway::server_time_ms() {
  const std::int64_t id = next_id();
  Result<HttpResponse> response = sender_.execute(server_time_request(id));
  if (!response) return response.error();
  return parse_server_time(*response, id);
}

Result<Instrument> PerpetualGateway::instrument(std::string_view symbol) {
  const std::int64_t id = next_id();
  Result<HttpResponse> response = send(sender_, instrument_request(id, symbol));
  if (!response) return response.error();
  Result<ListedInstrument> listed = parse_instrument(*response, id);
  if (!listed) {
    if (listed.error().code == ErrorCode::rejected || listed.error().code == ErrorCode::invalid_argument) {
      return make_error(ErrorCode::invalid_argument,
                        fmt::format("the venue does not list {} ({})", symbol, listed.error().message));
    }
    return listed.error();
  }
  if (listed->instrument.venue_symbol != symbol) {
    return make_error(ErrorCode::protocol_error,
                      fmt::format("orangex instrument: asked for {}, answered {}", symbol, listed->instrument.venue_symbol));
  }
  if (!listed->trading()) return make_error(ErrorCode::rejected, fmt::format("{} is not trading", symbol));
  return std::move(listed->instrument);
}

Result<BookTicker> PerpetualGateway::book_ticker(std::string_view symbol) {
  const std::int64_t id = next_id();
  Result<HttpResponse> response = send(sender_, ticker_request(id, symbol));
  if (!response) return response.error();
  Result<Ticker> quoted = parse_ticker(*response, id);
  if (!quoted) return quoted.error();
  if (quoted->symbol != symbol) {
    return make_error(ErrorCode::protocol_error, fmt::format("orangex ticker: asked for {}, answered {}", symbol, quoted->symbol));
  }
  return best_of(std::move(*quoted));
}

Result<BookSnapshot> PerpetualGateway::depth(std::string_view symbol, std::size_t limit) {
  if (limit == 0 || limit > static_cast<std::size_t>(kMaxBookDepth)) {
    return make_error(ErrorCode::invalid_argument, fmt::format("depth limit must be in 1..{}", kMaxBookDepth));
  }
  const std::int64_t id = next_id();
  Result<HttpResponse> response = send(sender_, order_book_request(id, symbol, static_cast<int>(limit)));
  if (!response) return response.error();
  return parse_order_book(*response, id);
}

Result<OrderReport> PerpetualGateway::create_order(const NewOrder& order) {
  return private_call([&](std::int64_t id) { return new_order_request(id, order); },
                      [](const HttpResponse& r, std::int64_t id) { return parse_order_reply(r, id, Operation::mutation); });
}

Result<OrderReport> PerpetualGateway::amend_order(const OrderAmendment& amendment) {
  return private_call([&](std::int64_t id) { return edit_request(id, amendment); },
                      [](const HttpResponse& r, std::int64_t id) { return parse_order_reply(r, id, Operation::mutation); });
}

Result<OrderReport> PerpetualGateway::cancel_order(const OrderRef& ref) {
  if (latch_.refused()) return *latch_.refused();
  OrderRef target = ref;
  if (!target.order_id) {
    Result<OrderReport> found = find_order(ref);
    if (!found) return found.error();
    if (is_final(found->status)) return found;
    target.order_id = found->order_id;
  }
  Result<OrderReport> cancelled =
      private_call([&](std::int64_t id) { return cancel_request(id, target); },
                   [](const HttpResponse& r, std::int64_t id) { return parse_order(r, id, Operation::mutation); });
  if (!cancelled && order_already_final(cancelled.error())) {
    Result<OrderReport> state = find_order(target);
    if (state && is_final(state->status)) return state;
  }
  return cancelled;
}

Result<OrderReport> PerpetualGateway::query_order(const OrderRef& ref) {
  if (latch_.refused()) return *latch_.refused();
  return find_order(ref);
}

Result<OrderReport> PerpetualGateway::find_order(const OrderRef& ref) {
  if (ref.order_id) {
    return private_call([&](std::int64_t id) { return order_state_request(id, ref); },
                        [](const HttpResponse& r, std::int64_t id) { return parse_order(r, id, Operation::read); });
  }
  Result<std::vector<OrderReport>> labelled =
      private_call([&](std::int64_t id) { return order_state_request(id, ref); },
                   [](const HttpResponse& r, std::int64_t id) { return parse_orders(r, id); });
  if (!labelled) return labelled.error();
  const OrderReport* newest = nullptr;
  for (const OrderReport& order : *labelled) {
    if (order.client_order_id != ref.client_order_id) continue;
    if (newest == nullptr || order.time_ms >= newest->time_ms) newest = &order;
  }
  if (newest == nullptr) {
    return make_error(ErrorCode::order_not_found, fmt::format("orangex: no order labelled {}", ref.client_order_id));
  }
  return *newest;
}

Result<std::vector<OrderReport>> PerpetualGateway::open_orders(std::string_view symbol) {
  return private_call([&](std::int64_t id) { return open_orders_request(id, symbol); },
                      [](const HttpResponse& r, std::int64_t id) { return parse_orders(r, id); });
}

Result<std::vector<OrderReport>> PerpetualGateway::cancel_open_orders(std::string_view symbol) {
  Result<std::vector<OrderReport>> listed = open_orders(symbol);
  if (!listed) return listed.error();
  Result<std::int64_t> count =
      private_call([&](std::int64_t id) { return cancel_all_request(id, symbol); },
                   [](const HttpResponse& r, std::int64_t id) { return parse_cancel_count(r, id); });
  if (!count) return count.error();
  if (*count == 0) return make_error(ErrorCode::order_not_found, fmt::format("orangex: no open order on {}", symbol));
  for (OrderReport& order : *listed) order.status = OrderStatus::canceled;
  return listed;
}

Result<std::vector<AccountTrade>> PerpetualGateway::order_trades(std::string_view /*symbol*/, std::string_view order_id) {
  Result<std::vector<AccountTrade>> trades =
      private_call([&](std::int64_t id) { return order_trades_request(id, order_id); },
                   [](const HttpResponse& r, std::int64_t id) { return parse_user_trades(r, id); });
  if (trades) {
    std::stable_sort(trades->begin(), trades->end(),
                     [](const AccountTrade& a, const AccountTrade& b) { return a.time_ms < b.time_ms; });
  }
  return trades;
}

Result<std::vector<AccountTrade>> PerpetualGateway::recent_trades(std::string_view symbol, std::size_t limit) {
  if (limit == 0 || limit > static_cast<std::size_t>(kMaxTradesCount)) {
    return make_error(ErrorCode::invalid_argument, fmt::format("recent trades limit must be in 1..{}", kMaxTradesCount));
  }
  Result<std::vector<AccountTrade>> trades =
      private_call([&](std::int64_t id) { return recent_trades_request(id, symbol, static_cast<int>(limit)); },
                   [](const HttpResponse& r, std::int64_t id) { return parse_user_trades(r, id); });
  if (trades) oldest_first(*trades);
  return trades;
}

Result<std::vector<Balance>> PerpetualGateway::balances() {
  Result<Balance> balance =
      private_call([&](std::int64_t id) { return account_summary_request(id, options_.currency); },
                   [](const HttpResponse& r, std::int64_t id) { return parse_account_summary(r, id); });
  if (!balance) return balance.error();
  return std::vector<Balance>{std::move(*balance)};
}

Result<std::vector<Position>> PerpetualGateway::positions(std::string_view symbol) {
  Result<Position> position =
      private_call([&](std::int64_t id) { return position_request(id, symbol); },
                   [](const HttpResponse& r, std::int64_t id) { return parse_position(r, id); });
  if (!position) return position.error();
  if (position->symbol != symbol) {
    return make_error(ErrorCode::protocol_error,
                      fmt::format("orangex position: asked for {}, answered {}", symbol, position->symbol));
  }
  return std::vector<Position>{std::move(*position)};
}

}  // namespace cts::venue::orangex
