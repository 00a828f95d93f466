// Tests for cts/venue/bybit/errors.hpp (retCode → the unified taxonomy, through the
// reply envelope), rate_limit.hpp (the X-Bapi-Limit headers as limiter feedback) and
// capabilities.hpp. Codes and texts are the ones of Bybit's v5 error.mdx and
// rate-limit.mdx.
#include <cts/venue/binance/capabilities.hpp>
#include <cts/venue/bybit/capabilities.hpp>
#include <cts/venue/bybit/errors.hpp>
#include <cts/venue/bybit/orders.hpp>
#include <cts/venue/bybit/rate_limit.hpp>
#include <cts/venue/bybit/requests.hpp>

#include <chrono>
#include <string>

#include <doctest/doctest.h>

#include <cts/batch/capability.hpp>
#include <cts/rate/policies/bybit.hpp>

#include "support.hpp"

using cts::ErrorCode;
using cts::venue::Operation;
using cts_test::response;
namespace bybit = cts::venue::bybit;

namespace {
cts::Error error_of(int status, std::string body) {
  const auto r = bybit::parse_order_ack(response(status, std::move(body)));
  REQUIRE_FALSE(r.has_value());
  return r.error();
}
std::string envelope(long code, std::string_view message) {
  return fmt::format(R"({{"retCode":{},"retMsg":"{}","result":{{}},"retExtInfo":{{}},"time":1672211918471}})", code,
                     message);
}
}  // namespace

TEST_CASE("bybit retCode: the unified code, Bybit's code and message kept") {
  const cts::Error balance = error_of(200, envelope(110007, "Available balance is insufficient"));
  CHECK(balance.code == ErrorCode::insufficient_funds);
  CHECK(balance.venue_code == "110007");
  CHECK(balance.message == "bybit 110007: Available balance is insufficient");

  // rate-limit.mdx: "retCode": 10006, "retMsg": "Too many visits!"
  const cts::Error visits = error_of(200, envelope(10006, "Too many visits!"));
  CHECK(visits.code == ErrorCode::rate_limited);
  CHECK(visits.venue_code == "10006");
  // The code is also the rate policy's throttle code.
  CHECK(cts::rate::kBybitPolicy.throttle_codes[0] == visits.venue_code);

  struct Case {
    long code;
    ErrorCode mutation;
    ErrorCode read;
  };
  for (const Case c : {Case{10002, ErrorCode::timestamp_out_of_window, ErrorCode::timestamp_out_of_window},
                       Case{-1, ErrorCode::timestamp_out_of_window, ErrorCode::timestamp_out_of_window},
                       Case{10004, ErrorCode::invalid_signature, ErrorCode::invalid_signature},
                       Case{10003, ErrorCode::auth_failed, ErrorCode::auth_failed},
                       Case{10005, ErrorCode::auth_failed, ErrorCode::auth_failed},
                       Case{10010, ErrorCode::auth_failed, ErrorCode::auth_failed},
                       Case{10016, ErrorCode::unknown_outcome, ErrorCode::venue_unavailable},
                       Case{10000, ErrorCode::unknown_outcome, ErrorCode::venue_unavailable},
                       Case{170146, ErrorCode::unknown_outcome, ErrorCode::venue_unavailable},
                       Case{10001, ErrorCode::invalid_argument, ErrorCode::invalid_argument},
                       Case{110094, ErrorCode::invalid_argument, ErrorCode::invalid_argument},
                       Case{170136, ErrorCode::invalid_argument, ErrorCode::invalid_argument},
                       Case{110072, ErrorCode::duplicate_client_order_id, ErrorCode::duplicate_client_order_id},
                       Case{170141, ErrorCode::duplicate_client_order_id, ErrorCode::duplicate_client_order_id},
                       Case{110001, ErrorCode::order_not_found, ErrorCode::order_not_found},
                       Case{170213, ErrorCode::order_not_found, ErrorCode::order_not_found},
                       Case{170131, ErrorCode::insufficient_funds, ErrorCode::insufficient_funds},
                       Case{110008, ErrorCode::rejected, ErrorCode::rejected},
                       Case{170218, ErrorCode::rejected, ErrorCode::rejected},
                       Case{10017, ErrorCode::unsupported, ErrorCode::unsupported},
                       Case{999999, ErrorCode::unknown_outcome, ErrorCode::protocol_error}}) {
    INFO(c.code);
    CHECK(bybit::map_ret_code(c.code, Operation::mutation) == c.mutation);
    CHECK(bybit::map_ret_code(c.code, Operation::read) == c.read);
  }
}

TEST_CASE("bybit HTTP errors: 403 is the IP limit, 5xx on a mutation is an unknown outcome") {
  CHECK(error_of(403, "access too frequent").code == ErrorCode::rate_limited);
  CHECK(error_of(429, "").code == ErrorCode::rate_limited);
  CHECK(error_of(502, "<html>bad gateway</html>").code == ErrorCode::unknown_outcome);
  CHECK(error_of(401, "").code == ErrorCode::auth_failed);
  // A retCode in a non-2xx reply still names the cause.
  CHECK(error_of(400, envelope(10001, "Request parameter error")).code == ErrorCode::invalid_argument);
  const auto read = bybit::parse_orders(response(503, ""));
  REQUIRE_FALSE(read.has_value());
  CHECK(read.error().code == ErrorCode::venue_unavailable);
}

TEST_CASE("bybit rate-limit headers: the documented example, and malformed values") {
  // rate-limit.mdx response header example.
  cts::HttpResponse r = response(200, "{}");
  r.set_header("X-Bapi-Limit", "10");
  r.set_header("X-Bapi-Limit-Status", "9");
  r.set_header("X-Bapi-Limit-Reset-Timestamp", "1672738134824");
  const auto status = bybit::parse_rate_limit_headers(r);
  REQUIRE(status.has_value());
  REQUIRE(status->has_value());
  CHECK((*status)->limit == 10);
  CHECK((*status)->remaining == 9);
  CHECK((*status)->reset_time_ms == 1672738134824);
  CHECK_FALSE((*status)->exhausted());
  CHECK((*status)->used_of(10) == 1);
  CHECK((*status)->used_of(20) == 11);
  CHECK((*status)->used_of(5) == 0);

  CHECK_FALSE(bybit::parse_rate_limit_headers(response(200, "{}"))->has_value());
  r.set_header("X-Bapi-Limit-Status", "nine");
  const auto bad = bybit::parse_rate_limit_headers(r);
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().code == ErrorCode::protocol_error);
  CHECK(bad.error().message.find("X-Bapi-Limit-Status") != std::string::npos);
}

TEST_CASE("bybit rate-limit headers feed the limiter: remaining requests bound the endpoint's pool") {
  using namespace std::chrono_literals;
  cts::rate::Limiter limiter(cts::rate::kBybitPolicy);
  const auto cost = cts::rate::kBybitPolicy.cost("POST /v5/order/amend").value();
  const cts::SteadyTime now{std::chrono::seconds{100}};
  const cts::SystemTime wall{std::chrono::milliseconds{1672738134000}};
  // 10 per second allowed locally; the venue says 2 remain: at most 2 more now.
  const bybit::RateLimitStatus two_left{10, 2, 1672738134000};
  CHECK(bybit::apply_rate_limit_status(limiter, cost, two_left, now, wall) == cts::Nanos::zero());
  CHECK(limiter.try_acquire(cost, now).admitted());
  CHECK(limiter.try_acquire(cost, now).admitted());
  CHECK_FALSE(limiter.try_acquire(cost, now).admitted());

  // Exhausted: hold the endpoint until the reset, 824 ms ahead.
  cts::rate::Limiter fresh(cts::rate::kBybitPolicy);
  const bybit::RateLimitStatus none_left{10, 0, 1672738134824};
  CHECK(bybit::apply_rate_limit_status(fresh, cost, none_left, now, wall) == std::chrono::milliseconds{824});
  CHECK_FALSE(fresh.try_acquire(cost, now).admitted());
}

TEST_CASE("capabilities: Bybit spot and linear, Binance spot, as their documentation states") {
  const auto& spot = bybit::capabilities(bybit::Category::spot);
  const auto& linear = bybit::capabilities(bybit::Category::linear);
  CHECK(spot.venue == cts::VenueId::bybit);
  CHECK(spot.batch_create_max == 10);
  CHECK(linear.batch_create_max == 20);
  CHECK(linear.batch_cancel_max == 20);
  CHECK(spot.amend == cts::venue::AmendSupport::price_and_quantity);
  CHECK(spot.websocket_order_entry);
  CHECK_FALSE(spot.has_positions());
  CHECK(linear.one_way_positions);
  CHECK(linear.hedge_positions);
  CHECK(linear.self_trade_prevention.size() == 4);
  CHECK(linear.self_trade_prevention[1] == "CancelMaker");
  CHECK(linear.private_stream_login == cts::venue::PrivateStreamLogin::signed_request);
  CHECK(linear.test_environment_lacks[0] == "the trade WebSocket (/v5/trade)");
  // The batch processor's table (cts/batch/capability.hpp) holds the same documented sizes.
  namespace b = cts::batch;
  CHECK(b::capability(cts::VenueId::bybit, b::Category::spot, b::Operation::place).max_per_batch ==
        spot.batch_create_max);
  CHECK(b::capability(cts::VenueId::bybit, b::Category::spot, b::Operation::cancel).max_per_batch ==
        spot.batch_cancel_max);
  CHECK(b::capability(cts::VenueId::bybit, b::Category::linear, b::Operation::place).max_per_batch ==
        linear.batch_create_max);
  CHECK(b::capability(cts::VenueId::bybit, b::Category::linear, b::Operation::amend).max_per_batch ==
        linear.batch_amend_max);

  const auto& binance = cts::venue::binance::kSpotCapabilities;
  CHECK(binance.venue == cts::VenueId::binance_spot);
  CHECK_FALSE(binance.has_batch_create());
  CHECK(binance.amend == cts::venue::AmendSupport::quantity_down);
  CHECK(binance.cancel_all);
  CHECK_FALSE(binance.cancel_all_after);
  CHECK(binance.self_trade_prevention.size() == 4);
}
