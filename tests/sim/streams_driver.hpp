#pragma once
// What the tests of the simulated WebSocket sides (BybitStreams, OkxStreams) share: a
// base for their test venues that rests orders on the venue's engine and feeds its
// streams, collecting the frames they send back. `Venue` derives from
// StreamsDriver<Venue> and has members `engine` (a sim::MatchingEngine) and `streams`.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <doctest/doctest.h>

#include <cts/sim/binance_streams.hpp>
#include <cts/sim/matching_engine.hpp>

namespace cts::test {

/// The time the stream tests run at, unless a test moves it.
inline constexpr std::int64_t kStreamsNowMs = 1'700'000'000'000;

/// See the file comment.
template <class Venue>
struct StreamsDriver {
  std::vector<sim::WsOutput> out;  ///< What the last send() or tick() produced.

  /// Rests a GTC limit order of `who` at kStreamsNowMs and returns it (REQUIREs success).
  sim::Order rest(sim::AccountId who, std::string symbol, Side side, Decimal quantity, Decimal price) {
    sim::OrderRequest r;
    r.account = who;
    r.symbol = std::move(symbol);
    r.side = side;
    r.quantity = quantity;
    r.price = price;
    auto placed = venue().engine.place(r, kStreamsNowMs);
    REQUIRE(placed);
    return placed->order;
  }
  /// Sends `text` on `connection` and returns the frames sent back.
  std::vector<std::string> send(std::uint64_t connection, std::string_view text,
                                std::int64_t now_ms = kStreamsNowMs) {
    out.clear();
    venue().streams.message(connection, text, now_ms, out);
    return texts();
  }
  /// Ticks the streams and returns the frames they sent.
  std::vector<std::string> tick(std::int64_t now_ms = kStreamsNowMs) {
    out.clear();
    venue().streams.tick(now_ms, out);
    return texts();
  }
  /// The texts of `out`, in order (empty for a drop).
  std::vector<std::string> texts() const {
    std::vector<std::string> t;
    for (const sim::WsOutput& o : out) t.push_back(o.text);
    return t;
  }

 private:
  Venue& venue() { return static_cast<Venue&>(*this); }
};

}  // namespace cts::test
