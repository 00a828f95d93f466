#pragma once
/// \file
/// The connector layer: the unified sans-I/O vocabulary, the local order book, and the
/// Binance spot and USD-M connectors (request builders, reply and stream parsers).

#include "cts/venue/binance/errors.hpp"
#include "cts/venue/binance/instruments.hpp"
#include "cts/venue/binance/order_events.hpp"
#include "cts/venue/binance/rest_parsers.hpp"
#include "cts/venue/binance/spot_requests.hpp"
#include "cts/venue/binance/stream_frames.hpp"
#include "cts/venue/binance/streams.hpp"
#include "cts/venue/binance/usdm_requests.hpp"
#include "cts/venue/binance/book_sync.hpp"
#include "cts/venue/json_reader.hpp"
#include "cts/venue/order_book.hpp"
#include "cts/venue/types.hpp"
