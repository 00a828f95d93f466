#pragma once
/// \file
/// OrderExecutor: the only way the engine's strategies reach the venue. Every order
/// passes the risk gate, gets a client order id, is recorded (tracker and journal)
/// *before* its request is sent, and every reply, fill and cancel is applied to the
/// order state machine and journaled. A create whose reply never came (timeout, 5xx,
/// reset) stays SUBMITTED with an unknown outcome until the venue is asked by client
/// order id; it is never re-sent blindly.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cts/core/client_order_id.hpp"
#include "cts/core/clock.hpp"
#include "cts/core/instrument.hpp"
#include "cts/core/result.hpp"
#include "cts/engine/gateway.hpp"
#include "cts/engine/risk.hpp"
#include "cts/order/account.hpp"

namespace cts::venue::binance {
struct OrderUpdate;
}  // namespace cts::venue::binance

namespace cts::engine {

/// Where the executor records what happens to orders, before it acts on them. The
/// journal adapter implements it; a failure to record stops the action (nothing is sent
/// that is not recorded).
class OrderRecorder {
 public:
  virtual ~OrderRecorder() = default;
  /// Records a new order. An error prevents the order from being sent.
  [[nodiscard]] virtual Result<void> record_created(const order::OrderRequest& request) = 0;
  /// Records an event applied to order `client_id`.
  [[nodiscard]] virtual Result<void> record_event(const ClientOrderId& client_id, const order::OrderEvent& event) = 0;
};

/// Counters of what the executor did (for status lines and the run summary).
struct ExecutorStats {
  std::uint64_t orders_submitted = 0;  ///< Create requests sent.
  std::uint64_t orders_denied = 0;     ///< Refused by the risk gate (never sent).
  std::uint64_t orders_rejected = 0;   ///< Refused by the venue.
  std::uint64_t orders_filled = 0;     ///< Orders that reached FILLED.
  std::uint64_t orders_canceled = 0;   ///< Orders that reached CANCELED or EXPIRED.
  std::uint64_t fills = 0;             ///< Executions applied.
  std::uint64_t unknown_outcomes = 0;  ///< Creates whose outcome was unknown at first.
  std::uint64_t unknown_resolved = 0;  ///< Of those, resolved by asking the venue.
  std::uint64_t cancel_failures = 0;   ///< Cancel requests that failed.
  std::uint64_t stream_updates = 0;    ///< User-data order updates applied (apply_update).
  std::uint64_t stream_ignored = 0;    ///< User-data order updates for orders not ours.
};

/// Options of an OrderExecutor.
struct ExecutorOptions {
  /// The wall clock for local event times (venue events carry the venue's time).
  std::function<SystemTime()> wall_clock = [] { return RealClock{}.system_now(); };
  /// An unknown outcome is concluded "never arrived" (REJECTED) only when the venue does
  /// not know the order this long after it was sent: longer than the venue's receive
  /// window (Binance recvWindow 5 s), after which it can no longer accept it.
  std::chrono::milliseconds unknown_grace{6'000};
};

/// Runs orders for one instrument of one venue session. Not thread-safe: the session
/// thread owns it. The gateway, account, gate, generator and recorder must outlive it.
class OrderExecutor {
 public:
  /// An executor trading `instrument` (registered in `account` by the constructor).
  /// Throws cts::Exception when the instrument cannot be registered.
  OrderExecutor(VenueGateway& gateway, order::Account& account, RiskGate& risk, ClientOrderIdGenerator& ids,
                OrderRecorder& recorder, Instrument instrument, ExecutorOptions options = {});

  /// Sends a limit order. The risk context (position, open orders of the instrument)
  /// comes from the account; `mid` values market orders and bounds the price band.
  /// Steps: risk gate (ErrorCode::rejected / invalid_argument, nothing
  /// recorded), client id, record + tracker, SUBMITTED, send, then the reply applied:
  /// accepted (+ fills carried in the reply), or rejected (the venue's error), or
  /// outcome unknown (the order stays open and sync() asks the venue). Returns the
  /// client order id whenever the order was recorded, even if the venue refused it.
  Result<ClientOrderId> submit_limit(Side side, Decimal quantity, Decimal price, TimeInForce tif,
                                     std::optional<Decimal> mid, SteadyTime now);

  /// Requests cancellation of an open order: PENDING_CANCEL, then CANCELED on the reply
  /// (or the order's real state if it filled meanwhile). Errors: order_not_found for an
  /// unknown id; the venue's error otherwise (the order is then re-synchronised).
  Result<void> cancel(const ClientOrderId& client_id);

  /// Cancels every open order of the instrument, one by one (cancels first, as the
  /// venue sees them). Returns the number of cancel requests that failed.
  std::size_t cancel_all();

  /// Brings local state to the venue's: resolves unknown outcomes by client id, applies
  /// new fills of open orders (de-duplicated by trade id), and the final state of orders
  /// the venue no longer lists as open. Call it periodically and after a reconnect.
  /// Returns the first error met (later orders are still processed).
  Result<void> sync(SteadyTime now);

  /// Applies one order update of the user data stream (executionReport) exactly as the
  /// REST path applies a reply or a query: NEW → accepted (with the venue order id),
  /// TRADE → the fill, CANCELED / EXPIRED / REJECTED → the final state. A fill the
  /// REST path already applied (same trade id) is not applied again, and vice versa;
  /// an update whose cumulative quantity exceeds what is known also fetches the
  /// order's trades. Updates of other symbols and of client ids this executor does not
  /// own (other sessions, manual orders) are ignored without error (counted as
  /// stream_ignored). Errors: the journal's and the state machine's (an update that
  /// does not fit the order's state).
  Result<void> apply_update(const venue::binance::OrderUpdate& update, SteadyTime now);

  /// Client ids of the instrument's open orders (unknown outcomes included).
  [[nodiscard]] std::vector<ClientOrderId> open_orders() const;
  /// The account (orders and positions).
  [[nodiscard]] const order::Account& account() const noexcept { return account_; }
  /// The counters.
  [[nodiscard]] const ExecutorStats& stats() const noexcept { return stats_; }
  /// The instrument.
  [[nodiscard]] const Instrument& instrument() const noexcept { return instrument_; }
  /// Sum of open quantity (leaves) of our orders on `side`.
  [[nodiscard]] Decimal open_quantity(Side side) const;
  /// The instrument's signed net position.
  [[nodiscard]] Decimal position() const { return account_.positions().net_quantity(unified_symbol_); }

 private:
  Result<void> apply(const ClientOrderId& id, const order::OrderEvent& event);
  Result<void> apply_report(const ClientOrderId& id, const venue::OrderReport& report);
  Result<void> apply_trades(const ClientOrderId& id, std::uint64_t venue_order_id);
  [[nodiscard]] SystemTime wall_now() const { return options_.wall_clock(); }

  VenueGateway& gateway_;
  order::Account& account_;
  RiskGate& risk_;
  ClientOrderIdGenerator& ids_;
  OrderRecorder& recorder_;
  Instrument instrument_;
  std::string unified_symbol_;
  ExecutorOptions options_;
  ExecutorStats stats_;
  std::vector<std::pair<ClientOrderId, SteadyTime>> unknown_since_;
};

}  // namespace cts::engine
