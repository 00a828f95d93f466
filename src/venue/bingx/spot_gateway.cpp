// BingX spot gateway.
#include "cts/venue/bingx/spot_gateway.hpp"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

#include "cts/core/error.hpp"
#include "cts/venue/acknowledged_order.hpp"
#include "cts/venue/bingx/spot_replies.hpp"
#include "cts/venue/bingx/spot_requests.hpp"

namespace cts::venue::bingx {

Result<Instrument> SpotGateway::instrument(std::string_view symbol) {
  Result<HttpResponse> response = send(sender_, spot_symbols(symbol));
  if (!response) return response.error();
  Result<std::vector<ListedInstrument>> listed = parse_spot_symbols(*response);
  if (!listed) return listed.error();
  return listed_instrument(*listed, symbol, "a spot symbol");
}

Result<BookTicker> SpotGateway::book_ticker(std::string_view symbol) {
  Result<HttpResponse> response = send(sender_, spot_book_ticker(symbol));
  if (!response) return response.error();
  Result<BookTicker> best = parse_spot_book_ticker(*response);
  if (best && best->symbol != symbol) {
    return make_error(ErrorCode::protocol_error,
                      fmt::format("bingx spot bookTicker: asked for {}, answered {}", symbol, best->symbol));
  }
  return best;
}

Result<BookSnapshot> SpotGateway::depth(std::string_view symbol, std::size_t limit) {
  if (limit == 0 || limit > static_cast<std::size_t>(kSpotMaxDepth)) {
    return make_error(ErrorCode::invalid_argument, fmt::format("depth limit must be in 1..{}", kSpotMaxDepth));
  }
  Result<HttpResponse> response = send(sender_, spot_depth(symbol, static_cast<int>(limit)));
  if (!response) return response.error();
  Result<BookSnapshot> book = parse_spot_depth(*response);
  if (!book) return book;
  if (book->bids.size() > limit) book->bids.resize(limit);
  if (book->asks.size() > limit) book->asks.resize(limit);
  return book;
}

Result<OrderReport> SpotGateway::acknowledged(const NewOrder& order, OrderReport booked) {
  if (booked.status == OrderStatus::rejected) {
    return make_error(ErrorCode::rejected, fmt::format("bingx answered order {} FAILED", booked.order_id));
  }
  OrderAck ack;
  ack.order_id = std::move(booked.order_id);
  ack.symbol = std::move(booked.symbol);
  ack.client_order_id = std::move(booked.client_order_id);
  ack.time_ms = booked.time_ms;
  return acknowledged_order(order, std::move(ack));
}

Result<OrderReport> SpotGateway::create_order(const NewOrder& order) {
  return latch_.call(sender_, spot_place_order(order), [&](const HttpResponse& response) -> Result<OrderReport> {
    Result<OrderReport> booked = parse_spot_order(response, Operation::mutation);
    if (!booked) return booked.error();
    return acknowledged(order, std::move(*booked));
  });
}

Result<OrderReport> SpotGateway::cancel_order(const OrderRef& ref) {
  Result<OrderReport> cancelled = latch_.call(sender_, spot_cancel_order(ref), [](const HttpResponse& response) {
    return parse_spot_order(response, Operation::mutation);
  });
  if (cancelled) {
    if (cancelled->client_order_id.empty()) cancelled->client_order_id = ref.client_order_id;
    return cancelled;
  }
  if (cancelled.error().code != ErrorCode::order_not_found) return cancelled;
  Result<OrderReport> state = latch_.checked(find_order(ref));
  if (state && is_final(state->status)) return state;
  return cancelled;
}

Result<OrderReport> SpotGateway::query_order(const OrderRef& ref) {
  if (latch_.refused()) return *latch_.refused();
  return latch_.checked(find_order(ref));
}

Result<OrderReport> SpotGateway::find_order(const OrderRef& ref) {
  Result<HttpResponse> response = send(sender_, spot_query_order(ref));
  if (!response) return response.error();
  Result<OrderReport> order = parse_spot_order(*response, Operation::read);
  if (order && order->client_order_id.empty()) order->client_order_id = ref.client_order_id;
  return order;
}

Result<std::vector<OrderReport>> SpotGateway::open_orders(std::string_view symbol) {
  return latch_.call(sender_, spot_open_orders(symbol), parse_spot_open_orders);
}

Result<std::vector<OrderReport>> SpotGateway::cancel_open_orders(std::string_view symbol) {
  Result<std::vector<OrderReport>> cancelled =
      latch_.call(sender_, spot_cancel_open_orders(symbol), parse_spot_cancel_open_orders);
  if (cancelled && cancelled->empty()) {
    return make_error(ErrorCode::order_not_found, fmt::format("bingx had no open spot order on {} to cancel", symbol));
  }
  return cancelled;
}

Result<std::vector<AccountTrade>> SpotGateway::trades(std::string_view symbol,
                                                      std::optional<std::string_view> order_id, int limit) {
  Result<std::vector<AccountTrade>> listed =
      latch_.call(sender_, spot_my_trades(symbol, order_id, limit), parse_spot_trades);
  if (!listed) return listed;
  std::stable_sort(listed->begin(), listed->end(),
                   [](const AccountTrade& a, const AccountTrade& b) { return a.time_ms < b.time_ms; });
  return listed;
}

Result<std::vector<AccountTrade>> SpotGateway::order_trades(std::string_view symbol, std::string_view order_id) {
  return trades(symbol, order_id, kSpotMaxTrades);
}

Result<std::vector<AccountTrade>> SpotGateway::recent_trades(std::string_view symbol, std::size_t limit) {
  if (limit == 0 || limit > static_cast<std::size_t>(kSpotMaxTrades)) {
    return make_error(ErrorCode::invalid_argument, fmt::format("recent trades limit must be in 1..{}", kSpotMaxTrades));
  }
  return trades(symbol, std::nullopt, static_cast<int>(limit));
}

Result<std::vector<Balance>> SpotGateway::balances() {
  return latch_.call(sender_, spot_balance(), parse_spot_balances);
}

Result<CancelReplaceReport> SpotGateway::cancel_replace(const CancelReplace& replace) {
  return latch_.call(
      sender_, spot_cancel_replace(replace), [&](const HttpResponse& response) -> Result<CancelReplaceReport> {
        Result<SpotCancelReplaceReply> reply = parse_spot_cancel_replace(response);
        if (!reply) return reply.error();
        if (reply->cancelled && reply->cancelled->client_order_id.empty()) {
          reply->cancelled->client_order_id = replace.cancel.client_order_id;
        }
        Result<OrderReport> replacement =
            reply->opened ? acknowledged(replace.replacement, std::move(*reply->opened)) : reply->opened.error();
        return CancelReplaceReport{std::move(reply->cancelled), std::move(replacement)};
      });
}

Result<CancelAllAfterAck> SpotGateway::cancel_all_after(int timeout_s) {
  return latch_.call(sender_, spot_cancel_all_after(timeout_s), parse_spot_cancel_all_after);
}

}  // namespace cts::venue::bingx
