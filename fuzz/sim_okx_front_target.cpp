// Fuzz target "sim_okx_front": the simulator's OKX v5 REST front (query and JSON body
// parsing, parameter validation, OK-ACCESS-* authentication, per-endpoint limits, faults,
// the endpoints and the matching engine behind them, SPOT and SWAP in contracts) on a
// sequence of requests.
//
// Input: one request per line, `[!]METHOD PATH[?QUERY][ BODY]`, e.g.
//   !POST /api/v5/trade/order
//   {"instId":"BTC-USDT","tdMode":"cash","side":"buy","ordType":"limit","sz":"0.01","px":"59000"}
// A leading '!' signs the request as a client would (OK-ACCESS-KEY, -PASSPHRASE,
// -TIMESTAMP and -SIGN over timestamp + METHOD + path[?query] + body). An optional first
// line `faults SPEC` sets the fault injection (FaultConfig::parse). Requests are 250 ms
// apart. A second account keeps resting orders on both sides of every market, so orders
// can fill.
//
// Properties: handle() never throws; every reply body is valid JSON whose `code` is
// OKX's (a string of digits; the numeric 404 of an unknown path only with HTTP 404); a
// status other than 200 comes only with 50011 (429), 50001 (503), an authentication
// code 501xx (401) or 404; BTC and ETH are conserved (SWAP settles in USDT) and no
// balance's locked part goes negative.
#include <string>
#include <string_view>

#include <simdjson.h>

#include "cts/sign/okx.hpp"
#include "cts/sim/okx_front.hpp"
#include "fuzz_target.hpp"
#include "request_lines.hpp"

namespace {

using namespace cts;
using namespace cts::sim;
using cts::fuzz::require;

constexpr std::string_view kOkxFuzzKey = "fuzz-key";
constexpr std::string_view kOkxFuzzSecret = "fuzz-secret";
constexpr std::string_view kOkxFuzzPassphrase = "fuzz-passphrase";
constexpr std::int64_t kOkxFuzzStartMs = 1'700'000'000'000;

Decimal okx_fuzz_decimal(std::string_view text) { return Decimal::parse(text).value(); }

// The request a line describes, or nothing for a line that does not describe one;
// signed by cts's OKX signer at `now_ms` when the line starts with '!'.
std::optional<HttpRequest> okx_request_of(std::string_view line, std::int64_t now_ms, const sign::OkxSigner& signer) {
  const bool sign_it = line.starts_with('!');
  if (sign_it) line.remove_prefix(1);
  std::optional<HttpRequest> r = cts::fuzz::parse_request_line(line);
  if (r && sign_it) require(static_cast<bool>(signer.sign(*r, {from_unix_millis(now_ms), {}, {}})), "signing succeeds");
  return r;
}

void okx_check_reply(const net::ServerReply& reply) {
  if (reply.action != net::ReplyAction::respond) return;
  const HttpResponse& response = reply.response;
  simdjson::dom::parser parser;
  simdjson::dom::element element;
  require(parser.parse(response.body).get(element) == simdjson::SUCCESS, "every reply body is valid JSON");
  if (response.status == 404) {
    std::int64_t numeric = 0;
    require(element["code"].get(numeric) == simdjson::SUCCESS && numeric == 404,
            "an unknown path answers the numeric 404");
    return;
  }
  std::string_view code;
  require(element["code"].get(code) == simdjson::SUCCESS && !code.empty() &&
              code.find_first_not_of("0123456789") == std::string_view::npos,
          "every reply carries OKX's code as a string of digits");
  if (response.status == 200) return;
  const bool expected = (response.status == 429 && code == "50011") || (response.status == 503 && code == "50001") ||
                        (response.status == 401 && code.starts_with("501"));
  require(expected, "a status other than 200 comes with its OKX code");
}

void okx_check_funds(const MatchingEngine& engine, AccountId a, AccountId b) {
  require(engine.total_supply("BTC") == okx_fuzz_decimal("10") && engine.total_supply("ETH") == okx_fuzz_decimal("100"),
          "BTC and ETH are conserved");
  for (const AccountId account : {a, b}) {
    for (const auto& [asset, balance] : engine.balances(account)) {
      require(!balance.locked.is_negative(), "no locked balance goes negative");
      if (asset != "USDT") require(!balance.free.is_negative(), "no spot asset goes negative");
    }
  }
}

}  // namespace

CTS_FUZZ_TARGET(sim_okx_front) {
  OkxFrontConfig config;
  config.limits.place_per_window = 8;
  config.limits.batch_orders_per_window = 30;
  config.limits.balance_per_window = 4;
  const std::string_view lines = cts::fuzz::read_fault_line(input, config.faults);

  MatchingEngine engine;
  for (const MarketSpec& m : default_okx_markets()) engine.add_symbol(m.instrument, m.filters);
  const AccountId user = engine.create_account();
  const AccountId maker = engine.create_account();
  for (const AccountId account : {user, maker}) {
    engine.deposit(account, "BTC", okx_fuzz_decimal("5"));
    engine.deposit(account, "ETH", okx_fuzz_decimal("50"));
    engine.deposit(account, "USDT", okx_fuzz_decimal("1000000"));
  }
  const std::string swap = market_key(InstrumentKind::linear_perpetual, "BTC-USDT-SWAP");
  for (const auto& [market, bid, ask] :
       {std::tuple{std::string("BTC-USDT"), "59990", "60010"}, std::tuple{std::string("ETH-USDT"), "2999", "3001"},
        std::tuple{swap, "59990", "60010"}}) {
    OrderRequest order{.account = maker,
                       .symbol = market,
                       .side = Side::buy,
                       .quantity = okx_fuzz_decimal("0.5"),
                       .price = okx_fuzz_decimal(bid)};
    require(engine.place(order, kOkxFuzzStartMs).has_value(), "the maker's bid rests");
    order.side = Side::sell;
    order.price = okx_fuzz_decimal(ask);
    require(engine.place(order, kOkxFuzzStartMs).has_value(), "the maker's ask rests");
  }
  OkxFront front(engine, config);
  front.add_credential(std::string(kOkxFuzzKey), kOkxFuzzSecret, std::string(kOkxFuzzPassphrase), user);
  const sign::OkxSigner signer{std::string(kOkxFuzzKey), sign::Secret(kOkxFuzzSecret),
                               sign::Secret(kOkxFuzzPassphrase)};

  cts::fuzz::for_each_request_line(lines, kOkxFuzzStartMs, [&](std::string_view line, std::int64_t now_ms) {
    const auto request = okx_request_of(line, now_ms, signer);
    if (!request) return false;
    okx_check_reply(front.handle(*request, from_unix_millis(now_ms)));
    okx_check_funds(engine, user, maker);
    return true;
  });
}
