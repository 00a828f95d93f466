// BingX's market WebSocket (swap and spot), sans I/O: GZIP frames, Ping, subscription
// replies, the partial depth, trades and the book ticker.
#include "cts/venue/bingx/streams.hpp"

#include <utility>

#include <fmt/format.h>
#include <zlib.h>

#include "cts/core/json_string.hpp"
#include "cts/venue/bingx/errors.hpp"
#include "cts/venue/detail/json.hpp"
#include "cts/venue/json_reader.hpp"
#include "depth.hpp"
#include "fields.hpp"

namespace cts::venue::bingx {

namespace {

namespace od = simdjson::ondemand;
using cts::venue::detail::FieldReader;
using cts::venue::detail::for_each_field;
using cts::venue::detail::visit_array;
using cts::venue::detail::visit_object;

/// The push data types a PublicMarketStream reads.
enum class PushKind : std::uint8_t { depth, trade, book_ticker, other };

PushKind push_kind(std::string_view data_type) {
  if (data_type.find("@depth") != std::string_view::npos) return PushKind::depth;
  if (data_type.ends_with("@trade")) return PushKind::trade;
  if (data_type.ends_with("@bookTicker")) return PushKind::book_ticker;
  return PushKind::other;
}

/// Reads the frame's `dataType` ahead into `data_type` (spot pushes put `data` before
/// it; "" when the frame has none or is not a JSON object) and rewinds the document for
/// the full read. Errors: simdjson's error for a malformed document, which cannot be
/// read again.
simdjson::error_code peek_data_type(od::document& document, std::string& data_type) {
  auto found = document.find_field_unordered("dataType");
  std::string_view text;
  simdjson::error_code code = found.error() ? found.error() : found.get_string().get(text);
  if (code == simdjson::SUCCESS) data_type.assign(text);
  if (code != simdjson::SUCCESS && code != simdjson::NO_SUCH_FIELD && code != simdjson::INCORRECT_TYPE) return code;
  document.rewind();
  return simdjson::SUCCESS;
}

/// One trade or book ticker as pushed, the members seen marked.
struct PushItem {
  enum Member : unsigned {
    price = 1,
    quantity = 2,
    trade_time = 4,
    bid = 8,
    bid_size = 16,
    ask = 32,
    ask_size = 64,
    object = 128
  };
  Trade trade;
  BookTicker ticker;
  std::int64_t event_time_ms = 0;
  std::int64_t match_time_ms = 0;
  unsigned seen = 0;
};

/// Reads one trade (`p`, `q`, `T`, `m`, `t`) or book ticker (`s`, `b`, `B`, `a`, `A`,
/// `E`, `T`) object of a push of `kind`, prices and quantities exactly from their decimal
/// strings; other members are ignored.
bool read_push_item(od::value& value, FieldReader& fields, PushKind kind, PushItem& item) {
  item.seen |= PushItem::object;
  if (kind == PushKind::trade) {
    return visit_object(value, fields, "data", [&](std::string_view key, od::value& field) {
      if (key == "p") return item.seen |= PushItem::price, fields.decimal(field, item.trade.price, "p");
      if (key == "q") return item.seen |= PushItem::quantity, fields.decimal(field, item.trade.quantity, "q");
      if (key == "T") return item.seen |= PushItem::trade_time, fields.int64(field, item.trade.time_ms, "T");
      if (key == "m") return fields.boolean(field, item.trade.buyer_is_maker, "m");
      if (key == "t") return detail::order_id(fields, field, item.trade.id, "t");
      return true;
    });
  }
  return visit_object(value, fields, "data", [&](std::string_view key, od::value& field) {
    if (key == "s") return fields.string(field, item.ticker.symbol, "s");
    if (key == "b") return item.seen |= PushItem::bid, fields.decimal(field, item.ticker.bid_price, "b");
    if (key == "B") return item.seen |= PushItem::bid_size, fields.decimal(field, item.ticker.bid_quantity, "B");
    if (key == "a") return item.seen |= PushItem::ask, fields.decimal(field, item.ticker.ask_price, "a");
    if (key == "A") return item.seen |= PushItem::ask_size, fields.decimal(field, item.ticker.ask_quantity, "A");
    if (key == "E") return fields.int64(field, item.event_time_ms, "E");
    if (key == "T") return fields.int64(field, item.match_time_ms, "T");
    return true;
  });
}

/// Checks that a trade has its price and quantity, both positive, and its time.
bool finish_trade(const PushItem& item, FieldReader& fields) {
  if (!(item.seen & PushItem::price)) return fields.missing("p");
  if (!(item.seen & PushItem::quantity)) return fields.missing("q");
  if (!(item.seen & PushItem::trade_time)) return fields.missing("T");
  if (!item.trade.price.is_positive()) return fields.fail("p", "is not positive");
  if (!item.trade.quantity.is_positive()) return fields.fail("q", "is not positive");
  return true;
}

/// Checks that a book ticker has both sides and times it: `E`, else `T`, else the frame's
/// `push_time_ms`.
bool finish_ticker(PushItem& item, std::int64_t push_time_ms, FieldReader& fields) {
  if (!(item.seen & PushItem::bid)) return fields.missing("b");
  if (!(item.seen & PushItem::bid_size)) return fields.missing("B");
  if (!(item.seen & PushItem::ask)) return fields.missing("a");
  if (!(item.seen & PushItem::ask_size)) return fields.missing("A");
  const std::int64_t time_ms = item.event_time_ms > 0   ? item.event_time_ms
                               : item.match_time_ms > 0 ? item.match_time_ms
                                                        : push_time_ms;
  item.ticker.update_id = time_ms > 0 ? static_cast<std::uint64_t>(time_ms) : 0;
  return true;
}

bool is_gzip(std::string_view frame) noexcept {
  return frame.size() >= 2 && static_cast<unsigned char>(frame[0]) == 0x1f &&
         static_cast<unsigned char>(frame[1]) == 0x8b;
}

}  // namespace

Result<std::string> inflate_frame(std::string_view frame) {
  if (!is_gzip(frame)) return std::string(frame);
  z_stream zs{};
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) {
    return make_error(ErrorCode::protocol_error, "bingx frame: zlib could not start inflating");
  }
  std::string out;
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(frame.data()));
  zs.avail_in = static_cast<uInt>(frame.size());
  int rc = Z_OK;
  char chunk[16384];
  while (rc == Z_OK) {
    zs.next_out = reinterpret_cast<Bytef*>(chunk);
    zs.avail_out = sizeof(chunk);
    rc = inflate(&zs, Z_NO_FLUSH);
    out.append(chunk, sizeof(chunk) - zs.avail_out);
    if (out.size() > kMaxInflatedBytes) rc = Z_MEM_ERROR;
    if (rc == Z_BUF_ERROR && zs.avail_in == 0) break;
  }
  inflateEnd(&zs);
  if (rc != Z_STREAM_END) {
    return make_error(ErrorCode::protocol_error, "bingx frame: GZIP stream corrupt, truncated or too large");
  }
  return out;
}

std::string answer_ping(std::string_view frame) {
  if (frame.size() > kMaxPingFrameBytes) return {};
  Result<std::string> text = inflate_frame(frame);
  return text && *text == kServerPing ? std::string(kPong) : std::string();
}

std::string subscribe_frame(std::string_view id, std::string_view data_type) {
  std::string frame = R"({"id":)";
  append_json_string(frame, id);
  frame += R"(,"reqType":"sub","dataType":)";
  append_json_string(frame, data_type);
  frame.push_back('}');
  return frame;
}

std::string listen_key_target(std::string_view key, std::string_view url_target, std::string_view default_path) {
  if (key.empty()) return std::string(url_target);
  while (url_target.ends_with('/')) url_target.remove_suffix(1);
  if (url_target.empty()) url_target = default_path;
  return fmt::format("{}?listenKey={}", url_target, key);
}

std::string depth_data_type(std::string_view symbol) {
  return fmt::format("{}@depth{}@500ms", symbol, kStreamDepthLevels);
}

std::string spot_depth_data_type(std::string_view symbol) {
  return fmt::format("{}@depth{}", symbol, kStreamDepthLevels);
}

std::string trade_data_type(std::string_view symbol) { return fmt::format("{}@trade", symbol); }

std::string book_ticker_data_type(std::string_view symbol) { return fmt::format("{}@bookTicker", symbol); }

Result<StreamMessage> parse_stream_message(std::string_view frame) {
  Result<std::string> text = inflate_frame(frame);
  if (!text) return text.error();
  StreamMessage message;
  if (*text == kServerPing) {
    message.kind = StreamMessage::Kind::ping;
    return message;
  }
  FieldReader fields("bingx stream frame");
  auto document = thread_json_reader().iterate(*text);
  if (document.error()) return fields.fail_document(document.error()), fields.take_error();
  std::string peeked;
  if (auto code = peek_data_type(document.value_unsafe(), peeked))
    return fields.fail_document(code), fields.take_error();
  const PushKind kind = push_kind(peeked);
  bool has_id = false;
  detail::DepthReader depth;
  PushItem single;
  std::vector<PushItem> batch;
  bool data_is_batch = false;
  const bool ok = cts::venue::detail::root_object(document.value_unsafe(), fields, [&](od::object& object) {
    return for_each_field(object, fields, [&](std::string_view key, od::value& value) {
      if (key == "id") return has_id = true, fields.optional_string(value, message.id, "id");
      if (key == "code") {
        std::int64_t code = 0;
        if (!fields.int64_or_text(value, code, "code")) return false;
        message.code = static_cast<long>(code);
        return true;
      }
      if (key == "msg") return fields.optional_string(value, message.message, "msg");
      if (key == "dataType") return fields.optional_string(value, message.data_type, "dataType");
      if (key == "ts") return fields.int64(value, message.time_ms, "ts");
      if (key == "timestamp") return fields.int64(value, message.time_ms, "timestamp");
      if (key != "data" || kind == PushKind::other || value.is_null()) return true;
      auto type = value.type();
      if (type.error()) return fields.check(type.error());
      if (type.value_unsafe() == od::json_type::array && kind == PushKind::trade) {
        data_is_batch = true;
        return visit_array(value, fields, "data", [&](od::value& item, std::size_t) {
          return read_push_item(item, fields, kind, batch.emplace_back());
        });
      }
      if (type.value_unsafe() != od::json_type::object) return true;
      if (kind == PushKind::depth) {
        return visit_object(value, fields, "data", [&](std::string_view name, od::value& field) {
          return depth.field(name, field, fields, {});
        });
      }
      return read_push_item(value, fields, kind, single);
    });
  });
  if (!ok) return fields.take_error();
  message.kind = has_id && message.data_type.empty() ? StreamMessage::Kind::reply : StreamMessage::Kind::push;
  if (message.kind != StreamMessage::Kind::push || message.code != 0) return message;
  switch (kind) {
    case PushKind::depth: {
      depth.book.event_time_ms = message.time_ms;
      Result<BookSnapshot> book = depth.finish("bingx depth push");
      if (!book) return book.error();
      message.depth = std::move(*book);
      return message;
    }
    case PushKind::trade:
      if (!data_is_batch) {
        if (!single.seen) return message;  // no data: nothing traded
        batch.push_back(std::move(single));
      }
      for (PushItem& item : batch) {
        if (!finish_trade(item, fields)) return fields.take_error();
        message.trades.push_back(std::move(item.trade));
      }
      return message;
    case PushKind::book_ticker:
      if (!single.seen) return message;
      if (!finish_ticker(single, message.time_ms, fields)) return fields.take_error();
      message.ticker = std::move(single.ticker);
      return message;
    case PushKind::other: return message;
  }
  return message;
}

std::string PublicMarketStream::data_type() const {
  return market_ == StreamMarket::spot ? spot_depth_data_type(symbol_) : depth_data_type(symbol_);
}

bool PublicMarketStream::ours(std::string_view id) const {
  return id == "cts-depth-" + symbol_ || (options_.book_ticker && id == "cts-ticker-" + symbol_) ||
         (options_.trades && id == "cts-trade-" + symbol_);
}

std::vector<std::string> PublicMarketStream::subscriptions() const {
  std::vector<std::string> frames{subscribe_frame("cts-depth-" + symbol_, data_type())};
  if (options_.book_ticker) frames.push_back(subscribe_frame("cts-ticker-" + symbol_, book_ticker_data_type(symbol_)));
  if (options_.trades) frames.push_back(subscribe_frame("cts-trade-" + symbol_, trade_data_type(symbol_)));
  return frames;
}

Result<MarketChange> PublicMarketStream::on_message(std::string_view text) {
  Result<StreamMessage> message = parse_stream_message(text);
  if (!message) return message.error();
  switch (message->kind) {
    case StreamMessage::Kind::ping: return MarketChange::none;
    case StreamMessage::Kind::reply:
      if (!ours(message->id)) return MarketChange::none;
      if (message->code != 0) return code_error(message->code, message->message, Operation::read);
      return message->id == "cts-depth-" + symbol_ ? MarketChange::subscribed : MarketChange::none;
    case StreamMessage::Kind::push: break;
  }
  const bool depth = message->data_type == data_type();
  const bool ticker = options_.book_ticker && message->data_type == book_ticker_data_type(symbol_);
  const bool trades = options_.trades && message->data_type == trade_data_type(symbol_);
  if (!depth && !ticker && !trades) return MarketChange::none;
  if (message->code != 0) return code_error(message->code, message->message, Operation::read);
  if (trades) {
    for (Trade& trade : message->trades) {
      if (!last_trade_ || trade.time_ms >= last_trade_->time_ms) last_trade_ = std::move(trade);
    }
    return MarketChange::none;
  }
  if (ticker) {
    if (!message->ticker) return MarketChange::none;
    if (ticker_ && message->ticker->update_id < ticker_->update_id) return MarketChange::none;
    ticker_ = std::move(message->ticker);
    if (ticker_->symbol.empty()) ticker_->symbol = symbol_;
    return MarketChange::ticker;
  }
  if (auto loaded = book_.load(message->depth); !loaded) return loaded.error();
  if (book_.crossed()) {
    book_.clear();
    synced_ = false;
    return MarketChange::gap;
  }
  synced_ = true;
  return MarketChange::book;
}

Result<MarketChange> PublicMarketStream::on_snapshot(const BookSnapshot& /*snapshot*/) {
  return make_error(ErrorCode::unsupported, "bingx sends its partial depth whole in the stream");
}

}  // namespace cts::venue::bingx
