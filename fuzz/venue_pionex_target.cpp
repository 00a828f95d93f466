// Fuzz target "pionex": every Pionex reply and stream parser (cts/venue/pionex/) on any
// input. The input is a REST body for each reply parser (as an HTTP 200 and as a 400) and
// a frame for parse_stream_frame(), answer_ping() and both stream protocols (the
// fixtures tests/fixtures/pionex/*.json are seeds). Properties: nothing crashes or
// throws; every error carries a valid ErrorCode and a message and is never an internal
// error; an error from a `"result":false` reply keeps Pionex's code and names it; a PONG
// is only ever the answer to a PING and echoes its timestamp; a synchronised book is
// never crossed.
#include <string>
#include <string_view>
#include <variant>

#include "cts/sign/pionex.hpp"
#include "cts/venue/pionex/account.hpp"
#include "cts/venue/pionex/market.hpp"
#include "cts/venue/pionex/orders.hpp"
#include "cts/venue/pionex/stream_protocols.hpp"
#include "cts/venue/pionex/streams.hpp"
#include "fuzz_target.hpp"

namespace {

using cts::fuzz::require;
using cts::fuzz::require_reply_error;
namespace pionex = cts::venue::pionex;

// Checks a parser's result: anything, or a valid error; an error read from a Pionex
// code (`"result":false`) keeps the code and names it after the venue.
template <class R>
void check_pionex(const R& result) {
  if (result) return;
  const cts::Error& error = result.error();
  require_reply_error(error);
  if (!error.venue_code.empty()) {
    require(error.message.starts_with("pionex " + error.venue_code + ": "), "a venue error names its code");
  }
}

}  // namespace

CTS_FUZZ_TARGET(pionex) {
  for (const int status : {200, 400}) {
    cts::HttpResponse response;
    response.status = status;
    response.body.assign(input);
    check_pionex(pionex::parse_symbols(response));
    check_pionex(pionex::parse_order_book(response));
    check_pionex(pionex::parse_market_trades(response));
    check_pionex(pionex::parse_tickers(response));
    check_pionex(pionex::parse_book_tickers(response));
    check_pionex(pionex::parse_reply_time(response));
    check_pionex(pionex::parse_new_order(response));
    check_pionex(pionex::parse_cancel(response));
    check_pionex(pionex::parse_order(response));
    check_pionex(pionex::parse_orders(response));
    check_pionex(pionex::parse_fills(response));
    check_pionex(pionex::parse_balances(response));
  }

  const auto frame = pionex::parse_stream_frame(input);
  check_pionex(frame);
  const std::string pong = pionex::answer_ping(input);
  if (!pong.empty()) {
    const auto* ping = frame ? std::get_if<pionex::Ping>(&*frame) : nullptr;
    require(ping != nullptr, "only a PING is answered");
    require(ping != nullptr && pong == pionex::pong_frame(ping->timestamp), "the PONG echoes the PING's timestamp");
  }

  pionex::PublicMarketStream market("BTC_USDT");
  check_pionex(market.on_message(input));
  require(!market.synced() || !market.book().crossed(), "a synchronised book is never crossed");

  static const cts::sign::PionexSigner signer("fuzz-key", cts::sign::Secret(std::string("fuzz-secret")));
  pionex::PrivateUserStream user(signer);
  user.follow_symbol("BTC_USDT");
  check_pionex(user.on_message(input));
}
