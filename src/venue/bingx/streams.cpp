// BingX's swap WebSocket, sans I/O: GZIP frames, Ping, subscription replies and the
// partial depth.
#include "cts/venue/bingx/streams.hpp"

#include <utility>

#include <fmt/format.h>
#include <zlib.h>

#include "cts/core/json_string.hpp"
#include "cts/venue/bingx/errors.hpp"
#include "cts/venue/detail/json.hpp"
#include "cts/venue/json_reader.hpp"
#include "fields.hpp"

namespace cts::venue::bingx {

namespace {

namespace od = simdjson::ondemand;
using cts::venue::detail::FieldReader;
using cts::venue::detail::for_each_field;
using cts::venue::detail::visit_object;

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
  bool has_id = false;
  bool has_bids = false;
  bool has_asks = false;
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
      if (key == "data") {
        if (value.is_null()) return true;
        auto type = value.type();
        if (type.error() || type.value_unsafe() != od::json_type::object) return true;
        return visit_object(value, fields, "data", [&](std::string_view name, od::value& field) {
          if (name == "bids") {
            return has_bids = true, cts::venue::detail::price_levels(field, fields, "bids", message.depth.bids);
          }
          if (name == "asks") {
            return has_asks = true, cts::venue::detail::price_levels(field, fields, "asks", message.depth.asks);
          }
          return true;
        });
      }
      return true;
    });
  });
  if (!ok) return fields.take_error();
  message.kind = has_id && message.data_type.empty() ? StreamMessage::Kind::reply : StreamMessage::Kind::push;
  if (message.kind == StreamMessage::Kind::push && message.data_type.find("@depth") != std::string::npos &&
      message.code == 0 && (!has_bids || !has_asks)) {
    return make_error(ErrorCode::protocol_error,
                      fmt::format("bingx depth push: field \"{}\" is missing", has_bids ? "asks" : "bids"));
  }
  detail::put_in_book_order(message.depth);
  message.depth.event_time_ms = message.time_ms;
  message.depth.last_update_id = static_cast<std::uint64_t>(message.time_ms);
  return message;
}

std::string PublicMarketStream::data_type() const {
  return market_ == StreamMarket::spot ? spot_depth_data_type(symbol_) : depth_data_type(symbol_);
}

std::vector<std::string> PublicMarketStream::subscriptions() const {
  return {subscribe_frame("cts-depth-" + symbol_, data_type())};
}

Result<MarketChange> PublicMarketStream::on_message(std::string_view text) {
  Result<StreamMessage> message = parse_stream_message(text);
  if (!message) return message.error();
  switch (message->kind) {
    case StreamMessage::Kind::ping: return MarketChange::none;
    case StreamMessage::Kind::reply:
      if (message->id != "cts-depth-" + symbol_) return MarketChange::none;
      if (message->code != 0) return code_error(message->code, message->message, Operation::read);
      return MarketChange::subscribed;
    case StreamMessage::Kind::push: break;
  }
  if (message->data_type != data_type()) return MarketChange::none;
  if (message->code != 0) return code_error(message->code, message->message, Operation::read);
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
