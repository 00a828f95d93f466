// Tests for the OKX books push scanner (cts/venue/okx/detail/books_scanner.hpp) and its
// place in okx::parse_stream_event(). The property under test: whatever the scanner
// accepts, the generic simdjson path accepts too, with the same BookUpdate; and
// parse_stream_event() always gives the generic path's outcome (value or error). The
// scanner reads exact-size heap copies, so a read past the end is a sanitizer error.
// Known answers are those of OKX's documented books push (tests/fixtures/okx/ws_books_*.json).
#include <cts/venue/okx/book_sync.hpp>
#include <cts/venue/okx/detail/books_scanner.hpp>
#include <cts/venue/okx/stream_protocols.hpp>
#include <cts/venue/okx/streams.hpp>

#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <doctest/doctest.h>

#include "support.hpp"

using cts::Decimal;
using cts::venue::PriceLevel;
using cts_test::okx_fixture_text;
namespace okx = cts::venue::okx;
using namespace cts::literals;

namespace {

// An exact-size heap copy of a text (a read past its end is a sanitizer error).
class ExactCopy {
 public:
  explicit ExactCopy(std::string_view text) : bytes_(std::make_unique<char[]>(text.size())), size_(text.size()) {
    if (!text.empty()) std::memcpy(bytes_.get(), text.data(), text.size());
  }
  [[nodiscard]] std::string_view view() const { return {bytes_.get(), size_}; }

 private:
  std::unique_ptr<char[]> bytes_;
  std::size_t size_;
};

// The scanner over an exact-size copy of `frame`.
bool scan_exact(std::string_view frame, okx::BookUpdate& out) {
  static okx::detail::BooksScanner scanner;
  const ExactCopy copy(frame);
  return scanner.scan(copy.view(), out);
}

struct Outcome {
  bool ok = false;
  okx::StreamEvent event;
  cts::ErrorCode code{};
  std::string message;
};

Outcome outcome_of(const cts::Result<okx::StreamEvent>& result) {
  Outcome outcome;
  outcome.ok = result.has_value();
  if (outcome.ok) {
    outcome.event = *result;
  } else {
    outcome.code = result.error().code;
    outcome.message = result.error().message;
  }
  return outcome;
}

// Checks the property on `frame`; returns whether the scanner accepted it.
bool check_agreement(std::string_view frame) {
  INFO("frame: " << std::string(frame.substr(0, 300)));
  okx::BookUpdate scanned;
  const bool accepted = scan_exact(frame, scanned);
  static cts::venue::JsonReader reader;
  const ExactCopy copy(frame);
  const Outcome generic = outcome_of(okx::detail::parse_stream_event_on_demand(copy.view(), reader));
  if (accepted) {
    REQUIRE_MESSAGE(generic.ok, generic.message);
    REQUIRE(std::holds_alternative<okx::BookUpdate>(generic.event));
    CHECK(scanned == std::get<okx::BookUpdate>(generic.event));
  }
  const Outcome full = outcome_of(okx::parse_stream_event(copy.view()));
  REQUIRE(full.ok == generic.ok);
  if (full.ok) {
    REQUIRE(full.event.index() == generic.event.index());
    if (const auto* update = std::get_if<okx::BookUpdate>(&full.event)) {
      CHECK(*update == std::get<okx::BookUpdate>(generic.event));
    }
  } else {
    CHECK(full.code == generic.code);
    CHECK(full.message == generic.message);
  }
  return accepted;
}

// `text` without the whitespace between its tokens (the fixtures' strings hold none).
std::string compact(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t') out += c;
  }
  return out;
}

// `text` with its first `from` replaced by `to`.
std::string replaced(std::string text, std::string_view from, std::string_view to) {
  const std::size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  text.replace(at, from.size(), to);
  return text;
}

// A books push of BTC-USDT with the given action, sides (JSON arrays) and data members
// after the sides.
std::string books_push(std::string_view action, std::string_view asks, std::string_view bids,
                       std::string_view rest = R"("ts":"1597026383085","checksum":0,"prevSeqId":-1,"seqId":123456)") {
  return std::string(R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":")") + std::string(action) +
         R"(","data":[{"asks":)" + std::string(asks) + R"(,"bids":)" + std::string(bids) + "," + std::string(rest) +
         "}]}";
}

// A small compact snapshot: 2 asks, 2 bids, every data member.
const std::string kSmall =
    R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":"snapshot","data":[{"asks":[["8476.98","415","0","13"],)"
    R"(["8477","7","0","2"]],"bids":[["8476.97","256","0","12"],["8475.3","0.015","0","1"]],"ts":"1597026383085",)"
    R"("checksum":-855196043,"prevSeqId":-1,"seqId":123456}]})";

// A small update with whitespace between its tokens, members in another order.
const std::string kSpaced =
    " \r\n{ \"arg\" : {\"channel\":\"books\" ,\t\"instId\":\"BTC-USDT\"} ,\n \"action\" : \"update\", \"data\" : [ "
    "{ \"asks\" : [ [ \"8476.98\" , \"415\" , \"0\" , \"13\" ] ,\n [\"8477\",\"7\",\"0\",\"2\"]\t] , \"bids\":[\n], "
    "\"seqId\" : 123457 , \"ts\":\"1597026383085\" , \"prevSeqId\" : 123456 } ] }\r\n ";

// The documented levels of ws_books_snapshot.json / ws_books_update.json.
const std::vector<PriceLevel> kDocumentedAsks = {{"8476.98"_d, "415"_d}, {"8477"_d, "7"_d},     {"8477.34"_d, "85"_d},
                                                 {"8477.56"_d, "1"_d},   {"8505.84"_d, "8"_d},  {"8506.37"_d, "85"_d},
                                                 {"8506.49"_d, "2"_d},   {"8506.96"_d, "100"_d}};
const std::vector<PriceLevel> kDocumentedBids = {{"8476.97"_d, "256"_d}, {"8475.55"_d, "101"_d}, {"8475.54"_d, "100"_d},
                                                 {"8475.3"_d, "1"_d},    {"8447.32"_d, "6"_d},   {"8447.02"_d, "246"_d},
                                                 {"8446.83"_d, "24"_d},  {"8446"_d, "95"_d}};

// Random decimal text, of a form the scanner converts unless `irregular`.
std::string random_decimal(std::mt19937_64& rng, bool irregular) {
  std::string text;
  auto digits = [&](int n) {
    for (int i = 0; i < n; ++i) text += static_cast<char>('0' + (i == 0 ? 1 + rng() % 9 : rng() % 10));
  };
  const int kind = irregular ? 9 + static_cast<int>(rng() % 3) : 0;
  if (kind == 0) {  // 1-8 integer digits, 0-8 decimals (OKX's shortest form or not)
    digits(1 + static_cast<int>(rng() % 8));
    const int decimals = static_cast<int>(rng() % 9);
    if (decimals > 0) {
      text += '.';
      digits(decimals);
    }
  } else if (kind == 9) {
    text = "0.";
    digits(9 + static_cast<int>(rng() % 8));  // more decimals than the scanner converts
  } else if (kind == 10) {
    digits(9 + static_cast<int>(rng() % 9));  // a long integer
  } else {
    digits(1 + static_cast<int>(rng() % 3));
    text += "e-2";
  }
  return text;
}

struct Generated {
  std::string frame;
  bool plain = true;  // every decimal of a scanner form
};

// A books push with random levels, data members in random order, whitespace between
// tokens when `spaced`; with `irregular`, one decimal (if any) of a form the scanner
// leaves to the generic path.
Generated random_push(std::mt19937_64& rng, int asks, int bids, bool spaced, bool irregular) {
  Generated out;
  const int decimals = 2 * (asks + bids);
  const int irregular_at = irregular && decimals > 0 ? static_cast<int>(rng() % static_cast<unsigned>(decimals)) : -1;
  int decimal_index = 0;
  std::string& s = out.frame;
  auto ws = [&] {
    if (!spaced) return;
    static constexpr char kSpace[] = {' ', '\t', '\n', '\r'};
    for (int n = static_cast<int>(rng() % 3); n > 0; --n) s += kSpace[rng() % 4];
  };
  auto side = [&](int count) {
    std::string levels = "[";
    for (int i = 0; i < count; ++i) {
      if (i > 0) levels += ',';
      levels += '[';
      for (int j = 0; j < 4; ++j) {
        if (j > 0) levels += ',';
        if (j < 2) {
          const bool odd_one = decimal_index++ == irregular_at;
          out.plain = out.plain && !odd_one;
          levels += '"' + random_decimal(rng, odd_one) + '"';
        } else {
          // The third string is "0" as OKX sends it, now and then another (the slow path).
          levels += '"' + std::to_string(j == 2 && rng() % 4 != 0 ? 0 : rng() % 300) + '"';
        }
      }
      levels += ']';
    }
    return levels + "]";
  };
  std::vector<std::string> members = {"\"asks\":" + side(asks), "\"bids\":" + side(bids),
                                      "\"ts\":\"" + std::to_string(rng() % 10000000000000ULL) + "\"",
                                      "\"seqId\":" + std::to_string(rng() % 1000000000000ULL)};
  if (rng() % 4 != 0) members.push_back("\"checksum\":" + std::to_string(static_cast<std::int32_t>(rng())));
  if (rng() % 4 != 0) members.push_back("\"prevSeqId\":" + std::to_string(static_cast<std::int64_t>(rng() % 1000) - 1));
  std::shuffle(members.begin(), members.end(), rng);
  ws();
  s += R"({"arg":{"channel":"books","instId":"BTC-USDT-SWAP"},"action":)";
  s += rng() % 2 ? "\"snapshot\"" : "\"update\"";
  s += R"(,"data":[{)";
  for (std::size_t i = 0; i < members.size(); ++i) {
    if (i > 0) s += ',';
    ws();
    // Whitespace around the ':' of the member and inside its value's first tokens.
    std::string member = members[i];
    const std::size_t colon = member.find(':');
    s += member.substr(0, colon);
    ws();
    s += ':';
    ws();
    s += member.substr(colon + 1);
    ws();
  }
  s += "}]}";
  ws();
  return out;
}

}  // namespace

TEST_CASE("okx books scanner: the documented snapshot and update, as sent and compact") {
  for (const bool is_snapshot : {true, false}) {
    const std::string documented = okx_fixture_text(is_snapshot ? "ws_books_snapshot.json" : "ws_books_update.json");
    for (const std::string& frame : {documented, compact(documented)}) {
      okx::BookUpdate update;
      update.book.sequence = 7;
      REQUIRE(scan_exact(frame, update));
      CHECK(update.channel == "books");
      CHECK(update.inst_id == "BTC-USDT");
      CHECK(update.snapshot == is_snapshot);
      CHECK(update.prev_seq_id == (is_snapshot ? -1 : 123456));
      CHECK(update.book.last_update_id == (is_snapshot ? 123456u : 123457u));
      CHECK(update.checksum == -855196043);
      CHECK(update.book.event_time_ms == 1597026383085);
      CHECK(update.book.sequence == 0);
      CHECK(update.book.asks == kDocumentedAsks);
      CHECK(update.book.bids == kDocumentedBids);
      CHECK(check_agreement(frame));
    }
  }
}

TEST_CASE("okx books scanner: members of the data object in any order, optional ones absent, empty sides") {
  okx::BookUpdate update;
  REQUIRE(scan_exact(R"({"arg":{"channel":"books","instId":"ETH-USDT"},"action":"update","data":[{"seqId":18,)"
                     R"("ts":"0042","bids":[],"prevSeqId":17,"asks":[["1.5","2","0","1"]]}]})",
                     update));
  CHECK(update.inst_id == "ETH-USDT");
  CHECK_FALSE(update.snapshot);
  CHECK(update.book.last_update_id == 18);
  CHECK(update.prev_seq_id == 17);
  CHECK(update.checksum == 0);
  CHECK(update.book.event_time_ms == 42);
  CHECK(update.book.bids.empty());
  CHECK(update.book.asks == std::vector<PriceLevel>{{"1.5"_d, "2"_d}});

  // A no-change update: empty sides, seqId = prevSeqId; checksum and prevSeqId absent
  // read as 0 and -1, as in the generic reader.
  CHECK(check_agreement(books_push("update", "[]", "[ ]", R"("ts":"1","seqId":5)")));
  REQUIRE(scan_exact(books_push("update", "[]", "[ ]", R"("ts":"1","seqId":5)"), update));
  CHECK(update.checksum == 0);
  CHECK(update.prev_seq_id == -1);
  CHECK(update.book.asks.empty());
  CHECK(update.book.bids.empty());

  CHECK(
      check_agreement(books_push("snapshot", "[]", "[]", R"("seqId":9223372036854775807,"ts":"999999999999999999")")));
  CHECK(check_agreement(books_push("snapshot", "[]", "[]",
                                   R"("ts":"1","checksum":-2147483648,"prevSeqId":-9223372036854775807,"seqId":0)")));
  CHECK(check_agreement(books_push("snapshot", "[]", "[]", R"("ts":"1","checksum":2147483647,"seqId":1)")));
  CHECK(check_agreement(books_push("snapshot", R"([["1","2","",""]])", "[]", R"("ts":"1","seqId":1)")));
  CHECK(check_agreement(books_push("snapshot", R"([["1","2","x y","~!"]])", "[]", R"("ts":"1","seqId":1)")));
}

TEST_CASE("okx books scanner: every decimal form it converts, as price and as size") {
  for (const char* text : {"8476.98", "8477", "0.00000001", "12345678.12345678", "0", "01.5", "0.015", "415"}) {
    INFO(text);
    const std::string level = std::string("[\"") + text + "\",\"" + text + "\",\"0\",\"1\"]";
    const std::string frame = books_push("snapshot", "[" + level + "," + level + "]", "[" + level + "]");
    okx::BookUpdate update;
    REQUIRE(scan_exact(frame, update));
    const Decimal value = Decimal::parse(text).value();
    CHECK(update.book.asks == std::vector<PriceLevel>{{value, value}, {value, value}});
    CHECK(check_agreement(frame));
  }
}

TEST_CASE("okx books scanner: declines other shapes, which the generic path reads or refuses") {
  // Unknown members, other member orders, escapes, forms the scanner does not convert
  // (the generic path reads them), and a few it refuses.
  const std::string declined[] = {
      books_push("snapshot", "[]", "[]", R"("ts":"1","seqId":1,"instId":"BTC-USDT")"),
      books_push("snapshot", "[]", "[]", R"("ts":"1","seqId":1,"extra":{"a":[1,"2"]})"),
      replaced(kSmall, R"("instId":"BTC-USDT")", R"("instId":"BTC-USDT","instType":"SPOT")"),
      replaced(kSmall, R"({"channel":"books","instId":"BTC-USDT"})", R"({"instId":"BTC-USDT","channel":"books"})"),
      replaced(kSmall, R"("BTC-USDT")", R"("BTC\u002dUSDT")"),
      replaced(replaced(kSmall, R"("action":"snapshot",)", ""), "}]}", R"(}],"action":"snapshot"})"),
      replaced(kSmall, R"(["8477","7","0","2"])", R"(["8477","7"])"),
      replaced(kSmall, R"(["8477","7","0","2"])", R"(["8477","7","0","2","9"])"),
      replaced(kSmall, R"(["8477","7","0","2"])", R"(["8477","7",0,2])"),
      replaced(kSmall, R"(["8477","7","0","2"])", R"(["8477","0.000000001","0","2"])"),
      replaced(kSmall, R"(["8477","7","0","2"])", R"(["123456789","7","0","2"])"),
      replaced(kSmall, R"(["8477","7","0","2"])", R"(["8477","7","0","\u0032"])"),
      replaced(kSmall, R"(["8477","7","0","2"])", "[\"8477\",\"7\",\"0\",\"\xC3\xA9\"]"),
      replaced(kSmall, R"("ts":"1597026383085")", R"("ts":"1597026383085000000")"),
      replaced(kSmall, R"("seqId":123456)", R"("seqId":18446744073709551615)"),
      replaced(kSmall, R"("seqId":123456)", R"("seqId":0123456)"),
  };
  for (const std::string& frame : declined) {
    okx::BookUpdate update;
    CHECK_FALSE_MESSAGE(scan_exact(frame, update), frame);
    check_agreement(frame);
  }
  // Frames of other channels and replies are declined before the quote pass.
  for (const char* frame : {"pong", R"({"event":"subscribe","arg":{"channel":"books","instId":"BTC-USDT"}})",
                            R"({"arg":{"channel":"books5","instId":"BTC-USDT"},"data":[]})"}) {
    okx::BookUpdate update;
    CHECK_FALSE(scan_exact(frame, update));
    check_agreement(frame);
  }
}

TEST_CASE("okx books scanner: malformed pushes are the generic path's typed errors") {
  const std::string malformed[] = {
      replaced(kSmall, R"("action":"snapshot")", R"("action":"partial")"),
      replaced(kSmall, R"(,"seqId":123456)", ""),
      replaced(kSmall, R"("ts":"1597026383085",)", ""),
      replaced(kSmall, R"("asks":[["8476.98","415","0","13"],["8477","7","0","2"]],)", ""),
      replaced(kSmall, R"("seqId":123456)", R"("seqId":-1)"),
      replaced(kSmall, R"("seqId":123456)", R"("seqId":1.5)"),
      replaced(kSmall, R"("seqId":123456)", R"("seqId":"123456")"),
      replaced(kSmall, R"("checksum":-855196043)", R"("checksum":2147483648)"),
      replaced(kSmall, R"("checksum":-855196043)", R"("checksum":-2147483649)"),
      replaced(kSmall, R"("prevSeqId":-1)", R"("prevSeqId":-9223372036854775809)"),
      replaced(kSmall, R"("ts":"1597026383085")", R"("ts":"-1")"),
      replaced(kSmall, R"("ts":"1597026383085")", R"("ts":"15970a")"),
      replaced(kSmall, R"("ts":"1597026383085")", R"("ts":"")"),
      replaced(kSmall, R"("ts":"1597026383085")", R"("ts":1597026383085)"),
      replaced(kSmall, R"("8476.98")", R"("8476.9a")"),
      replaced(kSmall, R"("8476.98")", R"("")"),
      replaced(kSmall, R"("8476.98")", R"(8476.98)"),
      replaced(kSmall, R"(["8477","7","0","2"])", R"(["8477"])"),
      replaced(kSmall, R"(["8477","7","0","2"])", R"({"px":"8477"})"),
      replaced(kSmall, R"(["8477","7","0","2"])", R"(["8477","7","0","2"],)"),
      replaced(kSmall, R"("bids":[)", R"("bids":{)"),
      replaced(kSmall, "}]}", "},{}]}"),
      replaced(kSmall, "}]}", "}]"),
      replaced(kSmall, "}]}", "}]}}"),
      replaced(kSmall, "}]}", "}]} x"),
      R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":"snapshot","data":[]})",
      R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":"snapshot"})",
  };
  for (const std::string& frame : malformed) {
    INFO(frame);
    okx::BookUpdate update;
    CHECK_FALSE(scan_exact(frame, update));
    check_agreement(frame);
    const auto parsed = okx::parse_stream_event(frame);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().code == cts::ErrorCode::protocol_error);
  }
}

TEST_CASE("okx books scanner: a malformed push changes nothing in the public stream's book") {
  okx::PublicMarketStream stream("BTC-USDT");
  const std::string snapshot = compact(okx_fixture_text("ws_books_snapshot.json"));
  REQUIRE(stream.on_message(replaced(snapshot, "-855196043", "0")).value() == cts::venue::MarketChange::book);
  const std::string update = replaced(compact(okx_fixture_text("ws_books_update.json")), "-855196043", "0");
  for (const std::string& bad : {replaced(update, R"("8477.34","85")", R"("8477.34","8x")"),
                                 replaced(update, R"("seqId":123457)", ""), update.substr(0, update.size() - 1)}) {
    const auto result = stream.on_message(bad);
    REQUIRE_FALSE(result);
    CHECK(result.error().code == cts::ErrorCode::protocol_error);
    CHECK(stream.synced());
    CHECK(stream.book().last_update_id() == 123456);
    CHECK(stream.book().depth(cts::Side::sell) == 8);
  }
  CHECK(stream.on_message(update).value() == cts::venue::MarketChange::book);
  CHECK(stream.book().last_update_id() == 123457);
}

TEST_CASE("okx books scanner: every truncation, substitution, deletion and insertion agrees with the generic path") {
  for (const std::string& frame : {kSmall, kSpaced}) {
    const std::size_t complete = frame.rfind('}') + 1;
    for (std::size_t n = 0; n < frame.size(); ++n) {
      const bool accepted = check_agreement(std::string_view(frame).substr(0, n));
      if (n < complete) CHECK_FALSE(accepted);
    }
    cts_test::for_each_one_byte_edit(frame, check_agreement);
  }
}

TEST_CASE("okx books scanner: agrees with the generic path on random pushes") {
  std::mt19937_64 rng(20261206);
  int plain = 0;
  for (int round = 0; round < 300; ++round) {
    const Generated push =
        random_push(rng, static_cast<int>(rng() % 30), static_cast<int>(rng() % 30), round % 2 == 1, round % 3 == 0);
    const bool taken = check_agreement(push.frame);
    CHECK_MESSAGE(taken == push.plain, push.frame);
    plain += push.plain;
  }
  CHECK(plain > 150);
  for (const bool spaced : {false, true}) {
    for (const bool irregular : {false, true}) {
      const Generated push = random_push(rng, 400, 400, spaced, irregular);
      CHECK(check_agreement(push.frame) == push.plain);
    }
  }
}

TEST_CASE("okx books scanner: a 400-level snapshot in OKX's shortest form is scanned and verified") {
  // Asks 64231.6 + i/10, bids 64231.5 - i/10, size (i + 1)/1000 (shortest form).
  std::string asks = "[";
  std::string bids = "[";
  std::vector<PriceLevel> expected_asks;
  std::vector<PriceLevel> expected_bids;
  auto shortest = [](Decimal value) { return value.to_string(); };
  for (int i = 0; i < 400; ++i) {
    const Decimal ask = Decimal::from_raw(static_cast<Decimal::Raw>(642316 + i) * 100'000'000'000'000'000);
    const Decimal bid = Decimal::from_raw(static_cast<Decimal::Raw>(642315 - i) * 100'000'000'000'000'000);
    const Decimal size = Decimal::from_raw(static_cast<Decimal::Raw>(i + 1) * 1'000'000'000'000'000);
    if (i > 0) {
      asks += ',';
      bids += ',';
    }
    asks += "[\"" + shortest(ask) + "\",\"" + shortest(size) + "\",\"0\",\"" + std::to_string(i % 7 + 1) + "\"]";
    bids += "[\"" + shortest(bid) + "\",\"" + shortest(size) + "\",\"0\",\"" + std::to_string(i % 7 + 1) + "\"]";
    expected_asks.push_back({ask, size});
    expected_bids.push_back({bid, size});
  }
  asks += ']';
  bids += ']';
  const std::string frame = books_push("snapshot", asks, bids);
  okx::BookUpdate update;
  REQUIRE(scan_exact(frame, update));
  CHECK(update.book.asks == expected_asks);
  CHECK(update.book.bids == expected_bids);
  CHECK(check_agreement(frame));
  okx::BookSync sync;
  REQUIRE(sync.on_update(update).value() == okx::BookSyncStatus::applied);
  CHECK(sync.book().depth(cts::Side::buy) == 400);
  CHECK(sync.book().best_ask()->price == "64231.6"_d);
  CHECK(sync.book().best_bid()->quantity == "0.001"_d);
}
