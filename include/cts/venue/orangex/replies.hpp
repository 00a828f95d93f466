#pragma once
/// \file
/// OrangeX reply parsers (sans-I/O): the `result` of each call the connector makes
/// (requests.hpp) into the unified types. Every parser takes the call's id and refuses a
/// reply to another id (rpc.hpp). Unknown members are skipped; a missing required
/// member, a wrong JSON type, an unknown enum word or an inexact decimal is
/// protocol_error naming the reply and the member.
///
/// Verified against the official SDK (OrangeX-Global/orangex-api-python): the auth
/// result's access_token and expires_in (signature.py) and refresh_token
/// (rest_auth_test.py); the order book's version, timestamp, bids and asks as
/// [price, amount] pairs (websocket_client.py). Assumed from Deribit's API: every other
/// member name and enum word (docs/venues.md). Decimals are read from JSON strings or
/// JSON numbers alike, exactly.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cts/core/instrument.hpp"
#include "cts/core/result.hpp"
#include "cts/sign/secret.hpp"
#include "cts/venue/json_reader.hpp"
#include "cts/venue/orangex/rpc.hpp"
#include "cts/venue/types.hpp"

namespace cts::venue::orangex {

/// A `/public/auth` result. Holds credentials: never log it.
struct AuthToken {
  sign::Secret access_token;   ///< The bearer token.
  sign::Secret refresh_token;  ///< The token for grant_type refresh_token (may be empty).
  std::int64_t expires_in_s = 0;  ///< Seconds the access token lives.
};

/// The unified status of an order_state word: open (new_ or partially_filled by its
/// filled amount), filled, cancelled, rejected, untriggered (new_). Nothing for others.
std::optional<OrderStatus> order_status(std::string_view state, bool partly_filled) noexcept;

namespace detail {

using cts::venue::detail::FieldReader;
namespace od = simdjson::ondemand;

/// Reads one order object (Deribit's fields: order_id, label, instrument_name,
/// direction, order_type, order_state, time_in_force, post_only, reduce_only, price,
/// amount, filled_amount, average_price, last_update_timestamp).
bool read_order(od::value& value, FieldReader& fields, OrderReport& out);
/// Reads one user trade (trade_id, order_id, instrument_name, direction, price, amount,
/// fee, fee_currency, liquidity "M"/"T", profit_loss, timestamp).
bool read_trade(od::value& value, FieldReader& fields, AccountTrade& out);
/// Reads an account summary (currency, available_funds as free, initial_margin as
/// locked: 0 when absent or null), as `/private/get_account_summary` answers it and the
/// `user.portfolio.<currency>` channel pushes it.
bool read_account_summary(od::value& value, FieldReader& fields, Balance& out);

}  // namespace detail

/// `/public/auth`: access_token, refresh_token, expires_in.
Result<AuthToken> parse_auth(const HttpResponse& response, std::int64_t id, JsonReader& reader = thread_json_reader());
/// `/public/get_time`: ms since the epoch.
Result<std::int64_t> parse_server_time(const HttpResponse& response, std::int64_t id,
                                       JsonReader& reader = thread_json_reader());
/// `/public/get_instrument`: instrument_name, base_currency, quote_currency,
/// settlement_currency, kind ("perpetual" is a linear perpetual, "spot" spot, others
/// refused), tick_size, min_trade_amount (the amount step and minimum), is_active
/// (trading or closed). Amounts are base units (multiplier 1).
Result<ListedInstrument> parse_instrument(const HttpResponse& response, std::int64_t id,
                                          JsonReader& reader = thread_json_reader());
/// `/public/get_order_book`: version, timestamp, bids, asks (the SDK's members).
Result<BookSnapshot> parse_order_book(const HttpResponse& response, std::int64_t id,
                                      JsonReader& reader = thread_json_reader());
/// `/public/ticker`: instrument_name, best_bid_price, best_bid_amount, best_ask_price,
/// best_ask_amount, last_price, mark_price, index_price, timestamp.
Result<Ticker> parse_ticker(const HttpResponse& response, std::int64_t id, JsonReader& reader = thread_json_reader());
/// `/private/buy`, `/private/sell`, `/private/edit`: {order, trades}; the trades become
/// the report's fills.
Result<OrderReport> parse_order_reply(const HttpResponse& response, std::int64_t id, Operation operation,
                                      JsonReader& reader = thread_json_reader());
/// `/private/cancel`, `/private/get_order_state`: one order object.
Result<OrderReport> parse_order(const HttpResponse& response, std::int64_t id, Operation operation,
                                JsonReader& reader = thread_json_reader());
/// `/private/get_open_orders_by_instrument`, `/private/get_order_state_by_label`: an
/// array of orders.
Result<std::vector<OrderReport>> parse_orders(const HttpResponse& response, std::int64_t id,
                                              JsonReader& reader = thread_json_reader());
/// `/private/cancel_all_by_instrument`: the number of orders cancelled.
Result<std::int64_t> parse_cancel_count(const HttpResponse& response, std::int64_t id,
                                        JsonReader& reader = thread_json_reader());
/// `/private/get_user_trades_by_order` (an array) and
/// `/private/get_user_trades_by_instrument` ({trades, has_more}): the trades as listed.
Result<std::vector<AccountTrade>> parse_user_trades(const HttpResponse& response, std::int64_t id,
                                                    JsonReader& reader = thread_json_reader());
/// `/private/get_account_summary`: currency, available_funds (free) and initial_margin
/// (locked, 0 when absent).
Result<Balance> parse_account_summary(const HttpResponse& response, std::int64_t id,
                                      JsonReader& reader = thread_json_reader());
/// `/private/get_position`: instrument_name, size (signed), average_price, mark_price,
/// floating_profit_loss, estimated_liquidation_price (null: none), leverage; one-way.
Result<Position> parse_position(const HttpResponse& response, std::int64_t id,
                                JsonReader& reader = thread_json_reader());

}  // namespace cts::venue::orangex
