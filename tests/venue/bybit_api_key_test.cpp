// Tests for cts/venue/bybit/api_key.hpp and the query-api request builder, on the reply
// printed in Bybit's v5 documentation (tests/fixtures/bybit/api_key_info.json,
// user/apikey-info.mdx) and variations of it: which permission names mean trading spot
// or contracts, and withdrawing, are the ones the page lists (Spot SpotTrade,
// ContractTrade Order, Wallet Withdraw).
#include <cts/rate/venue_policies.hpp>
#include <cts/venue/bybit/api_key.hpp>
#include <cts/venue/bybit/requests.hpp>

#include <algorithm>
#include <string>

#include <doctest/doctest.h>

#include "support.hpp"

using cts::ErrorCode;
using cts_test::bybit_fixture;
using cts_test::bybit_fixture_text;
using cts_test::response;
namespace bybit = cts::venue::bybit;
using bybit::Category;

namespace {

// The fixture with `from` replaced by `to` (which must occur).
std::string fixture_with(std::string_view from, std::string_view to) {
  std::string text = bybit_fixture_text("api_key_info.json");
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  text.replace(at, from.size(), to);
  return text;
}

}  // namespace

TEST_CASE("bybit api key info: the documented read-write key trades spot and contracts and cannot withdraw") {
  for (const Category category : {Category::linear, Category::spot}) {
    const auto permissions = bybit::parse_api_key_info(bybit_fixture("api_key_info.json"), category);
    REQUIRE(permissions.has_value());
    CHECK(permissions->can_trade);
    CHECK_FALSE(permissions->can_withdraw);   // Wallet: AccountTransfer, SubMemberTransfer
    CHECK_FALSE(permissions->read_only);      // readOnly 0
    CHECK_FALSE(permissions->ip_restricted);  // ips ["*"]
    CHECK(permissions->expires_at == "2023-12-22T07:20:25Z");
    REQUIRE(permissions->days_left.has_value());
    CHECK(*permissions->days_left == 66);
    const auto& granted = permissions->granted;
    CHECK(granted.size() == 6);  // Order, Position, SpotTrade, AccountTransfer, SubMemberTransfer, OptionsTrade
    CHECK(std::find(granted.begin(), granted.end(), "ContractTrade:Position") != granted.end());
    CHECK(std::find(granted.begin(), granted.end(), "Wallet:SubMemberTransfer") != granted.end());
  }
}

TEST_CASE("bybit api key info: read-only, withdrawal, IP binding and a market without its trade permission") {
  const auto read_only =
      bybit::parse_api_key_info(response(200, fixture_with(R"("readOnly": 0)", R"("readOnly": 1)")), Category::linear);
  REQUIRE(read_only.has_value());
  CHECK(read_only->read_only);
  CHECK_FALSE(read_only->can_trade);  // the ContractTrade names stay listed; a read-only key cannot use them

  const auto withdraw = bybit::parse_api_key_info(
      response(200, fixture_with(R"("AccountTransfer",)", R"("AccountTransfer", "Withdraw",)")), Category::spot);
  REQUIRE(withdraw.has_value());
  CHECK(withdraw->can_withdraw);
  CHECK(withdraw->can_trade);

  const auto bound = bybit::parse_api_key_info(response(200, fixture_with(R"("*")", R"("192.168.0.1,192.168.0.2")")),
                                               Category::linear);
  REQUIRE(bound.has_value());
  CHECK(bound->ip_restricted);

  const std::string no_spot = fixture_with(R"("SpotTrade")", "");
  const auto spot = bybit::parse_api_key_info(response(200, no_spot), Category::spot);
  REQUIRE(spot.has_value());
  CHECK_FALSE(spot->can_trade);
  const auto linear = bybit::parse_api_key_info(response(200, no_spot), Category::linear);
  REQUIRE(linear.has_value());
  CHECK(linear->can_trade);

  const std::string no_order = fixture_with(R"("Order",)", "");
  const auto contracts = bybit::parse_api_key_info(response(200, no_order), Category::linear);
  REQUIRE(contracts.has_value());
  CHECK_FALSE(contracts->can_trade);  // Position alone does not place orders

  const auto no_expiry = bybit::parse_api_key_info(
      response(200, fixture_with(R"("expiredAt": "2023-12-22T07:20:25Z")", R"("expiredAt": "")")), Category::linear);
  REQUIRE(no_expiry.has_value());
  CHECK(no_expiry->expires_at.empty());
}

TEST_CASE("bybit api key info: malformed replies and the venue's refusals are errors") {
  const auto odd =
      bybit::parse_api_key_info(response(200, fixture_with(R"("readOnly": 0)", R"("readOnly": 2)")), Category::linear);
  REQUIRE_FALSE(odd.has_value());
  CHECK(odd.error().code == ErrorCode::protocol_error);
  CHECK(odd.error().message.find("readOnly") != std::string::npos);

  const auto missing = bybit::parse_api_key_info(response(200, fixture_with(R"("ips")", R"("ipz")")), Category::linear);
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error().code == ErrorCode::protocol_error);
  CHECK(missing.error().message.find("ips") != std::string::npos);

  const auto not_list = bybit::parse_api_key_info(
      response(200, fixture_with(R"("Spot": [)", R"("Spot": "SpotTrade", "X": [)")), Category::spot);
  REQUIRE_FALSE(not_list.has_value());
  CHECK(not_list.error().code == ErrorCode::protocol_error);

  // retCode 10003 (invalid key) and 10004 (bad signature) from Bybit's error-code page.
  const auto refused = bybit::parse_api_key_info(
      response(200, R"({"retCode":10003,"retMsg":"API key is invalid.","result":{},"retExtInfo":{},"time":1})"),
      Category::linear);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().code == ErrorCode::auth_failed);
  const auto bad_sign = bybit::parse_api_key_info(
      response(200, R"({"retCode":10004,"retMsg":"Error sign","result":{},"retExtInfo":{},"time":1})"),
      Category::linear);
  REQUIRE_FALSE(bad_sign.has_value());
  CHECK(bad_sign.error().code == ErrorCode::invalid_signature);
}

TEST_CASE("bybit api key info: the request is a signed GET /v5/user/query-api without parameters") {
  const cts::venue::Request request = bybit::api_key_info();
  CHECK(request.http.method == cts::HttpMethod::get);
  CHECK(request.http.path == "/v5/user/query-api");
  CHECK(request.http.query.empty());
  CHECK(request.security == cts::venue::Security::signed_);
  CHECK(request.endpoint == "GET /v5/user/query-api");
  CHECK_FALSE(request.mutation);
  CHECK(cts::rate::policy_for(cts::VenueId::bybit).find(request.endpoint) != nullptr);  // priced: the channel sends it
}
