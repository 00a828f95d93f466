// Parse/binance_depth_1000 (a generated 1000-level REST depth snapshot parsed into the
// typed book) against Floor/simdjson_walk_depth_1000 (simdjson on-demand touching every
// token of the same document, converting nothing); Parse/bybit_orderbook_snapshot_200
// against Floor/simdjson_walk_bybit_orderbook_200 the same way; Parse/binance_order_ack (a spot
// order reply) with and without the order state machine's apply; Parse/binance_depth_diff
// and Book/apply_diff (a 10-level diff through the Binance book synchroniser);
// Parse/okx_books_400 (an OKX `books` snapshot push of 400 levels a side parsed and
// loaded, its checksum verified) against Floor/simdjson_walk_okx_books_400, and
// Book/okx_apply_update_with_checksum (a 10-level update applied, checksum verified).
#include <string>
#include <variant>

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <cts/order/order.hpp>
#include <cts/venue/binance/book_sync.hpp>
#include <cts/venue/binance/order_events.hpp>
#include <cts/venue/binance/rest_parsers.hpp>
#include <cts/venue/binance/streams.hpp>
#include <cts/venue/bybit/market.hpp>
#include <cts/venue/okx/book_sync.hpp>
#include <cts/venue/okx/streams.hpp>
#include <cts/venue/order_book.hpp>

#include "book_documents.hpp"

namespace {

namespace binance = cts::venue::binance;
namespace bybit = cts::venue::bybit;
namespace okx = cts::venue::okx;

using cts_bench::ask_levels;
using cts_bench::bid_levels;
using cts_bench::depth_1000;

void Parse_binance_depth_1000(benchmark::State& state) {
  cts::HttpResponse response;
  response.status = 200;
  response.body = depth_1000();
  cts::venue::JsonReader reader;
  cts::venue::BookSnapshot snapshot;
  cts::venue::OrderBook book;
  for (auto _ : state) {
    auto parsed = binance::parse_order_book(response, snapshot, reader);
    if (!parsed) state.SkipWithError("parse failed");
    auto loaded = book.load(snapshot);
    benchmark::DoNotOptimize(loaded);
    benchmark::DoNotOptimize(book.best_bid());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * response.body.size()));
  state.counters["levels"] = static_cast<double>(book.depth(cts::Side::buy) + book.depth(cts::Side::sell));
}
BENCHMARK(Parse_binance_depth_1000)->Name("Parse/binance_depth_1000");

// The floor's walk of one side: every price and quantity token of [[p, q], ...], converting
// nothing; returns the bytes touched.
std::size_t touch_levels(simdjson::ondemand::value side) {
  std::size_t touched = 0;
  for (auto level : side.get_array()) {
    for (auto item : level.get_array()) touched += item.value_unsafe().raw_json_token().size();
  }
  return touched;
}

// The floor's walk of a book object: the sides (the members `is_side` names) level by
// level, every other member as its raw token; returns the bytes touched.
template <class IsSide>
std::size_t touch_book(simdjson::ondemand::object object, IsSide is_side) {
  std::size_t touched = 0;
  for (auto field : object) {
    std::string_view key = field.unescaped_key();
    simdjson::ondemand::value value = field.value();
    touched += is_side(key) ? touch_levels(value) : value.raw_json_token().size();
  }
  return touched;
}

void Floor_simdjson_walk_depth_1000(benchmark::State& state) {
  const simdjson::padded_string document(depth_1000());
  simdjson::ondemand::parser parser;
  for (auto _ : state) {
    std::size_t touched = 0;
    auto doc = parser.iterate(document);
    touched += touch_book(doc.get_object(), [](std::string_view key) { return key == "bids" || key == "asks"; });
    benchmark::DoNotOptimize(touched);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * document.size()));
}
BENCHMARK(Floor_simdjson_walk_depth_1000)->Name("Floor/simdjson_walk_depth_1000");

// A Bybit GET /v5/market/orderbook?category=linear&limit=200 reply in the documented
// shape and member order (market/orderbook.mdx): asks "a" then bids "b", then ts, u,
// seq, cts.
const std::string& bybit_orderbook_200() {
  static const std::string document =
      R"({"retCode":0,"retMsg":"OK","result":{"s":"BTCUSDT","a":[)" + ask_levels(200) + R"(],"b":[)" + bid_levels(200) +
      R"(],"ts":1716863719031,"u":230704,"seq":1432604333,"cts":1716863718905},"retExtInfo":{},"time":1716863719382})";
  return document;
}

void Parse_bybit_orderbook_snapshot_200(benchmark::State& state) {
  cts::HttpResponse response;
  response.status = 200;
  response.body = bybit_orderbook_200();
  cts::venue::JsonReader reader;
  cts::venue::OrderBook book;
  for (auto _ : state) {
    auto snapshot = bybit::parse_order_book(response, reader);
    if (!snapshot) state.SkipWithError("parse failed");
    auto loaded = book.load(*snapshot);
    benchmark::DoNotOptimize(loaded);
    benchmark::DoNotOptimize(book.best_bid());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * response.body.size()));
  state.counters["levels"] = static_cast<double>(book.depth(cts::Side::buy) + book.depth(cts::Side::sell));
}
BENCHMARK(Parse_bybit_orderbook_snapshot_200)->Name("Parse/bybit_orderbook_snapshot_200");

// The floor of a venue reply or push held in one root member: walks `document` with
// simdjson on demand, the member `book_key` through `touch(value)`, every other as its
// raw token, converting nothing; `document`'s bytes per iteration.
template <class Touch>
void walk_floor(benchmark::State& state, const std::string& text, std::string_view book_key, Touch touch) {
  const simdjson::padded_string document(text);
  simdjson::ondemand::parser parser;
  for (auto _ : state) {
    std::size_t touched = 0;
    auto doc = parser.iterate(document);
    for (auto field : doc.get_object()) {
      std::string_view key = field.unescaped_key();
      simdjson::ondemand::value value = field.value();
      touched += key == book_key ? touch(value) : value.raw_json_token().size();
    }
    benchmark::DoNotOptimize(touched);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * document.size()));
}

void Floor_simdjson_walk_bybit_orderbook_200(benchmark::State& state) {
  walk_floor(state, bybit_orderbook_200(), "result", [](simdjson::ondemand::value value) {
    return touch_book(value.get_object(), [](std::string_view key) { return key == "a" || key == "b"; });
  });
}
BENCHMARK(Floor_simdjson_walk_bybit_orderbook_200)->Name("Floor/simdjson_walk_bybit_orderbook_200");

// One side of an OKX book: `levels` ["price","size","0","orders"] in OKX's shortest
// decimal form, 0.1 apart from `start` by `step` (in 0.1), sizes of up to 8 decimals.
std::string okx_side(int levels, std::int64_t start_tenths, std::int64_t step) {
  std::string json;
  for (int i = 0; i < levels; ++i) {
    if (i > 0) json += ',';
    const cts::Decimal price =
        cts::Decimal::from_int(start_tenths + step * i).div(cts::Decimal::from_int(10), cts::Rounding::toward_zero);
    const cts::Decimal size = cts::Decimal::from_int(1000 + (static_cast<std::int64_t>(i) * 7919 % 100000) * 1237)
                                  .div(cts::Decimal::from_int(100000000), cts::Rounding::toward_zero);
    json += "[\"" + price.to_string() + "\",\"" + size.to_string() + "\",\"0\",\"" + std::to_string(i % 7 + 1) + "\"]";
  }
  return json;
}

// A `books` push of BTC-USDT: `action`, then data's asks, bids, ts, checksum, prevSeqId
// and seqId (the documented member order), with `checksum` the CRC of its levels.
std::string okx_books_push(std::string_view action, std::string_view asks, std::string_view bids, std::int32_t checksum,
                           std::int64_t prev_seq_id, std::int64_t seq_id) {
  return fmt::format(R"({{"arg":{{"channel":"books","instId":"BTC-USDT"}},"action":"{}","data":[{{"asks":[{}],)"
                     R"("bids":[{}],"ts":"1597026383085","checksum":{},"prevSeqId":{},"seqId":{}}}]}})",
                     action, asks, bids, checksum, prev_seq_id, seq_id);
}

// The 400-level snapshot push, its checksum computed once on the book it describes.
const std::string& okx_books_400() {
  static const std::string document = [] {
    const std::string asks = okx_side(400, 642316, 1);
    const std::string bids = okx_side(400, 642315, -1);
    auto parsed = okx::parse_stream_event(okx_books_push("snapshot", asks, bids, 0, -1, 123456));
    cts::venue::OrderBook book;
    if (!parsed || !book.load(std::get<okx::BookUpdate>(*parsed).book)) return std::string();
    return okx_books_push("snapshot", asks, bids, okx::book_checksum(book), -1, 123456);
  }();
  return document;
}

void Parse_okx_books_400(benchmark::State& state) {
  const std::string& frame = okx_books_400();
  cts::venue::JsonReader reader;
  okx::BookSync sync;
  for (auto _ : state) {
    auto parsed = okx::parse_stream_event(frame, reader);
    if (!parsed) state.SkipWithError("parse failed");
    auto status = sync.on_update(std::get<okx::BookUpdate>(*parsed));
    if (!status || *status != okx::BookSyncStatus::applied) state.SkipWithError("checksum or load failed");
    benchmark::DoNotOptimize(sync.book().best_bid());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * frame.size()));
  state.counters["levels"] =
      static_cast<double>(sync.book().depth(cts::Side::buy) + sync.book().depth(cts::Side::sell));
}
BENCHMARK(Parse_okx_books_400)->Name("Parse/okx_books_400");

void Floor_simdjson_walk_okx_books_400(benchmark::State& state) {
  walk_floor(state, okx_books_400(), "data", [](simdjson::ondemand::value value) {
    std::size_t touched = 0;
    for (auto book : value.get_array()) {
      touched += touch_book(book.get_object(), [](std::string_view key) { return key == "asks" || key == "bids"; });
    }
    return touched;
  });
}
BENCHMARK(Floor_simdjson_walk_okx_books_400)->Name("Floor/simdjson_walk_okx_books_400");

// Two 10-level updates of the 400-level book that undo each other (5 bid and 5 ask
// sizes changed, then restored), each a no-change-sequence update (seqId = prevSeqId)
// so that they apply alternately forever, each with the checksum of the book after it.
void Book_okx_apply_update_with_checksum(benchmark::State& state) {
  okx::BookSync sync;
  auto snapshot = okx::parse_stream_event(okx_books_400());
  if (!snapshot || !sync.on_update(std::get<okx::BookUpdate>(*snapshot))) {
    state.SkipWithError("snapshot failed");
    return;
  }
  okx::BookUpdate changed;
  changed.channel = "books";
  changed.inst_id = "BTC-USDT";
  changed.prev_seq_id = 123456;
  changed.book.last_update_id = 123456;
  okx::BookUpdate restored = changed;
  for (std::size_t i = 0; i < 5; ++i) {
    const cts::venue::PriceLevel bid = sync.book().level(cts::Side::buy, i * 3);
    const cts::venue::PriceLevel ask = sync.book().level(cts::Side::sell, i * 3);
    changed.book.bids.push_back({bid.price, bid.quantity + cts::Decimal::from_int(1)});
    changed.book.asks.push_back({ask.price, ask.quantity + cts::Decimal::from_int(2)});
    restored.book.bids.push_back(bid);
    restored.book.asks.push_back(ask);
  }
  restored.checksum = okx::book_checksum(sync.book());
  cts::venue::OrderBook probe = sync.book();
  if (!probe.apply(changed.book.bids, changed.book.asks, 123456)) state.SkipWithError("apply failed");
  changed.checksum = okx::book_checksum(probe);
  bool flip = false;
  for (auto _ : state) {
    auto status = sync.on_update(flip ? restored : changed);
    if (!status || *status != okx::BookSyncStatus::applied) state.SkipWithError("update failed");
    flip = !flip;
    benchmark::DoNotOptimize(sync.book().best_bid());
  }
}
BENCHMARK(Book_okx_apply_update_with_checksum)->Name("Book/okx_apply_update_with_checksum");

// A spot POST /api/v3/order reply (newOrderRespType FULL) for a resting limit order.
constexpr std::string_view kOrderAck =
    R"({"symbol":"BTCUSDT","orderId":28457123,"orderListId":-1,"clientOrderId":"cts-mm-000000000042",)"
    R"("transactTime":1507725176595,"price":"64231.57000000","origQty":"0.01500000","executedQty":"0.00000000",)"
    R"("origQuoteOrderQty":"0.00000000","cummulativeQuoteQty":"0.00000000","status":"NEW","timeInForce":"GTC",)"
    R"("type":"LIMIT","side":"BUY","workingTime":1507725176595,"fills":[],"selfTradePreventionMode":"NONE"})";

void Parse_binance_order_ack(benchmark::State& state) {
  cts::HttpResponse response;
  response.status = 200;
  response.body = std::string(kOrderAck);
  cts::venue::JsonReader reader;
  for (auto _ : state) {
    auto order = binance::parse_order(response, binance::Market::spot, binance::Operation::mutation, reader);
    benchmark::DoNotOptimize(order);
  }
}
BENCHMARK(Parse_binance_order_ack)->Name("Parse/binance_order_ack");

cts::order::Order submitted_order() {
  cts::order::OrderRequest request;
  request.client_id = cts::ClientOrderId::from("cts-mm-000000000042").value();
  request.symbol = "BTC/USDT";
  request.side = cts::Side::buy;
  request.type = cts::OrderType::limit;
  request.quantity = cts::Decimal::parse("0.015").value();
  request.price = cts::Decimal::parse("64231.57").value();
  cts::order::Order order = cts::order::Order::create(request).value();
  order.apply(cts::order::make_event(cts::order::OrderEventKind::submitted)).value();
  return order;
}

// Parse plus the state machine: reply → accepted event → Order::apply. Each iteration
// applies to a fresh copy of a submitted order (the copy is part of the figure).
void Parse_binance_order_ack_apply(benchmark::State& state) {
  cts::HttpResponse response;
  response.status = 200;
  response.body = std::string(kOrderAck);
  cts::venue::JsonReader reader;
  const cts::order::Order prototype = submitted_order();
  std::vector<cts::order::OrderEvent> events;
  events.reserve(4);
  for (auto _ : state) {
    cts::order::Order order = prototype;
    auto reply = binance::parse_order(response, binance::Market::spot, binance::Operation::mutation, reader);
    events.clear();
    if (!reply || !binance::append_order_events(*reply, events)) state.SkipWithError("parse failed");
    for (const auto& event : events) {
      if (!order.apply(event)) state.SkipWithError("apply failed");
    }
    benchmark::DoNotOptimize(order);
  }
}
BENCHMARK(Parse_binance_order_ack_apply)->Name("Parse/binance_order_ack_apply");

constexpr std::string_view kDepthDiff =
    R"({"e":"depthUpdate","E":1672515782136,"s":"BTCUSDT","U":1027025,"u":1027034,)"
    R"("b":[["64231.57000000","1.50000000"],["64231.56000000","0.00000000"],["64231.55500000","0.25000000"],)"
    R"(["64231.50000000","3.00000000"],["64231.40000000","0.75000000"]],)"
    R"("a":[["64231.58000000","0.40000000"],["64231.59000000","0.00000000"],["64231.58500000","1.10000000"],)"
    R"(["64231.70000000","2.00000000"],["64231.80000000","0.05000000"]]})";

void Parse_binance_depth_diff(benchmark::State& state) {
  cts::venue::JsonReader reader;
  cts::venue::DepthDiff diff;
  for (auto _ : state) {
    auto parsed = binance::parse_depth_diff(kDepthDiff, diff, reader);
    benchmark::DoNotOptimize(parsed);
  }
}
BENCHMARK(Parse_binance_depth_diff)->Name("Parse/binance_depth_diff");

// A synchronised 1000-level book receives a 10-level diff (updates, inserts and deletes
// near the top); the next diff restores the levels, so the book stays the same size.
void Book_apply_diff(benchmark::State& state) {
  cts::HttpResponse response;
  response.status = 200;
  response.body = depth_1000();
  const auto snapshot = binance::parse_order_book(response).value();
  binance::BookSync sync(binance::Market::spot);
  if (sync.on_snapshot(snapshot).value() != binance::SyncStatus::applied) state.SkipWithError("no sync");
  cts::venue::DepthDiff forward;
  binance::parse_depth_diff(kDepthDiff, forward).value();
  cts::venue::DepthDiff backward = forward;
  for (std::size_t i = 0; i < forward.bids.size(); ++i) backward.bids[i] = snapshot.bids[0];
  backward.bids = {
      snapshot.bids[0], snapshot.bids[1], {forward.bids[2].price, cts::Decimal{}}, snapshot.bids[6], snapshot.bids[16]};
  backward.asks = {snapshot.asks[0],
                   snapshot.asks[1],
                   {forward.asks[2].price, cts::Decimal{}},
                   snapshot.asks[12],
                   snapshot.asks[22]};
  std::uint64_t id = snapshot.last_update_id;
  bool flip = false;
  for (auto _ : state) {
    cts::venue::DepthDiff& diff = flip ? backward : forward;
    flip = !flip;
    diff.first_update_id = ++id;
    diff.final_update_id = id;
    auto status = sync.on_diff(diff);
    if (!status || *status != binance::SyncStatus::applied) state.SkipWithError("diff not applied");
    benchmark::DoNotOptimize(sync.book().best_bid());
  }
  state.counters["levels"] =
      static_cast<double>(sync.book().depth(cts::Side::buy) + sync.book().depth(cts::Side::sell));
}
BENCHMARK(Book_apply_diff)->Name("Book/apply_diff");

}  // namespace
