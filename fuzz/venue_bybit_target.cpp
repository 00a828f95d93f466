// Fuzz targets "bybit_rest" and "bybit_stream": every Bybit v5 parser on any input.
//
// bybit_rest: the input is a reply body (the fixtures tests/fixtures/bybit/*.json that are
// not WebSocket frames are seeds), given to every REST reply parser with status 200 and
// once more with an error status chosen by the input's length. bybit_stream: the input is
// a WebSocket frame for parse_stream_event() and parse_trade_reply() (the fixtures
// tests/fixtures/bybit/ws_*.json are seeds); an order book message is fed to a BookSync
// twice, so that a snapshot is followed by itself as a delta. Properties: no parser
// crashes or throws; every error carries a valid ErrorCode and a message and is never an
// internal error (a Bybit reply at status 200 may carry the venue's verdict in retCode, so
// unlike Binance's a 200 reply may fail with any venue code); a synced book is never
// crossed.
#include <array>
#include <string_view>
#include <variant>

#include "cts/venue/bybit/account.hpp"
#include "cts/venue/bybit/book_sync.hpp"
#include "cts/venue/bybit/market.hpp"
#include "cts/venue/bybit/orders.hpp"
#include "cts/venue/bybit/streams.hpp"
#include "cts/venue/bybit/trade_stream.hpp"
#include "fuzz_target.hpp"

namespace {

using cts::ErrorCode;
using cts::fuzz::require;
namespace by = cts::venue::bybit;

constexpr std::array kBybitErrorStatuses = {400, 401, 403, 404, 429, 500, 502, 503, 504};

// Checks one parser's result.
template <class R>
void check_bybit(const R& result) {
  if (result) return;
  cts::fuzz::require_reply_error(result.error());
}

void parse_all_bybit(const cts::HttpResponse& response) {
  check_bybit(by::parse_server_time(response));
  for (const by::Category category : {by::Category::spot, by::Category::linear}) {
    check_bybit(by::parse_instruments(response, category));
  }
  check_bybit(by::parse_order_book(response));
  check_bybit(by::parse_tickers(response));
  check_bybit(by::parse_order_ack(response));
  check_bybit(by::parse_cancel_all(response));
  if (const auto batch = by::parse_batch(response); !batch) {
    check_bybit(batch);
  } else {
    for (const auto& item : *batch) check_bybit(item);
  }
  check_bybit(by::parse_orders(response));
  check_bybit(by::parse_executions(response));
  check_bybit(by::parse_positions(response));
  check_bybit(by::parse_wallet_balance(response));
}

}  // namespace

CTS_FUZZ_TARGET(bybit_rest) {
  cts::HttpResponse response;
  response.status = 200;
  response.body.assign(input);
  parse_all_bybit(response);
  response.status = kBybitErrorStatuses[input.size() % kBybitErrorStatuses.size()];
  parse_all_bybit(response);
}

CTS_FUZZ_TARGET(bybit_stream) {
  check_bybit(by::parse_trade_reply(input));
  const auto event = by::parse_stream_event(input);
  if (!event) {
    check_bybit(event);
    return;
  }
  const auto* update = std::get_if<by::BookUpdate>(&*event);
  if (update == nullptr) return;
  by::BookSync sync;
  by::BookUpdate as_snapshot = *update;
  as_snapshot.snapshot = true;
  by::BookUpdate as_delta = *update;
  as_delta.snapshot = false;
  as_delta.book.last_update_id += 1;
  for (const by::BookUpdate* message : {&as_snapshot, &as_delta}) {
    check_bybit(sync.on_update(*message));
    if (sync.synced()) require(!sync.book().crossed(), "a synced book is never crossed");
  }
}
