// OrangeX's WebSocket frames and the book channel's market stream.
#include "cts/venue/orangex/streams.hpp"

#include <fmt/format.h>

#include "cts/core/json_string.hpp"
#include "cts/venue/orangex/replies.hpp"
#include "cts/venue/orangex/rpc.hpp"

namespace cts::venue::orangex {

namespace {

namespace od = simdjson::ondemand;
using cts::venue::detail::FieldReader;

// Reads [[price, amount] | [action, price, amount], ...]: `delete` (or amount 0)
// removes the level (amount 0); `new` and `change` set it.
bool read_book_levels(od::value& value, FieldReader& fields, std::string_view field, std::vector<PriceLevel>& out) {
  return cts::venue::detail::visit_array(value, fields, field, [&](od::value& level, std::size_t) {
    PriceLevel entry;
    std::size_t n = 0;
    bool removed = false;
    bool has_action = false;
    const bool ok = cts::venue::detail::visit_array(level, fields, field, [&](od::value& item, std::size_t) {
      if (n == 0) {
        auto type = item.type();
        if (!type.error() && type.value_unsafe() == od::json_type::string) {
          std::string_view text;
          if (!fields.string(item, text, field)) return false;
          if (text == "delete" || text == "new" || text == "change") {
            has_action = true;
            removed = text == "delete";
            ++n;
            return true;
          }
          // A price sent as a string.
          auto parsed = Decimal::parse(text);
          if (!parsed) return fields.fail(field, "has an entry that is neither an action nor a price");
          entry.price = *parsed;
          ++n;
          return true;
        }
      }
      const std::size_t position = has_action ? n - 1 : n;
      if (position >= 2) return fields.fail(field, "has a level with too many entries");
      ++n;
      return detail::decimal(fields, item, position == 0 ? entry.price : entry.quantity, field);
    });
    if (!ok) return false;
    if (n != (has_action ? 3u : 2u)) return fields.fail(field, "has a level of the wrong size");
    if (removed) entry.quantity = Decimal{};
    out.push_back(entry);
    return true;
  });
}

// The private channel a notification's channel names.
enum class UserChannel { none, orders, trades, portfolio };

UserChannel user_channel(std::string_view channel) noexcept {
  if (channel.starts_with("user.orders.")) return UserChannel::orders;
  if (channel.starts_with("user.trades.")) return UserChannel::trades;
  if (channel.starts_with("user.portfolio.")) return UserChannel::portfolio;
  return UserChannel::none;
}

// Reads one object with `read_one`, or an array of them, into `out`.
template <class T, class ReadOne>
bool read_one_or_many(od::value& value, FieldReader& fields, std::vector<T>& out, ReadOne read_one) {
  auto type = value.type();
  if (!type.error() && type.value_unsafe() == od::json_type::array) {
    return cts::venue::detail::visit_array(value, fields, "data", [&](od::value& item, std::size_t) {
      return read_one(item, fields, out.emplace_back());
    });
  }
  return read_one(value, fields, out.emplace_back());
}

}  // namespace

std::string book_channel(std::string_view instrument) { return fmt::format("book.{}.raw", instrument); }
std::string user_orders_channel(std::string_view instrument) { return fmt::format("user.orders.{}.raw", instrument); }
std::string user_trades_channel(std::string_view instrument) { return fmt::format("user.trades.{}.raw", instrument); }
std::string user_portfolio_channel(std::string_view currency) { return fmt::format("user.portfolio.{}", currency); }

std::string subscribe_frame(std::int64_t id, std::string_view method, const std::vector<std::string>& channels) {
  JsonBody body = begin_call(id, method);
  body.begin_array("channels");
  std::string text = body.str();
  for (std::size_t i = 0; i < channels.size(); ++i) {
    if (i > 0) text.push_back(',');
    append_json_string(text, channels[i]);
  }
  text.append("]}}");
  return text;
}

Result<StreamFrame> parse_stream_frame(std::string_view text, JsonReader& reader) {
  if (text == kPongFrame) return StreamFrame{Pong{}};
  FieldReader fields("orangex stream frame");
  auto document = reader.iterate(text);
  if (document.error()) {
    fields.fail_document(document.error());
    return fields.take_error();
  }
  std::optional<std::int64_t> id;
  std::string method;
  std::string channel;
  bool has_result = false;
  bool has_error = false;
  std::int64_t error_code = 0;
  std::string error_message;
  bool has_data = false;
  BookEvent event;
  UserChannel user = UserChannel::none;
  OrdersEvent orders;
  TradesEvent trades;
  PortfolioEvent portfolio;
  const bool ok = cts::venue::detail::root_object(document.value_unsafe(), fields, [&](od::object& object) {
    return cts::venue::detail::for_each_field(object, fields, [&](std::string_view key, od::value& value) {
      if (key == "id") {
        auto null = value.is_null();
        if (!null.error() && null.value_unsafe()) return true;
        std::int64_t n = 0;
        if (!fields.int64_or_text(value, n, "id")) return false;
        id = n;
        return true;
      }
      if (key == "method") return fields.string(value, method, "method");
      if (key == "result") return has_result = true;
      if (key == "error") {
        has_error = true;
        return cts::venue::detail::visit_object(value, fields, "error", [&](std::string_view k, od::value& v) {
          if (k == "code") return fields.int64_or_text(v, error_code, "error.code");
          if (k == "message") return fields.optional_string(v, error_message, "error.message");
          return true;
        });
      }
      if (key == "params") {
        return cts::venue::detail::visit_object(value, fields, "params", [&](std::string_view k, od::value& v) {
          if (k == "channel") return fields.string(v, channel, "channel");
          if (k != "data") return true;
          // The channel precedes data in every notification the SDK reads; a book or
          // user channel's data is read, any other skipped.
          user = user_channel(channel);
          if (user == UserChannel::orders) {
            has_data = true;
            return read_one_or_many(v, fields, orders.orders, detail::read_order);
          }
          if (user == UserChannel::trades) {
            has_data = true;
            return read_one_or_many(v, fields, trades.trades, detail::read_trade);
          }
          if (user == UserChannel::portfolio) {
            has_data = true;
            return detail::read_account_summary(v, fields, portfolio.balance);
          }
          if (!channel.starts_with("book.")) return true;
          has_data = true;
          return cts::venue::detail::visit_object(v, fields, "data", [&](std::string_view dk, od::value& dv) {
            if (dk == "instrument_name") return fields.string(dv, event.instrument, "instrument_name");
            if (dk == "change_id") return fields.uint64(dv, event.change_id, "change_id");
            if (dk == "timestamp") return fields.int64(dv, event.time_ms, "timestamp");
            if (dk == "bids") return read_book_levels(dv, fields, "bids", event.bids);
            if (dk == "asks") return read_book_levels(dv, fields, "asks", event.asks);
            return true;
          });
        });
      }
      return true;
    });
  });
  if (!ok) return fields.take_error();
  if (method == "subscription") {
    if (channel.empty()) return make_error(ErrorCode::protocol_error, "orangex stream frame: a notification without a channel");
    if (has_data && user == UserChannel::orders) return StreamFrame{std::move(orders)};
    if (has_data && user == UserChannel::trades) return StreamFrame{std::move(trades)};
    if (has_data && user == UserChannel::portfolio) return StreamFrame{std::move(portfolio)};
    if (has_data) {
      if (event.instrument.empty() || event.change_id == 0) {
        return make_error(ErrorCode::protocol_error, "orangex book event: instrument_name or change_id is missing");
      }
      return StreamFrame{std::move(event)};
    }
    return StreamFrame{OtherNotification{std::move(channel)}};
  }
  if (has_error || has_result) {
    CallReply reply{id, std::nullopt};
    if (has_error) reply.error = code_error(error_code, error_message, Operation::read);
    return StreamFrame{std::move(reply)};
  }
  return make_error(ErrorCode::protocol_error, "orangex stream frame: neither a reply nor a notification");
}

std::vector<std::string> PublicMarketStream::subscriptions() const {
  return {subscribe_frame(1, "/public/subscribe", {book_channel(instrument_)})};
}

void PublicMarketStream::reset() {
  book_.clear();
  synced_ = false;
  buffered_.clear();
}

Result<MarketChange> PublicMarketStream::on_message(std::string_view text) {
  Result<StreamFrame> frame = parse_stream_frame(text);
  if (!frame) return frame.error();
  if (const auto* reply = std::get_if<CallReply>(&*frame)) {
    if (reply->error) return *reply->error;
    return MarketChange::subscribed;
  }
  const auto* event = std::get_if<BookEvent>(&*frame);
  if (event == nullptr || event->instrument != instrument_) return MarketChange::none;
  if (synced_) return apply(*event);
  if (buffered_.size() >= kMaxBufferedBookEvents) {
    buffered_.clear();
    return MarketChange::gap;
  }
  buffered_.push_back(*event);
  return MarketChange::waiting;
}

Result<MarketChange> PublicMarketStream::apply(const BookEvent& event) {
  if (event.change_id <= book_.last_update_id()) return MarketChange::none;
  if (event.change_id != book_.last_update_id() + 1) {
    reset();
    buffered_.push_back(event);
    return MarketChange::gap;
  }
  if (auto applied = book_.apply(event.bids, event.asks, event.change_id); !applied) {
    reset();
    return applied.error();
  }
  if (book_.crossed()) {
    reset();
    return MarketChange::gap;
  }
  return MarketChange::book;
}

Result<MarketChange> PublicMarketStream::on_snapshot(const BookSnapshot& snapshot) {
  if (!buffered_.empty() && snapshot.last_update_id + 1 < buffered_.front().change_id) return MarketChange::waiting;
  if (auto loaded = book_.load(snapshot); !loaded) return loaded.error();
  synced_ = true;
  std::deque<BookEvent> pending;
  pending.swap(buffered_);
  for (const BookEvent& event : pending) {
    Result<MarketChange> change = apply(event);
    if (!change) return change.error();
    if (*change == MarketChange::gap) return MarketChange::gap;
  }
  if (book_.crossed()) {
    reset();
    return MarketChange::gap;
  }
  return MarketChange::book;
}

}  // namespace cts::venue::orangex
