// Tests for cts/sim/binance_front.hpp: requests signed by cts::sign's Binance signer,
// Binance's codes, messages and statuses (binance-spot-api-docs errors.md), weights and
// limits (rest-api.md "LIMITS"), and every fault kind.
#include <cts/sim/binance_front.hpp>
#include <cts/sim/simulator.hpp>

#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cts/sign/binance.hpp>
#include <cts/sign/secret.hpp>

#include "sim/open_client_ids.hpp"

using namespace cts;
using namespace cts::sim;
using namespace cts::literals;
using namespace std::chrono_literals;

namespace {

constexpr std::string_view kKey = "test-key";
constexpr std::string_view kSecret = "test-secret";
const SystemTime kNow = from_unix_millis(1'700'000'000'000);


struct Venue {
  MatchingEngine engine;
  BinanceFront front;
  AccountId account;
  explicit Venue(FrontConfig config = {}) : front(engine, std::move(config)) {
    engine.add_symbol(default_instruments().front());  // BTCUSDT
    account = engine.create_account();
    engine.deposit(account, "USDT", "1000"_d);
    engine.deposit(account, "BTC", "1"_d);
    front.add_credential(std::string(kKey), kSecret, account);
  }
  net::ServerReply send(HttpRequest r, SystemTime at = kNow) { return front.handle(r, at); }
};

HttpRequest signed_request(HttpMethod method, std::string path, std::string params, std::string_view secret = kSecret,
                           SystemTime at = kNow) {
  HttpRequest r;
  r.method = method;
  r.path = std::move(path);
  if (method == HttpMethod::post) {
    r.body = std::move(params);
    r.set_header("Content-Type", "application/x-www-form-urlencoded");
  } else {
    r.query = std::move(params);
  }
  r.set_header("X-MBX-APIKEY", kKey);
  const sign::BinanceHmacSigner signer(VenueId::binance_spot, std::string(kKey), sign::Secret(secret));
  REQUIRE(signer.sign(r, sign::SigningContext{.now = at, .nonce = {}, .nonce_text = {}}));
  return r;
}

HttpRequest get(std::string path, std::string query = {}) {
  HttpRequest r;
  r.path = std::move(path);
  r.query = std::move(query);
  return r;
}

std::string header(const net::ServerReply& reply, std::string_view name) {
  return std::string(reply.response.header(name).value_or(""));
}

void check_error(const net::ServerReply& reply, int status, std::string_view body) {
  CHECK(reply.response.status == status);
  CHECK(reply.response.body == body);
}

}  // namespace

TEST_CASE("public endpoints answer with Binance's shapes and weights") {
  Venue v;
  auto ping = v.send(get("/api/v3/ping"));
  CHECK(ping.response.status == 200);
  CHECK(ping.response.body == "{}");
  CHECK(header(ping, "X-MBX-USED-WEIGHT-1M") == "1");
  CHECK(v.send(get("/api/v3/time")).response.body == R"({"serverTime":1700000000000})");
  auto info = v.send(get("/api/v3/exchangeInfo"));
  CHECK(header(info, "X-MBX-USED-WEIGHT-1M") == "22");
  CHECK(info.response.body.find(R"({"filterType":"PRICE_FILTER","minPrice":"0.01000000","maxPrice":"1000000.00000000","tickSize":"0.01000000"})") != std::string::npos);
  CHECK(info.response.body.find(R"({"filterType":"LOT_SIZE","minQty":"0.00001000","maxQty":"9000.00000000","stepSize":"0.00001000"})") != std::string::npos);
  auto depth = v.send(get("/api/v3/depth", "symbol=BTCUSDT&limit=500"));
  CHECK(depth.response.body == R"({"lastUpdateId":1,"bids":[],"asks":[]})");
  CHECK(header(depth, "X-MBX-USED-WEIGHT-1M") == "47");
  auto bad = v.send(get("/api/v3/depth", "symbol=NOPE"));
  check_error(bad, 400, R"({"code":-1121,"msg":"Invalid symbol."})");
  check_error(v.send(get("/api/v3/depth", "symbol=btc%20usdt")), 400,
              R"({"code":-1100,"msg":"Illegal characters found in parameter 'symbol'; legal range is '^[A-Z0-9-_.]{1,20}$'."})");
  check_error(v.send(get("/api/v3/depth")), 400,
              R"({"code":-1102,"msg":"Mandatory parameter 'symbol' was not sent, was empty/null, or malformed."})");
  CHECK(v.send(get("/api/v3/nothing")).response.status == 404);
}

TEST_CASE("an order signed by cts::sign is accepted and reported like Binance") {
  Venue v;
  auto reply = v.send(signed_request(HttpMethod::post, "/api/v3/order",
                                     "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=50000&newClientOrderId=abc-1"));
  REQUIRE(reply.response.status == 200);
  CHECK(reply.response.body ==
        R"({"symbol":"BTCUSDT","orderId":1,"orderListId":-1,"clientOrderId":"abc-1","transactTime":1700000000000,"price":"50000.00000000","origQty":"0.01000000","executedQty":"0.00000000","origQuoteOrderQty":"0.00000000","cummulativeQuoteQty":"0.00000000","status":"NEW","timeInForce":"GTC","type":"LIMIT","side":"BUY","workingTime":1700000000000,"selfTradePreventionMode":"EXPIRE_MAKER","fills":[]})");
  CHECK(header(reply, "X-MBX-ORDER-COUNT-10S") == "1");
  CHECK(header(reply, "X-MBX-ORDER-COUNT-1D") == "1");
  CHECK(v.engine.balance(v.account, "USDT").locked == "500"_d);

  auto query = v.send(signed_request(HttpMethod::get, "/api/v3/order", "symbol=BTCUSDT&origClientOrderId=abc-1"));
  CHECK(query.response.status == 200);
  CHECK(query.response.body.find(R"("status":"NEW")") != std::string::npos);
  CHECK(header(query, "X-MBX-USED-WEIGHT-1M") == "5");
  auto open = v.send(signed_request(HttpMethod::get, "/api/v3/openOrders", "symbol=BTCUSDT"));
  CHECK(open.response.body.starts_with(R"([{"symbol":"BTCUSDT","orderId":1,)"));
  auto account = v.send(signed_request(HttpMethod::get, "/api/v3/account", ""));
  CHECK(account.response.body.find(R"({"asset":"USDT","free":"500.00000000","locked":"500.00000000"})") != std::string::npos);
  CHECK(account.response.body.find(R"("makerCommission":10,"takerCommission":10)") != std::string::npos);
  auto cancel = v.send(signed_request(HttpMethod::delete_, "/api/v3/order", "symbol=BTCUSDT&orderId=1"));
  CHECK(cancel.response.status == 200);
  CHECK(cancel.response.body.find(R"("origClientOrderId":"abc-1","orderId":1,)") != std::string::npos);
  CHECK(cancel.response.body.find(R"("status":"CANCELED")") != std::string::npos);
  check_error(v.send(signed_request(HttpMethod::delete_, "/api/v3/order", "symbol=BTCUSDT&orderId=1")), 400,
              R"({"code":-2011,"msg":"Unknown order sent."})");
  check_error(v.send(signed_request(HttpMethod::get, "/api/v3/order", "symbol=BTCUSDT&orderId=99")), 400,
              R"({"code":-2013,"msg":"Order does not exist."})");
  check_error(v.send(signed_request(HttpMethod::delete_, "/api/v3/openOrders", "symbol=BTCUSDT")), 400,
              R"({"code":-2011,"msg":"Unknown order sent."})");
  CHECK(v.send(signed_request(HttpMethod::get, "/api/v3/allOrders", "symbol=BTCUSDT")).response.body.find(R"("status":"CANCELED")") != std::string::npos);
  CHECK(v.send(signed_request(HttpMethod::get, "/api/v3/myTrades", "symbol=BTCUSDT")).response.body == "[]");
  CHECK(v.send(signed_request(HttpMethod::post, "/api/v3/order/test", "symbol=BTCUSDT&side=SELL&type=MARKET&quantity=0.1")).response.body == "{}");
}

TEST_CASE("authentication errors carry Binance's codes, messages and statuses") {
  Venue v;
  const std::string order = "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=50000";
  check_error(v.send(signed_request(HttpMethod::post, "/api/v3/order", order, "another-secret")), 400,
              R"({"code":-1022,"msg":"Signature for this request is not valid."})");
  auto tampered = signed_request(HttpMethod::post, "/api/v3/order", order);
  tampered.body.replace(tampered.body.find("0.01"), 4, "0.02");
  check_error(v.send(tampered), 400, R"({"code":-1022,"msg":"Signature for this request is not valid."})");
  auto no_key = signed_request(HttpMethod::post, "/api/v3/order", order);
  no_key.headers.clear();
  check_error(v.send(no_key), 401, R"({"code":-2014,"msg":"API-key format invalid."})");
  auto wrong_key = signed_request(HttpMethod::post, "/api/v3/order", order);
  wrong_key.set_header("X-MBX-APIKEY", "someone-else");
  check_error(v.send(wrong_key), 401, R"({"code":-2015,"msg":"Invalid API-key, IP, or permissions for action."})");
  HttpRequest unsigned_request = get("/api/v3/account", "timestamp=1700000000000");
  unsigned_request.set_header("X-MBX-APIKEY", kKey);
  check_error(v.send(unsigned_request), 400,
              R"({"code":-1102,"msg":"Mandatory parameter 'signature' was not sent, was empty/null, or malformed."})");
  // Signed at kNow, received 5001 ms later (default recvWindow 5000), or 1000 ms early.
  check_error(v.send(signed_request(HttpMethod::get, "/api/v3/account", ""), kNow + 5001ms), 400,
              R"({"code":-1021,"msg":"Timestamp for this request is outside of the recvWindow."})");
  CHECK(v.send(signed_request(HttpMethod::get, "/api/v3/account", ""), kNow + 5000ms).response.status == 200);
  check_error(v.send(signed_request(HttpMethod::get, "/api/v3/account", ""), kNow - 1000ms), 400,
              R"({"code":-1021,"msg":"Timestamp for this request was 1000ms ahead of the server's time."})");
  CHECK(v.send(signed_request(HttpMethod::get, "/api/v3/account", "recvWindow=10000"), kNow + 9000ms).response.status == 200);
  CHECK(v.engine.open_orders(v.account, "").empty());
}

// Found by the sim_front fuzz target: error messages went into the body unescaped, so
// the regular expression's backslash (above) and a quoted parameter name made the reply
// invalid JSON, which a client reads as a protocol error instead of Binance's code.
TEST_CASE("error replies are valid JSON whatever the request quotes") {
  Venue v;
  const auto reply = v.send(signed_request(HttpMethod::post, "/api/v3/order",
                                           "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=1&"
                                           "a%22%5Cb=" + std::string(1100, 'x')));
  check_error(reply, 400,
              R"({"code":-1100,"msg":"Illegal characters found in parameter 'a\"\\b'; legal range is '^.{1,1024}$'."})");
}

TEST_CASE("order parameter errors and business rejections") {
  Venue v;
  const auto post = [&](std::string params) { return v.send(signed_request(HttpMethod::post, "/api/v3/order", std::move(params))); };
  check_error(post("symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&price=50000"), 400,
              R"({"code":-1102,"msg":"Mandatory parameter 'quantity' was not sent, was empty/null, or malformed."})");
  check_error(post("symbol=BTCUSDT&side=HOLD&type=LIMIT"), 400, R"({"code":-1117,"msg":"Invalid side."})");
  check_error(post("symbol=BTCUSDT&side=BUY&type=STOP"), 400, R"({"code":-1116,"msg":"Invalid orderType."})");
  check_error(post("symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=DAY&quantity=1&price=1"), 400, R"({"code":-1115,"msg":"Invalid timeInForce."})");
  check_error(post("symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1e5&price=1"), 400,
              R"({"code":-1100,"msg":"Illegal characters found in parameter 'quantity'; legal range is '^([0-9]{1,20})(\\.[0-9]{1,20})?$'."})");
  check_error(post("symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=" + std::string(200, '9') + "&price=1"), 400,
              R"({"code":-1100,"msg":"Illegal characters found in parameter 'quantity'; legal range is '^([0-9]{1,20})(\\.[0-9]{1,20})?$'."})");
  check_error(post("symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.000000001&price=1"), 400,
              R"({"code":-1111,"msg":"Parameter 'quantity' has too much precision."})");
  check_error(post("symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=50000.001"), 400,
              R"({"code":-1013,"msg":"Filter failure: PRICE_FILTER"})");
  check_error(post("symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.0001&price=100"), 400,
              R"({"code":-1013,"msg":"Filter failure: NOTIONAL"})");
  check_error(post("symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=50000"), 400,
              R"({"code":-2010,"msg":"Account has insufficient balance for requested action."})");
  check_error(post("symbol=ETHUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=5"), 400, R"({"code":-1121,"msg":"Invalid symbol."})");
  check_error(post("symbol=BTCUSDT&side=BUY&type=MARKET"), 400,
              R"({"code":-1102,"msg":"Param 'quantity' or 'quoteOrderQty' must be sent, but both were empty/null!"})");
  check_error(post("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=1&price=5"), 400, R"({"code":-1106,"msg":"Parameter 'price' sent when not required."})");
  check_error(post("symbol=BTCUSDT&symbol=BTCUSDT&side=BUY&type=MARKET&quantity=1"), 400,
              R"({"code":-1101,"msg":"Duplicate values for a parameter detected."})");
  CHECK(v.engine.open_orders(v.account, "").empty());
  CHECK(v.engine.balance(v.account, "USDT").free == "1000"_d);
}

TEST_CASE("garbage requests get Binance errors and the front keeps serving") {
  Venue v;
  HttpRequest garbage = get("/api/v3/depth", "symbol=%ZZ&%%%");
  CHECK(v.send(garbage).response.status == 400);
  HttpRequest body = signed_request(HttpMethod::post, "/api/v3/order", "symbol=BTCUSDT");
  body.body = std::string(100000, '&') + "\xff\xfe=\x01";
  CHECK(v.send(body).response.status == 400);
  HttpRequest huge = get("/api/v3/depth", "symbol=BTCUSDT&limit=" + std::string(5000, '9'));
  CHECK(v.send(huge).response.status == 400);
  CHECK(v.send(get("/api/v3/ping")).response.status == 200);
}

TEST_CASE("request weight headers, 429 with Retry-After, then 418 ban") {
  FrontConfig config;
  config.limits.request_weight_per_minute = 50;
  config.limits.violations_before_ban = 2;
  Venue v(config);
  const SystemTime t = from_unix_millis(1'700'000'020'000);  // 40 s into a minute
  for (int i = 1; i <= 2; ++i) CHECK(header(v.send(get("/api/v3/exchangeInfo"), t), "X-MBX-USED-WEIGHT-1M") == std::to_string(20 * i));
  auto limited = v.send(get("/api/v3/exchangeInfo"), t);
  CHECK(limited.response.status == 429);
  CHECK(limited.response.body ==
        R"({"code":-1003,"msg":"Too much request weight used; current limit is 50 request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API."})");
  CHECK(header(limited, "Retry-After") == "20");
  CHECK(v.send(get("/api/v3/ping"), t).response.status == 429);
  auto banned = v.send(get("/api/v3/ping"), t);
  CHECK(banned.response.status == 418);
  CHECK(banned.response.body.find("IP banned until 1700000140000") != std::string::npos);
  CHECK(header(banned, "Retry-After") == "120");
  CHECK(v.send(get("/api/v3/ping"), t + 60s).response.status == 418);  // bans outlive the window
  CHECK(v.send(get("/api/v3/ping"), t + 121s).response.status == 200);
}

TEST_CASE("order count limit: -1015 with 429 and the count headers") {
  FrontConfig config;
  config.limits.orders_per_10s = 2;
  Venue v(config);
  const std::string order = "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.001&price=10000";
  CHECK(v.send(signed_request(HttpMethod::post, "/api/v3/order", order)).response.status == 200);
  CHECK(v.send(signed_request(HttpMethod::post, "/api/v3/order", order)).response.status == 200);
  auto third = v.send(signed_request(HttpMethod::post, "/api/v3/order", order));
  check_error(third, 429, R"({"code":-1015,"msg":"Too many new orders; current limit is 2 orders per 10 SECOND."})");
  CHECK(header(third, "X-MBX-ORDER-COUNT-10S") == "3");
  CHECK(v.engine.open_orders(v.account, "BTCUSDT").size() == 2);
  CHECK(v.send(signed_request(HttpMethod::post, "/api/v3/order", order, kSecret, kNow + 10s), kNow + 10s).response.status == 200);
}

TEST_CASE("faults: before executing nothing happens, after executing the order exists") {
  const std::string order = "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.001&price=10000";
  FrontConfig config;
  config.faults = FaultConfig::parse("error_before=1").value();
  Venue before(config);
  check_error(before.send(signed_request(HttpMethod::post, "/api/v3/order", order)), 503,
              R"({"code":-1001,"msg":"Internal error; unable to process your request. Please try again."})");
  CHECK(before.engine.open_orders(before.account, "").empty());

  config.faults = FaultConfig::parse("error_after=1").value();
  Venue after(config);
  auto reply = after.send(signed_request(HttpMethod::post, "/api/v3/order", order));
  CHECK(reply.response.status == 503);
  CHECK(after.engine.open_orders(after.account, "").size() == 1);

  config.faults = FaultConfig::parse("drop_after=1").value();
  Venue dropped(config);
  CHECK(dropped.send(signed_request(HttpMethod::post, "/api/v3/order", order)).action == net::ReplyAction::drop);
  CHECK(dropped.engine.open_orders(dropped.account, "").size() == 1);

  config.faults = FaultConfig::parse("reset=1").value();
  Venue reset(config);
  CHECK(reset.send(signed_request(HttpMethod::post, "/api/v3/order", order)).action == net::ReplyAction::reset);
  CHECK(reset.engine.open_orders(reset.account, "").empty());

  config.faults = FaultConfig::parse("delay=250ms").value();
  Venue slow(config);
  auto delayed = slow.send(get("/api/v3/ping"));
  CHECK(delayed.delay == 250ms);
  CHECK(delayed.response.status == 200);

  config.faults = FaultConfig::parse("burst429=2").value();
  Venue burst(config);
  const HttpResponse first = burst.send(get("/api/v3/ping")).response;
  CHECK(first.status == 429);
  CHECK(first.header("Retry-After") == std::optional<std::string_view>("1"));  // a burst, not a spent window
  CHECK(burst.send(get("/api/v3/ping")).response.status == 429);
  CHECK(burst.send(get("/api/v3/ping")).response.status == 200);
  CHECK(burst.front.stats().faults == 2);
}

TEST_CASE("faults: lost_order_replies drops the replies to the next N executed creates and cancels, never to reads") {
  FrontConfig config;
  config.faults = FaultConfig::parse("lost_order_replies=3").value();
  Venue v(config);
  const auto create = [&](std::string_view client_id) {
    return v.send(signed_request(HttpMethod::post, "/api/v3/order",
                                 fmt::format("symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.001&"
                                             "price=10000&newClientOrderId={}", client_id)));
  };
  CHECK(v.send(signed_request(HttpMethod::get, "/api/v3/openOrders", "symbol=BTCUSDT")).action ==
        net::ReplyAction::respond);
  // An order Binance refuses (an unknown symbol: an HTTP 400) does not count.
  CHECK(v.send(signed_request(HttpMethod::post, "/api/v3/order",
                              "symbol=NOPE&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.001&price=10000"))
            .response.status == 400);
  CHECK(create("lost-1").action == net::ReplyAction::drop);
  CHECK(create("lost-2").action == net::ReplyAction::drop);
  CHECK(v.send(signed_request(HttpMethod::delete_, "/api/v3/order", "symbol=BTCUSDT&origClientOrderId=lost-1"))
            .action == net::ReplyAction::drop);
  const net::ServerReply kept = create("kept-3");
  CHECK(kept.action == net::ReplyAction::respond);
  CHECK(kept.response.status == 200);
  CHECK(v.front.stats().faults == 3);
  // Every lost reply's request was executed: lost-1 placed and cancelled, lost-2 rests.
  CHECK(cts::test::open_client_ids(v.engine, v.account, "BTCUSDT") == std::vector<std::string>{"kept-3", "lost-2"});
  CHECK(v.engine.find_order(v.account, "BTCUSDT", std::nullopt, "lost-1")->status == OrderStatus::canceled);
}

TEST_CASE("faults fire at the configured rate, reproducibly for a seed") {
  const auto count_faults = [](std::uint64_t seed) {
    FrontConfig config;
    config.faults = FaultConfig::parse(fmt::format("seed={},error_before=0.25", seed)).value();
    Venue v(config);
    std::string pattern;
    for (int i = 0; i < 400; ++i) pattern += v.send(get("/api/v3/ping")).response.status == 503 ? 'x' : '.';
    return pattern;
  };
  const std::string a = count_faults(7), b = count_faults(7), c = count_faults(8);
  CHECK(a == b);
  CHECK(a != c);
  const auto fired = std::count(a.begin(), a.end(), 'x');
  CHECK(fired > 50);   // expectation 100 of 400
  CHECK(fired < 150);
}

TEST_CASE("fault spec parsing") {
  auto f = FaultConfig::parse("seed=9,delay=40ms@0.5,error_before=0.1,error_after=0.2,drop_after=0.3,reset=0.05,burst429=4");
  REQUIRE(f);
  CHECK(f->seed == 9);
  CHECK(f->delay == 40ms);
  CHECK(f->delay_ppm == 500'000);
  CHECK(f->error_before_ppm == 100'000);
  CHECK(f->error_after_ppm == 200'000);
  CHECK(f->drop_after_ppm == 300'000);
  CHECK(f->reset_ppm == 50'000);
  CHECK(f->burst_429 == 4);
  CHECK(FaultConfig::parse("").value().none());
  CHECK(!FaultConfig::parse("explode=1"));
  CHECK(!FaultConfig::parse("reset=2"));
  CHECK(!FaultConfig::parse("delay=fast"));
  CHECK(!FaultConfig::parse("burst429=-1"));
}
