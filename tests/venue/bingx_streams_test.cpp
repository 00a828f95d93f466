// Tests for cts/venue/bingx/streams.hpp: GZIP frames inflated, the server's Ping, the
// subscription reply and the partial depth of BingX's docs v3 (tests/fixtures/bingx,
// README there), compressed here with zlib as BingX sends every frame. Expected values
// are the document's.
#include <cts/venue/bingx/streams.hpp>

#include <string>

#include <doctest/doctest.h>
#include <zlib.h>

#include "support.hpp"

using cts::ErrorCode;
using cts::venue::MarketChange;
using cts_test::bingx_fixture_text;
namespace bingx = cts::venue::bingx;
using namespace cts::literals;

namespace {

/// `text` as a GZIP stream (zlib's deflate with a gzip wrapper).
std::string gzip(std::string_view text) {
  z_stream zs{};
  REQUIRE(deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) == Z_OK);
  std::string out(deflateBound(&zs, static_cast<uLong>(text.size())) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  zs.avail_in = static_cast<uInt>(text.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  REQUIRE(deflate(&zs, Z_FINISH) == Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

/// The docs' depth push, for the data type the stream subscribes (depth20 instead of
/// the example's depth5; the levels are the example's).
std::string depth_push() {
  std::string text = bingx_fixture_text("ws_depth.json");
  text.replace(text.find("@depth5@"), 8, "@depth20@");
  return text;
}

}  // namespace

TEST_CASE("bingx frames: GZIP inflated, plain text kept, corrupt GZIP refused") {
  CHECK(bingx::inflate_frame(gzip("Ping")).value() == "Ping");
  CHECK(bingx::inflate_frame("Ping").value() == "Ping");
  std::string corrupt = gzip(depth_push());
  corrupt.resize(corrupt.size() / 2);
  CHECK(bingx::inflate_frame(corrupt).error().code == ErrorCode::protocol_error);
  CHECK(bingx::subscribe_frame("a1", "BTC-USDT@depth20@500ms") ==
        R"({"id":"a1","reqType":"sub","dataType":"BTC-USDT@depth20@500ms"})");
  CHECK(bingx::depth_data_type("BTC-USDT") == "BTC-USDT@depth20@500ms");
}

TEST_CASE("bingx stream messages: ping, reply and the docs' depth push") {
  CHECK(bingx::parse_stream_message(gzip("Ping")).value().kind == bingx::StreamMessage::Kind::ping);
  const auto reply = bingx::parse_stream_message(gzip(bingx_fixture_text("ws_subscribe_reply.json"))).value();
  CHECK(reply.kind == bingx::StreamMessage::Kind::reply);
  CHECK(reply.id == "e745cd6d-d0f6-4a70-8d5a-043e4c741b40");
  CHECK(reply.code == 0);
  const auto push = bingx::parse_stream_message(gzip(bingx_fixture_text("ws_depth.json"))).value();
  CHECK(push.kind == bingx::StreamMessage::Kind::push);
  CHECK(push.data_type == "BTC-USDT@depth5@500ms");
  CHECK(push.time_ms == 1759996742928);
  REQUIRE(push.depth.bids.size() == 5);
  REQUIRE(push.depth.asks.size() == 5);
  CHECK(push.depth.bids.front().price == "121825.7"_d);
  CHECK(push.depth.bids.front().quantity == "7.7622"_d);
  CHECK(push.depth.asks.front().price == "121825.9"_d);  // printed last: asks come highest first
  CHECK(push.depth.asks.front().quantity == "9.2345"_d);
  CHECK(push.depth.asks.back().price == "121827.3"_d);
  CHECK(bingx::parse_stream_message(gzip("{")).error().code == ErrorCode::protocol_error);
  CHECK(bingx::parse_stream_message(gzip(R"({"code":0,"dataType":"BTC-USDT@depth5@500ms","data":{"bids":[]}})"))
            .error()
            .code == ErrorCode::protocol_error);
}

TEST_CASE("bingx market stream: subscribed, then every depth push replaces the book") {
  bingx::PublicMarketStream stream("BTC-USDT");
  CHECK(stream.path() == "/swap-market");
  CHECK(stream.application_ping() == "Pong");
  REQUIRE(stream.subscriptions().size() == 1);
  CHECK(stream.subscriptions()[0] ==
        R"({"id":"cts-depth-BTC-USDT","reqType":"sub","dataType":"BTC-USDT@depth20@500ms"})");
  CHECK_FALSE(stream.rest_snapshots());

  std::string reply = bingx_fixture_text("ws_subscribe_reply.json");
  reply.replace(reply.find("e745cd6d-d0f6-4a70-8d5a-043e4c741b40"), 36, "cts-depth-BTC-USDT");
  CHECK(stream.on_message(gzip(reply)).value() == MarketChange::subscribed);
  CHECK(stream.on_message(gzip("Ping")).value() == MarketChange::none);
  CHECK_FALSE(stream.synced());

  CHECK(stream.on_message(gzip(depth_push())).value() == MarketChange::book);
  CHECK(stream.synced());
  CHECK(stream.book().best_bid()->price == "121825.7"_d);
  CHECK(stream.book().best_ask()->price == "121825.9"_d);
  CHECK(stream.book().depth(cts::Side::sell) == 5);
  // Another symbol's push, or the docs' depth5 type, changes nothing.
  CHECK(stream.on_message(gzip(bingx_fixture_text("ws_depth.json"))).value() == MarketChange::none);

  std::string refused = reply;
  refused.replace(refused.find(R"("code":0)"), 8, R"("code":80015)");
  CHECK(stream.on_message(gzip(refused)).error().code == ErrorCode::invalid_argument);

  // A crossed push: the book is dropped (gap).
  std::string crossed = depth_push();
  crossed.replace(crossed.find("121825.9"), 8, "121800.0");
  CHECK(stream.on_message(gzip(crossed)).value() == MarketChange::gap);
  CHECK_FALSE(stream.synced());
  stream.reset();
  CHECK(stream.book().depth(cts::Side::buy) == 0);
  CHECK(stream.on_snapshot({}).error().code == ErrorCode::unsupported);
}
