#include "cts/engine/ws_order_route.hpp"

#include <algorithm>
#include <utility>
#include <variant>

#include <fmt/format.h>

#include "cts/core/clock.hpp"

namespace cts::engine {

namespace {

/// Ids of requests that gave up, kept to recognise their late replies.
constexpr std::size_t kGaveUpMemory = 64;

/// The longest single wait for an event: the deadline is checked at least this often.
constexpr std::chrono::milliseconds kWaitSlice{100};

}  // namespace

WsOrderRoute::WsOrderRoute(venue::Gateway& rest, RestChannel& channel, std::unique_ptr<venue::WsOrderProtocol> protocol,
                           std::string_view url, WsOrderRouteOptions options)
    : rest_(rest), channel_(channel), options_(std::move(options)), protocol_(std::move(protocol)) {
  if (!protocol_) throw Exception(make_error(ErrorCode::invalid_argument, "a WebSocket order route needs a protocol"));
  net::WsClientOptions ws = options_.ws;
  ws.policy.application_ping = std::string(protocol_->application_ping());
  ws.subscriptions = [this] { return on_connect_hook(); };
  // The session thread both writes each request and waits for its reply: it runs the
  // connection itself, with no thread hand-off on either way.
  ws.caller_driven = true;
  ws_ = std::make_unique<net::WsClient>(url, std::move(ws));
}

WsOrderRoute::~WsOrderRoute() {
  // Stopping may run the hook, which uses the members: the connection goes first.
  ws_.reset();
}

void WsOrderRoute::start() { ws_->start(); }

void WsOrderRoute::drop() { ws_->drop(); }

void WsOrderRoute::stop() {
  ws_->stop();
  connection_ = 0;
  if (state_ != WsOrderRouteState::refused) state_ = WsOrderRouteState::down;
}

const std::string& WsOrderRoute::url() const noexcept { return ws_->url(); }

SystemTime WsOrderRoute::venue_now() const { return RealClock{}.system_now() + channel_.server_time_offset(); }

std::vector<std::string> WsOrderRoute::on_connect_hook() {
  std::lock_guard lock(protocol_mutex_);
  login_ = LoginAttempt{login_.connection + 1, false, std::nullopt};
  protocol_->on_connected();
  Result<std::vector<std::string>> frames = protocol_->login(venue_now());
  if (!frames) {
    login_.error = frames.error();
    return {};
  }
  login_.needed = !frames->empty();
  return std::move(*frames);
}

void WsOrderRoute::refuse(Error error) {
  state_ = WsOrderRouteState::refused;
  {
    std::lock_guard lock(refusal_mutex_);
    refusal_ = std::move(error);
  }
  // Nothing more is sent on it: no reconnects, no logins the venue would refuse again.
  ws_->stop();
  connection_ = 0;
}

std::optional<Error> WsOrderRoute::refusal() const {
  std::lock_guard lock(refusal_mutex_);
  return refusal_;
}

std::string WsOrderRoute::transport() const {
  switch (state_.load()) {
    case WsOrderRouteState::ready: return "ws";
    case WsOrderRouteState::down: return "rest (ws down)";
    case WsOrderRouteState::logging_in: return "rest (ws logging in)";
    case WsOrderRouteState::refused: return "rest (ws login refused)";
  }
  return "rest";
}

std::optional<venue::WsOrderReply> WsOrderRoute::apply(const net::WsEvent& event, std::string_view awaited) {
  if (state_ == WsOrderRouteState::refused) return std::nullopt;
  switch (event.kind) {
    case net::WsEvent::Kind::opened: {
      std::optional<Error> cannot_log_in;
      {
        std::lock_guard lock(protocol_mutex_);
        connection_ = event.connection;
        if (login_.connection != event.connection) {
          // A newer connection already replaced this one: its events follow.
          state_ = WsOrderRouteState::logging_in;
        } else if (login_.error) {
          state_ = WsOrderRouteState::logging_in;
          if (login_.error->code == ErrorCode::unsupported) cannot_log_in = login_.error;
        } else {
          state_ = login_.needed ? WsOrderRouteState::logging_in : WsOrderRouteState::ready;
        }
      }
      if (cannot_log_in) refuse(std::move(*cannot_log_in));
      return std::nullopt;
    }
    case net::WsEvent::Kind::disconnected:
      if (connection_ != 0 && event.connection == connection_) {
        connection_ = 0;
        stats_.disconnects.fetch_add(1, std::memory_order_relaxed);
      }
      if (connection_ == 0) state_ = WsOrderRouteState::down;
      return std::nullopt;
    case net::WsEvent::Kind::closed:
      connection_ = 0;
      state_ = WsOrderRouteState::down;
      return std::nullopt;
    case net::WsEvent::Kind::message: break;
  }
  // A message of a connection that has ended (its events were still queued) says
  // nothing about the open one.
  if (event.connection != connection_) return std::nullopt;
  Result<venue::WsOrderEvent> read = [&] {
    std::lock_guard lock(protocol_mutex_);
    return protocol_->on_message(event.text);
  }();
  if (!read) {
    if (state_ == WsOrderRouteState::logging_in && is_credential_error(read.error().code)) {
      refuse(read.error());
    } else if (state_ == WsOrderRouteState::logging_in && !read.error().venue_code.empty()) {
      // The venue refused the login for another reason (its clock window, ...): a new
      // connection logs in again, freshly signed.
      ws_->drop();
    } else {
      stats_.protocol_errors.fetch_add(1, std::memory_order_relaxed);
    }
    return std::nullopt;
  }
  if (std::holds_alternative<venue::WsOrderLoggedIn>(*read)) {
    if (state_ == WsOrderRouteState::logging_in) {
      state_ = WsOrderRouteState::ready;
      stats_.logins.fetch_add(1, std::memory_order_relaxed);
    }
    return std::nullopt;
  }
  auto* reply = std::get_if<venue::WsOrderReply>(&*read);
  if (reply == nullptr) return std::nullopt;
  if (!awaited.empty() && reply->id == awaited) return std::move(*reply);
  if (const auto late = std::find(gave_up_.begin(), gave_up_.end(), reply->id); late != gave_up_.end()) {
    gave_up_.erase(late);
    stats_.late_replies.fetch_add(1, std::memory_order_relaxed);
  } else {
    stats_.protocol_errors.fetch_add(1, std::memory_order_relaxed);
  }
  return std::nullopt;
}

void WsOrderRoute::poll() {
  while (std::optional<net::WsEvent> event = ws_->poll()) (void)apply(*event, {});
}

bool WsOrderRoute::wait_ready(std::chrono::milliseconds timeout) {
  const RealClock clock;
  const SteadyTime deadline = clock.steady_now() + timeout;
  poll();
  while (state_ == WsOrderRouteState::down || state_ == WsOrderRouteState::logging_in) {
    const SteadyTime now = clock.steady_now();
    if (now >= deadline) break;
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - now);
    if (std::optional<net::WsEvent> event = ws_->wait(std::min(left, kWaitSlice))) (void)apply(*event, {});
  }
  return state_ == WsOrderRouteState::ready;
}

std::optional<Result<venue::OrderReport>> WsOrderRoute::over_ws(
    const std::function<Built(std::string_view id, SystemTime venue_now)>& build, bool create) {
  const RealClock clock;
  poll();
  auto fall_back = [&]() -> std::optional<Result<venue::OrderReport>> {
    stats_.fallbacks.fetch_add(1, std::memory_order_relaxed);
    return std::nullopt;
  };
  if (state_ != WsOrderRouteState::ready) return fall_back();
  std::string id = fmt::format("{}", ++next_id_);
  auto build_now = [&] {
    std::lock_guard lock(protocol_mutex_);
    return build(id, venue_now());
  };
  Built request = build_now();
  if (!request) {
    // An order this transport does not carry goes over REST; a refused one is refused.
    if (request.error().code == ErrorCode::unsupported) return fall_back();
    return Result<venue::OrderReport>(request.error());
  }
  const Result<rate::Cost> cost = channel_.price(request->rate_endpoint, std::nullopt, request->cost_times);
  if (!cost) return Result<venue::OrderReport>(cost.error());
  const SteadyTime before_wait = clock.steady_now();
  const Result<rate::Reservation> reservation = channel_.admit(*cost, options_.max_rate_wait);
  if (!reservation) return Result<venue::OrderReport>(reservation.error());
  if (reservation->ready_at > before_wait) {
    // The limiter made it wait: the connection may have changed, and a signature's
    // timestamp is taken again, under a new id (the protocol may hold the first one in
    // flight).
    poll();
    if (state_ != WsOrderRouteState::ready) {
      channel_.release(*reservation);
      return fall_back();
    }
    id = fmt::format("{}", ++next_id_);
    request = build_now();
    if (!request) {
      channel_.release(*reservation);
      return Result<venue::OrderReport>(request.error());
    }
  }
  const std::uint64_t connection = connection_;
  if (Result<void> sent = ws_->send(std::move(request->frame)); !sent) {
    // Not written (the connection is gone): REST carries it.
    channel_.release(*reservation);
    return fall_back();
  }
  stats_.ws_orders.fetch_add(1, std::memory_order_relaxed);
  RequestMetrics* metrics = channel_.metrics();
  if (metrics != nullptr) metrics->request("order");
  const SteadyTime sent_at = clock.steady_now();
  const SteadyTime deadline = sent_at + options_.reply_timeout;
  std::string_view why = "no reply";
  while (true) {
    const SteadyTime now = clock.steady_now();
    if (now >= deadline) break;
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - now);
    std::optional<net::WsEvent> event = ws_->wait(std::min(left, kWaitSlice));
    if (!event) continue;
    std::optional<venue::WsOrderReply> reply = apply(*event, id);
    if (reply) {
      if (metrics != nullptr) metrics->order_round_trip("ws", clock.steady_now() - sent_at);
      if (reply->usage) channel_.feedback(*reply->usage, *cost);
      if (!reply->outcome && reply->outcome.error().code == ErrorCode::rate_limited) {
        channel_.throttled(*cost, kDefaultThrottlePause);
        if (metrics != nullptr) metrics->error("order", "throttled");
      }
      return std::move(reply->outcome);
    }
    if (connection_ != connection) {
      why = "the connection ended before the reply";
      break;
    }
  }
  gave_up_.push_back(id);
  if (gave_up_.size() > kGaveUpMemory) gave_up_.pop_front();
  stats_.unknown_outcomes.fetch_add(1, std::memory_order_relaxed);
  if (metrics != nullptr) metrics->error("order", "no_reply");
  const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(options_.reply_timeout);
  return Result<venue::OrderReport>(make_error(
      create ? ErrorCode::unknown_outcome : ErrorCode::timeout,
      fmt::format("WebSocket order request {} on {}: {} (waited up to {} ms); the {} may have executed: query the "
                  "order by client order id",
                  id, ws_->url(), why, waited.count(), create ? "order" : "cancel")));
}

Result<venue::OrderReport> WsOrderRoute::create_order(const venue::NewOrder& order) {
  std::optional<Result<venue::OrderReport>> sent =
      over_ws([&](std::string_view id, SystemTime now) { return protocol_->create_order(order, id, now); }, true);
  if (sent) return std::move(*sent);
  stats_.rest_orders.fetch_add(1, std::memory_order_relaxed);
  return rest_.create_order(order);
}

Result<venue::OrderReport> WsOrderRoute::cancel_order(const venue::OrderRef& ref) {
  std::optional<Result<venue::OrderReport>> sent =
      over_ws([&](std::string_view id, SystemTime now) { return protocol_->cancel_order(ref, id, now); }, false);
  if (sent) return std::move(*sent);
  stats_.rest_orders.fetch_add(1, std::memory_order_relaxed);
  return rest_.cancel_order(ref);
}

}  // namespace cts::engine
