#include "cts/engine/coordinator.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <csignal>
#include <deque>
#include <thread>
#include <utility>

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <fmt/format.h>

#include "cts/health/detail/json.hpp"
#include "cts/health/exposition.hpp"
#include "cts/health/health_json.hpp"
#include "cts/rate/venue_policies.hpp"

namespace cts::engine {

std::string_view to_string(SessionState state) noexcept {
  switch (state) {
    case SessionState::created: return "created";
    case SessionState::running: return "running";
    case SessionState::paused: return "paused";
    case SessionState::stopping: return "stopping";
    case SessionState::stopped: return "stopped";
    case SessionState::failed: return "failed";
  }
  return "invalid";
}

std::string_view to_string(SessionCommand command) noexcept {
  switch (command) {
    case SessionCommand::start: return "start";
    case SessionCommand::pause: return "pause";
    case SessionCommand::resume: return "resume";
    case SessionCommand::stop: return "stop";
    case SessionCommand::kill: return "kill";
  }
  return "invalid";
}

Result<SessionState> transition(SessionState from, SessionCommand command) {
  using S = SessionState;
  std::optional<S> to;
  switch (command) {
    case SessionCommand::start:
      if (from == S::created || from == S::running) to = S::running;
      break;
    case SessionCommand::pause:
      if (from == S::running || from == S::paused) to = S::paused;
      break;
    case SessionCommand::resume:
      if (from == S::paused || from == S::running) to = S::running;
      break;
    case SessionCommand::stop:
      if (from == S::created || from == S::running || from == S::paused) to = S::stopping;
      if (from == S::stopping || from == S::stopped || from == S::failed) to = from;
      break;
    case SessionCommand::kill:
      if (from == S::created || from == S::running || from == S::paused || from == S::stopping) to = S::stopping;
      break;
  }
  if (!to) {
    return make_error(ErrorCode::invalid_argument,
                      fmt::format("cannot {} a {} session", to_string(command), to_string(from)));
  }
  return *to;
}

Result<void> SessionRunner::open(SteadyTime) { return {}; }
const health::MetricsRegistry* SessionRunner::metrics() const noexcept { return nullptr; }
const health::HealthRegistry* SessionRunner::health() const noexcept { return nullptr; }

TradingSessionRunner::TradingSessionRunner(std::unique_ptr<store::Journal> journal,
                                           std::unique_ptr<TradingSession> session)
    : journal_(std::move(journal)), session_(std::move(session)) {
  if (!journal_ || !session_) {
    throw Exception(make_error(ErrorCode::invalid_argument, "TradingSessionRunner needs a journal and a session"));
  }
}
TradingSessionRunner::~TradingSessionRunner() {
  session_.reset();  // the session writes to the journal: it goes first
  journal_.reset();
}
Result<void> TradingSessionRunner::step(SteadyTime now) { return session_->step(now); }
void TradingSessionRunner::pause() { session_->pause(); }
void TradingSessionRunner::resume() { session_->resume(); }
void TradingSessionRunner::shutdown(SteadyTime now, ShutdownPolicy policy) { session_->shutdown(now, policy); }
void TradingSessionRunner::kill(std::string reason) { session_->kill(std::move(reason)); }
std::string TradingSessionRunner::status_line(SteadyTime now) const { return session_->status_line(now); }
SessionSummary TradingSessionRunner::summary(SteadyTime now) { return session_->summary(now); }
const health::MetricsRegistry* TradingSessionRunner::metrics() const noexcept { return &session_->metrics(); }
const health::HealthRegistry* TradingSessionRunner::health() const noexcept { return &session_->health(); }

SessionOptions session_options(const EngineConfig& config) {
  SessionOptions options;
  options.step_interval = config.refresh_interval;
  options.on_shutdown = config.on_shutdown;
  options.max_consecutive_errors = config.max_consecutive_errors;
  return options;
}

SessionSummary merge_summaries(std::span<const SessionSummary> summaries) {
  if (summaries.size() == 1) return summaries.front();
  SessionSummary out;
  const health::StatusOrder order;
  std::vector<std::string_view> healths;
  for (const SessionSummary& s : summaries) {
    out.orders.orders_submitted += s.orders.orders_submitted;
    out.orders.orders_filled += s.orders.orders_filled;
    out.orders.orders_canceled += s.orders.orders_canceled;
    out.orders.orders_rejected += s.orders.orders_rejected;
    out.orders.orders_denied += s.orders.orders_denied;
    out.orders.fills += s.orders.fills;
    out.orders.unknown_outcomes += s.orders.unknown_outcomes;
    out.orders.unknown_resolved += s.orders.unknown_resolved;
    out.orders.orders_adopted += s.orders.orders_adopted;
    out.orders.foreign_open_orders += s.orders.foreign_open_orders;
    out.http_429 += s.http_429;
    out.http_418 += s.http_418;
    for (const auto& [symbol, qty] : s.positions) out.positions[symbol] += qty;
    for (const auto& [asset, fee] : s.fees) out.fees[asset] += fee;
    out.realized_pnl += s.realized_pnl;
    if (!s.balances.empty()) out.balances = s.balances;
    if (!s.health.empty()) healths.push_back(s.health);
  }
  out.health = healths.empty() ? std::string() : std::string(order.worst(healths));
  return out;
}

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
  std::string error;
  std::deque<SessionCommand> commands;
  std::optional<SessionSummary> summary;
  std::uint64_t summary_order = 0;  // when the summary was stored, for merging in time order
  std::condition_variable wake;  // the session thread waits on it (with Impl::mutex)
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
  std::map<std::pair<std::string, std::string>, std::shared_ptr<rate::Limiter>> limiters;

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
      Result<void> result = opened ? runner.step(now) : runner.open(now);
      if (!opened && result) {
        opened = true;
        if (paused) runner.pause();
      }
      consecutive_errors = result ? 0 : consecutive_errors + 1;
      std::string status = opened ? runner.status_line(now) : std::string();
      next_step = now + slot.options.step_interval;  // a period from the step's start
      now = clock.steady_now();
      const std::uint32_t limit = slot.options.max_consecutive_errors;
      failed = limit != 0 && consecutive_errors >= limit;
      lock.lock();
      if (opened) slot.status = std::move(status);
      slot.error = result ? std::string() : result.error().to_string();
      if (failed) {
        log(fmt::format("session {}: {} consecutive errors, the last: {}; stopping it as failed", slot.name,
                        consecutive_errors, slot.error));
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
      if (opened) {
        summary = runner.summary(end);
        status = runner.status_line(end);
      }
      lock.lock();
      slot.commands.clear();
      slot.summary = std::move(summary);
      slot.summary_order = ++summaries_stored;
      if (opened) slot.status = std::move(status);
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
  (void)!::write(impl_->pipe_write, &byte, 1);
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
  for (const auto& slot : impl_->slots) out.push_back(SessionInfo{slot->name, slot->state, slot->status, slot->error});
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

std::string Coordinator::metrics_text() const {
  std::vector<std::pair<std::string, const health::MetricsRegistry*>> sources;
  health::FamilySnapshot state_family{"cts_engine_session_state", "State of each coordinated session (1 = current)",
                                      "", health::MetricType::gauge, {}};
  {
    std::lock_guard lock(impl_->mutex);
    for (const auto& slot : impl_->slots) {
      sources.emplace_back(slot->name, slot->runner->metrics());
      for (SessionState s : {SessionState::created, SessionState::running, SessionState::paused, SessionState::stopping,
                             SessionState::stopped, SessionState::failed}) {
        state_family.children.push_back(health::ChildSnapshot{
            health::LabelSet{{"session", slot->name}, {"state", to_string(s)}}, s == slot->state ? 1.0 : 0.0, {}});
      }
    }
  }
  std::vector<health::FamilySnapshot> families;
  for (const auto& [name, registry] : sources) {
    if (registry == nullptr) continue;
    for (health::FamilySnapshot& family : registry->collect()) {
      auto same = std::find_if(families.begin(), families.end(),
                               [&](const health::FamilySnapshot& f) { return f.name == family.name; });
      if (same != families.end() && same->type != family.type) continue;  // a clash: keep the first
      if (same == families.end()) {
        families.push_back(health::FamilySnapshot{family.name, family.help, family.unit, family.type, {}});
        same = families.end() - 1;
      }
      for (health::ChildSnapshot& child : family.children) {
        child.labels = child.labels.with("session", name);
        same->children.push_back(std::move(child));
      }
    }
  }
  families.push_back(std::move(state_family));
  return health::text_004(families);
}

HttpResponse Coordinator::health_response(SteadyTime now) const {
  std::vector<std::tuple<std::string, SessionState, const health::HealthRegistry*>> sources;
  {
    std::lock_guard lock(impl_->mutex);
    for (const auto& slot : impl_->slots) sources.emplace_back(slot->name, slot->state, slot->runner->health());
  }
  std::vector<health::CheckSnapshot> checks;
  std::vector<health::Status> statuses;
  const SystemTime wall = RealClock{}.system_now();
  for (const auto& [name, state, registry] : sources) {
    health::CheckSnapshot state_check;
    state_check.name = name + "/session:state";
    state_check.component_type = "session";
    state_check.status = state == SessionState::failed    ? health::Status::fail
                         : state == SessionState::stopped ? health::Status::out_of_service
                                                          : health::Status::pass;
    state_check.published = state_check.status;
    state_check.last_result = health::CheckResult{state_check.status, std::nullopt, {}, wall,
                                                  state_check.status == health::Status::pass
                                                      ? std::string()
                                                      : fmt::format("session {} is {}", name, to_string(state))};
    checks.push_back(std::move(state_check));
    if (state == SessionState::stopped) {
      continue;  // a session stopped on purpose does not make the others unready
    }
    if (state == SessionState::failed) {
      statuses.push_back(health::Status::fail);
    } else if (registry != nullptr) {
      statuses.push_back(registry->aggregate(health::CheckKind::readiness, now));
    } else {
      statuses.push_back(health::Status::pass);
    }
    if (registry != nullptr) {
      for (health::CheckSnapshot& check : registry->list(now)) {
        check.name = name + "/" + check.name;
        checks.push_back(std::move(check));
      }
    }
  }
  const health::Status overall =
      statuses.empty() ? health::Status::out_of_service : health::StatusOrder().worst(statuses);
  health::HealthDocumentInfo info;
  info.release_id = "0.1.0";
  info.service_id = impl_->options.service_id;
  info.description = "cts reference engine";
  HttpResponse response;
  response.status = health::http_status(overall, health::CheckKind::readiness);
  response.set_header("Content-Type", health::kHealthJsonContentType);
  response.set_header("Cache-Control", "max-age=" + std::to_string(info.max_age_seconds));
  response.body = health::to_health_json(checks, overall, health::CheckKind::readiness, info);
  return response;
}

namespace {

HttpResponse json_response(int status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.set_header("Content-Type", "application/json");
  response.body = std::move(body);
  response.body += '\n';
  return response;
}

HttpResponse error_response(int status, std::string_view message) {
  std::string body = "{\"error\":";
  health::detail::append_json_string(body, message);
  body += '}';
  return json_response(status, std::move(body));
}

HttpResponse wrong_method(std::string_view allow) {
  HttpResponse response = error_response(405, "method not allowed");
  response.set_header("Allow", allow);
  return response;
}

void append_info(std::string& out, const SessionInfo& info) {
  out += "{\"name\":";
  health::detail::append_json_string(out, info.name);
  out += ",\"state\":";
  health::detail::append_json_string(out, to_string(info.state));
  out += ",\"status\":";
  health::detail::append_json_string(out, info.status);
  out += ",\"error\":";
  health::detail::append_json_string(out, info.error);
  out += '}';
}

std::string sessions_json(const std::vector<SessionInfo>& infos) {
  std::string out = "{\"sessions\":[";
  for (std::size_t i = 0; i < infos.size(); ++i) {
    if (i != 0) out += ',';
    append_info(out, infos[i]);
  }
  out += "]}";
  return out;
}

std::optional<SessionCommand> parse_command(std::string_view text) {
  for (SessionCommand c : {SessionCommand::start, SessionCommand::pause, SessionCommand::resume, SessionCommand::stop,
                           SessionCommand::kill}) {
    if (text == to_string(c)) return c;
  }
  return std::nullopt;
}

}  // namespace

HttpResponse Coordinator::handle_http(const HttpRequest& request) {
  const bool get = request.method == HttpMethod::get;
  const bool post = request.method == HttpMethod::post;
  const std::string_view path = request.path;
  if (path == "/metrics") {
    if (!get) return wrong_method("GET");
    HttpResponse response;
    response.status = 200;
    response.set_header("Content-Type", health::kPrometheusTextContentType);
    response.body = metrics_text();
    return response;
  }
  if (path == "/health") {
    if (!get) return wrong_method("GET");
    return health_response(RealClock{}.steady_now());
  }
  if (path == "/sessions") {
    if (!get) return wrong_method("GET");
    return json_response(200, sessions_json(states()));
  }
  constexpr std::string_view kPrefix = "/sessions/";
  if (!path.starts_with(kPrefix)) return error_response(404, "not found");
  const std::string_view rest = path.substr(kPrefix.size());
  const std::size_t slash = rest.find('/');
  if (slash == std::string_view::npos) {
    // /sessions/<op> for every session, or /sessions/<name>.
    const std::optional<SessionCommand> command = parse_command(rest);
    if (command && !state(rest)) {
      if (!post) return wrong_method("POST");
      Result<std::vector<SessionInfo>> done = apply_all(*command, false);
      if (!done) return error_response(409, done.error().message);
      return json_response(200, sessions_json(*done));
    }
    if (!get) return wrong_method("GET");
    for (const SessionInfo& info : states()) {
      if (info.name != rest) continue;
      std::string body;
      append_info(body, info);
      return json_response(200, std::move(body));
    }
    return error_response(404, fmt::format("unknown session \"{}\"", rest));
  }
  const std::string_view name = rest.substr(0, slash);
  const std::optional<SessionCommand> command = parse_command(rest.substr(slash + 1));
  if (!command) return error_response(404, "not found");
  if (!post) return wrong_method("POST");
  if (!state(name)) return error_response(404, fmt::format("unknown session \"{}\"", name));
  Result<SessionState> done = apply(name, *command, false);
  if (!done) return error_response(409, done.error().message);
  std::string body = "{\"name\":";
  health::detail::append_json_string(body, name);
  body += ",\"state\":";
  health::detail::append_json_string(body, to_string(*done));
  body += '}';
  return json_response(200, std::move(body));
}

std::shared_ptr<rate::Limiter> Coordinator::shared_limiter(std::string_view base_url, std::string_view api_key) {
  std::lock_guard lock(impl_->limiters_mutex);
  auto& limiter = impl_->limiters[{std::string(base_url), std::string(api_key)}];
  if (!limiter) limiter = std::make_shared<rate::Limiter>(rate::policy_for(VenueId::binance_spot));
  return limiter;
}

namespace {
std::atomic<Coordinator*> g_signal_target{nullptr};
struct sigaction g_previous_int {};
struct sigaction g_previous_term {};
bool g_installed = false;

extern "C" void on_shutdown_signal(int) {
  if (Coordinator* target = g_signal_target.load()) target->request_shutdown();
}
}  // namespace

void install_signal_handlers(Coordinator& coordinator) {
  g_signal_target.store(&coordinator);
  struct sigaction action {};
  action.sa_handler = on_shutdown_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  if (g_installed) {
    ::sigaction(SIGINT, &action, nullptr);
    ::sigaction(SIGTERM, &action, nullptr);
    return;
  }
  ::sigaction(SIGINT, &action, &g_previous_int);
  ::sigaction(SIGTERM, &action, &g_previous_term);
  g_installed = true;
}

void uninstall_signal_handlers() {
  if (g_installed) {
    ::sigaction(SIGINT, &g_previous_int, nullptr);
    ::sigaction(SIGTERM, &g_previous_term, nullptr);
    g_installed = false;
  }
  g_signal_target.store(nullptr);
}

}  // namespace cts::engine
