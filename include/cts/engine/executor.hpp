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
#include <string_view>
#include <vector>

#include "cts/core/client_order_id.hpp"
#include "cts/core/client_order_id_scheme.hpp"
#include "cts/core/clock.hpp"
#include "cts/core/instrument.hpp"
#include "cts/core/result.hpp"
#include "cts/engine/config.hpp"
#include "cts/engine/rejection_breaker.hpp"
#include "cts/engine/risk.hpp"
#include "cts/order/account.hpp"
#include "cts/venue/gateway.hpp"
#include "cts/venue/user_stream.hpp"

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
  std::uint64_t orders_held = 0;       ///< Held back by the open rejection breaker (never sent).
  std::uint64_t orders_rejected = 0;   ///< Refused by the venue.
  std::uint64_t orders_filled = 0;     ///< Orders that reached FILLED.
  std::uint64_t orders_canceled = 0;   ///< Orders that reached CANCELED or EXPIRED.
  std::uint64_t fills = 0;             ///< Executions applied.
  std::uint64_t unknown_outcomes = 0;  ///< Creates whose outcome was unknown at first.
  /// Of those, resolved: by asking the venue, or by a user-stream update or a
  /// reconciliation that told their state (counted at the next sync).
  std::uint64_t unknown_resolved = 0;
  std::uint64_t cancel_failures = 0;   ///< Cancel requests that failed.
  std::uint64_t stream_updates = 0;    ///< User-data order updates applied (apply_update).
  std::uint64_t stream_ignored = 0;    ///< User-data order updates for orders not ours.
  std::uint64_t orders_adopted = 0;    ///< Open orders of ours found at the venue that the journal did not know.
  std::uint64_t foreign_open_orders = 0;  ///< Open orders not ours seen by the last reconciliation.
};

/// What one reconciliation with the venue found and did.
struct ReconcileReport {
  std::size_t venue_open_orders = 0;  ///< Open orders the venue listed for the instrument, ours and foreign.
  std::size_t adopted = 0;            ///< Of ours, those the journal did not know: now tracked and journaled.
  /// Orders the account had open that the venue does not list, closed from the venue's
  /// status (or concluded: never arrived, no longer known).
  std::size_t resolved = 0;
  std::size_t fills_applied = 0;  ///< Executions applied that the journal did not have.
  /// Recent executions of orders that neither the journal nor the venue's open orders
  /// explain: orders not ours, or orders of ours the journal lost (not applied).
  std::size_t untracked_fills = 0;
  /// One description per open order not ours: client id, venue id, side, quantity, price.
  std::vector<std::string> foreign;
  std::size_t foreign_canceled = 0;    ///< Of those, cancelled (ForeignOrderPolicy::cancel).
  std::vector<std::string> conflicts;  ///< Differences that could not be settled, one sentence each.
  /// Derivatives: the venue's signed position of the instrument as reconciliation read
  /// it last, after the executions; empty for spot.
  std::optional<Decimal> venue_position;
  /// Derivatives: the venue's position changed between reconcile()'s read before the
  /// executions and its read after them: a fill landed meanwhile, which the engine may
  /// not have applied yet. A difference from the engine's book is then no finding (not
  /// among `conflicts`); the owner watches it settle (PositionWatch::moving).
  bool position_moving = false;
  /// Derivatives: the venue's two reads agree and the engine's book, with every fill
  /// applied, does not: a real difference, the last of `conflicts` ("position: the venue
  /// holds ..."), never adjusted.
  bool position_conflict = false;

  /// True when the venue had open orders of ours that the journal did not know: the
  /// journal is empty, truncated or not this engine's.
  [[nodiscard]] bool journal_incomplete() const noexcept { return adopted > 0; }
};

/// Options of an OrderExecutor.
struct ExecutorOptions {
  /// The wall clock for local event times (venue events carry the venue's time).
  std::function<SystemTime()> wall_clock = [] { return RealClock{}.system_now(); };
  /// An unknown outcome is concluded "never arrived" (REJECTED) only when the venue does
  /// not know the order this long after it was sent: longer than the venue's receive
  /// window (5 s by default at the venues cts trades), after which it can no longer
  /// accept it.
  std::chrono::milliseconds unknown_grace{6'000};
  /// What reconcile() does with open orders that are not ours.
  ForeignOrderPolicy foreign_orders = ForeignOrderPolicy::report;
  /// The prefix the executor's ClientOrderIdGenerator was made with: an order whose
  /// client id has the generator's shape with it (is_generated_client_order_id) is
  /// ours, journaled or not.
  std::string client_id_prefix;
  /// How many of the venue's most recent executions reconcile() reads (1..1000).
  std::size_t recent_trades = 1000;
  /// The breaker that stops sending after repeated identical venue rejections.
  BreakerOptions breaker;
};

/// Runs orders for one instrument of one venue session. Not thread-safe: the session
/// thread owns it. The gateway, account, gate, generator and recorder must outlive it.
class OrderExecutor {
 public:
  /// An executor trading `instrument` (registered in `account` by the constructor).
  /// Throws cts::Exception when the instrument cannot be registered.
  OrderExecutor(venue::Gateway& gateway, order::Account& account, RiskGate& risk, ClientOrderIdGenerator& ids,
                OrderRecorder& recorder, Instrument instrument, ExecutorOptions options = {});

  /// Sends a limit order. The risk context (position, open orders of the instrument)
  /// comes from the account; `mid` values market orders and bounds the price band.
  /// Steps: risk gate (ErrorCode::rejected / invalid_argument, nothing
  /// recorded), the rejection breaker (ErrorCode::rejected while it is open, nothing
  /// recorded), client id, record + tracker, SUBMITTED, send, then the reply applied:
  /// accepted (+ fills carried in the reply), or rejected (the venue's error), or
  /// outcome unknown (the order stays open and sync() asks the venue). Returns the
  /// client order id whenever the order was recorded, even if the venue refused it.
  Result<ClientOrderId> submit_limit(Side side, Decimal quantity, Decimal price, TimeInForce tif,
                                     std::optional<Decimal> mid, SteadyTime now);

  /// Requests cancellation of an open order: PENDING_CANCEL, then CANCELED on the reply
  /// (or the order's real state if it filled meanwhile). The request names the client
  /// order id and, once the venue acknowledged one, the venue's order id (a venue that
  /// cancels by its own id alone, OrangeX, then needs no lookup). Errors: order_not_found
  /// for an unknown id; the venue's error otherwise (the order is then re-synchronised).
  Result<void> cancel(const ClientOrderId& client_id);

  /// Cancels every open order of the instrument, one by one (cancels first, as the
  /// venue sees them). Returns the number of cancel requests that failed.
  std::size_t cancel_all();

  /// Brings local state to the venue's: resolves unknown outcomes by client id, applies
  /// new fills of open orders (de-duplicated by trade id), and the final state of orders
  /// the venue no longer lists as open. An open order of ours the account does not
  /// know (see is_ours) makes it run reconcile(), which adopts it. Call it periodically;
  /// after a reconnect call reconcile(). Returns the first error met (later orders are
  /// still processed).
  Result<void> sync(SteadyTime now);

  /// Makes the venue the source of truth (at start-up and after every reconnect): lists
  /// the instrument's open orders and recent executions and compares them with the
  /// account, through order::plan_reconciliation. Open orders of ours (known, or
  /// recognised by the client-id scheme when the journal lost them) are
  /// tracked, with every execution they had (by trade id, from the venue's trade list);
  /// orders the account has open that the venue does not list are queried by client id
  /// and closed from the venue's status (an order the venue never received is
  /// rejected once the unknown-outcome grace has passed); executions the journal does
  /// not have are applied once. Every change is journaled before it is applied. Open
  /// orders not ours are left alone (or cancelled, by ForeignOrderPolicy) and described
  /// in the report. For derivatives, the venue's position is read before the executions
  /// and again after every fill is applied: when the two reads agree, a difference from
  /// the engine's position book is reported as a conflict (position_conflict), never
  /// adjusted, once a second pass of every read (made only then) finds it again: fills
  /// in flight that cancel out (a sell before the executions read, a buy after it) leave
  /// both reads equal; when they differ, a fill landed while reconcile() read, and a
  /// difference is no finding (position_moving). The last read is kept in venue_position. Errors:
  /// the venue's when anything it must tell cannot be read (the open orders, the
  /// executions, an order's state or trades, the position): nothing is changed then,
  /// except foreign orders already cancelled; the journal's, which stops the plan at
  /// the failing action (the actions before it stay applied, each a venue fact).
  Result<ReconcileReport> reconcile(SteadyTime now);

  /// True when `client_id` has the shape of this executor's client ids (see
  /// is_generated_client_order_id and ExecutorOptions::client_id_prefix), journaled or
  /// not.
  [[nodiscard]] bool is_ours(std::string_view client_id) const;

  /// Applies one order update of the private stream exactly as the
  /// REST path applies a reply or a query: NEW → accepted (with the venue order id),
  /// TRADE → the fill, CANCELED / EXPIRED / REJECTED → the final state. A fill the
  /// REST path already applied (same trade id) is not applied again, and vice versa;
  /// an update whose cumulative quantity exceeds what is known also fetches the
  /// order's trades. Updates of other symbols and of client ids this executor does not
  /// own (other sessions, manual orders) are ignored without error (counted as
  /// stream_ignored). Errors: the journal's and the state machine's (an update that
  /// does not fit the order's state).
  Result<void> apply_update(const venue::OrderUpdate& update, SteadyTime now);

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
  /// Orders refused in a row (by the risk gate, the breaker, or the venue with its own
  /// error code other than a rate limit) since the last one the venue accepted or may
  /// have accepted.
  [[nodiscard]] std::uint64_t refused_in_a_row() const noexcept { return refused_in_a_row_; }
  /// Why the last refused order was refused (empty when none was).
  [[nodiscard]] const std::string& last_refusal() const noexcept { return last_refusal_; }
  /// The rejection breaker.
  [[nodiscard]] const RejectionBreaker& breaker() const noexcept { return breaker_; }
  /// The first error the recorder (the journal) returned, if it ever failed: nothing
  /// unrecorded is sent, so the executor can no longer trade safely.
  [[nodiscard]] const std::optional<Error>& journal_error() const noexcept { return journal_error_; }

 private:
  Result<void> apply(const ClientOrderId& id, const order::OrderEvent& event);
  Result<void> apply_report(const ClientOrderId& id, const venue::OrderReport& report);
  Result<void> apply_trades(const ClientOrderId& id, std::string_view venue_order_id);
  Result<void> close_unreported(const ClientOrderId& id, SteadyTime now, ReconcileReport& report);
  /// One pass of reconcile(): every read and the changes they call for.
  Result<ReconcileReport> reconcile_pass(SteadyTime now);
  void handle_foreign(const venue::OrderReport& order, ReconcileReport& report);
  [[nodiscard]] SystemTime wall_now() const { return options_.wall_clock(); }
  void note_refusal(const Error& error);
  Result<void> noted(Result<void> recorded);

  venue::Gateway& gateway_;
  order::Account& account_;
  RiskGate& risk_;
  ClientOrderIdGenerator& ids_;
  OrderRecorder& recorder_;
  Instrument instrument_;
  std::string unified_symbol_;
  ExecutorOptions options_;
  ExecutorStats stats_;
  std::vector<std::pair<ClientOrderId, SteadyTime>> unknown_since_;
  RejectionBreaker breaker_;
  std::uint64_t refused_in_a_row_ = 0;
  std::string last_refusal_;
  std::optional<Error> journal_error_;
};

}  // namespace cts::engine
