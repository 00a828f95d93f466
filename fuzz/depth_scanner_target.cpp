// Fuzz target "depth_scanner": the dedicated depth-snapshot scanner (Binance's shape
// and Bybit's) and OKX's books push scanner against the generic simdjson parsers. The
// scanners read the input in its own exactly-sized buffer (a read past the end is an ASan
// report). Property: every body the scanner accepts is accepted by the venue's generic
// parser with the same snapshot (its documented contract); the venue's
// parse_order_book() then succeeds on it too, and OKX's parse_stream_event() gives the
// generic parser's outcome for every input.
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "cts/venue/binance/rest_parsers.hpp"
#include "cts/venue/bybit/market.hpp"
#include "cts/venue/detail/depth_scanner.hpp"
#include "cts/venue/okx/detail/books_scanner.hpp"
#include "cts/venue/okx/streams.hpp"
#include "fuzz_target.hpp"

namespace {

// OKX's books push: the scanner's reading against the generic parser's, and
// parse_stream_event() (scanner first) against the generic parser, value or error.
void check_okx_books(std::string_view exact) {
  namespace okx = cts::venue::okx;
  using cts::fuzz::require;
  const auto generic = okx::detail::parse_stream_event_on_demand(exact, cts::venue::thread_json_reader());
  okx::BookUpdate scanned;
  if (okx::detail::thread_books_scanner().scan(exact, scanned)) {
    require(generic.has_value() && std::holds_alternative<okx::BookUpdate>(*generic),
            "the generic OKX parser accepts the books push the scanner accepts");
    require(scanned == std::get<okx::BookUpdate>(*generic),
            "the OKX scanner and the generic parser read the same push");
  }
  const auto full = okx::parse_stream_event(exact);
  require(full.has_value() == generic.has_value(), "parse_stream_event succeeds where the generic parser does");
  if (!full) {
    require(full.error().code == generic.error().code && full.error().message == generic.error().message,
            "parse_stream_event fails with the generic parser's error");
  } else if (const auto* update = std::get_if<okx::BookUpdate>(&*full)) {
    require(std::holds_alternative<okx::BookUpdate>(*generic) && *update == std::get<okx::BookUpdate>(*generic),
            "parse_stream_event reads the generic parser's push");
  }
}

}  // namespace

CTS_FUZZ_TARGET(depth_scanner) {
  using cts::fuzz::require;
  const std::vector<char> exact(input.begin(), input.end());
  cts::venue::BookSnapshot scanned;
  const bool accepted =
      cts::venue::detail::thread_depth_scanner().scan(std::string_view(exact.data(), exact.size()), scanned);

  cts::HttpResponse response;
  response.status = 200;
  response.body.assign(input);
  cts::venue::BookSnapshot generic;
  const auto on_demand =
      cts::venue::binance::detail::parse_order_book_on_demand(response, generic, cts::venue::thread_json_reader());
  const auto parsed = cts::venue::binance::parse_order_book(response);

  cts::venue::BookSnapshot bybit_scanned;
  if (cts::venue::detail::thread_depth_scanner().scan_bybit(std::string_view(exact.data(), exact.size()),
                                                            bybit_scanned)) {
    const auto bybit_generic =
        cts::venue::bybit::detail::parse_order_book_on_demand(response, cts::venue::thread_json_reader());
    require(bybit_generic.has_value(), "the generic Bybit parser accepts what the scanner accepts");
    require(bybit_generic->last_update_id == bybit_scanned.last_update_id &&
                bybit_generic->sequence == bybit_scanned.sequence &&
                bybit_generic->event_time_ms == bybit_scanned.event_time_ms,
            "the Bybit scanner and the generic parser read the same ids and time");
    require(bybit_generic->bids == bybit_scanned.bids && bybit_generic->asks == bybit_scanned.asks,
            "the Bybit scanner and the generic parser read the same levels");
  }
  check_okx_books(std::string_view(exact.data(), exact.size()));
  if (!accepted) return;
  require(on_demand.has_value(), "the generic parser accepts what the scanner accepts");
  require(generic.last_update_id == scanned.last_update_id && generic.event_time_ms == scanned.event_time_ms,
          "the scanner and the generic parser read the same ids");
  require(generic.bids == scanned.bids && generic.asks == scanned.asks,
          "the scanner and the generic parser read the same levels");
  require(parsed.has_value() && parsed->bids == scanned.bids && parsed->asks == scanned.asks,
          "parse_order_book gives the scanner's snapshot");
}
