// Tests for cts/store/record.hpp: every field survives the text encoding exactly, and
// damaged text is a protocol_error.
#include <cts/store/record.hpp>

#include <doctest/doctest.h>

using namespace cts;
using namespace cts::store;
using namespace cts::literals;

TEST_CASE("creation records round-trip every field") {
  order::OrderRequest r;
  r.client_id = ClientOrderId::from("0Zx9:/._-a").value();
  r.symbol = "BTC/USDT:USDT-250627";
  r.side = Side::sell;
  r.type = OrderType::stop_limit;
  r.tif = TimeInForce::post_only;
  r.quantity = "0.000000000000000001"_d;
  r.price = "170141183460469231731.687303715884105727"_d;
  r.trigger_price = "-12.5"_d;
  r.reduce_only = true;
  r.position_id = "leg with spaces=and%";
  r.ts = from_unix_millis(1'763'800'000'123) + std::chrono::nanoseconds(456);
  const JournalRecord record = JournalRecord::created(r);
  const std::string body = encode_body(record);
  CHECK(body.find('\n') == std::string::npos);
  const Result<JournalRecord> back = decode_body(RecordKind::order_created, body);
  REQUIRE(back.has_value());
  CHECK(*back == record);
}

TEST_CASE("event records round-trip every field, fills included") {
  order::OrderEvent e = order::make_event(order::OrderEventKind::updated, from_unix_millis(5));
  e.venue_order_id = order::VenueOrderId::from("a1b2c3d4-0000-4000-8000-000000000000").value();
  e.reason = "price moved\tfar";
  e.quantity = "3"_d;
  e.price = "101.25"_d;
  e.trigger_price = "99"_d;
  JournalRecord rec = JournalRecord::for_event(ClientOrderId::from("C").value(), e);
  Result<JournalRecord> back = decode_body(RecordKind::order_event, encode_body(rec));
  REQUIRE(back.has_value());
  back->client_id = rec.client_id;  // stored in its own column by the backends
  CHECK(*back == rec);

  order::Fill f{order::TradeId::from("T-1").value(), "0.5"_d, "64231.57"_d, "-0.0001"_d, order::Asset::from("USDT").value()};
  rec = JournalRecord::for_event(ClientOrderId::from("C").value(), order::make_fill_event(f, from_unix_millis(9)));
  back = decode_body(RecordKind::order_event, encode_body(rec));
  REQUIRE(back.has_value());
  back->client_id = rec.client_id;
  CHECK(*back == rec);
}

TEST_CASE("damaged bodies are protocol errors") {
  for (std::string_view body : {"ev=fill ts=1 fqty=abc", "ev=explode ts=1", "ev=fill colour=red", "ev=fill ts=1x",
                                "ev=fill trade=%4", "ev=fill trade=%G0", "novalue"}) {
    const Result<JournalRecord> r = decode_body(RecordKind::order_event, body);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == ErrorCode::protocol_error);
  }
  CHECK(decode_body(static_cast<RecordKind>(7), "").error().code == ErrorCode::protocol_error);
  CHECK(decode_body(RecordKind::order_created, "side=up").error().code == ErrorCode::protocol_error);
}

TEST_CASE("the checksum is FNV-1a 64") {
  // FNV-1a 64 of "a" is 0xaf63dc4c8601ec8c (reference value of the FNV specification).
  CHECK(body_checksum("a") == 0xaf63dc4c8601ec8cULL);
  CHECK(body_checksum("") == 14695981039346656037ULL);
}
