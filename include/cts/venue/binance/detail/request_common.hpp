#pragma once
/// \file
/// Internal: what the spot and USD-M request builders share: request assembly, order
/// validation, order references and Binance's enum spellings.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "cts/core/error.hpp"
#include "cts/core/result.hpp"
#include "cts/venue/binance/query.hpp"
#include "cts/venue/types.hpp"

namespace cts::venue::binance::detail {

/// Assembles a Request; every parameter travels in the query string (Binance accepts
/// that for every method, and the signer appends timestamp and signature to it).
inline Request make_request(VenueId venue, HttpMethod method, std::string_view path, std::string_view endpoint,
                            Security security, int weight, int order_count, bool mutation, std::string query = {}) {
  Request request;
  request.http.method = method;
  request.http.path.assign(path);
  request.http.query = std::move(query);
  request.venue = venue;
  request.endpoint = endpoint;
  request.security = security;
  request.weight = weight;
  request.order_count = order_count;
  request.mutation = mutation;
  return request;
}

/// "BUY" or "SELL".
constexpr std::string_view side_name(Side side) noexcept { return side == Side::buy ? "BUY" : "SELL"; }

/// Checks a client order id against Binance's rule `^[\.A-Z\:/a-z0-9_-]{1,36}$`.
inline Result<void> check_client_order_id(std::string_view id, std::string_view field) {
  if (id.empty() || id.size() > 36) {
    return make_error(ErrorCode::invalid_argument, fmt::format("{} must have 1 to 36 characters", field));
  }
  for (const char c : id) {
    const bool allowed = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
                         c == ':' || c == '/' || c == '_' || c == '-';
    if (!allowed) {
      return make_error(ErrorCode::invalid_argument,
                        fmt::format("{} may only hold letters, digits and . : / _ -", field));
    }
  }
  return {};
}

/// Checks a venue order id has Binance's form: 1 to 20 decimal digits (an orderId is a
/// 64-bit integer, sent as the venue wrote it).
inline Result<void> check_order_id(std::string_view id) {
  if (id.empty() || id.size() > 20) return make_error(ErrorCode::invalid_argument, "orderId must have 1 to 20 digits");
  for (const char c : id) {
    if (c < '0' || c > '9') return make_error(ErrorCode::invalid_argument, "orderId may only hold digits");
  }
  return {};
}

/// Checks a symbol is non-empty.
inline Result<void> check_symbol(std::string_view symbol) {
  if (symbol.empty()) return make_error(ErrorCode::invalid_argument, "symbol is empty");
  return {};
}

/// A public GET carrying `symbol=<symbol>` and, when given, `limit=<limit>`; the limit
/// is also the cost parameter (depth weight depends on it). invalid_argument for an
/// empty symbol.
inline Result<Request> symbol_query(VenueId venue, std::string_view path, std::string_view endpoint, int weight,
                                    std::string_view symbol, std::optional<int> limit = std::nullopt) {
  if (auto r = check_symbol(symbol); !r) return r.error();
  QueryBuilder query;
  query.add("symbol", symbol);
  if (limit) query.add_integer("limit", *limit);
  Request request = make_request(venue, HttpMethod::get, path, endpoint, Security::none, weight, 0, false,
                                 std::move(query).take());
  if (limit) request.cost_param = static_cast<std::uint32_t>(*limit);
  return request;
}

/// Checks the fields every venue needs: symbol, positive quantity, client id, and that
/// price and trigger price are present exactly when the type needs them (and positive).
inline Result<void> check_new_order(const NewOrder& order) {
  if (auto r = check_symbol(order.symbol); !r) return r;
  if (!order.quantity.is_positive()) return make_error(ErrorCode::invalid_argument, "quantity must be positive");
  if (auto r = check_client_order_id(order.client_order_id, "client_order_id"); !r) return r;
  if (has_limit_price(order.type) != order.price.has_value()) {
    return make_error(ErrorCode::invalid_argument,
                      fmt::format("a {} order {} a price", order.type, order.price ? "takes no" : "needs"));
  }
  if (order.price && !order.price->is_positive()) return make_error(ErrorCode::invalid_argument, "price must be positive");
  if (has_trigger_price(order.type) != order.trigger_price.has_value()) {
    return make_error(ErrorCode::invalid_argument,
                      fmt::format("a {} order {} a trigger price", order.type, order.trigger_price ? "takes no" : "needs"));
  }
  if (order.trigger_price && !order.trigger_price->is_positive()) {
    return make_error(ErrorCode::invalid_argument, "trigger price must be positive");
  }
  return {};
}

/// Adds `symbol` and `orderId` or `origClientOrderId` (the venue id when both are set).
inline Result<void> add_order_ref(QueryBuilder& query, const OrderRef& ref) {
  if (auto r = check_symbol(ref.symbol); !r) return r;
  query.add("symbol", ref.symbol);
  if (ref.order_id) {
    if (auto r = check_order_id(*ref.order_id); !r) return r;
    query.add("orderId", *ref.order_id);
    return {};
  }
  if (ref.client_order_id.empty()) {
    return make_error(ErrorCode::invalid_argument, "an order reference needs an order id or a client order id");
  }
  if (auto r = check_client_order_id(ref.client_order_id, "client_order_id"); !r) return r;
  query.add("origClientOrderId", ref.client_order_id);
  return {};
}

}  // namespace cts::venue::binance::detail
