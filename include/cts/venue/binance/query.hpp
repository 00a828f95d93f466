#pragma once
/// \file
/// QueryBuilder: Binance request parameters, `key=value` joined by `&`, in the order they
/// are added, each value percent-encoded (RFC 3986 unreserved characters kept, every
/// other byte as %XX with upper-case hex). Binance signs the exact bytes sent and, since
/// 2026-01-15, requires the payload to be percent-encoded before signing (spot CHANGELOG
/// 2025-12-17), so the builder's output is both the wire form and the signing input.

#include "cts/venue/query.hpp"

namespace cts::venue::binance {

/// The venue-wide query builder (cts/venue/query.hpp), under the name Binance's
/// builders have always used.
using QueryBuilder = cts::venue::QueryBuilder;

}  // namespace cts::venue::binance
