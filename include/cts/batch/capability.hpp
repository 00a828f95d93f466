#pragma once
/// \file
/// Venue batch capabilities as data: how many orders one batch request may carry, per
/// venue, product category and operation, and whether its rate-limit cost is counted
/// per batch or per order.
///
/// From each venue's API documentation:
/// - Binance USDⓈ-M POST /fapi/v1/batchOrders: at most 5 orders; weight 5 per request.
///   DELETE /fapi/v1/batchOrders: orderIdList / origClientOrderIdList of at most 10.
/// - Bybit v5 /v5/order/create-batch, amend-batch, cancel-batch: 10 for spot, 20 for
///   linear, inverse and option; counted per request here (see policies/bybit.hpp).
/// - OKX v5 batch-orders, cancel-batch-orders, amend-batch-orders: 20 orders; counted
///   per *order* (300 orders / 2 s).
/// - Kraken AddOrderBatch: 2–15 orders, one currency pair per batch; the trading
///   counter counts each order.
/// Every other (venue, category, operation) sends one order per request.

#include <array>
#include <cstdint>
#include <string_view>

#include "cts/core/venue_id.hpp"

namespace cts::batch {

/// Product category of the orders in a batch (venues cap batches per category).
enum class Category : std::uint8_t {
  spot,     ///< Spot.
  linear,   ///< Linear (USDⓈ-margined) derivatives.
  inverse,  ///< Inverse (coin-margined) derivatives.
  option,   ///< Options.
};

/// "spot", "linear", "inverse" or "option".
constexpr std::string_view to_string(Category category) noexcept {
  switch (category) {
    case Category::spot: return "spot";
    case Category::linear: return "linear";
    case Category::inverse: return "inverse";
    case Category::option: return "option";
  }
  return "invalid";
}

/// What a batch does to each of its orders.
enum class Operation : std::uint8_t {
  place,   ///< Create orders.
  amend,   ///< Modify orders.
  cancel,  ///< Cancel orders.
};

/// "place", "amend" or "cancel".
constexpr std::string_view to_string(Operation operation) noexcept {
  switch (operation) {
    case Operation::place: return "place";
    case Operation::amend: return "amend";
    case Operation::cancel: return "cancel";
  }
  return "invalid";
}

/// How a venue charges a batch against its rate limits.
enum class CostRule : std::uint8_t {
  per_batch,  ///< The batch endpoint's cost once per request (Binance, Bybit).
  per_order,  ///< The batch endpoint's cost once per order in it (OKX, Kraken).
};

/// One row of the capability table.
struct BatchCapability {
  VenueId venue{};                         ///< Venue.
  Category category{};                     ///< Product category.
  Operation operation{};                   ///< Operation.
  std::uint16_t max_per_batch = 1;         ///< Most orders one request may carry (1 = no batching).
  CostRule cost_rule = CostRule::per_batch;///< How the batch is charged.
  std::string_view endpoint;               ///< The batch endpoint's name in the venue's rate policy (empty when none).
  bool single_instrument = false;          ///< Every order of a batch must be on one instrument (Kraken).
};

/// The built-in capability table.
inline constexpr std::array<BatchCapability, 18> kBatchCapabilities{{
    {VenueId::binance_usdm, Category::linear, Operation::place, 5, CostRule::per_batch, "POST /fapi/v1/batchOrders", false},
    {VenueId::binance_usdm, Category::linear, Operation::cancel, 10, CostRule::per_batch, "DELETE /fapi/v1/batchOrders", false},
    {VenueId::bybit, Category::spot, Operation::place, 10, CostRule::per_batch, "POST /v5/order/create-batch", false},
    {VenueId::bybit, Category::spot, Operation::amend, 10, CostRule::per_batch, "POST /v5/order/amend-batch", false},
    {VenueId::bybit, Category::spot, Operation::cancel, 10, CostRule::per_batch, "POST /v5/order/cancel-batch", false},
    {VenueId::bybit, Category::linear, Operation::place, 20, CostRule::per_batch, "POST /v5/order/create-batch", false},
    {VenueId::bybit, Category::linear, Operation::amend, 20, CostRule::per_batch, "POST /v5/order/amend-batch", false},
    {VenueId::bybit, Category::linear, Operation::cancel, 20, CostRule::per_batch, "POST /v5/order/cancel-batch", false},
    {VenueId::bybit, Category::inverse, Operation::place, 20, CostRule::per_batch, "POST /v5/order/create-batch", false},
    {VenueId::bybit, Category::inverse, Operation::cancel, 20, CostRule::per_batch, "POST /v5/order/cancel-batch", false},
    {VenueId::bybit, Category::option, Operation::place, 20, CostRule::per_batch, "POST /v5/order/create-batch", false},
    {VenueId::bybit, Category::option, Operation::cancel, 20, CostRule::per_batch, "POST /v5/order/cancel-batch", false},
    {VenueId::okx, Category::spot, Operation::place, 20, CostRule::per_order, "POST /api/v5/trade/batch-orders", false},
    {VenueId::okx, Category::spot, Operation::amend, 20, CostRule::per_order, "POST /api/v5/trade/amend-batch-orders", false},
    {VenueId::okx, Category::spot, Operation::cancel, 20, CostRule::per_order, "POST /api/v5/trade/cancel-batch-orders", false},
    {VenueId::okx, Category::linear, Operation::place, 20, CostRule::per_order, "POST /api/v5/trade/batch-orders", false},
    {VenueId::okx, Category::linear, Operation::cancel, 20, CostRule::per_order, "POST /api/v5/trade/cancel-batch-orders", false},
    {VenueId::kraken, Category::spot, Operation::place, 15, CostRule::per_order, "POST /0/private/AddOrderBatch", true},
}};

/// The capability for (venue, category, operation): the table's row, or a one-order-per-
/// request row (max_per_batch 1, no endpoint) when the venue has no batch endpoint for it.
constexpr BatchCapability capability(VenueId venue, Category category, Operation operation) noexcept {
  for (const auto& row : kBatchCapabilities) {
    if (row.venue == venue && row.category == category && row.operation == operation) return row;
  }
  return BatchCapability{venue, category, operation, 1, CostRule::per_batch, {}, false};
}

}  // namespace cts::batch
