#include "cts/venue/bybit/gateway.hpp"

#include <algorithm>
#include <iterator>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "cts/venue/bybit/account.hpp"
#include "cts/venue/bybit/api_key.hpp"
#include "cts/venue/bybit/market.hpp"
#include "cts/venue/bybit/orders.hpp"
#include "cts/venue/bybit/requests.hpp"
#include "cts/venue/cancel_outcome.hpp"

namespace cts::venue::bybit {

namespace {

/// The depth Bybit's order book accepts for spot and linear (market/orderbook.mdx).
constexpr std::size_t kMaxDepth = 1000;
/// The largest page of /v5/order/realtime (open-order.mdx).
constexpr int kOrdersPage = 50;
/// The largest page of /v5/execution/list (execution.mdx).
constexpr int kExecutionsPage = 100;

/// The error for a listing that still had pages after kMaxPages.
Error too_many_pages(std::string_view what) {
  return make_error(ErrorCode::protocol_error,
                    fmt::format("bybit {}: still more pages after {}; the list would be incomplete", what, kMaxPages));
}

/// The error for a reply whose nextPageCursor is the one just sent (following it would
/// fetch the same page again).
Error repeated_cursor(std::string_view what) {
  return make_error(ErrorCode::protocol_error,
                    fmt::format("bybit {}: the next page's cursor is the current one", what));
}

/// Oldest first: Bybit lists executions newest first (execution.mdx), and executions
/// sharing an execTime in no documented order; the reversed list is sorted stably by time.
void oldest_first(std::vector<AccountTrade>& trades) {
  std::reverse(trades.begin(), trades.end());
  std::stable_sort(trades.begin(), trades.end(),
                   [](const AccountTrade& a, const AccountTrade& b) { return a.time_ms < b.time_ms; });
}

/// The entry of `orders` that `ref` names (by venue id when it has one, else by client id).
std::optional<OrderReport> matching(std::vector<OrderReport>& orders, const OrderRef& ref) {
  for (OrderReport& order : orders) {
    const bool same = ref.order_id ? order.order_id == *ref.order_id : order.client_order_id == ref.client_order_id;
    if (same) return std::move(order);
  }
  return std::nullopt;
}

}  // namespace

Result<std::int64_t> V5Gateway::server_time_ms() {
  Result<HttpResponse> response = sender_.execute(server_time());
  if (!response) return response.error();
  return parse_server_time(*response);
}

Result<ListedInstrument> V5Gateway::listing(std::string_view symbol) {
  Result<HttpResponse> response = send(sender_, instruments_info(category_, symbol));
  if (!response) return response.error();
  Result<Page<ListedInstrument>> page = parse_instruments(*response, category_);
  if (!page) return page.error();
  for (ListedInstrument& entry : page->items) {
    if (entry.instrument.venue_symbol != symbol) continue;
    if (category_ == Category::linear) settle_coins_[entry.instrument.venue_symbol] = entry.instrument.settle;
    return std::move(entry);
  }
  return make_error(ErrorCode::invalid_argument,
                    fmt::format("the venue does not list {} in category {}", symbol, to_string(category_)));
}

Result<Instrument> V5Gateway::instrument(std::string_view symbol) {
  Result<ListedInstrument> entry = listing(symbol);
  if (!entry) return entry.error();
  if (!entry->trading()) {
    return make_error(ErrorCode::rejected, fmt::format("{} is not trading (status {})", symbol, entry->status));
  }
  return std::move(entry->instrument);
}

Result<void> V5Gateway::fill_fee_assets(std::vector<AccountTrade>& trades) {
  if (category_ != Category::linear) return {};
  for (AccountTrade& trade : trades) {
    if (!trade.commission_asset.empty()) continue;
    auto known = settle_coins_.find(trade.symbol);
    if (known == settle_coins_.end()) {
      if (Result<ListedInstrument> entry = listing(trade.symbol); !entry) return entry.error();
      known = settle_coins_.find(trade.symbol);
    }
    trade.commission_asset = known->second;
  }
  return {};
}

Result<BookTicker> V5Gateway::book_ticker(std::string_view symbol) {
  Result<HttpResponse> response = send(sender_, tickers(category_, symbol));
  if (!response) return response.error();
  Result<std::vector<Ticker>> listed = parse_tickers(*response);
  if (!listed) return listed.error();
  for (Ticker& ticker : *listed) {
    if (ticker.symbol != symbol) continue;
    return best_of(std::move(ticker));
  }
  return make_error(ErrorCode::invalid_argument,
                    fmt::format("the venue has no ticker for {} in category {}", symbol, to_string(category_)));
}

Result<BookSnapshot> V5Gateway::depth(std::string_view symbol, std::size_t limit) {
  if (limit == 0 || limit > kMaxDepth) {
    return make_error(ErrorCode::invalid_argument, fmt::format("depth limit must be in 1..{}", kMaxDepth));
  }
  Result<HttpResponse> response = send(sender_, orderbook(category_, symbol, static_cast<int>(limit)));
  if (!response) return response.error();
  return parse_order_book(*response);
}

Result<OrderReport> V5Gateway::create_order(const NewOrder& order) {
  if (latch_.refused()) return *latch_.refused();
  Result<HttpResponse> response = send(sender_, bybit::create_order(category_, order));
  if (!response) return latch_.checked<OrderReport>(response.error());
  Result<OrderAck> ack = latch_.checked(parse_order_ack(*response));
  if (!ack) return ack.error();
  return acknowledged_order(order, std::move(*ack));
}

Result<OrderReport> V5Gateway::cancel_order(const OrderRef& ref) {
  if (latch_.refused()) return *latch_.refused();
  Result<HttpResponse> response = send(sender_, bybit::cancel_order(category_, ref));
  if (!response) return latch_.checked<OrderReport>(response.error());
  Result<OrderAck> ack = latch_.checked(parse_order_ack(*response));
  if (!ack) return ack.error();
  // The cancel is accepted: from here on the answer is a report, never an error.
  const OrderRef acknowledged = acknowledged_ref(ref, *ack);
  return accepted_cancel_report(ref, acknowledged, *ack, latch_.checked(find_order(acknowledged)));
}

Result<OrderReport> V5Gateway::query_order(const OrderRef& ref) {
  if (latch_.refused()) return *latch_.refused();
  return latch_.checked(find_order(ref));
}

Result<OrderReport> V5Gateway::find_order(const OrderRef& ref) {
  OpenOrdersQuery realtime;
  realtime.symbol = ref.symbol;
  if (ref.order_id) {
    realtime.order_id = *ref.order_id;
  } else {
    realtime.client_order_id = ref.client_order_id;
  }
  Result<HttpResponse> response = send(sender_, bybit::open_orders(category_, realtime));
  if (!response) return response.error();
  Result<Page<OrderReport>> recent = parse_orders(*response);
  if (!recent) return recent.error();
  if (std::optional<OrderReport> found = matching(recent->items, ref)) return std::move(*found);

  HistoryQuery history;
  history.symbol = ref.symbol;
  history.order_id = realtime.order_id;
  history.client_order_id = realtime.client_order_id;
  response = send(sender_, order_history(category_, history));
  if (!response) return response.error();
  Result<Page<OrderReport>> closed = parse_orders(*response);
  if (!closed) return closed.error();
  if (std::optional<OrderReport> found = matching(closed->items, ref)) return std::move(*found);
  return make_error(ErrorCode::order_not_found,
                    fmt::format("bybit has no {} order {} on {}", to_string(category_),
                                ref.order_id ? *ref.order_id : ref.client_order_id, ref.symbol));
}

Result<std::vector<OrderReport>> V5Gateway::open_orders(std::string_view symbol) {
  if (latch_.refused()) return *latch_.refused();
  std::vector<OrderReport> orders;
  OpenOrdersQuery query;
  query.symbol = symbol;
  query.limit = kOrdersPage;
  std::string cursor;
  for (std::size_t page = 0; page < kMaxPages; ++page) {
    query.cursor = cursor;
    Result<HttpResponse> response = send(sender_, bybit::open_orders(category_, query));
    if (!response) return latch_.checked<std::vector<OrderReport>>(response.error());
    Result<Page<OrderReport>> listed = latch_.checked(parse_orders(*response));
    if (!listed) return listed.error();
    std::move(listed->items.begin(), listed->items.end(), std::back_inserter(orders));
    if (listed->next_page_cursor.empty() || listed->items.empty()) return orders;
    if (listed->next_page_cursor == cursor) return repeated_cursor("open orders");
    cursor = std::move(listed->next_page_cursor);
  }
  return too_many_pages("open orders");
}

Result<std::vector<OrderReport>> V5Gateway::cancel_open_orders(std::string_view symbol) {
  if (latch_.refused()) return *latch_.refused();
  Result<HttpResponse> response = send(sender_, cancel_all_orders(category_, symbol));
  if (!response) return latch_.checked<std::vector<OrderReport>>(response.error());
  Result<std::vector<OrderAck>> acks = latch_.checked(parse_cancel_all(*response));
  if (!acks) return acks.error();
  if (acks->empty()) {
    return make_error(ErrorCode::order_not_found,
                      fmt::format("bybit: no open {} order on {}", to_string(category_), symbol));
  }
  std::vector<OrderReport> cancelled;
  cancelled.reserve(acks->size());
  for (OrderAck& ack : *acks) {
    OrderReport& report = cancelled.emplace_back();
    report.symbol = symbol;
    report.order_id = std::move(ack.order_id);
    report.client_order_id = std::move(ack.client_order_id);
    report.status = OrderStatus::canceled;
  }
  return cancelled;
}

Result<std::vector<AccountTrade>> V5Gateway::order_trades(std::string_view symbol, std::string_view order_id) {
  if (latch_.refused()) return *latch_.refused();
  std::vector<AccountTrade> trades;
  HistoryQuery query;
  query.symbol = symbol;
  query.order_id = order_id;
  query.limit = kExecutionsPage;
  std::string cursor;
  for (std::size_t page = 0; page < kMaxPages; ++page) {
    query.cursor = cursor;
    Result<HttpResponse> response = send(sender_, executions(category_, query));
    if (!response) return latch_.checked<std::vector<AccountTrade>>(response.error());
    Result<Page<AccountTrade>> listed = latch_.checked(parse_executions(*response));
    if (!listed) return listed.error();
    std::move(listed->items.begin(), listed->items.end(), std::back_inserter(trades));
    if (listed->next_page_cursor.empty() || listed->items.empty()) {
      if (Result<void> filled = fill_fee_assets(trades); !filled) return filled.error();
      oldest_first(trades);
      return trades;
    }
    if (listed->next_page_cursor == cursor) return repeated_cursor("executions");
    cursor = std::move(listed->next_page_cursor);
  }
  return too_many_pages("executions");
}

Result<std::vector<AccountTrade>> V5Gateway::recent_trades(std::string_view symbol, std::size_t limit) {
  if (limit == 0 || limit > kMaxRecentTrades) {
    return make_error(ErrorCode::invalid_argument,
                      fmt::format("recent trades limit must be in 1..{}", kMaxRecentTrades));
  }
  if (latch_.refused()) return *latch_.refused();
  std::vector<AccountTrade> trades;
  HistoryQuery query;
  query.symbol = symbol;
  std::string cursor;
  // Newest first, page after page, until `limit` or the last page.
  while (trades.size() < limit) {
    query.limit = static_cast<int>(std::min(limit - trades.size(), static_cast<std::size_t>(kExecutionsPage)));
    query.cursor = cursor;
    Result<HttpResponse> response = send(sender_, executions(category_, query));
    if (!response) return latch_.checked<std::vector<AccountTrade>>(response.error());
    Result<Page<AccountTrade>> listed = latch_.checked(parse_executions(*response));
    if (!listed) return listed.error();
    std::move(listed->items.begin(), listed->items.end(), std::back_inserter(trades));
    if (listed->next_page_cursor.empty() || listed->items.empty()) break;
    if (listed->next_page_cursor == cursor) return repeated_cursor("executions");
    cursor = std::move(listed->next_page_cursor);
  }
  if (trades.size() > limit) trades.resize(limit);
  if (Result<void> filled = fill_fee_assets(trades); !filled) return filled.error();
  oldest_first(trades);
  return trades;
}

Result<std::vector<Balance>> V5Gateway::balances() {
  if (latch_.refused()) return *latch_.refused();
  Result<HttpResponse> response = send(sender_, wallet_balance());
  if (!response) return latch_.checked<std::vector<Balance>>(response.error());
  return latch_.checked(parse_wallet_balance(*response));
}

Result<ApiPermissions> V5Gateway::api_permissions() {
  if (latch_.refused()) return *latch_.refused();
  Result<HttpResponse> response = sender_.execute(api_key_info());
  if (!response) return latch_.checked<ApiPermissions>(response.error());
  return latch_.checked(parse_api_key_info(*response, category_));
}

Result<std::vector<Position>> V5Gateway::positions(std::string_view symbol) {
  if (category_ != Category::linear) return Gateway::positions(symbol);
  if (latch_.refused()) return *latch_.refused();
  Result<HttpResponse> response = send(sender_, bybit::positions(category_, symbol));
  if (!response) return latch_.checked<std::vector<Position>>(response.error());
  Result<Page<Position>> listed = latch_.checked(parse_positions(*response));
  if (!listed) return listed.error();
  return std::move(listed->items);
}

}  // namespace cts::venue::bybit
