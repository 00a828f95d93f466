// The verified cancel of a symbol's orders (cts/engine/order_sweep.hpp).
#include "cts/engine/order_sweep.hpp"

#include <algorithm>
#include <thread>

#include <fmt/format.h>

namespace cts::engine {

SweepResult sweep_open_orders(venue::Gateway& gateway, std::string_view symbol,
                              const std::function<bool(std::string_view client_order_id)>& is_ours,
                              const SweepOptions& options) {
  SweepResult result;
  const SteadyTime deadline = options.now() + options.deadline;
  std::chrono::milliseconds backoff = options.first_backoff;
  auto failed = [&](const Error& error) {
    ++result.cancel_failures;
    result.last_error = error;
  };
  for (;;) {
    ++result.rounds;
    Result<std::vector<venue::OrderReport>> listing = gateway.open_orders(symbol);
    if (listing) {
      result.listed = true;
      result.still_open.clear();
      result.foreign.clear();
      for (venue::OrderReport& order : *listing) {
        (is_ours(order.client_order_id) ? result.still_open : result.foreign).push_back(std::move(order));
      }
      if (result.still_open.empty()) {
        result.confirmed = true;
        return result;
      }
    } else {
      result.last_error = listing.error();
    }
    if (options.now() >= deadline) return result;
    if (listing) {
      bool one_by_one = !options.use_cancel_all || !result.foreign.empty();
      if (!one_by_one) {
        ++result.cancel_requests;
        Result<std::vector<venue::OrderReport>> cancelled = gateway.cancel_open_orders(symbol);
        if (!cancelled && cancelled.error().code == ErrorCode::unsupported) {
          --result.cancel_requests;  // nothing was sent
          one_by_one = true;
        } else if (!cancelled && cancelled.error().code != ErrorCode::order_not_found) {
          failed(cancelled.error());
        }
      }
      if (one_by_one) {
        for (const venue::OrderReport& order : result.still_open) {
          venue::OrderRef ref;
          ref.symbol = std::string(symbol);
          ref.client_order_id = order.client_order_id;
          ++result.cancel_requests;
          Result<venue::OrderReport> cancelled = gateway.cancel_order(ref);
          if (!cancelled && cancelled.error().code != ErrorCode::order_not_found) failed(cancelled.error());
        }
      }
    }
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - options.now());
    const std::chrono::milliseconds wait = std::clamp(left, std::chrono::milliseconds{0}, backoff);
    if (options.sleep) {
      options.sleep(wait);
    } else {
      std::this_thread::sleep_for(wait);
    }
    backoff = std::min(backoff * 2, options.max_backoff);
  }
}

std::string describe_open_order(const venue::OrderReport& order) {
  return fmt::format("{} {} {} @ {} client id {} (venue order {}, executed {})", order.symbol, to_string(order.side),
                     order.quantity, order.price, order.client_order_id, order.order_id, order.executed_quantity);
}

}  // namespace cts::engine
