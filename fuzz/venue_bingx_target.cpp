// Fuzz target "bingx_rest": every BingX swap and spot reply parser
// (cts/venue/bingx/replies.hpp, spot_replies.hpp; a spot cancelReplace's step errors
// included), the throttle reader and the stream frame readers (cts/venue/bingx/streams.hpp
// through a swap and a spot PublicMarketStream that also read the book ticker and trades,
// user_stream.hpp and spot_user_stream.hpp) on any input. The input is a reply body or a
// frame (the fixtures tests/fixtures/bingx/*.json are seeds), given to every REST parser with status 200 and
// once more with an error status chosen by the input's length, and to the stream as it
// is (GZIP inputs are inflated). Properties: no parser crashes or throws; every error
// carries a valid ErrorCode and a message and is never an internal error; a parsed depth
// is in book order (bids falling, asks rising) and a synced stream book is never crossed;
// a ticker change leaves a ticker that names its symbol; trades, a ticker and levels are
// read only from pushes of their data type;
// a listen key read is never empty; the client-id wire form reads back to the id it was
// made from.
#include <array>
#include <string>
#include <string_view>

#include "cts/venue/bingx/client_ids.hpp"
#include "cts/venue/bingx/rate_limit.hpp"
#include "cts/venue/bingx/replies.hpp"
#include "cts/venue/bingx/spot_replies.hpp"
#include "cts/venue/bingx/spot_user_stream.hpp"
#include "cts/venue/bingx/streams.hpp"
#include "cts/venue/bingx/user_stream.hpp"
#include "fuzz_target.hpp"

namespace {

using cts::fuzz::require;
namespace bingx = cts::venue::bingx;

constexpr std::array kBingxErrorStatuses = {400, 401, 403, 404, 418, 429, 500, 502, 504};

// Checks one parser's result.
template <class R>
void check_bingx(const R& result) {
  if (result) return;
  cts::fuzz::require_reply_error(result.error());
}

// Checks that a parsed depth is in book order.
void check_book_order(const cts::venue::BookSnapshot& book) {
  for (std::size_t i = 1; i < book.bids.size(); ++i) {
    require(book.bids[i - 1].price >= book.bids[i].price, "bids are highest first");
  }
  for (std::size_t i = 1; i < book.asks.size(); ++i) {
    require(book.asks[i - 1].price <= book.asks[i].price, "asks are lowest first");
  }
}

// Feeds `input` to a market stream and checks a synced book is never crossed, a new
// ticker is the symbol's and no trade is kept without the time it read.
void check_market_stream(bingx::PublicMarketStream& stream, std::string_view input) {
  const auto change = stream.on_message(input);
  if (!change) {
    cts::fuzz::require_reply_error(change.error());
    return;
  }
  if (stream.synced()) require(!stream.book().crossed(), "a synced stream book is never crossed");
  if (*change == cts::venue::MarketChange::ticker) {
    require(stream.ticker().has_value() && !stream.ticker()->symbol.empty(), "a ticker change leaves a named ticker");
  }
}

// Checks that a frame's trades, ticker and levels come only from pushes of their data type.
void check_stream_message(std::string_view input) {
  const auto message = bingx::parse_stream_message(input);
  if (!message) return cts::fuzz::require_reply_error(message.error());
  const std::string_view type = message->data_type;
  require(message->trades.empty() || type.ends_with("@trade"), "trades come from a trade push");
  require(!message->ticker || type.ends_with("@bookTicker"), "a ticker comes from a book-ticker push");
  require((message->depth.bids.empty() && message->depth.asks.empty()) || type.find("@depth") != std::string_view::npos,
          "levels come from a depth push");
}

void parse_all_bingx(const cts::HttpResponse& response) {
  check_bingx(bingx::parse_server_time(response));
  check_bingx(bingx::parse_contracts(response));
  if (const auto book = bingx::parse_depth(response); book) {
    check_book_order(*book);
  } else {
    check_bingx(book);
  }
  check_bingx(bingx::parse_book_ticker(response));
  check_bingx(bingx::parse_order_ack(response));
  check_bingx(bingx::parse_order(response, cts::venue::Operation::read));
  check_bingx(bingx::parse_order(response, cts::venue::Operation::mutation));
  check_bingx(bingx::parse_open_orders(response));
  check_bingx(bingx::parse_cancel_all(response));
  check_bingx(bingx::parse_fills(response));
  check_bingx(bingx::parse_balances(response));
  check_bingx(bingx::parse_positions(response));
  if (const auto key = bingx::parse_listen_key(response); key) {
    require(!key->empty(), "a listen key read is never empty");
  } else {
    check_bingx(key);
  }
  check_bingx(bingx::parse_listen_key_ack(response));
  check_bingx(bingx::parse_cancel_replace(response));
  check_bingx(bingx::parse_cancel_all_after(response));
  (void)bingx::throttle_signal(response);
  check_bingx(bingx::parse_spot_symbols(response));
  if (const auto book = bingx::parse_spot_depth(response); book) {
    check_book_order(*book);
  } else {
    check_bingx(book);
  }
  check_bingx(bingx::parse_spot_book_ticker(response));
  check_bingx(bingx::parse_spot_order(response, cts::venue::Operation::read));
  check_bingx(bingx::parse_spot_order(response, cts::venue::Operation::mutation));
  check_bingx(bingx::parse_spot_open_orders(response));
  check_bingx(bingx::parse_spot_cancel_open_orders(response));
  check_bingx(bingx::parse_spot_balances(response));
  check_bingx(bingx::parse_spot_trades(response));
  if (const auto replaced = bingx::parse_spot_cancel_replace(response); replaced) {
    check_bingx(replaced->cancelled);
    check_bingx(replaced->opened);
  } else {
    check_bingx(replaced);
  }
  check_bingx(bingx::parse_spot_cancel_all_after(response));
}

}  // namespace

CTS_FUZZ_TARGET(bingx_rest) {
  cts::HttpResponse response;
  response.status = 200;
  response.body.assign(input);
  parse_all_bingx(response);
  response.status = kBingxErrorStatuses[input.size() % kBingxErrorStatuses.size()];
  parse_all_bingx(response);
  constexpr bingx::MarketStreamOptions all{.book_ticker = true, .trades = true};
  bingx::PublicMarketStream swap_stream("BTC-USDT", bingx::StreamMarket::swap, all);
  check_market_stream(swap_stream, input);
  bingx::PublicMarketStream spot_stream("BTC-USDT", bingx::StreamMarket::spot, all);
  check_market_stream(spot_stream, input);
  check_stream_message(input);
  bingx::SwapUserStream swap_user;
  check_bingx(swap_user.on_message(input));
  bingx::SpotUserStream spot_user;
  check_bingx(spot_user.on_message(input));
  if (const auto wire = bingx::to_wire_client_id(input.substr(0, 40)); wire) {
    require(bingx::from_wire_client_id(*wire) == input.substr(0, 40), "a client id reads back from its wire form");
    for (const char c : *wire) require(!(c >= 'A' && c <= 'Z'), "the wire form has no capital");
  }
}
