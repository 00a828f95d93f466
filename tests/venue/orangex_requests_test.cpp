// Tests for cts/venue/orangex/requests.hpp: the JSON-RPC calls the connector sends
// (the envelope and /public/auth as the official SDK sends them; the other methods'
// params as docs/venues.md lists them) and the rate policy that prices them.
#include <cts/venue/orangex/requests.hpp>

#include <doctest/doctest.h>

#include <cts/rate/policies/orangex.hpp>

using cts::ErrorCode;
using cts::venue::NewOrder;
using cts::venue::Security;
namespace orangex = cts::venue::orangex;
using namespace cts::literals;

namespace {

NewOrder limit_buy() {
  NewOrder order;
  order.symbol = "BTC-USDT-PERPETUAL";
  order.side = cts::Side::buy;
  order.type = cts::OrderType::limit;
  order.quantity = "0.012"_d;
  order.price = "60000.5"_d;
  order.client_order_id = "cts-ox-1";
  return order;
}

}  // namespace

TEST_CASE("orangex auth: client_signature params as the SDK posts them") {
  const cts::sign::OrangexSigner signer("e429d4d1", cts::sign::Secret("testclientSecret"));
  const auto params = signer.auth_params({cts::from_unix_millis(1648544509453), {}, "401000476306309121"});
  const cts::venue::Request request = orangex::auth_request(7, params);
  CHECK(request.http.method == cts::HttpMethod::post);
  CHECK(request.http.path == "/api/v1/public/auth");
  CHECK(request.security == Security::none);
  // The SDK's signature_util.py self-test vector (the same timestamp, nonce and keys).
  CHECK(request.http.body ==
        R"({"jsonrpc":"2.0","id":7,"method":"/public/auth","params":{"grant_type":"client_signature",)"
        R"("client_id":"e429d4d1","nonce":"401000476306309121","timestamp":"1648544509453","signature":)"
        R"("64636535323366653237333163353566663330643737356264636232623162336363343239356164363966393063626136383666616532323462626262303332"}})");
  CHECK(orangex::refresh_request(8, "rt").http.body ==
        R"({"jsonrpc":"2.0","id":8,"method":"/public/auth","params":{"grant_type":"refresh_token","refresh_token":"rt"}})");
}

TEST_CASE("orangex order calls") {
  const auto buy = orangex::new_order_request(3, limit_buy());
  REQUIRE(buy);
  CHECK(buy->http.path == "/api/v1/private/buy");
  CHECK(buy->endpoint == "/private/buy");
  CHECK(buy->security == Security::signed_);
  CHECK(buy->mutation);
  CHECK(buy->http.body ==
        R"({"jsonrpc":"2.0","id":3,"method":"/private/buy","params":{"instrument_name":"BTC-USDT-PERPETUAL",)"
        R"("amount":"0.012","type":"limit","price":"60000.5","time_in_force":"good_til_cancelled","post_only":false,)"
        R"("reduce_only":false,"label":"cts-ox-1"}})");
  NewOrder market = limit_buy();
  market.side = cts::Side::sell;
  market.type = cts::OrderType::market;
  market.price.reset();
  market.reduce_only = true;
  const auto sell = orangex::new_order_request(4, market);
  REQUIRE(sell);
  CHECK(sell->http.body ==
        R"({"jsonrpc":"2.0","id":4,"method":"/private/sell","params":{"instrument_name":"BTC-USDT-PERPETUAL",)"
        R"("amount":"0.012","type":"market","reduce_only":true,"label":"cts-ox-1"}})");
  NewOrder maker = limit_buy();
  maker.time_in_force = cts::TimeInForce::post_only;
  CHECK(orangex::new_order_request(5, maker)->http.body.find(R"("time_in_force":"good_til_cancelled","post_only":true)") !=
        std::string::npos);

  cts::venue::OrderRef ref{"BTC-USDT-PERPETUAL", std::string("3000012345"), "cts-ox-1"};
  CHECK(orangex::cancel_request(6, ref)->http.body ==
        R"({"jsonrpc":"2.0","id":6,"method":"/private/cancel","params":{"order_id":"3000012345"}})");
  cts::venue::OrderRef by_label{"BTC-USDT-PERPETUAL", std::nullopt, "cts-ox-1"};
  CHECK(orangex::order_state_request(7, by_label)->endpoint == "/private/get_order_state_by_label");
  cts::venue::OrderAmendment amendment{ref, "0.02"_d, "60010"_d, std::nullopt};
  CHECK(orangex::edit_request(8, amendment)->http.body ==
        R"({"jsonrpc":"2.0","id":8,"method":"/private/edit","params":{"order_id":"3000012345","amount":"0.02","price":"60010"}})");
}

TEST_CASE("orangex refuses what it cannot send, nothing built") {
  NewOrder stop = limit_buy();
  stop.type = cts::OrderType::stop_limit;
  CHECK(orangex::new_order_request(1, stop).error().code == ErrorCode::unsupported);
  NewOrder no_price = limit_buy();
  no_price.price.reset();
  CHECK(orangex::new_order_request(1, no_price).error().code == ErrorCode::invalid_argument);
  NewOrder zero = limit_buy();
  zero.quantity = cts::Decimal{};
  CHECK(orangex::new_order_request(1, zero).error().code == ErrorCode::invalid_argument);
  NewOrder bad_label = limit_buy();
  bad_label.client_order_id = "has space";
  CHECK(orangex::new_order_request(1, bad_label).error().code == ErrorCode::invalid_argument);
  CHECK(orangex::cancel_request(1, {"BTC-USDT-PERPETUAL", std::nullopt, "x"}).error().code == ErrorCode::invalid_argument);
  CHECK(orangex::order_book_request(1, "BTC-USDT-PERPETUAL", 0).error().code == ErrorCode::invalid_argument);
  CHECK(orangex::recent_trades_request(1, "BTC-USDT-PERPETUAL", 1001).error().code == ErrorCode::invalid_argument);
}

TEST_CASE("orangex: the rate policy prices every method the connector calls") {
  for (const std::string_view name :
       {orangex::method::auth, orangex::method::get_time, orangex::method::get_instrument,
        orangex::method::get_order_book, orangex::method::ticker, orangex::method::buy, orangex::method::sell,
        orangex::method::edit, orangex::method::cancel, orangex::method::cancel_all_by_instrument,
        orangex::method::get_open_orders_by_instrument, orangex::method::get_order_state,
        orangex::method::get_order_state_by_label, orangex::method::get_user_trades_by_order,
        orangex::method::get_user_trades_by_instrument, orangex::method::get_account_summary,
        orangex::method::get_position}) {
    CAPTURE(name);
    CHECK(cts::rate::kOrangexPolicy.cost(name));
  }
  CHECK(cts::rate::kOrangexPolicy.endpoints.size() == 17);
}
