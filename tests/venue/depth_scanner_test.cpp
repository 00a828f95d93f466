// Tests for the Binance depth scanner (cts/venue/detail/depth_scanner.hpp, quote_index.hpp)
// and its place in binance::parse_order_book(). The property under test: whatever the
// scanner accepts, the generic simdjson path accepts too, with the same snapshot; and
// parse_order_book() always gives the generic path's outcome (value or error). The
// scanner reads exact-size heap copies, so a read past the end is a sanitizer error.
#include <cts/venue/binance/rest_parsers.hpp>
#include <cts/venue/detail/depth_scanner.hpp>
#include <cts/venue/detail/quote_index.hpp>
#include <cts/venue/order_book.hpp>

#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <doctest/doctest.h>

#include "support.hpp"

using cts::Decimal;
using cts::venue::BookSnapshot;
using cts::venue::PriceLevel;
namespace binance = cts::venue::binance;

namespace {

// The scanner over an exact-size heap copy of `body`.
bool scan_exact(std::string_view body, BookSnapshot& out) {
  static cts::venue::detail::DepthScanner scanner;
  const auto copy = std::make_unique<char[]>(body.size());
  if (!body.empty()) std::memcpy(copy.get(), body.data(), body.size());
  return scanner.scan(std::string_view(copy.get(), body.size()), out);
}

struct Outcome {
  bool ok = false;
  BookSnapshot snapshot;
  cts::ErrorCode code{};
  std::string message;
};

template <class Parse>
Outcome outcome_of(std::string_view body, Parse parse) {
  Outcome outcome;
  auto result = parse(cts_test::response(200, std::string(body)), outcome.snapshot);
  outcome.ok = result.has_value();
  if (!outcome.ok) {
    outcome.code = result.error().code;
    outcome.message = result.error().message;
  }
  return outcome;
}

Outcome generic_outcome(std::string_view body) {
  static cts::venue::JsonReader reader;
  return outcome_of(body, [](const cts::HttpResponse& r, BookSnapshot& out) {
    return binance::detail::parse_order_book_on_demand(r, out, reader);
  });
}

Outcome full_outcome(std::string_view body) {
  return outcome_of(body,
                    [](const cts::HttpResponse& r, BookSnapshot& out) { return binance::parse_order_book(r, out); });
}

bool same_snapshot(const BookSnapshot& a, const BookSnapshot& b) {
  return a.last_update_id == b.last_update_id && a.event_time_ms == b.event_time_ms && a.bids == b.bids &&
         a.asks == b.asks;
}

// Checks the property on `body`; returns whether the scanner accepted it.
bool check_agreement(std::string_view body) {
  INFO("body: " << std::string(body.substr(0, 300)));
  BookSnapshot scanned;
  const bool accepted = scan_exact(body, scanned);
  const Outcome generic = generic_outcome(body);
  if (accepted) {
    REQUIRE_MESSAGE(generic.ok, generic.message);
    CHECK(same_snapshot(scanned, generic.snapshot));
  }
  const Outcome full = full_outcome(body);
  REQUIRE(full.ok == generic.ok);
  if (full.ok) {
    CHECK(same_snapshot(full.snapshot, generic.snapshot));
  } else {
    CHECK(full.code == generic.code);
    CHECK(full.message == generic.message);
  }
  return accepted;
}

Decimal dec(std::string_view text) { return Decimal::parse(text).value(); }

constexpr std::string_view kSmall =
    R"({"lastUpdateId":1027024,"bids":[["4.00000000","431.00000000"],["3.99000000","0.00100000"]],)"
    R"("asks":[["4.00000200","12.00000000"],["5.1","0.015"]]})";

constexpr std::string_view kSpaced =
    " \r\n{ \"lastUpdateId\" :\t1027024 ,\n \"bids\" : [ [ \"4.00000000\" , \"431.00000000\" ] ,\n"
    "  [\"3.99000000\",\"0.00100000\"]\t] , \"asks\":[\n[ \"4.00000200\",\"12.00000000\"],[\"5.1\" ,\"0.015\" "
    "]\n]\n}\r\n ";

// Random decimal text; `plain` tells whether it is of a form the scanner converts.
std::string random_decimal(std::mt19937_64& rng, bool only_plain, bool& plain) {
  std::string text;
  const int kind = static_cast<int>(rng() % (only_plain ? 16 : 20));
  auto digits = [&](int n, bool nonzero_first) {
    for (int i = 0; i < n; ++i) text += static_cast<char>('0' + (i == 0 && nonzero_first ? 1 + rng() % 9 : rng() % 10));
  };
  if (kind < 16) {  // 1-8 integer digits, 0-8 decimals
    const int integer = 1 + static_cast<int>(rng() % 8);
    digits(integer, integer > 1 && rng() % 8 != 0);  // now and then a leading zero ("01.5")
    const int decimals = static_cast<int>(rng() % 9);
    if (decimals > 0) {
      text += '.';
      digits(decimals, false);
    }
    plain = true;
    return text;
  }
  plain = false;
  switch (kind) {
    case 16: digits(9 + static_cast<int>(rng() % 12), true); break;  // long integer
    case 17:
      text = "0.";
      digits(9 + static_cast<int>(rng() % 10), false);
      break;  // long fraction
    case 18:
      text = "-";
      digits(1 + static_cast<int>(rng() % 5), true);
      break;  // negative
    default:
      digits(1 + static_cast<int>(rng() % 3), true);
      text += "e-";
      digits(1, true);
      break;  // exponent
  }
  return text;
}

struct Generated {
  std::string body;
  bool plain = true;  // only scanner forms and no unusual structure
};

// A depth reply with random levels; `spaced` sprinkles JSON whitespace between tokens.
Generated random_depth(std::mt19937_64& rng, int bids, int asks, bool spaced, bool only_plain = false) {
  Generated out;
  std::string& s = out.body;
  auto ws = [&] {
    if (!spaced) return;
    static constexpr char kSpace[] = {' ', '\t', '\n', '\r'};
    for (int n = static_cast<int>(rng() % 3); n > 0; --n) s += kSpace[rng() % 4];
  };
  auto side = [&](int count) {
    ws();
    s += '[';
    for (int i = 0; i < count; ++i) {
      if (i > 0) {
        ws();
        s += ',';
      }
      ws();
      s += '[';
      for (int j = 0; j < 2; ++j) {
        if (j > 0) s += ',';
        ws();
        bool plain = true;
        s += '"' + random_decimal(rng, only_plain, plain) + '"';
        out.plain = out.plain && plain;
        ws();
      }
      s += ']';
    }
    ws();
    s += ']';
  };
  ws();
  s += '{';
  ws();
  s += "\"lastUpdateId\"";
  ws();
  s += ':';
  ws();
  s += std::to_string(rng() % 100000000000ULL);
  ws();
  s += ",";
  ws();
  s += "\"bids\"";
  ws();
  s += ':';
  side(bids);
  s += ',';
  ws();
  s += "\"asks\"";
  ws();
  s += ':';
  side(asks);
  ws();
  s += '}';
  ws();
  return out;
}

}  // namespace

TEST_CASE("depth scanner: known answers, compact and with whitespace") {
  for (const std::string_view body : {kSmall, kSpaced}) {
    BookSnapshot book;
    book.event_time_ms = 99;
    REQUIRE(scan_exact(body, book));
    CHECK(book.last_update_id == 1027024);
    CHECK(book.event_time_ms == 0);
    REQUIRE(book.bids.size() == 2);
    REQUIRE(book.asks.size() == 2);
    CHECK(book.bids[0].price == Decimal::from_raw(4'000'000'000'000'000'000));
    CHECK(book.bids[0].quantity == Decimal::from_int(431));
    CHECK(book.bids[1].price == Decimal::from_raw(3'990'000'000'000'000'000));
    CHECK(book.bids[1].quantity == Decimal::from_raw(1'000'000'000'000'000));
    CHECK(book.asks[0].price == Decimal::from_raw(4'000'002'000'000'000'000));
    CHECK(book.asks[0].quantity == Decimal::from_int(12));
    CHECK(book.asks[1].price == Decimal::from_raw(5'100'000'000'000'000'000));
    CHECK(book.asks[1].quantity == Decimal::from_raw(15'000'000'000'000'000));
    check_agreement(body);
  }
}

TEST_CASE("depth scanner: every plain form it converts") {
  struct Case {
    const char* text = "";
    Decimal value;
  };
  const Case cases[] = {
      {"64231.57000000", Decimal::from_int(64231) + Decimal::from_raw(570'000'000'000'000'000)},
      {"1234567.12345678", Decimal::from_int(1234567) + Decimal::from_raw(123'456'780'000'000'000)},
      {"0.00000001", Decimal::from_raw(10'000'000'000)},
      {"12345678.12345678", Decimal::from_int(12345678) + Decimal::from_raw(123'456'780'000'000'000)},
      {"12345678", Decimal::from_int(12345678)},
      {"7", Decimal::from_int(7)},
      {"0", Decimal{}},
      {"0.1", Decimal::from_raw(100'000'000'000'000'000)},
      {"01.5", Decimal::from_raw(1'500'000'000'000'000'000)},
      {"00000000.00000000", Decimal{}},
      {"99999999.99999999", Decimal::from_int(99999999) + Decimal::from_raw(999'999'990'000'000'000)},
      {"9.9", Decimal::from_raw(static_cast<Decimal::Raw>(9'900'000'000'000'000'000ULL))},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    // As price and as quantity, also as the last string of the body (the end bounds
    // the word loads).
    const std::string body = std::string(R"({"lastUpdateId":5,"bids":[],"asks":[[")") + c.text + R"(",")" + c.text +
                             R"("],["1.00000000",")" + c.text + R"("]]})";
    BookSnapshot book;
    REQUIRE(scan_exact(body, book));
    REQUIRE(book.asks.size() == 2);
    CHECK(book.asks[0].price == c.value);
    CHECK(book.asks[0].quantity == c.value);
    CHECK(book.asks[1].quantity == c.value);
    check_agreement(body);
  }
}

TEST_CASE("depth scanner: empty sides and the shortest documents") {
  BookSnapshot book;
  book.bids.push_back({Decimal::from_int(1), Decimal::from_int(1)});
  REQUIRE(scan_exact(R"({"lastUpdateId":0,"bids":[],"asks":[]})", book));
  CHECK(book.last_update_id == 0);
  CHECK(book.bids.empty());
  CHECK(book.asks.empty());
  CHECK(check_agreement(R"({"lastUpdateId":1,"bids":[ ],"asks":[["1","2"]]})"));
  CHECK(check_agreement(R"({"lastUpdateId":1,"bids":[["1","2"]],"asks":[ ] })"));
  CHECK(check_agreement(R"({"lastUpdateId":18446744073709551,"bids":[],"asks":[]})"));
  CHECK(check_agreement(R"({"lastUpdateId":9999999999999999999,"bids":[],"asks":[]})"));
}

TEST_CASE("depth scanner: declines every other shape, and parse_order_book gives the generic result") {
  // Each of these is valid or invalid for the generic path; the scanner must decline
  // them all (other shapes, forms it does not convert, malformed JSON).
  const char* const declined[] = {
      R"({"bids":[],"asks":[],"lastUpdateId":5})",
      R"({"lastUpdateId":1,"asks":[],"bids":[]})",
      R"({"lastUpdateId":1,"E":5,"bids":[],"asks":[]})",
      R"({"lastUpdateId":1,"bids":[],"asks":[],"E":5})",
      R"({"lastUpdate\u0049d":1,"bids":[],"asks":[]})",
      R"({"lastUpdateId":1,"lastUpdateId":2,"bids":[],"asks":[]})",
      R"({"lastUpdateId":1,"bids":[],"bids":[],"asks":[]})",
      R"({"lastUpdateId":1,"bids":[["1e5","1"]],"asks":[]})",
      R"({"lastUpdateId":1,"bids":[["1E5","1"]],"asks":[]})",
      R"({"lastUpdateId":1,"bids":[["-1.5","1"]],"asks":[]})",
      R"({"lastUpdateId":1,"bids":[["+1.5","1"]],"asks":[]})",
      R"({"lastUpdateId":1,"bids":[["0.123456789","1"]],"asks":[]})",
      R"({"lastUpdateId":1,"bids":[["123456789.5","1"]],"asks":[]})",
      R"({"lastUpdateId":1,"bids":[["123456789","1"]],"asks":[]})",
      R"({"lastUpdateId":1,"bids":[["1234567890123456789012345.5","1"]],"asks":[]})",
      R"({"lastUpdateId":1,"bids":[["1","2","3"]],"asks":[]})",
      R"({"lastUpdateId":1,"bids":[["1"]],"asks":[]})",
      R"({"lastUpdateId":1,"bids":[[]],"asks":[]})",
      R"({"lastUpdateId":1,"bids":[[1.5,"2"]],"asks":[]})",
      R"({"lastUpdateId":1,"bids":[["1.5",2]],"asks":[]})",
      R"({"lastUpdateId":1,"bids":[["1.5,"2"]],"asks":[]})",
      R"({"lastUpdateId":1,"bids":[["1.5a","2"]],"asks":[]})",
      R"({"lastUpdateId":1,"bids":[["1.5000000a","2"]],"asks":[]})",
      R"({"lastUpdateId":1,"bids":[["1.50000000","2.0000000a"]],"asks":[]})",
      R"({"lastUpdateId":1,"bids":[["1.5/000000","2"]],"asks":[]})",
      R"({"lastUpdateId":1,"bids":[["1:50000000","2"]],"asks":[]})",
      R"({"lastUpdateId":1,"bids":[[".5","2"]],"asks":[]})",
      R"({"lastUpdateId":1,"bids":[["5.","2"]],"asks":[]})",
      R"({"lastUpdateId":1,"bids":[["","2"]],"asks":[]})",
      R"({"lastUpdateId":1,"bids":[["1..5","2"]],"asks":[]})",
      R"({"lastUpdateId":1,"bids":[["1\u0030","2"]],"asks":[]})",
      R"({"lastUpdateId":1,"bids":[[" 1","2"]],"asks":[]})",
      R"({"lastUpdateId":1,"bids":[["1","2"],],"asks":[]})",
      R"({"lastUpdateId":1,"bids":[,["1","2"]],"asks":[]})",
      R"({"lastUpdateId":1,"bids":[["1","2"]["3","4"]],"asks":[]})",
      R"({"lastUpdateId":1,"bids":[["1","2"]],"asks":[]]})",
      R"({"lastUpdateId":1,"bids":[["1","2"]],"asks":[})",
      R"({"lastUpdateId":1,"bids":[["1","2"]],"asks":[)",
      R"({"lastUpdateId":1,"bids":[["1","2"]] "asks":[]})",
      R"({"lastUpdateId":1,"bids":[["1","2"]],"asks":[]} x)",
      R"({"lastUpdateId":1,"bids":[["1","2"]],"asks":[]}})",
      R"({"lastUpdateId":1,"bids":[["1","2"]],"asks":[]}"")",
      R"({"lastUpdateId":1,"bids":[["1","2"]],"asks":[],})",
      R"({"lastUpdateId":1,"bids":{},"asks":[]})",
      R"({"lastUpdateId":1,"bids":null,"asks":[]})",
      R"({"lastUpdateId":01,"bids":[],"asks":[]})",
      R"({"lastUpdateId":-1,"bids":[],"asks":[]})",
      R"({"lastUpdateId":1.0,"bids":[],"asks":[]})",
      R"({"lastUpdateId":1e3,"bids":[],"asks":[]})",
      R"({"lastUpdateId":"1","bids":[],"asks":[]})",
      R"({"lastUpdateId":,"bids":[],"asks":[]})",
      R"({"lastUpdateId":18446744073709551615,"bids":[],"asks":[]})",
      R"({"lastUpdateId":18446744073709551616,"bids":[],"asks":[]})",
      R"({"lastUpdateId":123456789012345678901234,"bids":[],"asks":[]})",
      R"({"lastUpdateId" 1,"bids":[],"asks":[]})",
      R"({"lastUpdateId":1 "bids":[],"asks":[]})",
      "{\"lastUpdateId\":1,\"bids\":[],\"asks\":[]}\v",
      "{\"lastUpdateId\":1,\"bids\":[],\"asks\":[]}\f",
      R"({"lastUpdateId":1,"bids":[],"asks":[],"asks":[]})",
      R"({"lastUpdateId":1,"Bids":[],"asks":[]})",
      R"({"lastUpdateId":1,"bids":[],"ask":[]})",
      R"({"lastUpdateID":1,"bids":[],"asks":[]})",
      R"([{"lastUpdateId":1,"bids":[],"asks":[]}])",
      "",
      " ",
      "{}",
      "[]",
      "null",
      "\"lastUpdateId\"",
  };
  for (const char* body : declined) {
    BookSnapshot book;
    CHECK_FALSE_MESSAGE(scan_exact(body, book), body);
    check_agreement(body);
  }
  // A body with a NUL byte in a price.
  static constexpr char kWithNul[] = "{\"lastUpdateId\":1,\"bids\":[[\"1\0\",\"2\"]],\"asks\":[]}";
  const std::string nul(kWithNul, sizeof kWithNul - 1);
  BookSnapshot book;
  CHECK_FALSE(scan_exact(nul, book));
  check_agreement(nul);
}

TEST_CASE("depth scanner: a non-2xx status still maps the Binance error") {
  const auto r = binance::parse_order_book(cts_test::response(429, R"({"code":-1003,"msg":"Too many requests"})"));
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == cts::ErrorCode::rate_limited);
}

TEST_CASE("depth scanner: every truncation, substitution, deletion and insertion agrees with the generic path") {
  for (const std::string_view source : {kSmall, kSpaced}) {
    const std::string body(source);
    const std::size_t complete = body.rfind('}') + 1;  // shorter prefixes are all malformed
    for (std::size_t n = 0; n < body.size(); ++n) {
      const bool accepted = check_agreement(std::string_view(body).substr(0, n));
      if (n < complete) CHECK_FALSE(accepted);
    }
    cts_test::for_each_one_byte_edit(body, check_agreement);
  }
}

TEST_CASE("depth scanner: agrees with the generic path on random documents") {
  std::mt19937_64 rng(20261204);
  int accepted = 0;
  int plain = 0;
  for (int round = 0; round < 400; ++round) {
    const int bids = static_cast<int>(rng() % 40);
    const int asks = static_cast<int>(rng() % 40);
    const Generated doc = random_depth(rng, bids, asks, round % 2 == 1, round % 3 != 0);
    const bool taken = check_agreement(doc.body);
    if (doc.plain) {
      ++plain;
      CHECK_MESSAGE(taken, doc.body);
    } else {
      CHECK_FALSE_MESSAGE(taken, doc.body);
    }
    accepted += taken;
  }
  CHECK(accepted == plain);
  CHECK(plain > 200);
  // Large documents, compact and spaced, every level of a scanner form.
  for (const int levels : {1000, 5000}) {
    for (const bool spaced : {false, true}) {
      const Generated doc = random_depth(rng, levels, levels, spaced, true);
      REQUIRE(doc.plain);
      CHECK(check_agreement(doc.body));
    }
  }
}

TEST_CASE("depth scanner: a large reply of Binance's own form is scanned") {
  std::string body = R"({"lastUpdateId":1027024,"bids":[)";
  std::vector<PriceLevel> expected;
  for (int i = 0; i < 3000; ++i) {
    if (i > 0) body += ',';
    // price 60000 - i/100, quantity i/10^8 + 1: written by hand-rolled formatting.
    const int cents = 6000000 - i;
    const std::string price =
        std::to_string(cents / 100) + "." + std::to_string(cents % 100 / 10) + std::to_string(cents % 10) + "000000";
    std::string units = std::to_string(100000000 + i);  // 1.00000000 + i units
    const std::string quantity = units.substr(0, 1) + "." + units.substr(1);
    body += "[\"";
    body += price;
    body += "\",\"";
    body += quantity;
    body += "\"]";
    expected.push_back({Decimal::from_raw(static_cast<Decimal::Raw>(cents) * 10'000'000'000'000'000),
                        Decimal::from_raw(static_cast<Decimal::Raw>(100000000 + i) * 10'000'000'000)});
  }
  body += R"(],"asks":[]})";
  BookSnapshot book;
  REQUIRE(scan_exact(body, book));
  CHECK(book.bids == expected);
  CHECK(check_agreement(body));
  cts::venue::OrderBook order_book;
  REQUIRE(order_book.load(book).has_value());
  CHECK(order_book.depth(cts::Side::buy) == 3000);
  CHECK(order_book.best_bid()->price == dec("60000"));
}

TEST_CASE("quote index: positions of every quote, across blocks and crowded blocks") {
  std::mt19937_64 rng(7);
  cts::venue::detail::QuoteIndex index;
  for (int round = 0; round < 300; ++round) {
    const std::size_t size = rng() % 400;
    const int density = static_cast<int>(rng() % 4);  // up to all quotes
    std::string text(size, 'a');
    for (char& c : text) {
      if (static_cast<int>(rng() % 4) < density) c = '"';
    }
    std::vector<std::uint32_t> expected;
    for (std::size_t i = 0; i < size; ++i) {
      if (text[i] == '"') expected.push_back(static_cast<std::uint32_t>(i));
    }
    const auto copy = std::make_unique<char[]>(size);
    if (size > 0) std::memcpy(copy.get(), text.data(), size);
    REQUIRE(index.build(std::string_view(copy.get(), size), size));
    REQUIRE(index.count() == expected.size());
    CHECK(std::vector<std::uint32_t>(index.positions(), index.positions() + index.count()) == expected);
    CHECK(index.positions()[index.count()] == size);
    if (!expected.empty()) CHECK_FALSE(index.build(std::string_view(copy.get(), size), expected.size() - 1));
  }
}

TEST_CASE("OrderBook::load: the one-pass check reports what the separate checks did") {
  cts::venue::OrderBook book;
  BookSnapshot s;
  s.bids = {{dec("1"), dec("1")}, {dec("2"), dec("1")}};  // unsorted bids
  s.asks = {{dec("3"), dec("-1")}};                       // and an invalid ask
  auto r = book.load(s);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == cts::ErrorCode::protocol_error);
  CHECK(r.error().message.find("ask level") != std::string::npos);
  s.asks = {{dec("3"), dec("1")}, {dec("3"), dec("2")}};  // equal prices: not strictly sorted
  s.bids = {{dec("2"), dec("1")}, {dec("1"), dec("0")}};
  r = book.load(s);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().message.find("not sorted") != std::string::npos);
  s.asks = {{dec("0"), dec("1")}};
  r = book.load(s);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().message.find("ask level") != std::string::npos);
  s.asks = {{dec("3"), dec("1")}, {dec("4"), dec("0")}};
  REQUIRE(book.load(s).has_value());
  CHECK(book.depth(cts::Side::buy) == 1);  // the zero-quantity level is skipped
  CHECK(book.depth(cts::Side::sell) == 1);
}

TEST_CASE("quote index: the portable quote finder agrees with the SIMD one on every byte") {
  std::mt19937_64 rng(11);
  for (int round = 0; round < 2000; ++round) {
    char block[64];
    for (char& c : block)
      c = static_cast<char>(round < 256 ? (rng() % 2 ? round : '"') : static_cast<int>(rng() % 256));
    std::uint64_t expected = 0;
    for (int i = 0; i < 64; ++i) expected |= static_cast<std::uint64_t>(block[i] == '"') << i;
    CHECK(cts::venue::detail::quote_bits_64_portable(block) == expected);
    CHECK(cts::venue::detail::quote_bits_64(block) == expected);
  }
}

TEST_CASE("depth scanner: the scalar converter agrees with Decimal::parse") {
  // parse_short_decimal() is what the scanner uses for forms other than Binance's own,
  // and for every form where SSE2 is missing; the text is followed by its closing quote.
  std::mt19937_64 rng(13);
  auto check = [](const std::string& text) {
    INFO(text);
    const std::string quoted = text + '"';
    const auto copy = std::make_unique<char[]>(quoted.size());
    std::memcpy(copy.get(), quoted.data(), quoted.size());
    Decimal out = Decimal::from_int(-3);
    const bool taken =
        cts::venue::detail::parse_short_decimal(copy.get(), text.size(), copy.get() + quoted.size(), out);
    const auto reference = Decimal::parse(text);
    if (taken) {
      REQUIRE(reference.has_value());
      CHECK(out == *reference);
    } else {
      CHECK(out == Decimal::from_int(-3));
    }
    return taken;
  };
  CHECK(check("64231.57000000"));
  CHECK(check("1.00000000"));
  CHECK(check("7"));
  CHECK(check("12345678.12345678"));
  for (const char* declined : {"", ".", "5.", ".5", "-1", "1e5", "123456789", "0.123456789", "1.2.3", "1a",
                               "1.0000000a", "1234567a.00000000", "1:00000000", "1/00000000"}) {
    CHECK_FALSE(check(declined));
  }
  static constexpr char kAlphabet[] = "0123456789.0123456789-e/:";
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    for (int n = static_cast<int>(rng() % 19); n > 0; --n) text += kAlphabet[rng() % (sizeof kAlphabet - 1)];
    check(text);
    bool plain = true;
    const std::string decimal = random_decimal(rng, false, plain);
    CHECK(check(decimal) == plain);
  }
}
