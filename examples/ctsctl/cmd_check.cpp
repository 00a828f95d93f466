// ctsctl check: tests a venue connection the way an operator needs before trading
// (reachability, clock, credentials, rate-limit headroom, the instrument's rules) and
// says plainly what is wrong. Venue-neutral: everything goes through venue::Gateway,
// the connector's capabilities and the connection's limiter.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cts/core/clock.hpp>
#include <cts/engine/config.hpp>
#include <cts/engine/connection.hpp>
#include <cts/sign/secret.hpp>
#include <cts/venue/api_permissions.hpp>
#include <cts/venue/registry.hpp>

#include "ctsctl/args.hpp"
#include "ctsctl/command.hpp"
#include "ctsctl/embedded_exchange.hpp"
#include "ctsctl/engine_config_args.hpp"
#include "ctsctl/output.hpp"

namespace {

constexpr std::string_view kUsage =
    "usage: ctsctl check [--venue VENUE] [--category CATEGORY] [--config FILE] [--symbol SYMBOL]\n"
    "\n"
    "Tests a venue connection before trading and says plainly what is wrong. Without a\n"
    "base_url in the config it checks the embedded simulator speaking the venue's\n"
    "protocol (as ctsctl run trades against); with one, the venue at that URL with the\n"
    "API key and secret from the environment variables the config names (CTS_API_KEY and\n"
    "CTS_API_SECRET by default; without a key only the public checks are made).\n"
    "\n"
    "One line per check, `PASS|WARN|FAIL <check>: <what was measured or what is wrong>`:\n"
    "  reachability  three server-time round trips, min/median latency\n"
    "  clock         venue time - local time at the middle of the best round trip\n"
    "                (WARN above 500 ms, FAIL above the 5000 ms receive window)\n"
    "  credentials   a signed read (balances) is accepted\n"
    "  permissions   the key can trade and cannot withdraw (where the venue says)\n"
    "  instrument    the symbol is listed and trading; its tick, step and minimums\n"
    "  rate-limit    the limiter's pools after the checks (WARN when a pool the venue reports\n"
    "                is above 50 % used: another process spends the same budget)\n"
    "then `check: N passed, N warnings, N failed`.\n"
    "\n"
    "  --venue VENUE        binance (default), bybit, binance-usdm (a real venue only:\n"
    "                       no simulator); its default market unless --category\n"
    "                       names one\n"
    "  --category CATEGORY  the venue's market, e.g. spot, linear\n"
    "  --config FILE        engine configuration (docs/engine.md)\n"
    "  --symbol SYMBOL      the instrument to check (default: the config's symbol)\n"
    "\n"
    "Exit status: 0 when no check fails, 1 when one does, 2 for bad arguments.\n";

// Round trips of the reachability check.
constexpr int kRoundTrips = 3;
// Clock skew above which the check warns.
constexpr std::chrono::milliseconds kSkewWarning{500};
// The receive window signed requests use (Binance's and Bybit's default): beyond this
// skew the venue refuses them.
constexpr std::chrono::milliseconds kReceiveWindow{5000};
// Share of a pool in use above which the rate-limit check warns, in percent.
constexpr std::uint64_t kPoolWarningPercent = 50;

/// Prints the result lines and counts them.
class Report {
 public:
  void pass(std::string_view check, std::string_view text) { line("PASS", check, text, passed_); }
  void warn(std::string_view check, std::string_view text) { line("WARN", check, text, warned_); }
  void fail(std::string_view check, std::string_view text) { line("FAIL", check, text, failed_); }

  /// The final line; the exit status (0 when nothing failed).
  int finish() const {
    ctsctl::print_out("check: {} passed, {} warnings, {} failed\n", passed_, warned_, failed_);
    return failed_ == 0 ? 0 : 1;
  }

 private:
  static void line(std::string_view verdict, std::string_view check, std::string_view text, int& counter) {
    ++counter;
    ctsctl::print_out("{} {}: {}\n", verdict, check, text);
  }

  int passed_ = 0;
  int warned_ = 0;
  int failed_ = 0;
};

int usage_error(const cts::Error& error) {
  ctsctl::print_err("ctsctl check: {}\n", error.message);
  return 2;
}

int setup_error(const cts::Error& error) {
  ctsctl::print_err("ctsctl check: {}\n", error.to_string());
  return 1;
}

/// One server-time round trip.
struct RoundTrip {
  std::chrono::milliseconds latency{};
  std::chrono::milliseconds skew{};  // venue time − local time at the middle of the trip
};

/// Checks 1 and 2. Returns false when the venue cannot be reached (the other checks
/// are then pointless).
bool check_reachability_and_clock(cts::engine::VenueConnection& connection, Report& report) {
  std::vector<RoundTrip> trips;
  for (int i = 0; i < kRoundTrips; ++i) {
    const auto wall_before = std::chrono::system_clock::now();
    const auto before = std::chrono::steady_clock::now();
    cts::Result<std::int64_t> venue_ms = connection.gateway().server_time_ms();
    const auto latency = std::chrono::steady_clock::now() - before;
    if (!venue_ms) {
      report.fail("reachability", fmt::format("server time request {} of {} failed: {}; check base_url, the network "
                                              "and the venue's status page",
                                              i + 1, kRoundTrips, venue_ms.error().to_string()));
      return false;
    }
    const auto middle =
        std::chrono::duration_cast<std::chrono::milliseconds>((wall_before + latency / 2).time_since_epoch());
    trips.push_back(
        {std::chrono::ceil<std::chrono::milliseconds>(latency), std::chrono::milliseconds(*venue_ms) - middle});
  }
  std::sort(trips.begin(), trips.end(), [](const RoundTrip& a, const RoundTrip& b) { return a.latency < b.latency; });
  report.pass("reachability",
              fmt::format("{} round trips to the server time, latency min {} ms, median {} ms", kRoundTrips,
                          trips.front().latency.count(), trips[trips.size() / 2].latency.count()));
  const std::chrono::milliseconds skew = trips.front().skew;
  const auto size = skew < std::chrono::milliseconds{0} ? -skew : skew;
  const std::string measured = fmt::format("venue time - local time = {} ms (at the best round trip, {} ms)",
                                           skew.count(), trips.front().latency.count());
  if (size > kReceiveWindow) {
    report.fail("clock", fmt::format("{}: beyond the {} ms receive window, signed requests would be refused; sync "
                                     "the clock (NTP: chronyc makestep / timedatectl set-ntp true)",
                                     measured, kReceiveWindow.count()));
  } else if (size > kSkewWarning) {
    report.warn("clock", fmt::format("{}: above {} ms; sync the clock (NTP)", measured, kSkewWarning.count()));
  } else {
    report.pass("clock", measured);
  }
  // Signed requests carry the venue's time, as a trading session's do.
  connection.channel().set_server_time_offset(skew);
  return true;
}

/// Check 3. Returns true when signed requests are accepted.
bool check_credentials(cts::engine::VenueConnection& connection, const cts::engine::EngineConfig& config, bool embedded,
                       Report& report) {
  if (connection.signer() == nullptr) {
    report.warn("credentials",
                fmt::format("no API key (environment variable {} is not set): public checks only", config.api_key_env));
    return false;
  }
  const std::string origin =
      embedded ? std::string("the embedded simulator's test account")
               : fmt::format("the key in ${} and the secret in ${}", config.api_key_env, config.api_secret_env);
  cts::Result<std::vector<cts::venue::Balance>> balances = connection.gateway().balances();
  if (!balances) {
    const cts::Error& error = balances.error();
    if (error.code == cts::ErrorCode::invalid_signature) {
      report.fail("credentials", fmt::format("the venue refused the signature made with {} ({}): the secret does "
                                             "not match the key; set the key's own secret",
                                             origin, error.to_string()));
    } else if (error.code == cts::ErrorCode::auth_failed) {
      report.fail("credentials", fmt::format("the venue refused {} ({}): check that the key exists, is enabled and "
                                             "not expired, allows this IP, and belongs to this venue's environment "
                                             "(production, testnet or demo)",
                                             origin, error.to_string()));
    } else {
      report.fail("credentials", fmt::format("the signed read (balances) failed: {}", error.to_string()));
    }
    return false;
  }
  const auto funded = std::count_if(balances->begin(), balances->end(), [](const cts::venue::Balance& balance) {
    return balance.free.is_positive() || balance.locked.is_positive();
  });
  report.pass("credentials",
              fmt::format("signed read (balances) accepted with {}: {} asset(s) with a balance", origin, funded));
  return true;
}

/// Check 4: what the key may do, where the venue says.
void check_permissions(cts::venue::Gateway& gateway, Report& report) {
  cts::Result<cts::venue::ApiPermissions> permissions = gateway.api_permissions();
  if (!permissions) {
    if (permissions.error().code == cts::ErrorCode::unsupported) {
      report.warn("permissions", fmt::format("not checked: {}", permissions.error().message));
    } else {
      report.fail("permissions",
                  fmt::format("the key's permissions could not be read: {}", permissions.error().to_string()));
    }
    return;
  }
  std::string facts = fmt::format("{}, {}, {}", permissions->read_only ? "read-only" : "read-write",
                                  permissions->can_trade ? "can trade" : "cannot trade",
                                  permissions->can_withdraw ? "can withdraw" : "cannot withdraw");
  facts += permissions->ip_restricted ? ", bound to IP addresses" : ", bound to no IP address";
  if (!permissions->expires_at.empty()) facts += fmt::format(", expires {}", permissions->expires_at);
  if (permissions->days_left) facts += fmt::format(" ({} days left)", *permissions->days_left);
  if (permissions->can_withdraw) {
    report.fail("permissions", fmt::format("{}: an engine key must not withdraw; create a key without the withdrawal "
                                           "permission",
                                           facts));
  } else if (!permissions->can_trade) {
    report.fail("permissions", fmt::format("{}: the key cannot trade this market; enable its trade permission", facts));
  } else {
    report.pass("permissions", facts);
  }
}

/// Check 6.
void check_instrument(cts::venue::Gateway& gateway, const std::string& symbol, std::string_view market,
                      Report& report) {
  cts::Result<cts::Instrument> instrument = gateway.instrument(symbol);
  if (!instrument) {
    const cts::Error& error = instrument.error();
    if (error.code == cts::ErrorCode::invalid_argument) {
      report.fail("instrument", fmt::format("{} is not listed ({}); check the symbol and --category (this is the {} "
                                            "market)",
                                            symbol, error.message, market));
    } else if (error.code == cts::ErrorCode::rejected) {
      report.fail("instrument", fmt::format("{}: cannot be traded now", error.message));
    } else {
      report.fail("instrument", fmt::format("{}: the rules could not be read: {}", symbol, error.to_string()));
    }
    return;
  }
  report.pass("instrument", fmt::format("{} ({}) trading: tick {}, step {}, min quantity {}, min notional {}", symbol,
                                        instrument->unified_symbol(), instrument->tick_size, instrument->step_size,
                                        instrument->min_quantity, instrument->min_notional));
}

/// Check 5: the pools as the venue reported them (the limiter resyncs them from its
/// usage headers) after the requests of the other checks. Only a pool the venue reports
/// can show another process's spending: the others hold this check's own requests.
void check_rate_limits(const cts::engine::VenueConnection& connection, Report& report) {
  const cts::RealClock clock;
  const cts::rate::LimiterStatus status = connection.limiter()->status(clock.steady_now());
  std::vector<std::string> pools;
  std::vector<std::string> busy;
  for (const cts::rate::PoolStatus& pool : status.pools) {
    const std::uint64_t percent = pool.burst == 0 ? 0 : pool.used * 100 / pool.burst;
    std::string text = fmt::format("{} {}/{}", pool.name, pool.used, pool.burst);
    if (pool.venue_reported && pool.used * 100 > pool.burst * kPoolWarningPercent) {
      busy.push_back(fmt::format("{} ({} %)", text, percent));
    }
    pools.push_back(std::move(text));
  }
  for (std::size_t scope = 0; scope < status.blocked_until.size(); ++scope) {
    if (status.blocked(static_cast<cts::rate::Scope>(scope), clock.steady_now())) {
      report.fail("rate-limit",
                  "the venue banned this connection's requests (429/418): wait before trading, and "
                  "make sure no other process spends the same budget");
      return;
    }
  }
  const std::string listing = pools.empty() ? std::string("no pools") : fmt::format("{}", fmt::join(pools, ", "));
  if (!busy.empty()) {
    report.warn("rate-limit", fmt::format("above {} % used: {}; another process may be spending the same budget "
                                          "(pools used/limit: {})",
                                          kPoolWarningPercent, fmt::join(busy, ", "), listing));
  } else {
    report.pass("rate-limit", fmt::format("pools used/limit: {}", listing));
  }
}

int run(std::span<const std::string_view> args) {
  static constexpr std::string_view kValued[] = {"config", "venue", "category", "symbol"};
  cts::Result<ctsctl::Args> parsed = ctsctl::Args::parse(args, kValued, {});
  if (!parsed) return usage_error(parsed.error());
  if (!parsed->positional().empty()) {
    return usage_error(cts::make_error(cts::ErrorCode::invalid_argument,
                                       "unexpected argument " + parsed->positional()[0] + "; see ctsctl check --help"));
  }
  cts::Result<cts::engine::EngineConfig> loaded = ctsctl::load_engine_config(*parsed);
  if (!loaded) return usage_error(loaded.error());
  const cts::engine::EngineConfig config = std::move(*loaded);
  const std::string symbol = parsed->get("symbol").value_or(cts::engine::session_symbols(config).front());
  if (symbol.empty()) {
    return usage_error(cts::make_error(cts::ErrorCode::invalid_argument, "--symbol: empty symbol"));
  }
  cts::Result<const cts::venue::Connector*> connector = cts::venue::find_connector(config.venue, config.category);
  if (!connector) return usage_error(connector.error());

  cts::engine::ConnectionOptions options;
  std::unique_ptr<ctsctl::EmbeddedExchange> embedded;
  std::optional<cts::Error> missing_secret;  // a key without its secret
  if (config.base_url.empty()) {
    cts::Result<std::unique_ptr<ctsctl::EmbeddedExchange>> started =
        ctsctl::start_embedded_exchange(config.venue, config.sim_seed, config.category);
    if (!started) return setup_error(started.error());
    embedded = std::move(*started);
    options.base_url = embedded->base_url();
    options.credentials.api_key = embedded->api_key();
    options.credentials.secret = cts::sign::Secret(embedded->api_secret());
    options.credentials.passphrase = cts::sign::Secret(embedded->api_passphrase());
  } else {
    options.base_url = config.base_url;
    const char* key = std::getenv(config.api_key_env.c_str());
    if (key != nullptr && *key != '\0') {
      cts::Result<cts::sign::Secret> secret = cts::sign::Secret::from_env(config.api_secret_env.c_str());
      cts::Result<cts::sign::Secret> passphrase = ctsctl::load_passphrase(config);
      if (secret && passphrase) {
        options.credentials.api_key = key;
        options.credentials.secret = std::move(*secret);
        options.credentials.passphrase = std::move(*passphrase);
      } else {
        missing_secret = secret ? passphrase.error() : secret.error();  // the public checks still run
      }
    }
  }
  const std::string market((*connector)->market);
  ctsctl::print_out("checking {} {} at {}{}\n", cts::to_string(config.venue), market, options.base_url,
                    embedded ? " (embedded simulator)" : "");
  cts::Result<std::unique_ptr<cts::engine::VenueConnection>> opened =
      cts::engine::VenueConnection::open(**connector, std::move(options));
  if (!opened) return setup_error(opened.error());
  cts::engine::VenueConnection& connection = **opened;

  Report report;
  if (!check_reachability_and_clock(connection, report)) {
    for (const std::string_view check : {"clock", "credentials", "permissions", "instrument"}) {
      report.warn(check, "not checked: the venue cannot be reached");
    }
  } else {
    if (missing_secret) {
      report.fail("credentials", fmt::format("{} holds an API key but {}: set the key's secret there (public checks "
                                             "only until then)",
                                             config.api_key_env, missing_secret->message));
      report.warn("permissions", "not checked: no secret to sign with");
    } else if (check_credentials(connection, config, embedded != nullptr, report)) {
      check_permissions(connection.gateway(), report);
    } else {
      report.warn("permissions", "not checked: the venue accepted no signed request");
    }
    check_instrument(connection.gateway(), symbol, market, report);
  }
  check_rate_limits(connection, report);
  return report.finish();
}

const ctsctl::RegisterCommand registered{
    {"check", "test a venue connection before trading (embedded simulator by default)", kUsage, &run}};

}  // namespace
