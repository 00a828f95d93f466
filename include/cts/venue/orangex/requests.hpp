#pragma once
/// \file
/// OrangeX request builders (sans-I/O): each returns a cts::venue::Request holding one
/// JSON-RPC call (rpc.hpp) POSTed to `/api/v1<method>`, with the method as the endpoint
/// name the rate policy (cts/rate/policies/orangex.hpp) prices. Private calls are
/// `Security::signed_`: the OrangexSigner adds `Authorization: bearer <access_token>`
/// (the SDK's signature.py); the token comes from auth_request() (the gateway logs in).
///
/// Verified against the official SDK (OrangeX-Global/orangex-api-python): the envelope,
/// the POST to base + method, `/public/auth` with grant_type client_signature (client_id,
/// timestamp, nonce, signature) and refresh_token, `/public/get_order_book` with
/// instrument_name and depth, instrument names like "BTC-USDT-PERPETUAL". Assumed from
/// Deribit's API, whose dialect OrangeX speaks (docs/venues.md): every other method name
/// and its params; decimals are sent as JSON strings (exact).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "cts/core/client_order_id.hpp"
#include "cts/core/result.hpp"
#include "cts/sign/orangex.hpp"
#include "cts/venue/orangex/rpc.hpp"
#include "cts/venue/types.hpp"

namespace cts::venue::orangex {

/// The methods the connector calls (also the rate policy's endpoint names).
namespace method {
inline constexpr std::string_view auth = "/public/auth";                        ///< Token (SDK).
inline constexpr std::string_view get_time = "/public/get_time";                ///< Server time (ms).
inline constexpr std::string_view get_instrument = "/public/get_instrument";    ///< One instrument.
inline constexpr std::string_view get_order_book = "/public/get_order_book";    ///< Depth (SDK).
inline constexpr std::string_view ticker = "/public/ticker";                    ///< Best bid/ask, last.
inline constexpr std::string_view buy = "/private/buy";                         ///< Buy order.
inline constexpr std::string_view sell = "/private/sell";                       ///< Sell order.
inline constexpr std::string_view edit = "/private/edit";                       ///< Amend.
inline constexpr std::string_view cancel = "/private/cancel";                   ///< Cancel one.
inline constexpr std::string_view cancel_all_by_instrument = "/private/cancel_all_by_instrument";  ///< Cancel all.
inline constexpr std::string_view get_open_orders_by_instrument = "/private/get_open_orders_by_instrument";  ///< Open.
inline constexpr std::string_view get_order_state = "/private/get_order_state";  ///< One order by id.
inline constexpr std::string_view get_order_state_by_label = "/private/get_order_state_by_label";  ///< By label.
inline constexpr std::string_view get_user_trades_by_order = "/private/get_user_trades_by_order";  ///< An order's fills.
inline constexpr std::string_view get_user_trades_by_instrument =
    "/private/get_user_trades_by_instrument";  ///< Recent fills.
inline constexpr std::string_view get_account_summary = "/private/get_account_summary";  ///< Balances.
inline constexpr std::string_view get_position = "/private/get_position";              ///< One position.
}  // namespace method

/// Largest `depth` of /public/get_order_book the connector asks for (an assumption:
/// the SDK asks 20).
inline constexpr int kMaxBookDepth = 100;
/// Largest `count` of /private/get_user_trades_by_instrument (Deribit's limit).
inline constexpr int kMaxTradesCount = 1000;

namespace detail {

/// The Request carrying `body` (a call begun by begin_call(), params open) to `name`.
inline Request finish_call(JsonBody body, std::string_view name, Security security, bool mutation) {
  body.end_object().end_object();
  Request request;
  request.venue = VenueId::orangex;
  request.endpoint = name;
  request.security = security;
  request.mutation = mutation;
  request.order_count = mutation ? 1 : 0;
  request.http.method = HttpMethod::post;
  request.http.path = fmt::format("{}{}", kPathPrefix, name);
  request.http.body = std::move(body).take();
  request.http.headers.push_back({"Content-Type", "application/json"});
  return request;
}

/// invalid_argument unless `symbol` is a plausible instrument name (1..64 bytes).
inline Result<void> check_symbol(std::string_view symbol) {
  if (symbol.empty() || symbol.size() > 64) {
    return make_error(ErrorCode::invalid_argument, "orangex: instrument_name must be 1 to 64 bytes");
  }
  return {};
}

/// invalid_argument unless `id` is a venue order id (1..64 bytes).
inline Result<void> check_order_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return make_error(ErrorCode::invalid_argument, "orangex: order_id must be 1 to 64 bytes");
  return {};
}

}  // namespace detail

/// `/public/auth` with grant_type client_signature and the signer's `params` (SDK:
/// client_id, nonce, timestamp as a string, signature). The body carries the
/// signature: never log it.
inline Request auth_request(std::int64_t id, const sign::OrangexAuthParams& params) {
  JsonBody body = begin_call(id, method::auth);
  body.string("grant_type", "client_signature")
      .string("client_id", params.client_id)
      .string("nonce", params.nonce)
      .string("timestamp", std::to_string(params.timestamp_ms))
      .string("signature", params.signature);
  return detail::finish_call(std::move(body), method::auth, Security::none, false);
}

/// The text of auth_request() signed by `signer` for `venue_now` (the venue's clock): the
/// frame that logs a WebSocket connection in (the private stream, order entry). It
/// carries the client id and a signature: never log it.
inline std::string auth_frame(std::int64_t id, const sign::OrangexSigner& signer, SystemTime venue_now) {
  sign::SigningContext context;
  context.now = venue_now;
  return auth_request(id, signer.auth_params(context)).http.body;
}

/// `/public/auth` with grant_type refresh_token (SDK, rest_auth_test.py). The body
/// carries the refresh token: never log it.
inline Request refresh_request(std::int64_t id, std::string_view refresh_token) {
  JsonBody body = begin_call(id, method::auth);
  body.string("grant_type", "refresh_token").string("refresh_token", refresh_token);
  return detail::finish_call(std::move(body), method::auth, Security::none, false);
}

/// `/public/get_time` (result: ms since the epoch).
inline Request server_time_request(std::int64_t id) {
  return detail::finish_call(begin_call(id, method::get_time), method::get_time, Security::none, false);
}

/// `/public/get_instrument` {instrument_name}.
inline Result<Request> instrument_request(std::int64_t id, std::string_view symbol) {
  if (auto bad = detail::check_symbol(symbol); !bad) return bad.error();
  JsonBody body = begin_call(id, method::get_instrument);
  body.string("instrument_name", symbol);
  return detail::finish_call(std::move(body), method::get_instrument, Security::none, false);
}

/// `/public/get_order_book` {instrument_name, depth} (SDK). invalid_argument for a depth
/// outside 1..kMaxBookDepth.
inline Result<Request> order_book_request(std::int64_t id, std::string_view symbol, int depth) {
  if (auto bad = detail::check_symbol(symbol); !bad) return bad.error();
  if (depth < 1 || depth > kMaxBookDepth) {
    return make_error(ErrorCode::invalid_argument, fmt::format("orangex: depth must be in 1..{}", kMaxBookDepth));
  }
  JsonBody body = begin_call(id, method::get_order_book);
  body.string("instrument_name", symbol).integer("depth", depth);
  return detail::finish_call(std::move(body), method::get_order_book, Security::none, false);
}

/// `/public/ticker` {instrument_name}.
inline Result<Request> ticker_request(std::int64_t id, std::string_view symbol) {
  if (auto bad = detail::check_symbol(symbol); !bad) return bad.error();
  JsonBody body = begin_call(id, method::ticker);
  body.string("instrument_name", symbol);
  return detail::finish_call(std::move(body), method::ticker, Security::none, false);
}

/// `/private/buy` or `/private/sell` {instrument_name, amount, type, price,
/// time_in_force, post_only, reduce_only, label}. Limit and market orders only
/// (unsupported otherwise); a limit order needs a price and a market order has none;
/// post-only is time_in_force good_til_cancelled with post_only true. Errors
/// (invalid_argument): a non-positive amount or price, a missing or extra price, a
/// client order id that is not a valid label.
inline Result<Request> new_order_request(std::int64_t id, const NewOrder& order) {
  if (auto bad = detail::check_symbol(order.symbol); !bad) return bad.error();
  if (order.type != OrderType::limit && order.type != OrderType::market) {
    return make_error(ErrorCode::unsupported, "orangex: only limit and market orders are supported");
  }
  if (!order.quantity.is_positive()) return make_error(ErrorCode::invalid_argument, "orangex: amount must be positive");
  if (order.type == OrderType::limit && (!order.price || !order.price->is_positive())) {
    return make_error(ErrorCode::invalid_argument, "orangex: a limit order needs a positive price");
  }
  if (order.type == OrderType::market && order.price) {
    return make_error(ErrorCode::invalid_argument, "orangex: a market order takes no price");
  }
  if (order.trigger_price) return make_error(ErrorCode::invalid_argument, "orangex: trigger prices are not supported");
  if (auto bad = validate_client_order_id(VenueId::orangex, order.client_order_id); !bad) return bad.error();
  const std::string_view name = order.side == Side::buy ? method::buy : method::sell;
  JsonBody body = begin_call(id, name);
  body.string("instrument_name", order.symbol).decimal("amount", order.quantity);
  body.string("type", order.type == OrderType::limit ? "limit" : "market");
  if (order.price) body.decimal("price", *order.price);
  if (order.type == OrderType::limit) {
    std::string_view tif = "good_til_cancelled";
    if (order.time_in_force == TimeInForce::ioc) tif = "immediate_or_cancel";
    if (order.time_in_force == TimeInForce::fok) tif = "fill_or_kill";
    body.string("time_in_force", tif).boolean("post_only", order.time_in_force == TimeInForce::post_only);
  }
  body.boolean("reduce_only", order.reduce_only).string("label", order.client_order_id);
  return detail::finish_call(std::move(body), name, Security::signed_, true);
}

/// `/private/cancel` {order_id}. invalid_argument without a venue order id (cancel by
/// label is not offered: query_order first).
inline Result<Request> cancel_request(std::int64_t id, const OrderRef& ref) {
  if (!ref.order_id) return make_error(ErrorCode::invalid_argument, "orangex: cancel needs the venue order id");
  if (auto bad = detail::check_order_id(*ref.order_id); !bad) return bad.error();
  JsonBody body = begin_call(id, method::cancel);
  body.string("order_id", *ref.order_id);
  return detail::finish_call(std::move(body), method::cancel, Security::signed_, true);
}

/// `/private/cancel_all_by_instrument` {instrument_name} (result: the number cancelled).
inline Result<Request> cancel_all_request(std::int64_t id, std::string_view symbol) {
  if (auto bad = detail::check_symbol(symbol); !bad) return bad.error();
  JsonBody body = begin_call(id, method::cancel_all_by_instrument);
  body.string("instrument_name", symbol);
  return detail::finish_call(std::move(body), method::cancel_all_by_instrument, Security::signed_, true);
}

/// `/private/edit` {order_id, amount, price}: both are required (Deribit's edit takes
/// the new total amount and price). invalid_argument otherwise.
inline Result<Request> edit_request(std::int64_t id, const OrderAmendment& amendment) {
  if (!amendment.order.order_id) return make_error(ErrorCode::invalid_argument, "orangex: edit needs the venue order id");
  if (auto bad = detail::check_order_id(*amendment.order.order_id); !bad) return bad.error();
  if (!amendment.quantity || !amendment.price || !amendment.quantity->is_positive() || !amendment.price->is_positive()) {
    return make_error(ErrorCode::invalid_argument, "orangex: edit needs a positive amount and price");
  }
  if (amendment.trigger_price) return make_error(ErrorCode::invalid_argument, "orangex: trigger prices are not supported");
  JsonBody body = begin_call(id, method::edit);
  body.string("order_id", *amendment.order.order_id).decimal("amount", *amendment.quantity).decimal("price", *amendment.price);
  return detail::finish_call(std::move(body), method::edit, Security::signed_, true);
}

/// `/private/get_open_orders_by_instrument` {instrument_name}.
inline Result<Request> open_orders_request(std::int64_t id, std::string_view symbol) {
  if (auto bad = detail::check_symbol(symbol); !bad) return bad.error();
  JsonBody body = begin_call(id, method::get_open_orders_by_instrument);
  body.string("instrument_name", symbol);
  return detail::finish_call(std::move(body), method::get_open_orders_by_instrument, Security::signed_, false);
}

/// `/private/get_order_state` {order_id} when `ref` names the venue id, else
/// `/private/get_order_state_by_label` {instrument_name, label} (result: the orders with
/// that label). invalid_argument when it names neither.
inline Result<Request> order_state_request(std::int64_t id, const OrderRef& ref) {
  if (ref.order_id) {
    if (auto bad = detail::check_order_id(*ref.order_id); !bad) return bad.error();
    JsonBody body = begin_call(id, method::get_order_state);
    body.string("order_id", *ref.order_id);
    return detail::finish_call(std::move(body), method::get_order_state, Security::signed_, false);
  }
  if (auto bad = validate_client_order_id(VenueId::orangex, ref.client_order_id); !bad) return bad.error();
  if (auto bad = detail::check_symbol(ref.symbol); !bad) return bad.error();
  JsonBody body = begin_call(id, method::get_order_state_by_label);
  body.string("instrument_name", ref.symbol).string("label", ref.client_order_id);
  return detail::finish_call(std::move(body), method::get_order_state_by_label, Security::signed_, false);
}

/// `/private/get_user_trades_by_order` {order_id}.
inline Result<Request> order_trades_request(std::int64_t id, std::string_view order_id) {
  if (auto bad = detail::check_order_id(order_id); !bad) return bad.error();
  JsonBody body = begin_call(id, method::get_user_trades_by_order);
  body.string("order_id", order_id);
  return detail::finish_call(std::move(body), method::get_user_trades_by_order, Security::signed_, false);
}

/// `/private/get_user_trades_by_instrument` {instrument_name, count, sorting "desc"}:
/// the newest `count` (1..kMaxTradesCount; invalid_argument outside).
inline Result<Request> recent_trades_request(std::int64_t id, std::string_view symbol, int count) {
  if (auto bad = detail::check_symbol(symbol); !bad) return bad.error();
  if (count < 1 || count > kMaxTradesCount) {
    return make_error(ErrorCode::invalid_argument, fmt::format("orangex: count must be in 1..{}", kMaxTradesCount));
  }
  JsonBody body = begin_call(id, method::get_user_trades_by_instrument);
  body.string("instrument_name", symbol).integer("count", count).string("sorting", "desc");
  return detail::finish_call(std::move(body), method::get_user_trades_by_instrument, Security::signed_, false);
}

/// `/private/get_account_summary` {currency}.
inline Result<Request> account_summary_request(std::int64_t id, std::string_view currency) {
  if (currency.empty() || currency.size() > 16) {
    return make_error(ErrorCode::invalid_argument, "orangex: currency must be 1 to 16 bytes");
  }
  JsonBody body = begin_call(id, method::get_account_summary);
  body.string("currency", currency);
  return detail::finish_call(std::move(body), method::get_account_summary, Security::signed_, false);
}

/// `/private/get_position` {instrument_name}.
inline Result<Request> position_request(std::int64_t id, std::string_view symbol) {
  if (auto bad = detail::check_symbol(symbol); !bad) return bad.error();
  JsonBody body = begin_call(id, method::get_position);
  body.string("instrument_name", symbol);
  return detail::finish_call(std::move(body), method::get_position, Security::signed_, false);
}

}  // namespace cts::venue::orangex
