// Tests for cts/venue/okx/streams.hpp, book_sync.hpp and stream_protocols.hpp: OKX v5's
// public order book and private streams on the venue seam, on the push examples of
// OKX's documentation and nautilus_trader's OKX test data (tests/fixtures/okx/ws_*.json;
// the README names each source). Expected values are the documents'. Checksums were
// computed independently with Python's zlib, e.g. for the documented snapshot's levels:
//   s = "8476.97:256:8476.98:415:8475.55:101:8477:7:8475.54:100:8477.34:85:8475.3:1:"
//       "8477.56:1:8447.32:6:8505.84:8:8447.02:246:8506.37:85:8446.83:24:8506.49:2:"
//       "8446:95:8506.96:100"
//   c = zlib.crc32(s.encode()); c - 2**32 if c >= 2**31 else c   # -2102840145
// The documented snapshot prints checksum -855196043, OKX's value for the whole book of
// which the example shows 8 levels a side: for those 8 levels it is a mismatch. The
// login signature: base64(hmac.new(b"okx-test-secret",
// b"1704067230GET/users/self/verify", hashlib.sha256).digest()).
#include <cts/venue/okx/stream_protocols.hpp>

#include <string>
#include <variant>

#include <doctest/doctest.h>

#include <cts/core/detail/crc32.hpp>
#include <cts/sign/bybit.hpp>

#include "support.hpp"

using cts::ErrorCode;
using cts_test::okx_fixture_text;
namespace okx = cts::venue::okx;
namespace venue = cts::venue;
using namespace cts::literals;

namespace {

/// The CRC-32 of the documented snapshot's 8 levels a side (see the file comment).
constexpr std::int32_t kSnapshotLevelsChecksum = -2102840145;

/// `text` with its first `from` replaced by `to` (a derived variant of a fixture).
std::string replaced(std::string text, std::string_view from, std::string_view to) {
  const std::size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  text.replace(at, from.size(), to);
  return text;
}

/// The documented snapshot with the checksum of its own levels.
std::string consistent_snapshot() {
  return replaced(okx_fixture_text("ws_books_snapshot.json"), "-855196043", std::to_string(kSnapshotLevelsChecksum));
}

/// A books update of BTC-USDT.
std::string books_update(std::int64_t prev_seq_id, std::int64_t seq_id, std::string_view asks, std::string_view bids,
                         std::int64_t checksum = 0) {
  return fmt::format(
      R"({{"arg":{{"channel":"books","instId":"BTC-USDT"}},"action":"update","data":[{{"asks":{},"bids":{},)"
      R"("ts":"1597026383086","checksum":{},"prevSeqId":{},"seqId":{}}}]}})",
      asks, bids, checksum, prev_seq_id, seq_id);
}

}  // namespace

TEST_CASE("okx crc32: the standard check value") {
  CHECK(cts::detail::crc32("123456789") == 0xCBF43926u);
  CHECK(cts::detail::crc32("") == 0u);
}

TEST_CASE("okx streams: subscribe frames, the public stream's path and ping") {
  const okx::PublicMarketStream stream("BTC-USDT");
  CHECK(stream.path() == "/ws/v5/public");
  CHECK(stream.application_ping() == "ping");
  CHECK(stream.subscriptions() ==
        std::vector<std::string>{R"({"op":"subscribe","args":[{"channel":"books","instId":"BTC-USDT"}]})"});
  CHECK_FALSE(stream.rest_snapshots());
  const okx::PublicMarketStream with_top("BTC-USDT-SWAP", true);
  CHECK(with_top.subscriptions() ==
        std::vector<std::string>{R"({"op":"subscribe","args":[{"channel":"books","instId":"BTC-USDT-SWAP"},)"
                                 R"({"channel":"bbo-tbt","instId":"BTC-USDT-SWAP"}]})"});
}

TEST_CASE("okx streams: the documented books snapshot parses with its sequence and checksum") {
  const auto parsed = okx::parse_stream_event(okx_fixture_text("ws_books_snapshot.json"));
  REQUIRE(parsed);
  const auto& update = std::get<okx::BookUpdate>(*parsed);
  CHECK(update.channel == "books");
  CHECK(update.inst_id == "BTC-USDT");
  CHECK(update.snapshot);
  CHECK(update.prev_seq_id == -1);
  CHECK(update.book.last_update_id == 123456);
  CHECK(update.checksum == -855196043);
  CHECK(update.book.event_time_ms == 1597026383085);
  REQUIRE(update.book.asks.size() == 8);
  REQUIRE(update.book.bids.size() == 8);
  CHECK(update.book.asks[0].price == "8476.98"_d);
  CHECK(update.book.asks[0].quantity == "415"_d);
  CHECK(update.book.bids[7].price == "8446"_d);
  CHECK(update.book.bids[7].quantity == "95"_d);
}

TEST_CASE("okx book checksum: interleaved bid and ask levels, at most 25 a side") {
  venue::OrderBook book;
  const auto documented = okx::parse_stream_event(okx_fixture_text("ws_books_snapshot.json"));
  REQUIRE(documented);
  REQUIRE(book.load(std::get<okx::BookUpdate>(*documented).book));
  CHECK(okx::book_checksum(book) == kSnapshotLevelsChecksum);

  // Fewer bids than asks: the asks left over follow (OKX's rule 2; the text starts with
  // its example "3366.1:7:3366.8:9:3366:6:3368:8"). Python: -310634069.
  venue::BookSnapshot unequal;
  unequal.bids = {{"3366.1"_d, "7"_d}, {"3366"_d, "6"_d}};
  unequal.asks = {{"3366.8"_d, "9"_d}, {"3368"_d, "8"_d}, {"3372"_d, "1.5"_d}, {"3380"_d, "0.25"_d}};
  REQUIRE(book.load(unequal));
  CHECK(okx::book_checksum(book) == -310634069);

  // 30 bids (100, 99.5, ... sizes 1..30) and 27 asks (101, 101.25, ... sizes 1, 3, 5,
  // ...): only 25 a side count. Python, on the first 25 levels a side: -587619066.
  venue::BookSnapshot deep;
  for (int i = 0; i < 30; ++i) deep.bids.push_back({"100"_d - "0.5"_d * i, cts::Decimal::from_int(i + 1)});
  for (int i = 0; i < 27; ++i) deep.asks.push_back({"101"_d + "0.25"_d * i, cts::Decimal::from_int(2 * i + 1)});
  REQUIRE(book.load(deep));
  CHECK(okx::book_checksum(book) == -587619066);
}

TEST_CASE("okx public stream: a snapshot whose checksum does not match its levels is a gap") {
  okx::PublicMarketStream stream("BTC-USDT");
  CHECK(stream.on_message(okx_fixture_text("ws_books_snapshot.json")).value() == venue::MarketChange::gap);
  CHECK_FALSE(stream.synced());
  CHECK(stream.book().depth(cts::Side::buy) == 0);
  CHECK(stream.on_message(consistent_snapshot()).value() == venue::MarketChange::book);
  CHECK(stream.synced());
  CHECK(stream.book().best_bid()->price == "8476.97"_d);
  CHECK(stream.book().best_ask()->price == "8476.98"_d);
  CHECK(stream.book().last_update_id() == 123456);
}

TEST_CASE("okx public stream: seqId continuity, no-change updates, sequence resets and gaps") {
  okx::PublicMarketStream stream("BTC-USDT");
  // An update before any snapshot: nothing to apply it to.
  CHECK(stream.on_message(okx_fixture_text("ws_books_update.json")).value() == venue::MarketChange::gap);
  REQUIRE(stream.on_message(consistent_snapshot()).value() == venue::MarketChange::book);

  // The documented update continues 123456 → 123457 with the same levels, but prints
  // the documented (whole-book) checksum: a mismatch for this book.
  CHECK(stream.on_message(okx_fixture_text("ws_books_update.json")).value() == venue::MarketChange::gap);
  CHECK_FALSE(stream.synced());
  REQUIRE(stream.on_message(consistent_snapshot()).value() == venue::MarketChange::book);
  // The same update with checksum 0 (what OKX sends now): not verified, applied.
  CHECK(stream.on_message(replaced(okx_fixture_text("ws_books_update.json"), "-855196043", "0")).value() ==
        venue::MarketChange::book);
  CHECK(stream.book().last_update_id() == 123457);

  // No change: seqId == prevSeqId, empty sides.
  CHECK(stream.on_message(books_update(123457, 123457, "[]", "[]")).value() == venue::MarketChange::book);
  CHECK(stream.book().last_update_id() == 123457);
  CHECK(stream.book().depth(cts::Side::buy) == 8);
  // A sequence reset: seqId smaller than prevSeqId, which still names the book's seqId.
  CHECK(stream.on_message(books_update(123457, 15, "[]", R"([["8476.5","3","0","1"]])")).value() ==
        venue::MarketChange::book);
  CHECK(stream.book().last_update_id() == 15);
  CHECK(stream.book().depth(cts::Side::buy) == 9);
  CHECK(stream.on_message(books_update(15, 16, "[]", "[]")).value() == venue::MarketChange::book);
  // A missed message: prevSeqId 17 is not the book's 16.
  CHECK(stream.on_message(books_update(17, 18, "[]", "[]")).value() == venue::MarketChange::gap);
  CHECK_FALSE(stream.synced());
  CHECK(stream.book().depth(cts::Side::sell) == 0);
}

TEST_CASE("okx public stream: an update's checksum is verified on the book after it") {
  okx::PublicMarketStream stream("BTC-USDT");
  // Removes bid 8476.97, sets ask 8477 to 9, adds ask 8476.99 × 3. Python on the book
  // after it ("8475.55:101:8476.98:415:8475.54:100:8476.99:3:...:8506.96:100"): 2143393212.
  const std::string asks = R"([["8476.99","3","0","1"],["8477","9","0","1"]])";
  const std::string bids = R"([["8476.97","0","0","0"]])";
  REQUIRE(stream.on_message(consistent_snapshot()).value() == venue::MarketChange::book);
  CHECK(stream.on_message(books_update(123456, 123460, asks, bids, 2143393212)).value() == venue::MarketChange::book);
  CHECK(stream.book().best_bid()->price == "8475.55"_d);
  CHECK(stream.book().level(cts::Side::sell, 1).price == "8476.99"_d);
  CHECK(stream.book().level(cts::Side::sell, 2).quantity == "9"_d);

  REQUIRE(stream.on_message(consistent_snapshot()).value() == venue::MarketChange::book);
  CHECK(stream.on_message(books_update(123456, 123460, asks, bids, 2143393213)).value() == venue::MarketChange::gap);
  CHECK_FALSE(stream.synced());

  // A bid at or above the best ask leaves the book crossed: a gap.
  REQUIRE(stream.on_message(consistent_snapshot()).value() == venue::MarketChange::book);
  CHECK(stream.on_message(books_update(123456, 123457, "[]", R"([["8477","1","0","1"]])")).value() ==
        venue::MarketChange::gap);
  CHECK_FALSE(stream.synced());
}

TEST_CASE("okx public stream: replies, trades, bbo-tbt, other instruments and bad frames") {
  okx::PublicMarketStream stream("BTC-USDT", true);
  CHECK(stream.on_message(R"({"event":"subscribe","arg":{"channel":"books","instId":"BTC-USDT"},"connId":"a4d3ae55"})")
            .value() == venue::MarketChange::subscribed);
  CHECK(stream.on_message("pong").value() == venue::MarketChange::none);
  CHECK(
      stream
          .on_message(
              R"({"event":"notice","code":"64008","msg":"The connection will soon be closed for a service upgrade. Please reconnect.","connId":"a4d3ae55"})")
          .value() == venue::MarketChange::none);
  CHECK(stream.on_message(okx_fixture_text("ws_trades.json")).value() == venue::MarketChange::none);
  CHECK(stream.on_message(replaced(consistent_snapshot(), R"("instId": "BTC-USDT")", R"("instId": "ETH-USDT")"))
            .value() == venue::MarketChange::none);
  CHECK_FALSE(stream.synced());

  CHECK_FALSE(stream.ticker().has_value());
  CHECK(stream
            .on_message(
                R"({"arg":{"channel":"bbo-tbt","instId":"BTC-USDT"},"data":[{"asks":[["111.06","55154","0","2"]],)"
                R"("bids":[["111.05","57745","0","2"]],"ts":"1670324386802","seqId":363996337}]})")
            .value() == venue::MarketChange::ticker);
  REQUIRE(stream.ticker().has_value());
  CHECK(stream.ticker()->bid_price == "111.05"_d);
  CHECK(stream.ticker()->bid_quantity == "57745"_d);
  CHECK(stream.ticker()->ask_price == "111.06"_d);
  CHECK(stream.ticker()->update_id == 363996337);
  stream.reset();
  CHECK_FALSE(stream.ticker().has_value());

  const auto refused = stream.on_message(okx_fixture_text("ws_error_request.json"));
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == ErrorCode::invalid_argument);
  CHECK(refused.error().venue_code == "60012");
  CHECK(refused.error().message.find("Invalid request") != std::string::npos);
  const auto garbage = stream.on_message("{not json");
  REQUIRE_FALSE(garbage);
  CHECK(garbage.error().code == ErrorCode::protocol_error);
  const auto unknown = stream.on_message(R"({"arg":{"channel":"candle1m","instId":"BTC-USDT"},"data":[]})");
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().code == ErrorCode::protocol_error);
  const auto no_action = stream.on_message(replaced(consistent_snapshot(), R"("action": "snapshot",)", ""));
  REQUIRE_FALSE(no_action);
  CHECK(no_action.error().code == ErrorCode::protocol_error);
  const auto snapshot = stream.on_snapshot(venue::BookSnapshot{});
  REQUIRE_FALSE(snapshot);
  CHECK(snapshot.error().code == ErrorCode::unsupported);
}

TEST_CASE("okx streams: members in any order") {
  const auto reply =
      okx::parse_stream_event(R"({"connId":"a4d3ae55","code":"60009","event":"error","msg":"Login failed."})");
  REQUIRE(reply);
  CHECK(std::get<okx::EventReply>(*reply).event == "error");
  CHECK(std::get<okx::EventReply>(*reply).code == 60009);
  const auto push = okx::parse_stream_event(
      R"({"data":[{"instId":"BTC-USDT","tradeId":"7","px":"1.5","sz":"2","side":"sell","ts":"1"}],)"
      R"("arg":{"instId":"BTC-USDT","channel":"trades"}})");
  REQUIRE(push);
  const auto& trades = std::get<okx::TradesUpdate>(*push);
  REQUIRE(trades.trades.size() == 1);
  CHECK(trades.trades[0].buyer_is_maker);  // a sell taker
  const auto neither = okx::parse_stream_event(R"({"connId":"a4d3ae55"})");
  REQUIRE_FALSE(neither);
  CHECK(neither.error().code == ErrorCode::protocol_error);
}

TEST_CASE("okx streams: the documented trades push") {
  const auto parsed = okx::parse_stream_event(okx_fixture_text("ws_trades.json"));
  REQUIRE(parsed);
  const auto& update = std::get<okx::TradesUpdate>(*parsed);
  CHECK(update.inst_id == "BTC-USDT");
  REQUIRE(update.trades.size() == 1);
  CHECK(update.trades[0].id == "130639474");
  CHECK(update.trades[0].price == "42219.9"_d);
  CHECK(update.trades[0].quantity == "0.12060306"_d);
  CHECK(update.trades[0].time_ms == 1630048897897);
  CHECK_FALSE(update.trades[0].buyer_is_maker);  // a buy taker
}

TEST_CASE("okx private stream: a login frame signed for the venue's second; the subscribe frame after its reply") {
  const cts::sign::OkxSigner signer("okx-test-key", cts::sign::Secret("okx-test-secret"),
                                    cts::sign::Secret("okx-test-passphrase"));
  const okx::PrivateUserStream spot(signer, okx::InstType::spot);
  const auto frames = spot.subscriptions(cts::from_unix_millis(1704067230999));
  REQUIRE(frames);
  REQUIRE(frames->size() == 1);
  CHECK((*frames)[0] == R"({"op":"login","args":[{"apiKey":"okx-test-key","passphrase":"okx-test-passphrase",)"
                        R"("timestamp":"1704067230","sign":"XQp+f41yybKrfpuhVDSLhWE+LHmM1xy2q53gd08e4jU="}]})");
  CHECK((*frames)[0].find("okx-test-secret") == std::string::npos);
  CHECK(spot.after_authentication() ==
        std::vector<std::string>{R"({"op":"subscribe","args":[{"channel":"orders","instType":"SPOT"},{"channel":"account"}]})"});
  CHECK(spot.application_ping() == "ping");

  const okx::PrivateUserStream swap(signer, okx::InstType::swap);
  const auto swap_frames = swap.subscriptions(cts::from_unix_millis(1704067230999));
  REQUIRE(swap_frames);
  REQUIRE(swap_frames->size() == 1);
  CHECK(swap.after_authentication() ==
        std::vector<std::string>{R"({"op":"subscribe","args":[{"channel":"orders","instType":"SWAP"},)"
                                 R"({"channel":"account"},{"channel":"positions","instType":"SWAP"}]})"});
}

TEST_CASE("okx private stream: login and subscribe replies; error events are the unified errors") {
  const cts::sign::OkxSigner signer("k", cts::sign::Secret("s"), cts::sign::Secret("p"));
  okx::PrivateUserStream stream(signer, okx::InstType::spot);
  const auto logged_in = stream.on_message(okx_fixture_text("ws_login.json"));
  REQUIRE(logged_in);
  REQUIRE(logged_in->size() == 1);
  CHECK(std::holds_alternative<venue::UserAuthenticated>(logged_in->front()));
  CHECK(stream.on_message("pong").value().empty());
  CHECK(stream.on_message(R"({"event":"subscribe","arg":{"channel":"account"},"connId":"a4d3ae55"})").value().empty());
  const auto subscribed = stream.on_message(okx_fixture_text("ws_subscribe_orders.json"));
  REQUIRE(subscribed);
  REQUIRE(subscribed->size() == 1);
  CHECK(std::holds_alternative<venue::UserSubscribed>(subscribed->front()));

  const auto login_failed = stream.on_message(okx_fixture_text("ws_error_login.json"));
  REQUIRE_FALSE(login_failed);
  CHECK(login_failed.error().code == ErrorCode::auth_failed);
  CHECK(login_failed.error().venue_code == "60009");
  CHECK(login_failed.error().message.find("Login failed.") != std::string::npos);
  const auto error_for = [&](std::string_view code) {
    return stream.on_message(fmt::format(R"({{"event":"error","code":"{}","msg":"m","connId":"a"}})", code))
        .error()
        .code;
  };
  CHECK(error_for("60024") == ErrorCode::auth_failed);  // wrong passphrase
  CHECK(error_for("60011") == ErrorCode::auth_failed);  // please log in
  CHECK(error_for("60006") == ErrorCode::timestamp_out_of_window);
  CHECK(error_for("60007") == ErrorCode::invalid_signature);
  CHECK(error_for("60014") == ErrorCode::rate_limited);
  CHECK(error_for("60018") == ErrorCode::invalid_argument);
  CHECK(error_for("63999") == ErrorCode::venue_unavailable);

  const cts::sign::BybitSigner bybit("bybit-key", cts::sign::Secret("bybit-secret"));
  const auto foreign = okx::PrivateUserStream::make_spot(bybit);
  REQUIRE_FALSE(foreign);
  CHECK(foreign.error().code == ErrorCode::invalid_argument);
  CHECK(okx::PrivateUserStream::make_swap(signer).has_value());
}

TEST_CASE("okx private stream: the documented orders push with its fill") {
  const cts::sign::OkxSigner signer("k", cts::sign::Secret("s"), cts::sign::Secret("p"));
  okx::PrivateUserStream stream(signer, okx::InstType::spot);
  const auto events = stream.on_message(okx_fixture_text("ws_orders_spot.json"));
  REQUIRE(events);
  REQUIRE(events->size() == 1);
  const auto& update = std::get<venue::OrderUpdate>(events->front());
  CHECK(update.order.symbol == "BTC-USDT");
  CHECK(update.order.order_id == "452197707845865472");
  CHECK(update.order.client_order_id.empty());
  CHECK(update.order.side == cts::Side::sell);
  CHECK(update.order.type == cts::OrderType::limit);
  CHECK(update.order.status == venue::OrderStatus::filled);
  CHECK(update.order.price == "31527.1"_d);
  CHECK(update.order.quantity == "0.001"_d);
  CHECK(update.order.executed_quantity == "0.001"_d);
  CHECK(update.order.average_price == "31527.1"_d);
  CHECK(update.event_time_ms == 1654084353264);  // uTime
  CHECK_FALSE(update.amended);
  CHECK(update.realized_pnl == "0.01"_d);  // fillPnl
  REQUIRE(update.last_fill.has_value());
  CHECK(update.last_fill->trade_id == "242589207");
  CHECK(update.last_fill->price == "31527.1"_d);
  CHECK(update.last_fill->quantity == "0.001"_d);
  CHECK(update.last_fill->commission == "0.02522168"_d);  // fillFee -0.02522168: a charge
  CHECK(update.last_fill->commission_asset == "USDT");

  // Derived: a live order without a fill (no tradeId) and an amendment reported.
  const auto live = stream.on_message(replaced(
      replaced(replaced(okx_fixture_text("ws_orders_spot.json"), R"("tradeId": "242589207")", R"("tradeId": "")"),
               R"("amendResult": "")", R"("amendResult": "0")"),
      R"("state": "filled")", R"("state": "live")"));
  REQUIRE(live);
  const auto& amended = std::get<venue::OrderUpdate>(live->front());
  CHECK(amended.order.status == venue::OrderStatus::new_);
  CHECK(amended.amended);
  CHECK_FALSE(amended.last_fill.has_value());
}

TEST_CASE("okx private stream: a SWAP orders push without fillFee; positions and account") {
  const cts::sign::OkxSigner signer("k", cts::sign::Secret("s"), cts::sign::Secret("p"));
  okx::PrivateUserStream stream(signer, okx::InstType::swap);
  const auto events = stream.on_message(okx_fixture_text("ws_orders_swap.json"));
  REQUIRE(events);
  REQUIRE(events->size() == 1);
  const auto& update = std::get<venue::OrderUpdate>(events->front());
  CHECK(update.order.symbol == "BTC-USDT-SWAP");
  CHECK(update.order.client_order_id == "001BTCUSDT20250106001");
  CHECK(update.order.type == cts::OrderType::market);
  CHECK(update.order.position_side == venue::PositionSide::long_);
  REQUIRE(update.last_fill.has_value());
  CHECK(update.last_fill->trade_id == "1518905529");
  CHECK(update.last_fill->price == "103698.9"_d);
  CHECK(update.last_fill->quantity == "0.03"_d);
  // The order's only fill (fillSz = accFillSz): its accumulated fee is the fill's.
  CHECK(update.last_fill->commission == "0.021776769"_d);
  CHECK(update.last_fill->commission_asset == "USDT");

  // Derived: the same fill as the second of a partly filled order, without fillFee:
  // the fill's own fee is unknown (0, no asset).
  const auto partial = stream.on_message(
      replaced(replaced(okx_fixture_text("ws_orders_swap.json"), R"("accFillSz": "0.03")", R"("accFillSz": "0.05")"),
               R"("sz": "0.03")", R"("sz": "0.1")"));
  REQUIRE(partial);
  const auto& second = std::get<venue::OrderUpdate>(partial->front());
  REQUIRE(second.last_fill.has_value());
  CHECK(second.last_fill->commission.is_zero());
  CHECK(second.last_fill->commission_asset.empty());

  const auto positions = stream.on_message(okx_fixture_text("ws_positions.json"));
  REQUIRE(positions);
  REQUIRE(positions->size() == 1);
  const auto& legs = std::get<venue::PositionsUpdate>(positions->front());
  CHECK(legs.event_time_ms == 1622559930237);
  REQUIRE(legs.positions.size() == 1);
  CHECK(legs.positions[0].symbol == "BTC-USDT-SWAP");
  CHECK(legs.positions[0].side == venue::PositionSide::long_);
  CHECK(legs.positions[0].quantity == "0.5"_d);
  CHECK(legs.positions[0].entry_price == "10000"_d);
  CHECK(legs.positions[0].liquidation_price == "9000"_d);
  CHECK(stream.on_message(R"({"arg":{"channel":"positions","instType":"SWAP"},"data":[]})").value().empty());

  const auto account = stream.on_message(okx_fixture_text("ws_account.json"));
  REQUIRE(account);
  REQUIRE(account->size() == 1);
  const auto& balances = std::get<venue::BalancesUpdate>(account->front());
  REQUIRE(balances.balances.size() == 1);
  CHECK(balances.balances[0].asset == "USDT");
  CHECK(balances.balances[0].free == "4734.371190691436"_d);
  CHECK(balances.balances[0].locked == "158.57998"_d);

  // A SPOT stream has no positions to report.
  okx::PrivateUserStream spot(signer, okx::InstType::spot);
  CHECK(spot.on_message(okx_fixture_text("ws_positions.json")).value().empty());
}
