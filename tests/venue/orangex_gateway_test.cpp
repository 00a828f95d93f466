// Tests for cts/venue/orangex/gateway.hpp, sans I/O: a scripted RequestSender answers
// with the recorded payloads of tests/fixtures/orangex (ids rewritten to the call's).
// What is checked: the token flow (login at the venue's clock, the token handed to the
// signer, refresh before expiry, login again after 13009, a refused login latched) and
// the unified answers.
#include <cts/venue/orangex/gateway.hpp>

#include <chrono>
#include <string>

#include <doctest/doctest.h>

#include <cts/venue/registry.hpp>

#include "support.hpp"

using cts::ErrorCode;
using cts_test::response;
using cts_test::ScriptedSender;
namespace orangex = cts::venue::orangex;
using namespace cts::literals;
using Clock = std::chrono::steady_clock;

namespace {

/// The fixture `name` answering call `id` (its recorded id replaced).
cts::HttpResponse reply(std::string_view name, std::int64_t id) {
  std::string text = cts_test::fixture_text("orangex", name);
  const std::size_t at = text.find("\"id\":");
  const std::size_t end = text.find(',', at);
  text.replace(at, end - at, fmt::format("\"id\":{}", id));
  return response(200, text);
}

/// The id of the call `request` carries.
std::int64_t id_of(const cts::venue::Request& request) {
  const std::size_t at = request.http.body.find("\"id\":") + 5;
  return std::stoll(request.http.body.substr(at));
}

std::string method_of(const cts::venue::Request& request) { return request.http.path.substr(7); }

struct Fixture {
  cts::sign::OrangexSigner signer{"e429d4d1", cts::sign::Secret("testclientSecret")};
  ScriptedSender sender;
  Clock::time_point now{};
  orangex::PerpetualGateway gateway{sender, &signer, orangex::GatewayOptions{[this] { return now; }}};

  /// Scripts a login: the venue's time, then the token.
  void login(std::int64_t first_id) {
    sender.then(reply("get_time.json", first_id)).then(reply("auth.json", first_id + 1));
  }
};

}  // namespace

TEST_CASE("orangex gateway: the registry trades orangex perpetuals by REST, the book and the account streamed") {
  const cts::venue::Connector* connector = cts::venue::find_connector(cts::VenueId::orangex).value();
  CHECK(connector->market == "perpetual");
  CHECK(connector->default_symbol == "BTC-USDT-PERPETUAL");
  CHECK(connector->capabilities->has_positions());
  CHECK(static_cast<bool>(connector->make_market_stream));
  CHECK(static_cast<bool>(connector->make_user_stream));
  ScriptedSender sender;
  cts::venue::GatewaySettings settings;
  const auto gateway = connector->make_gateway(sender, settings);
  // Without a signer, private calls fail at once, nothing sent.
  CHECK(gateway->open_orders("BTC-USDT-PERPETUAL").error().code == ErrorCode::auth_failed);
  CHECK(sender.sent.empty());
}

TEST_CASE("orangex gateway: the first private call logs in at the venue's clock, then sends with the token") {
  Fixture f;
  f.login(1);
  f.sender.then(reply("open_orders.json", 3));
  const auto open = f.gateway.open_orders("BTC-USDT-PERPETUAL");
  REQUIRE(open);
  CHECK(open->size() == 1);
  REQUIRE(f.sender.sent.size() == 3);
  CHECK(method_of(f.sender.sent[0]) == "/public/get_time");
  CHECK(method_of(f.sender.sent[1]) == "/public/auth");
  // Signed at the venue's time (get_time.json), by the signer's rule.
  const std::string expected_signature = f.signer.client_signature(1700000000123, "");
  const std::string& auth_body = f.sender.sent[1].http.body;
  CHECK(auth_body.find(R"("timestamp":"1700000000123")") != std::string::npos);
  CHECK(auth_body.find(R"("grant_type":"client_signature")") != std::string::npos);
  CHECK(method_of(f.sender.sent[2]) == "/private/get_open_orders_by_instrument");
  CHECK(f.sender.sent[2].security == cts::venue::Security::signed_);
  // The token reached the signer.
  cts::HttpRequest probe;
  REQUIRE(f.signer.sign(probe, {}));
  CHECK(probe.header("Authorization").value() == "bearer 5d0d1a4e2cb7a0b1c9f34e8a7d6c5b4a");

  // Within the token's life (3600 s, refreshed 60 s early): no new login.
  f.now += std::chrono::seconds(3539);
  f.sender.then(reply("open_orders.json", 4));
  REQUIRE(f.gateway.open_orders("BTC-USDT-PERPETUAL"));
  CHECK(f.sender.sent.size() == 4);

  // Then the refresh token renews it first.
  f.now += std::chrono::seconds(1);
  f.sender.then(reply("auth.json", 5)).then(reply("open_orders.json", 6));
  REQUIRE(f.gateway.open_orders("BTC-USDT-PERPETUAL"));
  REQUIRE(f.sender.sent.size() == 6);
  CHECK(f.sender.sent[4].http.body.find(R"("grant_type":"refresh_token","refresh_token":"9b8a7c6d5e4f3a2b1c0d9e8f7a6b5c4d")") !=
        std::string::npos);
}

TEST_CASE("orangex gateway: a call answered 13009 logs in again and is sent once more") {
  Fixture f;
  f.login(1);
  f.sender.then(reply("error_unauthorized.json", 3));
  f.login(4);
  f.sender.then(reply("cancel.json", 6));
  const auto cancelled = f.gateway.cancel_order({"BTC-USDT-PERPETUAL", std::string("3000012345"), "cts-ox-1"});
  REQUIRE(cancelled);
  CHECK(cancelled->status == cts::venue::OrderStatus::canceled);
  REQUIRE(f.sender.sent.size() == 6);
  CHECK(method_of(f.sender.sent[2]) == "/private/cancel");
  CHECK(method_of(f.sender.sent[5]) == "/private/cancel");
  CHECK(id_of(f.sender.sent[5]) == 6);
}

TEST_CASE("orangex gateway: a refused login is latched, nothing more sent") {
  Fixture f;
  f.sender.then(reply("get_time.json", 1))
      .then(response(400, R"({"jsonrpc":"2.0","id":2,"error":{"code":13004,"message":"invalid_credentials"}})"));
  const auto first = f.gateway.balances();
  REQUIRE(!first);
  CHECK(first.error().code == ErrorCode::auth_failed);
  CHECK(f.gateway.credentials_refused().has_value());
  const auto second = f.gateway.positions("BTC-USDT-PERPETUAL");
  REQUIRE(!second);
  CHECK(second.error().code == ErrorCode::auth_failed);
  CHECK(f.sender.sent.size() == 2);
}

TEST_CASE("orangex gateway: unified answers") {
  Fixture f;
  f.sender.then(reply("instrument.json", 1)).then(reply("ticker.json", 2)).then(reply("order_book.json", 3));
  const auto instrument = f.gateway.instrument("BTC-USDT-PERPETUAL");
  REQUIRE(instrument);
  CHECK(instrument->tick_size == "0.5"_d);
  const auto best = f.gateway.book_ticker("BTC-USDT-PERPETUAL");
  REQUIRE(best);
  CHECK(best->bid_price == "59999.5"_d);
  CHECK(best->ask_price == "60000.5"_d);
  const auto book = f.gateway.depth("BTC-USDT-PERPETUAL", 20);
  REQUIRE(book);
  CHECK(book->last_update_id == 88123);
  CHECK(f.sender.sent[2].http.body.find(R"("depth":20)") != std::string::npos);

  f.login(4);
  f.sender.then(reply("user_trades_by_instrument.json", 6))
      .then(reply("account_summary.json", 7))
      .then(reply("position.json", 8))
      .then(reply("buy.json", 9));
  const auto trades = f.gateway.recent_trades("BTC-USDT-PERPETUAL", 50);
  REQUIRE(trades);
  REQUIRE(trades->size() == 2);
  CHECK(trades->at(0).id == "t-1");  // oldest first
  const auto balances = f.gateway.balances();
  REQUIRE(balances);
  CHECK(balances->at(0).free == "900.25"_d);
  const auto positions = f.gateway.positions("BTC-USDT-PERPETUAL");
  REQUIRE(positions);
  CHECK(positions->at(0).quantity == "-0.012"_d);
  cts::venue::NewOrder order;
  order.symbol = "BTC-USDT-PERPETUAL";
  order.quantity = "0.01"_d;
  order.price = "60000.5"_d;
  order.client_order_id = "cts-ox-1";
  const auto created = f.gateway.create_order(order);
  REQUIRE(created);
  CHECK(created->order_id == "3000012345");
  CHECK(created->fills.size() == 1);
}

TEST_CASE("orangex gateway: cancel-all reports the orders listed before, and none open is order_not_found") {
  Fixture f;
  f.login(1);
  f.sender.then(reply("open_orders.json", 3))
      .then(response(200, R"({"jsonrpc":"2.0","id":4,"result":1})"))
      .then(response(200, R"({"jsonrpc":"2.0","id":5,"result":[]})"))
      .then(response(200, R"({"jsonrpc":"2.0","id":6,"result":0})"));
  const auto cancelled = f.gateway.cancel_open_orders("BTC-USDT-PERPETUAL");
  REQUIRE(cancelled);
  REQUIRE(cancelled->size() == 1);
  CHECK(cancelled->at(0).order_id == "1001");
  CHECK(cancelled->at(0).status == cts::venue::OrderStatus::canceled);
  const auto none = f.gateway.cancel_open_orders("BTC-USDT-PERPETUAL");
  REQUIRE(!none);
  CHECK(none.error().code == ErrorCode::order_not_found);
}
