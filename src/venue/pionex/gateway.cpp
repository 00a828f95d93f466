#include "cts/venue/pionex/gateway.hpp"

#include <algorithm>
#include <unordered_set>
#include <utility>

#include <fmt/format.h>

#include "cts/core/error.hpp"
#include "cts/venue/acknowledged_order.hpp"
#include "cts/venue/cancel_outcome.hpp"
#include "cts/venue/pionex/account.hpp"
#include "cts/venue/pionex/market.hpp"
#include "cts/venue/pionex/orders.hpp"
#include "cts/venue/pionex/requests.hpp"

namespace cts::venue::pionex {

namespace {

/// True for the refusals of a cancel whose order is already final or unknown.
bool order_already_final(const Error& error) {
  return error.venue_code == "TRADE_ORDER_NOT_FOUND" || error.venue_code == "TRADE_OPERATION_DENIED";
}

/// Oldest first: Pionex lists fills newest first; fills of one millisecond keep their
/// reversed order.
void oldest_first(std::vector<AccountTrade>& trades) {
  std::reverse(trades.begin(), trades.end());
  std::stable_sort(trades.begin(), trades.end(),
                   [](const AccountTrade& a, const AccountTrade& b) { return a.time_ms < b.time_ms; });
}

}  // namespace

Result<std::int64_t> SpotGateway::server_time_ms() {
  Result<HttpResponse> response = send(sender_, order_book(clock_symbol_, 1));
  if (!response) return response.error();
  return parse_reply_time(*response);
}

Result<Instrument> SpotGateway::instrument(std::string_view symbol) {
  Result<HttpResponse> response = send(sender_, symbols(symbol));
  if (!response) return response.error();
  Result<std::vector<ListedInstrument>> listed = parse_symbols(*response);
  if (!listed) return listed.error();
  for (ListedInstrument& entry : *listed) {
    if (entry.instrument.venue_symbol != symbol) continue;
    if (!entry.trading()) {
      return make_error(ErrorCode::rejected, fmt::format("{} is not trading ({})", symbol, entry.status));
    }
    clock_symbol_.assign(symbol);
    return std::move(entry.instrument);
  }
  return make_error(ErrorCode::invalid_argument, fmt::format("pionex does not list {} as spot", symbol));
}

Result<BookTicker> SpotGateway::book_ticker(std::string_view symbol) {
  Result<HttpResponse> response = send(sender_, book_tickers(symbol));
  if (!response) return response.error();
  Result<std::vector<BookTicker>> quoted = parse_book_tickers(*response);
  if (!quoted) return quoted.error();
  for (BookTicker& best : *quoted) {
    if (best.symbol == symbol) return std::move(best);
  }
  return make_error(ErrorCode::protocol_error, fmt::format("pionex bookTickers: no entry for {}", symbol));
}

Result<BookSnapshot> SpotGateway::depth(std::string_view symbol, std::size_t limit) {
  if (limit == 0 || limit > static_cast<std::size_t>(kMaxBookDepth)) {
    return make_error(ErrorCode::invalid_argument, fmt::format("depth limit must be in 1..{}", kMaxBookDepth));
  }
  Result<HttpResponse> response = send(sender_, order_book(symbol, static_cast<int>(limit)));
  if (!response) return response.error();
  return parse_order_book(*response);
}

Result<OrderReport> SpotGateway::create_order(const NewOrder& order) {
  return latch_.call(sender_, new_order(order), [&](const HttpResponse& response) -> Result<OrderReport> {
    Result<OrderAck> ack = parse_new_order(response);
    if (!ack) return ack.error();
    return acknowledged_order(order, std::move(*ack));
  });
}

Result<OrderReport> SpotGateway::cancel_order(const OrderRef& ref) {
  if (latch_.refused()) return *latch_.refused();
  OrderRef target = ref;
  if (!target.order_id) {
    Result<OrderReport> found = latch_.checked(find_order(ref));
    if (!found) return found.error();
    if (is_final(found->status)) return found;
    target.order_id = found->order_id;
  }
  Result<std::int64_t> cancelled =
      latch_.call(sender_, pionex::cancel_order(target.symbol, *target.order_id),
                  [](const HttpResponse& response) { return parse_cancel(response); });
  if (!cancelled) {
    if (!order_already_final(cancelled.error())) return cancelled.error();
    Result<OrderReport> state = latch_.checked(find_order(target));
    if (state && is_final(state->status)) return state;
    return cancelled.error();
  }
  // The cancel is accepted: from here on the answer is a report, never an error.
  OrderAck ack;
  ack.order_id = *target.order_id;
  ack.time_ms = *cancelled;
  return accepted_cancel_report(ref, target, ack, latch_.checked(find_order(target)));
}

Result<OrderReport> SpotGateway::query_order(const OrderRef& ref) {
  if (latch_.refused()) return *latch_.refused();
  return latch_.checked(find_order(ref));
}

Result<OrderReport> SpotGateway::find_order(const OrderRef& ref) {
  Result<HttpResponse> response =
      send(sender_, ref.order_id ? get_order(*ref.order_id) : get_order_by_client_id(ref.client_order_id));
  if (!response) return response.error();
  Result<OrderReport> order = parse_order(*response);
  if (!order) return order.error();
  if (!ref.symbol.empty() && order->symbol != ref.symbol) {
    return make_error(ErrorCode::order_not_found,
                      fmt::format("pionex has no order {} on {} (it is on {})",
                                  ref.order_id ? *ref.order_id : ref.client_order_id, ref.symbol, order->symbol));
  }
  return order;
}

Result<std::vector<OrderReport>> SpotGateway::open_orders(std::string_view symbol) {
  return latch_.call(sender_, pionex::open_orders(symbol),
                     [](const HttpResponse& response) { return parse_orders(response); });
}

Result<std::vector<OrderReport>> SpotGateway::cancel_open_orders(std::string_view symbol) {
  Result<std::vector<OrderReport>> open = open_orders(symbol);
  if (!open) return open.error();
  if (open->empty()) {
    return make_error(ErrorCode::order_not_found, fmt::format("pionex: no open order on {}", symbol));
  }
  Result<std::int64_t> cancelled = latch_.call(sender_, cancel_all_orders(symbol),
                                               [](const HttpResponse& response) { return parse_cancel(response); });
  if (!cancelled) return cancelled.error();
  for (OrderReport& order : *open) {
    order.status = OrderStatus::pending_cancel;
    order.time_ms = *cancelled;
  }
  return open;
}

Result<std::vector<AccountTrade>> SpotGateway::order_trades(std::string_view symbol, std::string_view order_id) {
  if (latch_.refused()) return *latch_.refused();
  std::vector<AccountTrade> trades;
  std::optional<std::string> from_id;
  for (std::size_t page = 0; page < kMaxFillPages; ++page) {
    Result<HttpResponse> response =
        send(sender_, fills_by_order_id(order_id, from_id ? std::optional<std::string_view>(*from_id) : std::nullopt));
    if (!response) return latch_.checked<std::vector<AccountTrade>>(response.error());
    Result<std::vector<AccountTrade>> listed = latch_.checked(parse_fills(*response));
    if (!listed) return listed.error();
    const bool last = listed->size() < kFillsPage;
    if (!listed->empty() && from_id && listed->back().id == *from_id) {
      return make_error(ErrorCode::protocol_error, "pionex fillsByOrderId: the next page starts where this one did");
    }
    std::string oldest = listed->empty() ? std::string() : listed->back().id;
    for (AccountTrade& trade : *listed) {
      if (trade.symbol.empty()) trade.symbol.assign(symbol);
      trades.push_back(std::move(trade));
    }
    if (last) {
      oldest_first(trades);
      return trades;
    }
    from_id = std::move(oldest);
  }
  return make_error(ErrorCode::protocol_error,
                    fmt::format("pionex fillsByOrderId: still more pages after {}; the list would be incomplete",
                                kMaxFillPages));
}

Result<std::vector<AccountTrade>> SpotGateway::recent_trades(std::string_view symbol, std::size_t limit) {
  if (limit == 0 || limit > kMaxRecentTrades) {
    return make_error(ErrorCode::invalid_argument,
                      fmt::format("recent trades limit must be in 1..{}", kMaxRecentTrades));
  }
  if (latch_.refused()) return *latch_.refused();
  std::vector<AccountTrade> trades;
  std::unordered_set<std::string> seen;
  std::optional<std::int64_t> end_time;
  while (trades.size() < limit) {
    Result<HttpResponse> response = send(sender_, fills(symbol, end_time));
    if (!response) return latch_.checked<std::vector<AccountTrade>>(response.error());
    Result<std::vector<AccountTrade>> listed = latch_.checked(parse_fills(*response));
    if (!listed) return listed.error();
    std::size_t added = 0;
    for (AccountTrade& trade : *listed) {
      if (trades.size() == limit) break;
      if (!seen.insert(trade.id).second) continue;
      if (trade.symbol.empty()) trade.symbol.assign(symbol);
      end_time = end_time ? std::min(*end_time, trade.time_ms) : trade.time_ms;
      trades.push_back(std::move(trade));
      ++added;
    }
    if (listed->size() < kFillsPage || added == 0) break;
  }
  oldest_first(trades);
  return trades;
}

Result<std::vector<Balance>> SpotGateway::balances() {
  return latch_.call(sender_, Result<Request>(pionex::balances()),
                     [](const HttpResponse& response) { return parse_balances(response); });
}

}  // namespace cts::venue::pionex
