// Fuzz target "venue_stream": Binance WebSocket frames, both ways.
//
// Incoming: the input is a frame for parse_stream_event() and parse_depth_diff() (the
// fixtures tests/fixtures/binance/*_ws_*.json are seeds); an order update is turned
// into its state-machine event, a depth diff is fed to a spot and a USD-M BookSync on
// top of a one-level snapshot; the frame also goes through the seam's USD-M protocols
// (UsdmMarketStream before and after a snapshot, UsdmUserStream). Properties: no crash
// or throw; every error carries a valid ErrorCode and a message; a depth diff reads the
// same through both parsers; the user stream refuses exactly the frames
// parse_stream_event refuses.
//
// Outgoing: the input is used as a stream name, a request id, an API key and a
// signature in the frames we send; when the input is valid UTF-8 each frame must be
// valid JSON that gives the input back exactly (the escaping is complete); a listen
// key UsdmUserStream accepts comes back exactly in its connection target.
#include <span>
#include <string>
#include <string_view>
#include <variant>

#include "cts/venue/binance/book_sync.hpp"
#include "cts/venue/binance/order_events.hpp"
#include "cts/venue/binance/stream_frames.hpp"
#include "cts/venue/binance/streams.hpp"
#include "cts/venue/binance/usdm_streams.hpp"
#include "fuzz_target.hpp"

namespace {

using cts::ErrorCode;
using cts::fuzz::require;
using namespace cts::venue::binance;
namespace od = simdjson::ondemand;

void check_error(const cts::Error& error) {
  require(static_cast<std::size_t>(error.code) < cts::kErrorCodeCount, "an error carries a valid ErrorCode");
  require(!error.message.empty(), "an error says what is wrong");
}

void feed_book(const cts::venue::DepthDiff& diff) {
  cts::venue::BookSnapshot snapshot;
  snapshot.last_update_id = diff.first_update_id == 0 ? 0 : diff.first_update_id - 1;
  snapshot.bids.push_back({cts::Decimal::from_int(1), cts::Decimal::from_int(1)});
  snapshot.asks.push_back({cts::Decimal::from_int(2), cts::Decimal::from_int(1)});
  for (const Market market : {Market::spot, Market::usdm}) {
    BookSync sync(market, 4);
    const auto buffered = sync.on_diff(diff);
    if (!buffered) {
      check_error(buffered.error());
      continue;
    }
    if (const auto synced = sync.on_snapshot(snapshot); !synced) check_error(synced.error());
    if (const auto again = sync.on_diff(diff); !again) check_error(again.error());
  }
}

void feed_protocols(std::string_view frame, bool parses) {
  UsdmUserStream user;
  const auto events = user.on_message(frame);
  if (!events) check_error(events.error());
  require(events.has_value() == parses, "the USD-M user stream refuses exactly what parse_stream_event refuses");
  UsdmMarketStream market("BTCUSDT");
  if (const auto changed = market.on_message(frame); !changed) check_error(changed.error());
  cts::venue::BookSnapshot snapshot;
  snapshot.last_update_id = 1;
  snapshot.bids.push_back({cts::Decimal::from_int(1), cts::Decimal::from_int(1)});
  snapshot.asks.push_back({cts::Decimal::from_int(2), cts::Decimal::from_int(1)});
  if (const auto synced = market.on_snapshot(snapshot); !synced) check_error(synced.error());
  if (const auto changed = market.on_message(frame); !changed) check_error(changed.error());
}

void parse_incoming(std::string_view frame) {
  const auto event = parse_stream_event(frame);
  feed_protocols(frame, event.has_value());
  if (!event) {
    check_error(event.error());
  } else if (const auto* update = std::get_if<OrderUpdate>(&*event)) {
    const auto order_event = to_order_event(*update);
    if (!order_event)
      require(order_event.error().code == ErrorCode::invalid_argument,
              "to_order_event fails only with invalid_argument");
  } else if (const auto* diff = std::get_if<cts::venue::DepthDiff>(&*event)) {
    feed_book(*diff);
  }
  cts::venue::DepthDiff diff;
  const auto direct = parse_depth_diff(frame, diff);
  if (!direct) {
    check_error(direct.error());
    require(direct.error().code == ErrorCode::protocol_error, "parse_depth_diff fails only with protocol_error");
    return;
  }
  const auto* generic = event ? std::get_if<cts::venue::DepthDiff>(&*event) : nullptr;
  require(generic != nullptr, "a frame parse_depth_diff reads is a depth diff for parse_stream_event too");
  require(generic->symbol == diff.symbol && generic->first_update_id == diff.first_update_id &&
              generic->final_update_id == diff.final_update_id && generic->bids == diff.bids &&
              generic->asks == diff.asks,
          "both parsers read the same depth diff");
}

// The string at `path` (a JSON pointer) of `frame`, which must be valid JSON.
std::string string_at(std::string_view frame, std::string_view pointer) {
  auto document = cts::venue::thread_json_reader().iterate(frame);
  require(!document.error(), "an outgoing frame starts as JSON");
  std::string_view value;
  const auto error = document.value_unsafe().at_pointer(pointer).get_string().get(value);
  require(error == simdjson::SUCCESS, "an outgoing frame is valid JSON with its strings in place");
  return std::string(value);
}

void build_outgoing(std::string_view text) {
  if (!simdjson::validate_utf8(text)) return;
  const std::string name(text);
  const std::string subscribe = subscribe_frame(std::span<const std::string>(&name, 1), 7);
  require(string_at(subscribe, "/params/0") == text, "a stream name survives the SUBSCRIBE frame");
  const std::string unsubscribe = unsubscribe_frame(std::span<const std::string>(&name, 1), 8);
  require(string_at(unsubscribe, "/params/0") == text, "a stream name survives the UNSUBSCRIBE frame");
  const auto user = user_data_subscribe_frame(text, text, 1'700'000'000'000, text);
  if (text.empty()) {
    require(!user && user.error().code == ErrorCode::invalid_argument, "an empty id, key or signature is refused");
    return;
  }
  require(user.has_value(), "the user data subscription builds for any non-empty id, key and signature");
  require(string_at(*user, "/id") == text && string_at(*user, "/params/apiKey") == text &&
              string_at(*user, "/params/signature") == text,
          "id, API key and signature survive the subscription frame");
  const std::string unsubscribe_user = user_data_unsubscribe_frame(text, 42);
  require(string_at(unsubscribe_user, "/id") == text, "the request id survives the unsubscribe frame");
  UsdmUserStream listen;
  if (listen.set_stream_key(name)) {
    require(listen.subscriptions({}).has_value(), "a stream with a key subscribes");
    require(listen.connection_target("/private") == "/private/ws?listenKey=" + name,
            "the listen key is the connection target's query, unchanged");
  }
}

}  // namespace

CTS_FUZZ_TARGET(venue_stream) {
  parse_incoming(input);
  build_outgoing(input);
}
