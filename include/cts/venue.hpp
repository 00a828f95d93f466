#pragma once
/// \file
/// The connector layer: the unified sans-I/O vocabulary, venue capabilities, the local
/// order book, the Binance spot and USD-M connectors (request builders, reply and stream
/// parsers) and the Bybit v5 connector (REST and streams, spot and linear).

#include "cts/venue/binance/capabilities.hpp"
#include "cts/venue/binance/errors.hpp"
#include "cts/venue/binance/instruments.hpp"
#include "cts/venue/binance/order_events.hpp"
#include "cts/venue/binance/rest_parsers.hpp"
#include "cts/venue/binance/spot_requests.hpp"
#include "cts/venue/binance/stream_frames.hpp"
#include "cts/venue/binance/streams.hpp"
#include "cts/venue/binance/usdm_requests.hpp"
#include "cts/venue/binance/book_sync.hpp"
#include "cts/venue/bybit/account.hpp"
#include "cts/venue/bybit/book_sync.hpp"
#include "cts/venue/bybit/capabilities.hpp"
#include "cts/venue/bybit/errors.hpp"
#include "cts/venue/bybit/market.hpp"
#include "cts/venue/bybit/orders.hpp"
#include "cts/venue/bybit/rate_limit.hpp"
#include "cts/venue/bybit/requests.hpp"
#include "cts/venue/bybit/streams.hpp"
#include "cts/venue/bybit/trade_stream.hpp"
#include "cts/venue/capabilities.hpp"
#include "cts/venue/json_body.hpp"
#include "cts/venue/json_reader.hpp"
#include "cts/venue/order_book.hpp"
#include "cts/venue/query.hpp"
#include "cts/venue/types.hpp"
#include "cts/venue/ws_order_entry.hpp"
