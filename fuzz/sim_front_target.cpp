// Fuzz target "sim_front": the simulator's REST front (query and body parsing,
// parameter validation, authentication, rate limits, faults, the endpoints and the
// matching engine behind them) on a sequence of requests.
//
// Input: one request per line, `[!|?]METHOD PATH[?QUERY][ BODY]`, e.g.
//   !POST /api/v3/order symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.001&price=59000
// A leading '!' sends the API key and signs the request as a client would (timestamp
// appended, HMAC-SHA256 of query and body); '?' sends the key without signing. An
// optional first line `faults SPEC` sets the fault injection (FaultConfig::parse).
// Requests are 250 ms apart. A second account keeps resting orders on both sides, so
// orders can fill.
//
// Properties: handle() never throws; every non-empty reply body is valid JSON; every
// non-2xx reply carries Binance's {"code":<negative>,"msg":..} body (except 404 for
// an unknown route, which Binance sends empty); funds are conserved (for each asset,
// the accounts' free + locked plus the fees collected equal what was deposited) and no
// balance goes negative.
#include <string>
#include <string_view>

#include <simdjson.h>

#include "cts/sign/encoding.hpp"
#include "cts/sign/hmac.hpp"
#include "cts/sim/binance_front.hpp"
#include "cts/venue/binance/errors.hpp"
#include "fuzz_target.hpp"
#include "request_lines.hpp"

namespace {

using namespace cts;
using namespace cts::sim;
using cts::fuzz::require;

constexpr std::string_view kKey = "fuzz-key";
constexpr std::string_view kSecret = "fuzz-secret";
constexpr std::int64_t kStartMs = 1'700'000'000'000;

Decimal decimal(std::string_view text) { return Decimal::parse(text).value(); }

Instrument instrument(std::string symbol, std::string base) {
  Instrument in;
  in.venue_symbol = std::move(symbol);
  in.base = std::move(base);
  in.quote = "USDT";
  in.tick_size = decimal("0.01");
  in.step_size = decimal("0.00001");
  in.min_quantity = decimal("0.00001");
  in.max_quantity = decimal("9000");
  in.min_notional = decimal("5");
  return in;
}

// The request a line describes, or nothing for a line that does not describe one.
std::optional<HttpRequest> request_of(std::string_view line, std::int64_t now_ms, const sign::HmacSha256& mac) {
  const bool sign_it = line.starts_with('!');
  const bool key_only = line.starts_with('?');
  if (sign_it || key_only) line.remove_prefix(1);
  std::optional<HttpRequest> parsed = cts::fuzz::parse_request_line(line);
  if (!parsed) return std::nullopt;
  HttpRequest& r = *parsed;
  if (sign_it || key_only) r.set_header("X-MBX-APIKEY", kKey);
  if (sign_it) {
    std::string& params = r.method == HttpMethod::post ? r.body : r.query;
    if (!params.empty()) params.push_back('&');
    params.append("timestamp=").append(std::to_string(now_ms));
    const auto digest = mac.digest({r.query, r.body});
    if (!r.query.empty()) r.query.push_back('&');
    r.query.append("signature=").append(sign::hex_lower(digest));
  }
  return parsed;
}

void check_reply(const net::ServerReply& reply) {
  if (reply.action != net::ReplyAction::respond) return;
  const HttpResponse& response = reply.response;
  if (response.body.empty()) {
    require(response.status == 404, "only an unknown route gets an empty body");
    return;
  }
  simdjson::dom::parser parser;
  simdjson::dom::element element;
  require(parser.parse(response.body).get(element) == simdjson::SUCCESS, "every reply body is valid JSON");
  if (response.status >= 200 && response.status < 300) return;
  const auto body = venue::binance::parse_error_body(response.body);
  require(body.has_value() && body->code < 0 && !body->msg.empty(), "an error reply carries Binance's code and msg");
}

void check_funds(const MatchingEngine& engine, AccountId a, AccountId b) {
  require(engine.total_supply("BTC") == decimal("10") && engine.total_supply("ETH") == decimal("100") &&
              engine.total_supply("USDT") == decimal("2000000"),
          "funds are conserved");
  for (const AccountId account : {a, b}) {
    for (const auto& [asset, balance] : engine.balances(account)) {
      require(!balance.free.is_negative() && !balance.locked.is_negative(), "no balance goes negative");
    }
  }
}

}  // namespace

CTS_FUZZ_TARGET(sim_front) {
  FrontConfig config;
  config.limits.request_weight_per_minute = 400;
  config.limits.orders_per_10s = 20;
  const std::string_view lines = cts::fuzz::read_fault_line(input, config.faults);

  MatchingEngine engine;
  engine.add_symbol(instrument("BTCUSDT", "BTC"));
  engine.add_symbol(instrument("ETHUSDT", "ETH"));
  const AccountId user = engine.create_account();
  const AccountId maker = engine.create_account();
  for (const AccountId account : {user, maker}) {
    engine.deposit(account, "BTC", decimal("5"));
    engine.deposit(account, "ETH", decimal("50"));
    engine.deposit(account, "USDT", decimal("1000000"));
  }
  for (const auto& [symbol, bid, ask] :
       {std::tuple{"BTCUSDT", "59990", "60010"}, std::tuple{"ETHUSDT", "2999", "3001"}}) {
    OrderRequest order{
        .account = maker, .symbol = symbol, .side = Side::buy, .quantity = decimal("0.5"), .price = decimal(bid)};
    require(engine.place(order, kStartMs).has_value(), "the maker's bid rests");
    order.side = Side::sell;
    order.price = decimal(ask);
    require(engine.place(order, kStartMs).has_value(), "the maker's ask rests");
  }
  BinanceFront front(engine, config);
  front.add_credential(std::string(kKey), kSecret, user);
  const sign::HmacSha256 mac(kSecret);

  cts::fuzz::for_each_request_line(lines, kStartMs, [&](std::string_view line, std::int64_t now_ms) {
    const auto request = request_of(line, now_ms, mac);
    if (!request) return false;
    check_reply(front.handle(*request, from_unix_millis(now_ms)));
    check_funds(engine, user, maker);
    return true;
  });
}
