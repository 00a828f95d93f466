// Tests for cts/venue/binance/stream_frames.hpp against the frames printed in
// web-socket-streams.md ("Live Subscribing/Unsubscribing") and web-socket-api.md.
#include <cts/venue/binance/stream_frames.hpp>

#include <string>
#include <vector>

#include <doctest/doctest.h>

namespace binance = cts::venue::binance;

TEST_CASE("stream names are lower-case symbol plus suffix") {
  CHECK(binance::depth_stream("BTCUSDT") == "btcusdt@depth@100ms");
  CHECK(binance::depth_stream("BNBBTC", false) == "bnbbtc@depth");
  CHECK(binance::trade_stream("BNBBTC") == "bnbbtc@trade");
  CHECK(binance::agg_trade_stream("BTCUSDT") == "btcusdt@aggTrade");
  CHECK(binance::book_ticker_stream("BNBUSDT") == "bnbusdt@bookTicker");
}

TEST_CASE("SUBSCRIBE and UNSUBSCRIBE frames as documented") {
  const std::vector<std::string> streams{"btcusdt@aggTrade", "btcusdt@depth"};
  CHECK(binance::subscribe_frame(streams, 1) == R"({"method":"SUBSCRIBE","params":["btcusdt@aggTrade","btcusdt@depth"],"id":1})");
  const std::vector<std::string> one{"btcusdt@depth"};
  CHECK(binance::unsubscribe_frame(one, 312) == R"({"method":"UNSUBSCRIBE","params":["btcusdt@depth"],"id":312})");
}

TEST_CASE("user data subscription through the WebSocket API") {
  CHECK(binance::user_data_subscribe_payload("vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A",
                                             1645423376532) ==
        "apiKey=vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A&timestamp=1645423376532");
  const auto frame = binance::user_data_subscribe_frame("req-1", "KEY", 1645423376532, "abcdef");
  REQUIRE(frame.has_value());
  CHECK(*frame ==
        R"({"id":"req-1","method":"userDataStream.subscribe.signature","params":{"apiKey":"KEY","timestamp":1645423376532,"signature":"abcdef"}})");
  CHECK(binance::user_data_subscribe_frame("", "KEY", 1, "sig").error().code == cts::ErrorCode::invalid_argument);
  CHECK(binance::user_data_unsubscribe_frame("req-2", 0) ==
        R"({"id":"req-2","method":"userDataStream.unsubscribe","params":{"subscriptionId":0}})");
}

TEST_CASE("JSON strings in frames are escaped") {
  const std::vector<std::string> odd{"a\"b\\c"};
  CHECK(binance::subscribe_frame(odd, 2) == R"({"method":"SUBSCRIBE","params":["a\"b\\c"],"id":2})");
}
