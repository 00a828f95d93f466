// RedisBudget (declared in cts/rate/redis_budget.hpp): the Lua scripts that decide on
// the server, and the hiredis connection with its fallback.
#include "cts/rate/redis_budget.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <span>
#include <utility>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <hiredis/hiredis.h>

#include "cts/core/venue_id.hpp"
#include "cts/rate/feedback.hpp"
#include "cts/rate/gcra.hpp"
#include "cts/rate/limiter.hpp"
#include "cts/rate/redis_url.hpp"
#include "cts/sign/encoding.hpp"
#include "cts/sign/sha.hpp"

namespace cts::rate {

namespace {

// Every script reads the server's clock (µs since the Unix epoch; exact in a Lua number,
// a double, up to 2^53) and writes integers with "%.0f" (Lua's tostring keeps 14 digits).
constexpr std::string_view kPrelude = R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local function int(x) return string.format('%.0f', x) end
local function read(key) return tonumber(redis.call('GET', key) or '0') end
)lua";

// KEYS: n pool keys, then ban keys. ARGV: n, max_wait_us, then per pool the increment
// (cost·T) and the tolerance (burst·T). Replies {1, now, ban_until, ban index} when a
// scope is banned, {2, now, ready} when the wait exceeds max_wait (nothing booked), or
// {0, now, ready, previous_1, booked_1, ...} when booked: GCRA as GcraPool::book.
constexpr std::string_view kReserve = R"lua(
local n = tonumber(ARGV[1])
local max_wait = tonumber(ARGV[2])
for i = n + 1, #KEYS do
  local ban = read(KEYS[i])
  if ban > now then return {1, now, ban, i - n - 1} end
end
local tats = {}
local ready = now
for i = 1, n do
  tats[i] = read(KEYS[i])
  local r = math.max(tats[i], now) + tonumber(ARGV[1 + 2 * i]) - tonumber(ARGV[2 + 2 * i])
  if r > ready then ready = r end
end
if ready - now > max_wait then return {2, now, ready} end
local out = {0, now, ready}
for i = 1, n do
  local increment = tonumber(ARGV[1 + 2 * i])
  local booked = tats[i]
  if increment > 0 then
    booked = math.max(tats[i], now) + increment
    redis.call('SET', KEYS[i], int(booked), 'PX', math.floor((booked - now) / 1000) + 1000)
  end
  out[#out + 1] = tats[i]
  out[#out + 1] = booked
end
return out
)lua";

// KEYS: pools. ARGV: per pool booked, previous. Restores previous where the pool still
// holds booked (nothing was booked after). Replies the number restored.
constexpr std::string_view kCancel = R"lua(
local restored = 0
for i = 1, #KEYS do
  local booked = ARGV[2 * i - 1]
  local previous = ARGV[2 * i]
  if booked ~= previous and redis.call('GET', KEYS[i]) == booked then
    if previous == '0' then redis.call('DEL', KEYS[i]) else redis.call('SET', KEYS[i], previous, 'KEEPTTL') end
    restored = restored + 1
  end
end
return restored
)lua";

// KEYS: one ban key. ARGV: pause_us. A later deadline wins. Replies the remaining µs.
constexpr std::string_view kBan = R"lua(
local pause = tonumber(ARGV[1])
local current = read(KEYS[1])
if now + pause > current then
  redis.call('SET', KEYS[1], int(now + pause), 'PX', math.floor(pause / 1000) + 1)
  return pause
end
return current - now
)lua";

// KEYS: pools. ARGV: per pool units·T. Raises each pool's tat to now + units·T (never
// lowers it), as GcraPool::ensure_used.
constexpr std::string_view kResync = R"lua(
for i = 1, #KEYS do
  local ahead = tonumber(ARGV[i])
  if read(KEYS[i]) < now + ahead then
    redis.call('SET', KEYS[i], int(now + ahead), 'PX', math.floor(ahead / 1000) + 1000)
  end
end
return 0
)lua";

// KEYS: pools. ARGV: per pool the units·T granted elsewhere, and the tolerance. Books
// them as GCRA would have (tat += units·T from now), at most up to a full pool.
constexpr std::string_view kCharge = R"lua(
for i = 1, #KEYS do
  local tat = read(KEYS[i])
  local target = math.min(math.max(tat, now) + tonumber(ARGV[2 * i - 1]), now + tonumber(ARGV[2 * i]))
  if target > tat then
    redis.call('SET', KEYS[i], int(target), 'PX', math.floor((target - now) / 1000) + 1000)
  end
end
return 0
)lua";

// KEYS: any. Replies {now, value of each key (0 when absent)}.
constexpr std::string_view kRead = R"lua(
local out = {now}
for i = 1, #KEYS do out[#out + 1] = read(KEYS[i]) end
return out
)lua";

enum Script : std::size_t { reserve_script, cancel_script, ban_script, resync_script, charge_script, read_script, script_count };
constexpr std::array<std::string_view, script_count> kScripts{kReserve, kCancel, kBan, kResync, kCharge, kRead};

/// Largest tolerance a server pool gets: keeps every sum of times below 2^53 µs.
constexpr std::int64_t kMaxToleranceUs = std::int64_t{1} << 50;

/// A pool on the server: GcraPool's parameters for the venue's whole budget, in µs.
struct ServerPool {
  std::string key;
  std::int64_t interval_us = 0;  ///< T, rounded up to whole µs.
  std::int64_t tolerance_us = 0; ///< burst·T.
  std::uint64_t burst = 0;
  // Guarded by the budget's mutex:
  std::optional<std::int64_t> ahead_us;  ///< tat - now as last seen on the server (none: never seen).
  SteadyTime seen_at{};                  ///< When (local steady clock).
  std::uint64_t granted_on_fallback = 0; ///< Units the fallback granted since the server was last used.
};

struct ReplyDeleter {
  void operator()(redisReply* reply) const noexcept { freeReplyObject(reply); }
};
using ReplyPtr = std::unique_ptr<redisReply, ReplyDeleter>;

std::string hex_prefix_of_hash(std::string_view text) {
  const auto digest = sign::sha256(text);
  return sign::hex_lower(std::span<const std::uint8_t>(digest.data(), 16));
}

timeval to_timeval(Nanos d) {
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(d).count();
  return timeval{static_cast<time_t>(us / 1'000'000), static_cast<suseconds_t>(us % 1'000'000)};
}

Nanos micros(std::int64_t us) { return std::chrono::duration_cast<Nanos>(std::chrono::microseconds{us}); }

}  // namespace

struct RedisBudget::Impl {
  Impl(const VenuePolicy& venue_policy, RedisBudgetOptions opts, RedisEndpoint where)
      : policy(venue_policy),
        options(std::move(opts)),
        endpoint(std::move(where)),
        fallback(venue_policy, LimiterOptions{options.fallback_share_percent}) {}

  ~Impl() { disconnect(); }

  const VenuePolicy& policy;
  RedisBudgetOptions options;
  RedisEndpoint endpoint;
  mutable Limiter fallback;  // thread-safe itself
  mutable std::vector<ServerPool> pools;
  std::array<std::string, kScopeCount> ban_keys;

  mutable std::mutex mutex;  // guards everything below
  mutable redisContext* context = nullptr;
  mutable std::array<std::string, script_count> sha;
  mutable SteadyTime next_attempt{};
  mutable bool was_connected = false;  // the budget has been on the server before
  mutable std::string why_down;
  mutable SteadyTime down_since{};
  mutable std::atomic<bool> on_fallback{false};

  void log(const std::string& line) const {
    if (options.log) options.log(line);
  }

  void disconnect() const {
    if (context != nullptr) redisFree(context);
    context = nullptr;
  }

  /// Runs a command (argv); null after an I/O or server error, which drops the
  /// connection and puts the budget on its fallback.
  ReplyPtr command(const std::vector<std::string>& argv) const {
    std::vector<const char*> data;
    std::vector<std::size_t> sizes;
    for (const auto& arg : argv) {
      data.push_back(arg.data());
      sizes.push_back(arg.size());
    }
    ReplyPtr reply(static_cast<redisReply*>(
        redisCommandArgv(context, static_cast<int>(argv.size()), data.data(), sizes.data())));
    if (!reply) {
      fall_back(context->errstr[0] != '\0' ? context->errstr : "no reply");
      return nullptr;
    }
    if (reply->type == REDIS_REPLY_ERROR) {
      fall_back(std::string(reply->str, reply->len));
      return nullptr;
    }
    return reply;
  }

  /// Connects when not connected and the retry interval has passed. True when connected.
  bool connected() const {
    if (context != nullptr) return true;
    const SteadyTime now = RealClock{}.steady_now();
    if (now < next_attempt) return false;
    next_attempt = now + options.retry_interval;
    context = redisConnectWithTimeout(endpoint.host.c_str(), endpoint.port, to_timeval(options.timeout));
    if (context == nullptr || context->err != 0) {
      fall_back(context != nullptr ? context->errstr : "cannot allocate a connection");
      return false;
    }
    redisSetTimeout(context, to_timeval(options.timeout));
    if (!endpoint.password.empty() || !endpoint.user.empty()) {
      std::vector<std::string> auth{"AUTH"};
      if (!endpoint.user.empty()) auth.push_back(endpoint.user);
      auth.push_back(endpoint.password);
      if (!command(auth)) return false;
    }
    if (endpoint.database != 0 && !command({"SELECT", std::to_string(endpoint.database)})) return false;
    for (std::size_t i = 0; i < script_count; ++i) {
      ReplyPtr loaded = command({"SCRIPT", "LOAD", std::string(kPrelude) + std::string(kScripts[i])});
      if (!loaded) return false;
      sha[i] = std::string(loaded->str, loaded->len);
    }
    if (on_fallback.load()) {
      // Back from the fallback: what it granted is booked on the server, as if granted
      // now (every process adds its own, so the server learns the sum; never less).
      std::vector<std::string> argv{"EVALSHA", sha[charge_script], std::to_string(pools.size())};
      for (const auto& pool : pools) argv.push_back(pool.key);
      for (const auto& pool : pools) {
        argv.push_back(std::to_string(static_cast<std::int64_t>(pool.granted_on_fallback) * pool.interval_us));
        argv.push_back(std::to_string(pool.tolerance_us));
      }
      if (!command(argv)) return false;
      for (auto& pool : pools) pool.granted_on_fallback = 0;
      log(fmt::format("rate.shared {}: reachable again; the shared budget is back in use", endpoint.redacted));
    }
    on_fallback.store(false);
    was_connected = true;
    return true;
  }

  /// Drops the connection and puts the budget on its fallback (once per outage).
  void fall_back(std::string why) const {
    disconnect();
    why_down = std::move(why);
    if (on_fallback.exchange(true)) return;
    const SteadyTime now = RealClock{}.steady_now();
    down_since = now;
    // Each fallback pool starts as full as the server's was when last seen: its tat as
    // far ahead (at 1/N of the rate with 1/N of the burst, the same duration is the same
    // fraction of the pool), so N processes together have what the server had left. A
    // pool never seen counts as full.
    for (std::size_t i = 0; i < pools.size(); ++i) {
      const GcraPool& local = fallback.pool(static_cast<std::uint8_t>(i));
      std::uint64_t units = local.burst();
      if (pools[i].ahead_us && local.emission_ns() > 0) {
        const std::int64_t ahead_ns =
            *pools[i].ahead_us * 1000 - std::chrono::duration_cast<Nanos>(now - pools[i].seen_at).count();
        units = ahead_ns <= 0 ? 0
                              : std::min<std::uint64_t>(
                                    local.burst(),
                                    static_cast<std::uint64_t>((ahead_ns + local.emission_ns() - 1) / local.emission_ns()));
      }
      // resync_used() takes the venue's count: `used` leaves burst - units remaining.
      const std::uint64_t limit = policy.pools[i].limit;
      fallback.resync_used(static_cast<std::uint8_t>(i), limit - std::min(limit, local.burst() - units), now);
    }
    log(fmt::format("rate.shared {}: unreachable ({}); on the local fallback at {}% of the venue's budget",
                    endpoint.redacted, why_down, options.fallback_share_percent));
  }

  /// EVALSHA of `script` over `keys` with `args`.
  ReplyPtr eval(Script script, const std::vector<std::string>& keys, const std::vector<std::string>& args) const {
    std::vector<std::string> argv{"EVALSHA", sha[script], std::to_string(keys.size())};
    argv.insert(argv.end(), keys.begin(), keys.end());
    argv.insert(argv.end(), args.begin(), args.end());
    return command(argv);
  }

  /// The pools of `cost` exceeding their server burst, as Limiter::reserve's error.
  std::optional<Error> too_costly(const Cost& cost) const {
    for (const auto& item : cost.view()) {
      if (item.pool >= pools.size()) {
        return make_error(ErrorCode::invalid_argument, fmt::format("{}: no pool {}", policy.venue, item.pool));
      }
      if (item.weight > pools[item.pool].burst) {
        return make_error(ErrorCode::invalid_argument,
                          fmt::format("{}: a cost of {} exceeds pool {}'s burst of {}; it can never be admitted",
                                      policy.venue, item.weight, policy.pools[item.pool].name, pools[item.pool].burst));
      }
    }
    return std::nullopt;
  }

  /// Writes a ban of `scope` for `pause` to the server (while connected).
  void ban_on_server(Scope scope, Nanos pause) const {
    if (!connected()) return;
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(pause).count();
    (void)eval(ban_script, {ban_keys[static_cast<std::size_t>(scope)]}, {std::to_string(std::max<std::int64_t>(us, 1))});
  }
};

RedisBudget::RedisBudget(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RedisBudget::~RedisBudget() = default;

Result<std::shared_ptr<RedisBudget>> RedisBudget::create(const VenuePolicy& policy, RedisBudgetOptions options) {
  Result<RedisEndpoint> endpoint = parse_redis_url(options.url);
  if (!endpoint) return endpoint.error();
  if (options.fallback_share_percent == 0 || options.fallback_share_percent > 100) {
    return make_error(ErrorCode::invalid_argument, "rate.fallback_share must be 1..100 percent");
  }
  const std::string ip_prefix = fmt::format("cts:rate:{}:{}:ip:", policy.venue, options.base_url);
  const std::string key_prefix =
      fmt::format("cts:rate:{}:{}:key:{}:", policy.venue, options.base_url, hex_prefix_of_hash(options.api_key));
  auto impl = std::make_unique<Impl>(policy, std::move(options), std::move(*endpoint));
  try {
    for (const PoolSpec& spec : policy.pools) {
      const GcraPool meter(quota_for(spec));
      ServerPool pool;
      pool.key = (spec.scope == Scope::ip ? ip_prefix : key_prefix) + std::string(spec.name);
      pool.interval_us = (meter.emission_ns() + 999) / 1000;
      pool.burst = meter.burst();
      if (pool.interval_us > 0) {
        pool.burst = std::min<std::uint64_t>(pool.burst, static_cast<std::uint64_t>(kMaxToleranceUs / pool.interval_us));
      }
      pool.tolerance_us = static_cast<std::int64_t>(pool.burst) * pool.interval_us;
      impl->pools.push_back(std::move(pool));
    }
  } catch (const Exception& e) {
    return e.error();
  }
  impl->ban_keys[static_cast<std::size_t>(Scope::ip)] = ip_prefix + "ban";
  impl->ban_keys[static_cast<std::size_t>(Scope::account)] = key_prefix + "ban";
  {
    std::lock_guard lock(impl->mutex);
    (void)impl->connected();
  }
  return std::shared_ptr<RedisBudget>(new RedisBudget(std::move(impl)));
}

const VenuePolicy& RedisBudget::policy() const noexcept { return impl_->policy; }
bool RedisBudget::on_fallback() const noexcept { return impl_->on_fallback.load(); }
const std::string& RedisBudget::redacted_url() const noexcept { return impl_->endpoint.redacted; }

Result<ServerBooking> RedisBudget::book_on_server(const Cost& cost, Nanos max_wait) {
  Impl& d = *impl_;
  if (const std::optional<Error> refused = d.too_costly(cost)) return *refused;
  std::vector<std::string> keys;
  std::vector<std::string> args{std::to_string(cost.size),
                                std::to_string(std::chrono::duration_cast<std::chrono::microseconds>(max_wait).count())};
  for (const auto& item : cost.view()) {
    const ServerPool& pool = d.pools[item.pool];
    keys.push_back(pool.key);
    args.push_back(std::to_string(static_cast<std::int64_t>(item.weight) * pool.interval_us));
    args.push_back(std::to_string(pool.tolerance_us));
  }
  std::array<bool, kScopeCount> scopes{};
  for (const auto& item : cost.view()) scopes[static_cast<std::size_t>(d.policy.pools[item.pool].scope)] = true;
  std::array<Scope, kScopeCount> ban_scopes{};
  std::size_t ban_count = 0;
  for (const Scope scope : {Scope::ip, Scope::account}) {
    if (!scopes[static_cast<std::size_t>(scope)]) continue;
    keys.push_back(d.ban_keys[static_cast<std::size_t>(scope)]);
    ban_scopes[ban_count++] = scope;
  }
  std::lock_guard lock(d.mutex);
  if (!d.connected()) {
    return make_error(ErrorCode::network, fmt::format("rate.shared {} unreachable: {}", d.endpoint.redacted, d.why_down));
  }
  ReplyPtr reply = d.eval(reserve_script, keys, args);
  if (!reply) {
    return make_error(ErrorCode::network, fmt::format("rate.shared {} unreachable: {}", d.endpoint.redacted, d.why_down));
  }
  if (reply->type != REDIS_REPLY_ARRAY || reply->elements < 3) {
    d.fall_back("unexpected reply to the reserve script");
    return make_error(ErrorCode::network, fmt::format("rate.shared {}: unexpected reply", d.endpoint.redacted));
  }
  const auto at = [&](std::size_t i) { return reply->element[i]->integer; };
  const SteadyTime local_now = RealClock{}.steady_now();
  switch (at(0)) {
    case 1: {
      const Scope scope = ban_scopes[static_cast<std::size_t>(at(3)) % kScopeCount];
      const std::int64_t remaining_us = at(2) - at(1);
      d.fallback.block(scope, local_now + micros(remaining_us));
      return make_error(ErrorCode::rate_limited, fmt::format("{}: {} scope banned for another {} ms", d.policy.venue,
                                                             to_string(scope), remaining_us / 1000));
    }
    case 2:
      return make_error(ErrorCode::rate_limited,
                        fmt::format("{}: the wait of {} ms exceeds the allowed {} ms", d.policy.venue,
                                    (at(2) - at(1)) / 1000,
                                    std::chrono::duration_cast<std::chrono::milliseconds>(max_wait).count()));
    default: break;
  }
  ServerBooking booking;
  booking.server_now_us = at(1);
  booking.ready_us = at(2);
  booking.reservation.cost = cost;
  booking.reservation.shared = true;
  // The reply arrived after the server decided: counting the wait from now is never early.
  booking.reservation.ready_at = local_now + micros(booking.ready_us - booking.server_now_us);
  for (std::uint8_t i = 0; i < cost.size && std::size_t{4} + 2 * std::size_t{i} < reply->elements; ++i) {
    booking.reservation.undo[i] = GcraPool::Undo{at(3 + 2 * i), at(4 + 2 * i)};
    ServerPool& pool = d.pools[cost.items[i].pool];
    pool.ahead_us = std::max<std::int64_t>(at(4 + 2 * i) - booking.server_now_us, 0);
    pool.seen_at = local_now;
  }
  return booking;
}

Result<Reservation> RedisBudget::reserve(const Cost& cost, SteadyTime now, Nanos max_wait) {
  Result<ServerBooking> booked = book_on_server(cost, max_wait);
  if (booked) return std::move(booked->reservation);
  if (booked.error().code != ErrorCode::network) return booked.error();
  Result<Reservation> local = impl_->fallback.reserve(cost, now, max_wait);
  if (local) {
    // Counted for the server, which learns them when reachable again.
    std::lock_guard lock(impl_->mutex);
    for (const auto& item : cost.view()) impl_->pools[item.pool].granted_on_fallback += item.weight;
  }
  return local;
}

std::size_t RedisBudget::cancel(const Reservation& booking) noexcept {
  Impl& d = *impl_;
  if (!booking.shared) return d.fallback.cancel(booking);
  try {
    std::vector<std::string> keys;
    std::vector<std::string> args;
    for (std::uint8_t i = 0; i < booking.cost.size; ++i) {
      keys.push_back(d.pools[booking.cost.items[i].pool].key);
      args.push_back(std::to_string(booking.undo[i].booked));
      args.push_back(std::to_string(booking.undo[i].previous));
    }
    std::lock_guard lock(d.mutex);
    if (d.context == nullptr) return 0;  // the booking was on the server, which is gone
    ReplyPtr reply = d.eval(cancel_script, keys, args);
    return reply && reply->type == REDIS_REPLY_INTEGER ? static_cast<std::size_t>(reply->integer) : 0;
  } catch (...) {
    return 0;  // out of memory: the units stay spent, which is never an over-grant
  }
}

SteadyTime RedisBudget::blocked_until(Scope scope) const noexcept {
  const Impl& d = *impl_;
  try {
    std::lock_guard lock(d.mutex);
    if (d.connected()) {
      if (ReplyPtr reply = d.eval(read_script, {d.ban_keys[static_cast<std::size_t>(scope)]}, {});
          reply && reply->type == REDIS_REPLY_ARRAY && reply->elements == 2) {
        const std::int64_t remaining = reply->element[1]->integer - reply->element[0]->integer;
        if (remaining > 0) d.fallback.block(scope, RealClock{}.steady_now() + micros(remaining));
      }
    }
  } catch (...) {
    // Out of memory: the bans seen locally still answer.
  }
  return d.fallback.blocked_until(scope);
}

Result<Feedback> RedisBudget::on_response(const HttpResponse& response, SteadyTime now, SystemTime wall_now,
                                          const Cost* cost) {
  Impl& d = *impl_;
  Result<Feedback> local = d.fallback.on_response(response, now, wall_now, cost);
  const ResponseReading reading = read_response(d.policy, response, wall_now, cost);
  for (std::uint8_t k = 0; k < reading.ban_count; ++k) {
    std::lock_guard lock(d.mutex);
    d.ban_on_server(reading.bans[k].scope, reading.bans[k].pause);
  }
  if (reading.used_count > 0) {
    std::vector<std::string> keys;
    std::vector<std::string> args;
    for (std::uint8_t k = 0; k < reading.used_count; ++k) {
      const auto [index, used] = reading.used[k];
      if (index >= d.pools.size()) continue;
      // As Limiter::resync_used: what the venue says remains of its limit bounds the pool.
      const std::uint64_t limit = d.policy.pools[index].limit;
      const std::uint64_t remaining = used >= limit ? 0 : limit - used;
      const ServerPool& pool = d.pools[index];
      const std::uint64_t units = remaining >= pool.burst ? 0 : pool.burst - remaining;
      keys.push_back(pool.key);
      args.push_back(std::to_string(static_cast<std::int64_t>(units) * pool.interval_us));
    }
    std::lock_guard lock(d.mutex);
    if (d.connected()) (void)d.eval(resync_script, keys, args);
  }
  return local;
}

void RedisBudget::on_throttled(const Cost& cost, SteadyTime now, Nanos pause) noexcept {
  Impl& d = *impl_;
  d.fallback.on_throttled(cost, now, pause);
  try {
    std::array<bool, kScopeCount> done{};
    for (const auto& item : cost.view()) {
      const Scope scope = d.policy.pools[item.pool].scope;
      if (std::exchange(done[static_cast<std::size_t>(scope)], true)) continue;
      std::lock_guard lock(d.mutex);
      d.ban_on_server(scope, pause);
    }
  } catch (...) {
    // Out of memory: the local block stands.
  }
}

LimiterStatus RedisBudget::status(SteadyTime now) const {
  const Impl& d = *impl_;
  std::vector<std::string> keys;
  for (const auto& pool : d.pools) keys.push_back(pool.key);
  for (const auto& key : d.ban_keys) keys.push_back(key);
  std::lock_guard lock(d.mutex);
  if (d.connected()) {
    ReplyPtr reply = d.eval(read_script, keys, {});
    if (reply && reply->type == REDIS_REPLY_ARRAY && reply->elements == keys.size() + 1) {
      const std::int64_t server_now = reply->element[0]->integer;
      LimiterStatus out = d.fallback.status(now);  // the bans this process saw
      for (std::size_t i = 0; i < d.pools.size() && i < out.pools.size(); ++i) {
        ServerPool& pool = d.pools[i];
        const std::int64_t ahead = reply->element[1 + i]->integer - server_now;
        const std::uint64_t used =
            ahead <= 0 || pool.interval_us == 0
                ? 0
                : static_cast<std::uint64_t>((ahead + pool.interval_us - 1) / pool.interval_us);
        out.pools[i].used = std::min(used, pool.burst);
        out.pools[i].burst = pool.burst;
        pool.ahead_us = std::max<std::int64_t>(ahead, 0);
        pool.seen_at = now;
      }
      for (std::size_t s = 0; s < kScopeCount; ++s) {
        const std::int64_t remaining = reply->element[1 + d.pools.size() + s]->integer - server_now;
        if (remaining > 0) out.blocked_until[s] = std::max(out.blocked_until[s], now + micros(remaining));
      }
      return out;
    }
  }
  LimiterStatus out = d.fallback.status(now);
  out.degraded = fmt::format("rate.shared {} unreachable ({}) for {} s: on the local fallback at {}% of the venue's budget",
                             d.endpoint.redacted, d.why_down,
                             std::chrono::duration_cast<std::chrono::seconds>(now - d.down_since).count(),
                             d.options.fallback_share_percent);
  return out;
}

}  // namespace cts::rate
