#pragma once
/// \file
/// cts::batch::BatchProcessor: a bounded priority queue of order operations that
/// chunks them into venue batch requests, reserves their rate-limit cost, caps the
/// requests in flight, expires items past their deadline, and maps each reply back to
/// its item. It knows nothing of HTTP: a caller-supplied sender turns a Chunk into a
/// request and later reports the outcome through complete().
///
/// Driven explicitly: submit() from any thread; poll(now) forms and dispatches chunks;
/// complete(id, replies) when the venue answered; take_outcomes() collects per-item
/// results. No hidden threads.

#include <algorithm>
#include <array>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "cts/batch/capability.hpp"
#include "cts/core/client_order_id.hpp"
#include "cts/core/clock.hpp"
#include "cts/core/error.hpp"
#include "cts/core/result.hpp"
#include "cts/rate/limiter.hpp"

namespace cts::batch {

/// Queue priority: lower values leave the queue first. Cancels go before amends, amends
/// before new orders, so that risk-reducing operations are never stuck behind new risk.
enum class Priority : std::uint8_t {
  cancel = 0,  ///< Cancels.
  amend = 1,   ///< Amends.
  place = 2,   ///< New orders.
  low = 3,     ///< Anything that can wait.
};
/// Number of Priority values.
inline constexpr std::size_t kPriorityCount = 4;

/// The default priority of an operation.
constexpr Priority default_priority(Operation operation) noexcept {
  switch (operation) {
    case Operation::cancel: return Priority::cancel;
    case Operation::amend: return Priority::amend;
    case Operation::place: return Priority::place;
  }
  return Priority::low;
}

/// A handle for one submitted item, unique per processor.
using Ticket = std::uint64_t;
/// A handle for one dispatched chunk, unique per processor.
using ChunkId = std::uint64_t;

/// One operation to queue.
template <class Payload>
struct Request {
  Payload payload;                   ///< What the sender needs to build the venue request (opaque here).
  ClientOrderId client_order_id;     ///< The order's client id: replies are matched on it.
  Category category = Category::spot;///< Product category (batch limits differ per category).
  Operation operation = Operation::place; ///< What to do.
  std::uint32_t instrument = 0;      ///< Instrument key; batches of single-instrument venues never mix keys.
  rate::Cost single_cost;            ///< Rate cost of sending this item alone (from the venue policy; empty charges nothing).
  SteadyTime deadline = SteadyTime::max(); ///< Not sent after this: it fails with ErrorCode::timeout instead.
  std::optional<Priority> priority;  ///< Queue priority; default_priority(operation) when empty.
};

/// One chunk handed to the sender: items of one (category, operation[, instrument]),
/// at most the venue's batch size. A chunk of one item is meant for the single-order
/// endpoint. Members are in queue order; reply indices refer to this order.
template <class Payload>
struct Chunk {
  ChunkId id = 0;                    ///< Pass it back to complete().
  Category category{};               ///< Category of every member.
  Operation operation{};             ///< Operation of every member.
  std::vector<Payload> payloads;     ///< Member payloads, in batch order.
  std::vector<ClientOrderId> client_order_ids; ///< Member client ids, in batch order.
};

/// What the venue said about one member of a chunk. Match keys: `index` (position in
/// the chunk) and/or `client_order_id`; when both are present they must agree.
struct MemberReply {
  std::optional<std::size_t> index;  ///< Position in the chunk, when the venue's reply list is positional.
  ClientOrderId client_order_id;     ///< The venue's echo of the client id, when it gives one.
  std::optional<Error> error;        ///< Empty: accepted. Otherwise the venue's verdict for this member.
  std::string venue_order_id;        ///< The venue's id for the order, when accepted.
};

/// The final word on one submitted item.
struct ItemOutcome {
  Ticket ticket = 0;                 ///< From submit().
  ClientOrderId client_order_id;     ///< The item's client id.
  std::optional<Error> error;        ///< Empty: accepted. timeout: expired unsent. unknown_outcome: sent, result unknown. Else the venue's or limiter's verdict.
  std::string venue_order_id;        ///< When accepted.
  /// True when the venue accepted the item.
  [[nodiscard]] bool accepted() const noexcept { return !error.has_value(); }
};

/// Processor limits.
struct ProcessorOptions {
  std::size_t capacity = 4096;       ///< Most items queued (not yet dispatched); submit() beyond it fails with queue_full.
  std::size_t max_in_flight = 4;     ///< Most chunks dispatched and not yet complete()d.
};

/// True when a whole-chunk failure with `code` proves that no member executed (the
/// request was refused before reaching the matching engine). Anything else, such as a
/// timeout, a reset connection or an unparseable reply, leaves every member unknown.
constexpr bool definitely_not_executed(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::invalid_argument:
    case ErrorCode::rate_limited:
    case ErrorCode::auth_failed:
    case ErrorCode::invalid_signature:
    case ErrorCode::timestamp_out_of_window:
    case ErrorCode::rejected:
    case ErrorCode::insufficient_funds:
    case ErrorCode::unsupported: return true;
    default: return false;
  }
}

/// The batch processor for one venue. Thread-safe (one internal mutex); the sender is
/// called without the lock held, so it may call complete() synchronously.
template <class Payload>
class BatchProcessor {
 public:
  /// Starts sending `chunk` (asynchronously or not); must eventually lead to exactly one
  /// complete(chunk.id, ...). The chunk is valid only during the call.
  using Sender = std::function<void(const Chunk<Payload>& chunk)>;

  /// A processor for `venue`. `limiter` (may be null: no rate limiting) must outlive the
  /// processor and belong to the same venue. Throws cts::Exception(invalid_argument) when
  /// capacity or max_in_flight is zero or the sender is empty.
  BatchProcessor(VenueId venue, ProcessorOptions options, rate::Limiter* limiter, Sender sender)
      : venue_(venue), options_(options), limiter_(limiter), sender_(std::move(sender)) {
    if (options_.capacity == 0 || options_.max_in_flight == 0 || !sender_) {
      throw Exception(make_error(ErrorCode::invalid_argument,
                                 "BatchProcessor needs capacity > 0, max_in_flight > 0 and a sender"));
    }
  }

  /// Queues `request`. Errors: queue_full when `capacity` items are queued (backpressure:
  /// the caller may retry after wait_for_room()); timeout when the deadline is already
  /// past at `now` (the item is never queued).
  Result<Ticket> submit(Request<Payload> request, SteadyTime now) {
    std::lock_guard lock(mutex_);
    if (request.deadline <= now) {
      return make_error(ErrorCode::timeout, fmt::format("order {} expired before it was queued",
                                                        request.client_order_id.view()));
    }
    if (queued_ >= options_.capacity) {
      return make_error(ErrorCode::queue_full,
                        fmt::format("{} batch queue is full ({} items)", venue_, options_.capacity));
    }
    const Ticket ticket = ++last_ticket_;
    const Priority priority = request.priority.value_or(default_priority(request.operation));
    queues_[static_cast<std::size_t>(priority)].push_back(Queued{ticket, std::move(request)});
    ++queued_;
    return ticket;
  }

  /// Blocks the calling thread until the queue has room or `deadline` (on `clock`'s
  /// steady time, re-read after each wake-up) passes; true when there is room. For
  /// callers that choose to wait rather than fail on backpressure; the executor that
  /// polls must run on another thread.
  template <Clock C>
  bool wait_for_room(const C& clock, SteadyTime deadline) {
    std::unique_lock lock(mutex_);
    while (queued_ >= options_.capacity) {
      const SteadyTime now = clock.steady_now();
      if (now >= deadline) return false;
      room_.wait_for(lock, std::min<Nanos>(deadline - now, std::chrono::milliseconds{50}));
    }
    return true;
  }

  /// Removes a queued item (its outcome: cancelled). False when it is not queued any
  /// more (already dispatched, finished, or unknown).
  bool cancel(Ticket ticket) {
    std::lock_guard lock(mutex_);
    for (auto& queue : queues_) {
      const auto it = std::find_if(queue.begin(), queue.end(), [&](const Queued& q) { return q.ticket == ticket; });
      if (it == queue.end()) continue;
      outcomes_.push_back(ItemOutcome{ticket, it->request.client_order_id,
                                      make_error(ErrorCode::cancelled, "removed from the batch queue before sending"), {}});
      queue.erase(it);
      --queued_;
      room_.notify_all();
      return true;
    }
    return false;
  }

  /// Expires items whose deadline passed, then forms and dispatches chunks in priority
  /// order while the in-flight cap and the rate limiter allow. Returns the number of
  /// chunks dispatched. A chunk the limiter refuses stays queued (see next_wake()).
  std::size_t poll(SteadyTime now) {
    std::vector<Chunk<Payload>> ready;
    {
      std::lock_guard lock(mutex_);
      expire(now);
      wake_ = std::nullopt;
      while (in_flight_.size() < options_.max_in_flight) {
        auto chunk = form_chunk(now);
        if (!chunk) break;
        ready.push_back(std::move(*chunk));
      }
      if (!ready.empty()) room_.notify_all();
    }
    for (const auto& chunk : ready) sender_(chunk);
    return ready.size();
  }

  /// Reports the venue's answer for chunk `id`: a list of member replies (partial
  /// success allowed), or an error for the whole chunk. Members with no reply, and all
  /// members of a failed chunk whose error does not prove non-execution
  /// (definitely_not_executed()), end with ErrorCode::unknown_outcome, never rejected.
  /// Errors: invalid_argument for an unknown or already completed chunk id.
  Result<void> complete(ChunkId id, Result<std::vector<MemberReply>> replies) {
    std::lock_guard lock(mutex_);
    const auto it = in_flight_.find(id);
    if (it == in_flight_.end()) {
      return make_error(ErrorCode::invalid_argument, fmt::format("no batch chunk {} in flight", id));
    }
    std::vector<Member> members = std::move(it->second);
    in_flight_.erase(it);
    if (!replies) {
      const Error& failure = replies.error();
      for (const auto& member : members) {
        Error error = definitely_not_executed(failure.code)
                          ? failure
                          : make_error(ErrorCode::unknown_outcome,
                                       fmt::format("batch request failed after sending ({}); the order may or may not "
                                                   "exist: ask the venue by client order id",
                                                   failure.to_string()),
                                       failure.venue_code);
        outcomes_.push_back(ItemOutcome{member.ticket, member.client_order_id, std::move(error), {}});
      }
      return {};
    }
    std::vector<std::optional<MemberReply>> matched(members.size());
    for (auto& reply : *replies) {
      const auto slot = match(members, reply);
      if (slot && !matched[*slot]) matched[*slot] = std::move(reply);
    }
    for (std::size_t i = 0; i < members.size(); ++i) {
      ItemOutcome outcome{members[i].ticket, members[i].client_order_id, std::nullopt, {}};
      if (!matched[i]) {
        outcome.error = make_error(ErrorCode::unknown_outcome,
                                   "the venue's batch reply did not mention this order; ask the venue by client order id");
      } else {
        outcome.error = std::move(matched[i]->error);
        outcome.venue_order_id = std::move(matched[i]->venue_order_id);
      }
      outcomes_.push_back(std::move(outcome));
    }
    return {};
  }

  /// Moves out every outcome recorded since the last call, in the order they happened.
  std::vector<ItemOutcome> take_outcomes() {
    std::lock_guard lock(mutex_);
    std::vector<ItemOutcome> out;
    out.swap(outcomes_);
    return out;
  }

  /// When poll() next has something to do by itself: the earliest queued deadline or
  /// the time the limiter said to come back, whichever is first (nullopt when neither).
  [[nodiscard]] std::optional<SteadyTime> next_wake() const {
    std::lock_guard lock(mutex_);
    std::optional<SteadyTime> wake = wake_;
    for (const auto& queue : queues_) {
      for (const auto& q : queue) {
        if (q.request.deadline != SteadyTime::max() && (!wake || q.request.deadline < *wake)) wake = q.request.deadline;
      }
    }
    return wake;
  }

  /// Items queued and not dispatched.
  [[nodiscard]] std::size_t queued() const {
    std::lock_guard lock(mutex_);
    return queued_;
  }
  /// Chunks dispatched and not completed.
  [[nodiscard]] std::size_t in_flight() const {
    std::lock_guard lock(mutex_);
    return in_flight_.size();
  }

 private:
  struct Queued {
    Ticket ticket;
    Request<Payload> request;
  };
  struct Member {
    Ticket ticket;
    ClientOrderId client_order_id;
  };

  static std::optional<std::size_t> match(const std::vector<Member>& members, const MemberReply& reply) {
    if (!reply.client_order_id.empty()) {
      for (std::size_t i = 0; i < members.size(); ++i) {
        if (members[i].client_order_id == reply.client_order_id) {
          if (reply.index && *reply.index != i) return std::nullopt;  // keys disagree: trust neither
          return i;
        }
      }
      return std::nullopt;
    }
    if (reply.index && *reply.index < members.size()) return *reply.index;
    return std::nullopt;
  }

  void expire(SteadyTime now) {
    for (auto& queue : queues_) {
      for (auto it = queue.begin(); it != queue.end();) {
        if (it->request.deadline <= now) {
          outcomes_.push_back(ItemOutcome{it->ticket, it->request.client_order_id,
                                          make_error(ErrorCode::timeout, "deadline passed while queued; never sent"), {}});
          it = queue.erase(it);
          --queued_;
          room_.notify_all();
        } else {
          ++it;
        }
      }
    }
  }

  // Picks the head of the most urgent non-empty queue, gathers the items that may share
  // its batch, reserves the rate cost, and dequeues them. nullopt when nothing can go.
  std::optional<Chunk<Payload>> form_chunk(SteadyTime now) {
    for (auto& queue : queues_) {
      if (queue.empty()) continue;
      const Request<Payload>& head = queue.front().request;
      const BatchCapability cap = capability(venue_, head.category, head.operation);
      std::vector<std::size_t> picked{0};
      for (std::size_t i = 1; i < queue.size() && picked.size() < cap.max_per_batch; ++i) {
        const Request<Payload>& r = queue[i].request;
        if (r.category == head.category && r.operation == head.operation &&
            (!cap.single_instrument || r.instrument == head.instrument)) {
          picked.push_back(i);
        }
      }
      if (limiter_ != nullptr) {
        rate::Decision decision = limiter_->try_acquire(chunk_cost(cap, head, picked.size()), now);
        if (decision.outcome == rate::Decision::Outcome::too_costly && picked.size() > 1) {
          picked.resize(1);  // the batch as a whole exceeds a burst: fall back to one order
          decision = limiter_->try_acquire(chunk_cost(cap, head, 1), now);
        }
        if (decision.outcome == rate::Decision::Outcome::too_costly) {
          fail_head(queue, limiter_->explain(decision, now));
          return form_chunk(now);
        }
        if (!decision.admitted()) {
          wake_ = decision.not_until;
          return std::nullopt;  // strict priority: nothing overtakes a waiting head
        }
      }
      Chunk<Payload> chunk;
      chunk.id = ++last_chunk_;
      chunk.category = head.category;
      chunk.operation = head.operation;
      std::vector<Member> members;
      for (std::size_t k = picked.size(); k-- > 0;) {
        auto it = queue.begin() + static_cast<std::ptrdiff_t>(picked[k]);
        chunk.payloads.push_back(std::move(it->request.payload));
        chunk.client_order_ids.push_back(it->request.client_order_id);
        members.push_back(Member{it->ticket, it->request.client_order_id});
        queue.erase(it);
      }
      std::reverse(chunk.payloads.begin(), chunk.payloads.end());
      std::reverse(chunk.client_order_ids.begin(), chunk.client_order_ids.end());
      std::reverse(members.begin(), members.end());
      queued_ -= members.size();
      in_flight_.emplace(chunk.id, std::move(members));
      return chunk;
    }
    return std::nullopt;
  }

  rate::Cost chunk_cost(const BatchCapability& cap, const Request<Payload>& head, std::size_t size) const {
    if (size == 1 || cap.endpoint.empty()) return head.single_cost;
    const auto batch_cost = limiter_->policy().cost(cap.endpoint);
    if (!batch_cost) return head.single_cost.times(static_cast<std::uint32_t>(size));
    return cap.cost_rule == CostRule::per_order ? batch_cost->times(static_cast<std::uint32_t>(size)) : *batch_cost;
  }

  void fail_head(std::deque<Queued>& queue, Error error) {
    outcomes_.push_back(ItemOutcome{queue.front().ticket, queue.front().request.client_order_id, std::move(error), {}});
    queue.pop_front();
    --queued_;
  }

  const VenueId venue_;
  const ProcessorOptions options_;
  rate::Limiter* const limiter_;
  const Sender sender_;

  mutable std::mutex mutex_;
  std::condition_variable room_;
  std::array<std::deque<Queued>, kPriorityCount> queues_;
  std::size_t queued_ = 0;
  std::unordered_map<ChunkId, std::vector<Member>> in_flight_;
  std::vector<ItemOutcome> outcomes_;
  std::optional<SteadyTime> wake_;
  Ticket last_ticket_ = 0;
  ChunkId last_chunk_ = 0;
};

}  // namespace cts::batch
