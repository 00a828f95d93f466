#include "cts/venue/okx/gateway.hpp"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "cts/core/error.hpp"
#include "cts/venue/acknowledged_order.hpp"
#include "cts/venue/cancel_outcome.hpp"
#include "cts/venue/okx/account.hpp"
#include "cts/venue/okx/market.hpp"
#include "cts/venue/okx/orders.hpp"
#include "cts/venue/okx/requests.hpp"

namespace cts::venue::okx {

namespace {

/// The error for a listing that still had pages after kMaxPages.
Error too_many_pages(std::string_view what) {
  return make_error(ErrorCode::protocol_error,
                    fmt::format("okx {}: still more pages after {}; the list would be incomplete", what, kMaxPages));
}

/// The error for a page whose last id is the `after` just sent (following it would
/// fetch the same page again).
Error repeated_cursor(std::string_view what) {
  return make_error(ErrorCode::protocol_error, fmt::format("okx {}: the next page starts where this one did", what));
}

/// Oldest first: OKX lists fills newest first; fills sharing a fillTime keep their
/// reversed order.
void oldest_first(std::vector<AccountTrade>& trades) {
  std::reverse(trades.begin(), trades.end());
  std::stable_sort(trades.begin(), trades.end(),
                   [](const AccountTrade& a, const AccountTrade& b) { return a.time_ms < b.time_ms; });
}

/// True for the refusals of a cancel whose order is already final or unknown.
bool order_already_final(const Error& error) { return error.venue_code == "51400" || error.venue_code == "51503"; }

}  // namespace

V5Gateway::V5Gateway(RequestSender& sender, InstType type, GatewayOptions options)
    : sender_(sender), type_(type), options_(options) {
  if (options_.swap_trade_mode == TradeMode::cash) {
    throw Exception(make_error(ErrorCode::invalid_argument, "okx: SWAP orders trade cross or isolated, not cash"));
  }
}

Result<HttpResponse> V5Gateway::send(const Result<Request>& request) {
  if (!request) return request.error();
  if (!options_.demo) return sender_.execute(*request);
  Request demo = *request;
  mark_demo(demo);
  return sender_.execute(demo);
}

Result<std::int64_t> V5Gateway::server_time_ms() {
  Result<HttpResponse> response = send(server_time());
  if (!response) return response.error();
  return parse_server_time(*response);
}

Result<Instrument> V5Gateway::instrument(std::string_view symbol) {
  Result<HttpResponse> response = send(instruments(type_, symbol));
  if (!response) return response.error();
  Result<std::vector<Listing>> listings = parse_instruments(*response, type_);
  if (!listings) return listings.error();
  for (Listing& listing : *listings) {
    if (listing.listed.instrument.venue_symbol != symbol) continue;
    // A listing without a code (0: not generated) leaves the last one known.
    if (listing.inst_id_code > 0) (void)inst_id_codes_.set(symbol, listing.inst_id_code);
    if (!listing.listed.trading()) {
      return make_error(ErrorCode::rejected,
                        fmt::format("{} is not trading (state {})", symbol, listing.listed.status));
    }
    return std::move(listing.listed.instrument);
  }
  return make_error(ErrorCode::invalid_argument,
                    fmt::format("the venue does not list {} as {}", symbol, to_string(type_)));
}

Result<BookTicker> V5Gateway::book_ticker(std::string_view symbol) {
  Result<HttpResponse> response = send(ticker(type_, symbol));
  if (!response) return response.error();
  Result<Ticker> quoted = parse_ticker(*response);
  if (!quoted) return quoted.error();
  if (quoted->symbol != symbol) {
    return make_error(ErrorCode::protocol_error,
                      fmt::format("okx ticker: asked for {}, answered {}", symbol, quoted->symbol));
  }
  return best_of(std::move(*quoted));
}

Result<BookSnapshot> V5Gateway::depth(std::string_view symbol, std::size_t limit) {
  if (limit == 0 || limit > static_cast<std::size_t>(kMaxBookDepth)) {
    return make_error(ErrorCode::invalid_argument, fmt::format("depth limit must be in 1..{}", kMaxBookDepth));
  }
  Result<HttpResponse> response = send(order_book(type_, symbol, static_cast<int>(limit)));
  if (!response) return response.error();
  return parse_order_book(*response);
}

Result<OrderReport> V5Gateway::create_order(const NewOrder& order) {
  if (latch_.refused()) return *latch_.refused();
  Result<HttpResponse> response = send(place_order(type_, order, trade_mode()));
  if (!response) return latch_.checked<OrderReport>(response.error());
  Result<OrderAck> accepted = latch_.checked(parse_order_ack(*response));
  if (!accepted) return accepted.error();
  return acknowledged_order(order, std::move(*accepted));
}

Result<OrderReport> V5Gateway::cancel_order(const OrderRef& ref) {
  if (latch_.refused()) return *latch_.refused();
  Result<HttpResponse> response = send(okx::cancel_order(type_, ref));
  if (!response) return latch_.checked<OrderReport>(response.error());
  Result<OrderAck> ack = latch_.checked(parse_order_ack(*response));
  if (!ack) {
    if (!order_already_final(ack.error())) return ack.error();
    Result<OrderReport> state = latch_.checked(find_order(ref));
    if (state && is_final(state->status)) return state;
    return ack.error();
  }
  // The cancel is accepted: from here on the answer is a report, never an error.
  const OrderRef acknowledged = acknowledged_ref(ref, *ack);
  return accepted_cancel_report(ref, acknowledged, *ack, latch_.checked(find_order(acknowledged)));
}

Result<OrderReport> V5Gateway::query_order(const OrderRef& ref) {
  if (latch_.refused()) return *latch_.refused();
  return latch_.checked(find_order(ref));
}

Result<OrderReport> V5Gateway::find_order(const OrderRef& ref) {
  Result<HttpResponse> response = send(order_details(type_, ref));
  if (!response) return response.error();
  Result<Page<OrderReport>> found = parse_orders(*response);
  if (!found) return found.error();
  for (OrderReport& order : found->items) {
    const bool same = ref.order_id ? order.order_id == *ref.order_id : order.client_order_id == ref.client_order_id;
    if (same) return std::move(order);
  }
  return make_error(ErrorCode::order_not_found,
                    fmt::format("okx has no {} order {} on {}", to_string(type_),
                                ref.order_id ? *ref.order_id : ref.client_order_id, ref.symbol));
}

Result<std::vector<OrderReport>> V5Gateway::open_orders(std::string_view symbol) {
  if (latch_.refused()) return *latch_.refused();
  std::vector<OrderReport> orders;
  ListQuery query;
  query.type = type_;
  query.inst_id = symbol;
  query.limit = kMaxPage;
  std::string after;
  for (std::size_t page = 0; page < kMaxPages; ++page) {
    query.after = after;
    Result<HttpResponse> response = send(orders_pending(query));
    if (!response) return latch_.checked<std::vector<OrderReport>>(response.error());
    Result<Page<OrderReport>> listed = latch_.checked(parse_orders(*response));
    if (!listed) return listed.error();
    const bool last = listed->items.size() < static_cast<std::size_t>(kMaxPage);
    std::move(listed->items.begin(), listed->items.end(), std::back_inserter(orders));
    if (last) return orders;
    if (listed->after == after) return repeated_cursor("orders-pending");
    after = std::move(listed->after);
  }
  return too_many_pages("orders-pending");
}

Result<std::vector<AccountTrade>> V5Gateway::fill_pages(std::string_view symbol,
                                                        std::optional<std::string_view> order_id, std::size_t limit) {
  std::vector<AccountTrade> trades;
  ListQuery query;
  query.type = type_;
  query.inst_id = symbol;
  query.order_id = order_id;
  std::string after;
  for (std::size_t page = 0; page < kMaxPages; ++page) {
    const std::size_t wanted = std::min(limit - trades.size(), static_cast<std::size_t>(kMaxPage));
    query.limit = static_cast<int>(wanted);
    query.after = after;
    Result<HttpResponse> response = send(fills(query));
    if (!response) return latch_.checked<std::vector<AccountTrade>>(response.error());
    Result<Page<AccountTrade>> listed = latch_.checked(parse_fills(*response));
    if (!listed) return listed.error();
    const bool last = listed->items.size() < wanted;
    std::move(listed->items.begin(), listed->items.end(), std::back_inserter(trades));
    if (last || trades.size() >= limit) {
      if (trades.size() > limit) trades.resize(limit);
      oldest_first(trades);
      return trades;
    }
    if (listed->after == after) return repeated_cursor("fills");
    after = std::move(listed->after);
  }
  return too_many_pages("fills");
}

Result<std::vector<AccountTrade>> V5Gateway::order_trades(std::string_view symbol, std::string_view order_id) {
  if (latch_.refused()) return *latch_.refused();
  return fill_pages(symbol, order_id, kMaxPages * static_cast<std::size_t>(kMaxPage));
}

Result<std::vector<AccountTrade>> V5Gateway::recent_trades(std::string_view symbol, std::size_t limit) {
  if (limit == 0 || limit > kMaxRecentTrades) {
    return make_error(ErrorCode::invalid_argument,
                      fmt::format("recent trades limit must be in 1..{}", kMaxRecentTrades));
  }
  if (latch_.refused()) return *latch_.refused();
  return fill_pages(symbol, std::nullopt, limit);
}

Result<std::vector<Balance>> V5Gateway::balances() {
  if (latch_.refused()) return *latch_.refused();
  Result<HttpResponse> response = send(balance());
  if (!response) return latch_.checked<std::vector<Balance>>(response.error());
  return latch_.checked(parse_balance(*response));
}

Result<std::vector<Position>> V5Gateway::positions(std::string_view symbol) {
  if (type_ != InstType::swap) return Gateway::positions(symbol);
  if (latch_.refused()) return *latch_.refused();
  Result<HttpResponse> response = send(okx::positions(type_, symbol));
  if (!response) return latch_.checked<std::vector<Position>>(response.error());
  return latch_.checked(parse_positions(*response));
}

Result<OrderAck> V5Gateway::amend_order(const OrderAmendment& amendment) {
  if (latch_.refused()) return *latch_.refused();
  Result<HttpResponse> response = send(okx::amend_order(type_, amendment));
  if (!response) return latch_.checked<OrderAck>(response.error());
  return latch_.checked(parse_order_ack(*response));
}

Result<CancelAllAfterAck> V5Gateway::cancel_all_after(int timeout_s) {
  if (latch_.refused()) return *latch_.refused();
  Result<HttpResponse> response = send(okx::cancel_all_after(timeout_s));
  if (!response) return latch_.checked<CancelAllAfterAck>(response.error());
  return latch_.checked(parse_cancel_all_after(*response));
}

Result<void> V5Gateway::arm_dead_man_switch(std::chrono::seconds timeout) {
  Result<CancelAllAfterAck> ack = cancel_all_after(static_cast<int>(std::clamp<std::int64_t>(timeout.count(), -1, INT32_MAX)));
  if (!ack) return ack.error();
  return {};
}

}  // namespace cts::venue::okx
