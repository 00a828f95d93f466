// BingX USDT-M perpetual swap gateway.
#include "cts/venue/bingx/gateway.hpp"

#include <algorithm>
#include <cstdint>
#include <utility>

#include <fmt/format.h>

#include "cts/core/error.hpp"
#include "cts/venue/acknowledged_order.hpp"
#include "cts/venue/bingx/replies.hpp"
#include "cts/venue/bingx/requests.hpp"

namespace cts::venue::bingx {

namespace {

/// True for the refusals of a cancel whose order is already final or unknown.
bool order_already_final(const Error& error) {
  return error.venue_code == "80018" || error.venue_code == "80016" || error.venue_code == "109414";
}

/// The smallest depth limit BingX accepts that is at least `limit` (limit <= 1000).
int accepted_depth_limit(std::size_t limit) {
  for (const int accepted : kDepthLimits) {
    if (static_cast<std::size_t>(accepted) >= limit) return accepted;
  }
  return kDepthLimits.back();
}

}  // namespace

Result<Instrument> SwapGateway::instrument(std::string_view symbol) {
  Result<HttpResponse> response = send(sender_, contracts(symbol));
  if (!response) return response.error();
  Result<std::vector<ListedInstrument>> listed = parse_contracts(*response);
  if (!listed) return listed.error();
  return listed_instrument(*listed, symbol, "a perpetual swap");
}

Result<BookTicker> SwapGateway::book_ticker(std::string_view symbol) {
  Result<HttpResponse> response = send(sender_, bingx::book_ticker(symbol));
  if (!response) return response.error();
  Result<BookTicker> best = parse_book_ticker(*response);
  if (best && best->symbol != symbol) {
    return make_error(ErrorCode::protocol_error,
                      fmt::format("bingx bookTicker: asked for {}, answered {}", symbol, best->symbol));
  }
  return best;
}

Result<BookSnapshot> SwapGateway::depth(std::string_view symbol, std::size_t limit) {
  if (limit == 0 || limit > static_cast<std::size_t>(kDepthLimits.back())) {
    return make_error(ErrorCode::invalid_argument, fmt::format("depth limit must be in 1..{}", kDepthLimits.back()));
  }
  Result<HttpResponse> response = send(sender_, bingx::depth(symbol, accepted_depth_limit(limit)));
  if (!response) return response.error();
  Result<BookSnapshot> book = parse_depth(*response);
  if (!book) return book;
  if (book->bids.size() > limit) book->bids.resize(limit);
  if (book->asks.size() > limit) book->asks.resize(limit);
  return book;
}

Result<OrderReport> SwapGateway::create_order(const NewOrder& order) {
  return latch_.call(sender_, place_order(order), [&](const HttpResponse& response) -> Result<OrderReport> {
    Result<OrderAck> ack = parse_order_ack(response);
    if (!ack) return ack.error();
    return acknowledged_order(order, std::move(*ack));
  });
}

Result<OrderReport> SwapGateway::cancel_order(const OrderRef& ref) {
  Result<OrderReport> cancelled = latch_.call(sender_, bingx::cancel_order(ref), [](const HttpResponse& response) {
    return parse_order(response, Operation::mutation);
  });
  if (cancelled || !order_already_final(cancelled.error())) return cancelled;
  Result<OrderReport> state = latch_.checked(find_order(ref));
  if (state && is_final(state->status)) return state;
  return cancelled;
}

Result<OrderReport> SwapGateway::query_order(const OrderRef& ref) {
  if (latch_.refused()) return *latch_.refused();
  return latch_.checked(find_order(ref));
}

Result<OrderReport> SwapGateway::find_order(const OrderRef& ref) {
  Result<HttpResponse> response = send(sender_, bingx::query_order(ref));
  if (!response) return response.error();
  return parse_order(*response, Operation::read);
}

Result<std::vector<OrderReport>> SwapGateway::open_orders(std::string_view symbol) {
  return latch_.call(sender_, bingx::open_orders(symbol), parse_open_orders);
}

Result<std::vector<OrderReport>> SwapGateway::cancel_open_orders(std::string_view symbol) {
  Result<std::vector<OrderReport>> cancelled = latch_.call(sender_, cancel_all_orders(symbol), parse_cancel_all);
  if (cancelled && cancelled->empty()) {
    return make_error(ErrorCode::order_not_found, fmt::format("bingx had no open order on {} to cancel", symbol));
  }
  return cancelled;
}

Result<std::vector<AccountTrade>> SwapGateway::fills(std::string_view symbol, std::optional<std::string_view> order_id,
                                                     int page_size) {
  if (latch_.refused()) return *latch_.refused();
  Result<std::int64_t> now = server_time_ms();
  if (!now) return now.error();
  Result<std::vector<AccountTrade>> trades = latch_.call(
      sender_, fill_history(symbol, order_id, std::max<std::int64_t>(0, *now - kFillWindowMs), *now, page_size),
      parse_fills);
  if (!trades) return trades;
  std::stable_sort(trades->begin(), trades->end(),
                   [](const AccountTrade& a, const AccountTrade& b) { return a.time_ms < b.time_ms; });
  return trades;
}

Result<std::vector<AccountTrade>> SwapGateway::order_trades(std::string_view symbol, std::string_view order_id) {
  return fills(symbol, order_id, kMaxFillPage);
}

Result<std::vector<AccountTrade>> SwapGateway::recent_trades(std::string_view symbol, std::size_t limit) {
  if (limit == 0 || limit > static_cast<std::size_t>(kMaxFillPage)) {
    return make_error(ErrorCode::invalid_argument, fmt::format("recent trades limit must be in 1..{}", kMaxFillPage));
  }
  return fills(symbol, std::nullopt, static_cast<int>(limit));
}

Result<std::vector<Balance>> SwapGateway::balances() { return latch_.call(sender_, balance(), parse_balances); }

Result<std::vector<Position>> SwapGateway::positions(std::string_view symbol) {
  Result<std::vector<Position>> listed = latch_.call(sender_, bingx::positions(symbol), parse_positions);
  if (!listed) return listed;
  std::erase_if(*listed, [&](const Position& position) { return position.symbol != symbol; });
  return listed;
}

Result<CancelReplaceReport> SwapGateway::cancel_replace(const CancelReplace& replace) {
  return latch_.call(
      sender_, bingx::cancel_replace(replace), [&](const HttpResponse& response) -> Result<CancelReplaceReport> {
        Result<CancelReplaceReply> reply = parse_cancel_replace(response);
        if (!reply) return reply.error();
        Result<OrderReport> cancelled =
            reply->cancelled ? Result<OrderReport>(std::move(*reply->cancelled_order))
                             : make_error(ErrorCode::rejected, fmt::format("bingx cancelReplace: the cancel failed: {}",
                                                                           reply->cancel_message.substr(0, 256)));
        Result<OrderReport> replacement =
            reply->replaced ? Result<OrderReport>(acknowledged_order(replace.replacement, std::move(*reply->new_order)))
                            : make_error(ErrorCode::rejected,
                                         fmt::format("bingx cancelReplace: the new order was not placed: {}",
                                                     reply->replace_message.substr(0, 256)));
        return CancelReplaceReport{std::move(cancelled), std::move(replacement)};
      });
}

Result<CancelAllAfterAck> SwapGateway::cancel_all_after(int timeout_s) {
  return latch_.call(sender_, bingx::cancel_all_after(timeout_s), parse_cancel_all_after);
}

}  // namespace cts::venue::bingx
