#include "cts/engine/coordinator.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <stop_token>
#include <thread>
#include <utility>

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <fmt/format.h>

#include "cts/core/clock.hpp"
#include "cts/rate/limiter.hpp"
#include "cts/rate/venue_policies.hpp"

namespace cts::engine {

namespace {

struct Slot {
  Slot(std::string name_, std::unique_ptr<SessionRunner> runner_, SessionOptions options_)
      : name(std::move(name_)), runner(std::move(runner_)), options(options_) {}

  const std::string name;
  const std::unique_ptr<SessionRunner> runner;
  const SessionOptions options;
  // Guarded by Coordinator::Impl::mutex.
  SessionState state = SessionState::created;
  std::string status;
  std::optional<SessionDetail> detail;
  std::string error;
  std::uint32_t restarts = 0;
  std::string restart;  // a pending restart: what and why
  std::deque<SessionCommand> commands;
  std::optional<SessionSummary> summary;
  std::uint64_t summary_order = 0;  // when the summary was stored, for merging in time order
  std::condition_variable wake;  // the session thread waits on it (with Impl::mutex)
  // Requested with the first stop or kill: cuts short an open() that waits (its runner's).
  std::stop_source stopping;
  // The thread; joined under join_mutex.
  std::thread thread;
  std::mutex join_mutex;
};

bool valid_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
           c == '-';
  });
}

constexpr std::string_view kKillReason = "kill requested through the coordinator";

}  // namespace

struct Coordinator::Impl {
  CoordinatorOptions options;
  mutable std::mutex mutex;
  std::condition_variable changed;  // a session reached stopped or failed
  std::vector<std::unique_ptr<Slot>> slots;
  std::atomic<int> shutdown_requests{0};
  std::atomic<bool> immediate{false};
  std::atomic<bool> closing{false};
  std::uint64_t summaries_stored = 0;  // guarded by mutex
  int pipe_read = -1;
  int pipe_write = -1;
  std::thread watcher;
  std::mutex limiters_mutex;
  std::map<std::pair<std::string, std::string>, std::shared_ptr<rate::Budget>> limiters;

  void log(std::string_view line) const {
    if (options.log) options.log(line);
  }

  Slot* find(std::string_view name) const {
    for (const auto& slot : slots) {
      if (slot->name == name) return slot.get();
    }
    return nullptr;
  }

  // Records the transition and queues the command for the session thread; the caller
  // holds `mutex` and has checked the transition.
  void deliver(Slot& slot, SessionCommand command, SessionState to) {
    const bool changes = to != slot.state;
    if (command == SessionCommand::stop || command == SessionCommand::kill) slot.stopping.request_stop();
    if (changes || command == SessionCommand::kill) {
      slot.commands.push_back(command);
      slot.wake.notify_one();
    }
    if (changes) {
      log(fmt::format("session {}: {} -> {} ({})", slot.name, to_string(slot.state), to_string(to), to_string(command)));
      slot.state = to;
    }
  }

  static void join(Slot& slot) {
    std::lock_guard lock(slot.join_mutex);
    if (slot.thread.joinable() && slot.thread.get_id() != std::this_thread::get_id()) slot.thread.join();
  }

  void run(Slot& slot);
  void watch();
  void stop_everything();
};

void Coordinator::Impl::run(Slot& slot) {
  SessionRunner& runner = *slot.runner;
  const RealClock clock;
  bool started = false;
  bool opened = false;
  bool paused = false;
  bool ever_opened = false;
  std::uint32_t restarts = 0;
  std::uint32_t consecutive_errors = 0;
  SteadyTime next_step{};
  std::unique_lock lock(mutex);
  while (true) {
    if (slot.commands.empty()) {
      if (started) {
        slot.wake.wait_until(lock, next_step, [&] { return !slot.commands.empty(); });
      } else {
        slot.wake.wait(lock, [&] { return !slot.commands.empty(); });
      }
    }
    std::deque<SessionCommand> commands;
    commands.swap(slot.commands);
    lock.unlock();

    bool finish = false;
    bool kill = false;
    bool failed = false;
    for (SessionCommand command : commands) {
      switch (command) {
        case SessionCommand::start:
          started = true;
          next_step = clock.steady_now();
          break;
        case SessionCommand::pause:
          paused = true;
          if (opened) runner.pause();
          break;
        case SessionCommand::resume:
          paused = false;
          if (opened) runner.resume();
          break;
        case SessionCommand::stop: finish = true; break;
        case SessionCommand::kill:
          finish = true;
          kill = true;
          break;
      }
    }
    SteadyTime now = clock.steady_now();
    if (!finish && started && now >= next_step) {
      const bool reopening = !opened && restarts > 0;
      Result<void> result = opened ? runner.step(now) : runner.open(now, slot.stopping.get_token());
      if (!opened && result) {
        opened = true;
        ever_opened = true;
        if (paused) runner.pause();
      }
      consecutive_errors = result ? 0 : consecutive_errors + 1;
      next_step = now + slot.options.step_interval;  // a period from the step's start
      // Failures: the runner's own, a refusal of the credentials, a failed restart, or
      // too many errors in a row.
      std::optional<SessionFailure> failure = opened ? runner.failure() : std::nullopt;
      const std::uint32_t limit = slot.options.max_consecutive_errors;
      if (!failure && !result &&
          (is_credential_error(result.error().code) || reopening || (limit != 0 && consecutive_errors >= limit))) {
        failure = classify_failure(consecutive_errors > 1
                                       ? make_error(result.error().code,
                                                    fmt::format("{} errors in a row, the last: {}", consecutive_errors,
                                                                result.error().message),
                                                    result.error().venue_code)
                                       : result.error());
      }
      const RestartPolicy& policy = slot.options.restart;
      const bool restart =
          failure && failure->kind == FailureKind::transient && runner.restartable() && restarts < policy.max_restarts;
      failed = failure && !restart;
      std::string restart_note;
      if (restart) {
        ++restarts;
        if (opened) {
          // Nothing manages the orders while the session is down: they are cancelled as
          // far as the venue allows; the fresh start reconciles whatever is left.
          runner.shutdown(now, ShutdownPolicy::cancel_orders);
          runner.close(now);
          opened = false;
        }
        consecutive_errors = 0;
        const std::chrono::milliseconds delay = restart_delay(policy, restarts);
        next_step = clock.steady_now() + delay;
        restart_note = fmt::format("restart {} of {} in {} ms after a {}", restarts, policy.max_restarts, delay.count(),
                                   failure->to_string());
      }
      std::string status = ever_opened ? runner.status_line(now) : std::string();
      std::optional<SessionDetail> detail = ever_opened ? runner.detail(now) : std::nullopt;
      now = clock.steady_now();
      lock.lock();
      if (ever_opened) {
        slot.status = std::move(status);
        slot.detail = std::move(detail);
      }
      slot.error = failure ? failure->to_string() : result ? std::string() : result.error().to_string();
      slot.restarts = restarts;
      if (restart) {
        slot.restart = std::move(restart_note);
        log(fmt::format("session {}: {}", slot.name, slot.restart));
      } else if (opened) {
        slot.restart.clear();
      }
      if (failed) {
        if (restarts > 0 && failure->kind == FailureKind::transient) {
          slot.error += fmt::format(" (after {} restarts)", restarts);
        }
        log(fmt::format("session {}: {}; stopping it as failed", slot.name, slot.error));
        slot.restart.clear();
        slot.state = SessionState::stopping;
      }
      lock.unlock();
      finish = failed;
    }
    if (finish) {
      if (opened) {
        if (kill) {
          runner.kill(std::string(kKillReason));
        } else {
          const bool at_once = immediate.load();
          runner.shutdown(now, at_once ? ShutdownPolicy::keep_orders : slot.options.on_shutdown);
          lock.lock();
          const bool kill_pending =
              std::find(slot.commands.begin(), slot.commands.end(), SessionCommand::kill) != slot.commands.end();
          lock.unlock();
          if (kill_pending) runner.kill(std::string(kKillReason));
        }
      }
      const SteadyTime end = clock.steady_now();
      std::optional<SessionSummary> summary;
      std::string status;
      std::optional<SessionDetail> detail;
      if (ever_opened) {
        summary = runner.summary(end);
        status = runner.status_line(end);
        detail = runner.detail(end);
      }
      lock.lock();
      if (failed && summary) {
        summary->health = "fail";
        summary->health_reasons.insert(summary->health_reasons.begin(),
                                       fmt::format("{} failed: {}", slot.name, slot.error));
      }
      slot.commands.clear();
      slot.restart.clear();
      slot.summary = std::move(summary);
      slot.summary_order = ++summaries_stored;
      if (ever_opened) {
        slot.status = std::move(status);
        slot.detail = std::move(detail);
      }
      slot.state = failed ? SessionState::failed : SessionState::stopped;
      log(fmt::format("session {}: {}", slot.name, to_string(slot.state)));
      changed.notify_all();
      return;
    }
    lock.lock();
  }
}

void Coordinator::Impl::watch() {
  bool graceful = false;
  bool at_once = false;
  while (true) {
    pollfd fd{pipe_read, POLLIN, 0};
    const int ready = ::poll(&fd, 1, -1);
    if (ready < 0 && errno != EINTR) return;
    char buffer[64];
    while (::read(pipe_read, buffer, sizeof buffer) > 0) {
    }
    if (closing.load()) return;
    const int requests = shutdown_requests.load();
    if (requests >= 2 && !at_once) {
      at_once = true;
      immediate.store(true);
      log("second shutdown request: stopping now, open orders are kept");
    }
    if (requests >= 1 && !graceful) {
      graceful = true;
      log("shutdown requested: stopping every session");
    }
    if (requests >= 1) {
      std::lock_guard lock(mutex);
      for (const auto& slot : slots) {
        if (Result<SessionState> to = transition(slot->state, SessionCommand::stop)) deliver(*slot, SessionCommand::stop, *to);
      }
    }
  }
}

void Coordinator::Impl::stop_everything() {
  {
    std::lock_guard lock(mutex);
    for (const auto& slot : slots) {
      if (Result<SessionState> to = transition(slot->state, SessionCommand::stop)) deliver(*slot, SessionCommand::stop, *to);
    }
  }
  for (const auto& slot : slots) join(*slot);
}

Coordinator::Coordinator(CoordinatorOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) {
    throw Exception(make_error(ErrorCode::internal, "coordinator: cannot create its wake-up pipe"));
  }
  impl_->pipe_read = fds[0];
  impl_->pipe_write = fds[1];
  impl_->watcher = std::thread([impl = impl_.get()] { impl->watch(); });
}

Coordinator::~Coordinator() {
  impl_->closing.store(true);
  const char byte = 0;
  // A wake-up byte: if the pipe is full, the watcher has one to read already.
  (void)::write(impl_->pipe_write, &byte, 1);
  impl_->watcher.join();
  {
    std::lock_guard lock(impl_->mutex);
    if (!std::all_of(impl_->slots.begin(), impl_->slots.end(), [](const auto& s) { return is_final(s->state); })) {
      impl_->immediate.store(true);  // nobody asked for a graceful stop: keep the orders
    }
  }
  impl_->stop_everything();
  ::close(impl_->pipe_read);
  ::close(impl_->pipe_write);
}

Result<void> Coordinator::add(std::string name, std::unique_ptr<SessionRunner> runner, SessionOptions options) {
  if (!valid_name(name)) {
    return make_error(ErrorCode::invalid_argument,
                      fmt::format("session name \"{}\" must be 1 to 64 of [A-Za-z0-9_.-]", name));
  }
  if (!runner) return make_error(ErrorCode::invalid_argument, fmt::format("session {}: no runner", name));
  if (options.step_interval <= std::chrono::milliseconds{0}) {
    return make_error(ErrorCode::invalid_argument, fmt::format("session {}: the step interval must be positive", name));
  }
  std::lock_guard lock(impl_->mutex);
  if (impl_->shutdown_requests.load() > 0) {
    return make_error(ErrorCode::invalid_argument, fmt::format("session {}: the coordinator is shutting down", name));
  }
  if (impl_->find(name) != nullptr) {
    return make_error(ErrorCode::invalid_argument, fmt::format("session \"{}\" already exists", name));
  }
  auto slot = std::make_unique<Slot>(std::move(name), std::move(runner), options);
  Slot& ref = *slot;
  impl_->slots.push_back(std::move(slot));
  const std::lock_guard join_lock(ref.join_mutex);
  ref.thread = std::thread([impl = impl_.get(), &ref] { impl->run(ref); });
  return {};
}

Result<SessionState> Coordinator::apply(std::string_view name, SessionCommand command, bool wait) {
  Slot* slot = nullptr;
  SessionState to{};
  {
    std::lock_guard lock(impl_->mutex);
    slot = impl_->find(name);
    if (slot == nullptr) return make_error(ErrorCode::invalid_argument, fmt::format("unknown session \"{}\"", name));
    Result<SessionState> next = transition(slot->state, command);
    if (!next) return make_error(next.error().code, fmt::format("session {}: {}", name, next.error().message));
    impl_->deliver(*slot, command, *next);
    to = *next;
  }
  if (wait && (command == SessionCommand::stop || command == SessionCommand::kill)) {
    Impl::join(*slot);
    std::lock_guard lock(impl_->mutex);
    to = slot->state;
  }
  return to;
}

Result<std::vector<SessionInfo>> Coordinator::apply_all(SessionCommand command, bool wait) {
  {
    std::lock_guard lock(impl_->mutex);
    std::vector<std::pair<Slot*, SessionState>> plan;
    for (const auto& slot : impl_->slots) {
      if (is_final(slot->state)) continue;
      Result<SessionState> next = transition(slot->state, command);
      if (!next) return make_error(next.error().code, fmt::format("session {}: {}", slot->name, next.error().message));
      plan.emplace_back(slot.get(), *next);
    }
    for (const auto& [slot, to] : plan) impl_->deliver(*slot, command, to);
  }
  if (wait && (command == SessionCommand::stop || command == SessionCommand::kill)) {
    for (const auto& slot : impl_->slots) Impl::join(*slot);
  }
  return states();
}

void Coordinator::start_all() {
  std::lock_guard lock(impl_->mutex);
  for (const auto& slot : impl_->slots) {
    if (slot->state == SessionState::created) impl_->deliver(*slot, SessionCommand::start, SessionState::running);
  }
}

void Coordinator::stop_all() { impl_->stop_everything(); }

void Coordinator::request_shutdown() noexcept {
  const int saved_errno = errno;
  impl_->shutdown_requests.fetch_add(1);
  const char byte = 1;
  (void)!::write(impl_->pipe_write, &byte, 1);  // as in the destructor: a full pipe already wakes the watcher
  errno = saved_errno;
}

int Coordinator::shutdown_requests() const noexcept { return impl_->shutdown_requests.load(); }

bool Coordinator::wait_for(std::chrono::milliseconds timeout) {
  {
    std::unique_lock lock(impl_->mutex);
    const bool done = impl_->changed.wait_for(lock, timeout, [&] {
      return std::all_of(impl_->slots.begin(), impl_->slots.end(), [](const auto& s) { return is_final(s->state); });
    });
    if (!done) return false;
  }
  for (const auto& slot : impl_->slots) Impl::join(*slot);
  return true;
}

void Coordinator::wait() {
  while (!wait_for(std::chrono::hours{1})) {
  }
}

std::vector<SessionInfo> Coordinator::states() const {
  std::lock_guard lock(impl_->mutex);
  std::vector<SessionInfo> out;
  out.reserve(impl_->slots.size());
  for (const auto& slot : impl_->slots) {
    out.push_back(SessionInfo{slot->name, slot->state, slot->status, slot->error, slot->restarts, slot->restart,
                              slot->detail});
  }
  return out;
}

Result<SessionState> Coordinator::state(std::string_view name) const {
  std::lock_guard lock(impl_->mutex);
  const Slot* slot = impl_->find(name);
  if (slot == nullptr) return make_error(ErrorCode::invalid_argument, fmt::format("unknown session \"{}\"", name));
  return slot->state;
}

SessionSummary Coordinator::summary() const {
  std::vector<std::pair<std::uint64_t, const SessionSummary*>> stored;
  std::vector<SessionSummary> all;
  {
    std::lock_guard lock(impl_->mutex);
    for (const auto& slot : impl_->slots) {
      if (slot->summary) stored.emplace_back(slot->summary_order, &*slot->summary);
    }
    // In the order they were read: the balances of the last one are the latest.
    std::sort(stored.begin(), stored.end());
    for (const auto& [order, summary] : stored) all.push_back(*summary);
  }
  if (all.empty()) return SessionSummary{};
  return merge_summaries(all);
}

std::optional<SessionSummary> Coordinator::summary(std::string_view name) const {
  std::lock_guard lock(impl_->mutex);
  const Slot* slot = impl_->find(name);
  return slot == nullptr ? std::nullopt : slot->summary;
}

std::vector<SessionRegistries> Coordinator::registries() const {
  std::lock_guard lock(impl_->mutex);
  std::vector<SessionRegistries> out;
  out.reserve(impl_->slots.size());
  for (const auto& slot : impl_->slots) {
    out.push_back(SessionRegistries{slot->name, slot->state, slot->runner->metrics(), slot->runner->health(),
                                    slot->state == SessionState::failed ? slot->error : slot->restart});
  }
  return out;
}

std::shared_ptr<rate::Budget> Coordinator::shared_limiter(VenueId venue, std::string_view base_url,
                                                          std::string_view api_key) {
  std::lock_guard lock(impl_->limiters_mutex);
  auto& limiter = impl_->limiters[{std::string(base_url), std::string(api_key)}];
  if (!limiter && impl_->options.make_budget) limiter = impl_->options.make_budget(venue, base_url, api_key);
  if (!limiter) limiter = std::make_shared<rate::Limiter>(rate::policy_for(venue));
  return limiter;
}

}  // namespace cts::engine
