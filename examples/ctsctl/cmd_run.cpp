// ctsctl run: the reference engine (market maker) against the embedded simulator by
// default, or against a venue named in a configuration file.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include <cts/engine/config.hpp>
#include <cts/engine/control_api.hpp>
#include <cts/engine/coordinator.hpp>
#include <cts/engine/monitor.hpp>
#include <cts/engine/monitor_channels.hpp>
#include <cts/health/http_transport.hpp>
#include <cts/engine/order_sweep.hpp>
#include <cts/engine/performance.hpp>
#include <cts/engine/session.hpp>
#include <cts/rate/limiter.hpp>
#include <cts/rate/redis_budget.hpp>
#include <cts/rate/venue_policies.hpp>
#include <cts/sign/secret.hpp>
#include <cts/store/private_temp_dir.hpp>
#include <cts/store/open_journal.hpp>
#include <cts/store/postgres_journal.hpp>

#include "ctsctl/args.hpp"
#include "ctsctl/command.hpp"
#include "ctsctl/control_token.hpp"
#include "ctsctl/embedded_exchange.hpp"
#include "ctsctl/engine_config_args.hpp"
#include "ctsctl/output.hpp"
#include "ctsctl/shutdown_signals.hpp"

namespace {

constexpr std::string_view kUsage =
    "usage: ctsctl run [--config FILE] [--venue VENUE] [--category CATEGORY] [--duration SECONDS]\n"
    "                  [--summary FILE] [--metrics-port N] [--journal LOCATION]\n"
    "\n"
    "Runs the reference market maker. Without a base_url it trades BTCUSDT against the\n"
    "embedded exchange simulator speaking the venue's protocol, started in this process\n"
    "on 127.0.0.1. A config file (key = value lines; see docs/engine.md for every key)\n"
    "can instead name the venue's base_url; the API key and secret are then read from\n"
    "the environment variables it names (CTS_API_KEY and CTS_API_SECRET by default).\n"
    "With symbols = BTCUSDT,ETHUSDT it runs one session per symbol, each on its own\n"
    "thread and journal, sharing one rate limiter. Prices come from a local order book\n"
    "kept by the venue's market streams and fills from its user data stream when\n"
    "ws_url and ws_api_url are set (the embedded simulator's are used by default;\n"
    "streams = off runs on REST alone). Orders go over the venue's WebSocket where it\n"
    "takes them (order_transport = ws, the default there; REST while it cannot).\n"
    "\n"
    "  --config FILE        engine configuration\n"
    "  --venue VENUE        the venue to trade (config key venue): binance (default),\n"
    "                       bybit, okx, bingx, orangex, pionex, binance-usdm (a real venue\n"
    "                       only: no simulator);\n"
    "                       its default market unless --category names one\n"
    "  --category CATEGORY  the venue's market (config key category), e.g. spot, linear\n"
    "  --duration SECONDS   stop after this long, at most one year (default: until a\n"
    "                       stop signal)\n"
    "  --summary FILE       write the run summary as JSON on exit\n"
    "  --metrics-port N     serve the status page, /metrics, /health and the session\n"
    "                       controls on 127.0.0.1:N (0: any free port)\n"
    "  --journal LOCATION   the journal (config key journal): a SQLite file's path or\n"
    "                       postgresql://user@host:port/db[?stream=NAME] (the stream\n"
    "                       defaults to the session's symbol)\n"
    "\n"
    "A status line per session is printed every second; when standard output is closed\n"
    "(ctsctl run | head) the lines are dropped and trading goes on. SIGINT, SIGTERM,\n"
    "SIGHUP and SIGQUIT stop every session gracefully: open orders are cancelled (or\n"
    "kept, with on_shutdown = keep); a second one stops at once and keeps them.\n"
    "Cancels are verified: the venue is asked until it lists none of ours\n"
    "(shutdown.deadline_ms, default 10 s); orders still open then are printed and the\n"
    "exit status is 1, as it is when a session fails (e.g. its journal cannot be\n"
    "written) or the journal is in use by another process.\n"
    "On the metrics port, the status page (/), /metrics and /health are open; the page\n"
    "asks for the token and reads the rest with it. GET /sessions and\n"
    "POST /sessions/<name>/{pause,resume,stop,kill} need Authorization: Bearer <token>\n"
    "(control.token_file, else $CTS_CONTROL_TOKEN, else a generated token whose file is\n"
    "printed) and, for POST, Content-Type: application/json or an X-CTS-Control header;\n"
    "so do the operations routes under /api/ (alerts, incidents, silences, uptime).\n"
    "A monitor evaluates alert rules over the sessions (monitor.* keys: channels, thresholds,\n"
    "interval, retention; monitor = off disables it), notifies the configured channels\n"
    "(log to standard error by default) and keeps its history beside the journal.\n";

// Longest run --duration accepts: one year (a larger number would overflow the clock).
constexpr double kMaxDurationSeconds = 365.0 * 24 * 3600;

int fail(const cts::Error& error) {
  ctsctl::print_err("ctsctl run: {}\n", error.to_string());
  return 1;
}

// The monitor history's path when monitor.db names none: `<journal>.monitor.db` beside a
// SQLite journal, so that engines on different journals of one directory keep separate
// histories; for a PostgreSQL journal, `cts-monitor.<stream>.db` in the working directory
// (the stream's '/' as '_'; "default" without a stream), never a name made of the URL.
std::filesystem::path default_monitor_history(const std::string& journal) {
  if (!cts::store::is_postgres_url(journal)) return std::filesystem::path(journal + ".monitor.db");
  cts::Result<cts::store::PostgresLocation> location = cts::store::PostgresLocation::parse(journal);
  std::string stream = location && !location->stream.empty() ? location->stream : std::string("default");
  std::replace(stream.begin(), stream.end(), '/', '_');
  return std::filesystem::path("cts-monitor." + stream + ".db");
}

// The monitor of `coordinator` with the channels and history `config` names (history:
// monitor.db, else default_monitor_history). Alerts of the log channel and the monitor's
// own messages go to `log`.
cts::Result<std::unique_ptr<cts::engine::Monitor>> start_monitor(const cts::engine::EngineConfig& config,
                                                                 const cts::engine::Coordinator& coordinator,
                                                                 cts::health::NotificationTransport& transport,
                                                                 const std::function<void(std::string_view)>& log) {
  cts::Result<std::vector<cts::engine::MonitorChannel>> channels = cts::engine::make_monitor_channels(config.monitor, log);
  if (!channels) return channels.error();
  const std::filesystem::path db = !config.monitor.db_path.empty()
                                       ? std::filesystem::path(config.monitor.db_path)
                                       : default_monitor_history(config.journal_path);
  cts::Result<std::unique_ptr<cts::engine::MonitorStore>> store = cts::engine::MonitorStore::open(db);
  if (!store) return store.error();
  std::string names;
  for (const cts::engine::MonitorChannel& c : *channels) names += (names.empty() ? "" : ", ") + c.channel->name();
  cts::engine::MonitorOptions options;
  options.log = log;
  cts::Result<std::unique_ptr<cts::engine::Monitor>> monitor = cts::engine::Monitor::create(
      coordinator, config.monitor, transport, std::move(*channels), std::move(*store), std::move(options));
  if (!monitor) return monitor.error();
  ctsctl::print_out("monitor: alerts to {} every {} ms, history in {}\n", names.empty() ? "no channel" : names,
                    config.monitor.interval.count(), db.string());
  return monitor;
}

int run(std::span<const std::string_view> args) {
  // Trading must outlive its terminal: a closed stdout is an EPIPE, not the end.
  ctsctl::ignore_broken_pipes();
  static constexpr std::string_view kValued[] = {"config",  "duration", "summary", "metrics-port",
                                                 "venue",   "category", "journal"};
  cts::Result<ctsctl::Args> parsed = ctsctl::Args::parse(args, kValued, {});
  if (!parsed) return fail(parsed.error());
  if (!parsed->positional().empty()) {
    return fail(cts::make_error(cts::ErrorCode::invalid_argument, "unexpected argument " + parsed->positional()[0]));
  }

  cts::Result<cts::engine::EngineConfig> loaded = ctsctl::load_engine_config(*parsed);
  if (!loaded) return fail(loaded.error());
  cts::engine::EngineConfig config = std::move(*loaded);
  std::optional<double> duration;
  if (auto text = parsed->get("duration")) {
    cts::Result<double> seconds = ctsctl::parse_seconds("duration", *text, kMaxDurationSeconds, true);
    if (!seconds) return fail(seconds.error());
    duration = *seconds;
  }
  if (auto port = parsed->get("metrics-port")) {
    cts::Result<cts::engine::EngineConfig> override_port = cts::engine::parse_engine_config("metrics_port = " + *port);
    if (!override_port)
      return fail(cts::make_error(cts::ErrorCode::invalid_argument, "--metrics-port: bad port " + *port));
    config.metrics_port = override_port->metrics_port;
  }

  if (auto journal = parsed->get("journal")) {
    if (journal->find_first_of("\r\n") != std::string::npos) {
      return fail(cts::make_error(cts::ErrorCode::invalid_argument, "--journal: a line break in the location"));
    }
    cts::Result<cts::engine::EngineConfig> override_journal = cts::engine::parse_engine_config("journal = " + *journal);
    if (!override_journal) return fail(override_journal.error());
    config.journal_path = override_journal->journal_path;
  }

  // The venue: the embedded simulator, or the configured base URL with keys from the environment.
  std::unique_ptr<ctsctl::EmbeddedExchange> embedded;
  cts::engine::SessionEndpoint endpoint;
  if (config.base_url.empty()) {
    cts::Result<std::unique_ptr<ctsctl::EmbeddedExchange>> started =
        ctsctl::start_embedded_exchange(config.venue, config.sim_seed, config.category);
    if (!started) return fail(started.error());
    embedded = std::move(*started);
    endpoint.base_url = embedded->base_url();
    endpoint.credentials.api_key = embedded->api_key();
    endpoint.credentials.secret = cts::sign::Secret(embedded->api_secret());
    endpoint.credentials.passphrase = cts::sign::Secret(embedded->api_passphrase());
    if (config.streams) {
      endpoint.ws_url = embedded->ws_url();
      endpoint.ws_api_url = embedded->ws_api_url();
      endpoint.ws_order_url = embedded->ws_order_url();
    }
    ctsctl::print_out("embedded {} exchange at {} (seed {})\n", cts::to_string(config.venue), endpoint.base_url,
                      config.sim_seed);
  } else {
    endpoint.base_url = config.base_url;
    if (config.streams) {
      endpoint.ws_url = config.ws_url;
      endpoint.ws_api_url = config.ws_api_url;
      endpoint.ws_order_url = config.ws_order_url;  // empty: derived from ws_api_url by the venue's protocol
    }
    const char* key = std::getenv(config.api_key_env.c_str());
    if (key == nullptr || *key == '\0') {
      return fail(cts::make_error(cts::ErrorCode::auth_failed,
                                  fmt::format("environment variable {} is not set", config.api_key_env)));
    }
    endpoint.credentials.api_key = key;
    cts::Result<cts::sign::Secret> secret = cts::sign::Secret::from_env(config.api_secret_env.c_str());
    if (!secret) return fail(secret.error());
    endpoint.credentials.secret = std::move(*secret);
    cts::Result<cts::sign::Secret> passphrase = ctsctl::load_passphrase(config);
    if (!passphrase) return fail(passphrase.error());
    endpoint.credentials.passphrase = std::move(*passphrase);
  }

  // The embedded exchange starts empty on every run: so do its journals, in a private
  // directory (0700, a name no other user can predict or plant a file or symlink at)
  // removed with its content at exit.
  std::optional<cts::store::PrivateTempDir> temporary_journals;
  if (config.journal_path.empty()) {
    if (embedded) {
      cts::Result<cts::store::PrivateTempDir> dir = cts::store::PrivateTempDir::create("cts-embedded");
      if (!dir) return fail(dir.error());
      temporary_journals.emplace(std::move(*dir));
      config.journal_path = (temporary_journals->path() / "journal.sqlite").string();
    } else {
      config.journal_path = "cts-journal.sqlite";
    }
  } else if (embedded && cts::store::is_postgres_url(config.journal_path) && config.monitor.db_path.empty()) {
    // A PostgreSQL journal keeps its records; the embedded run's monitor history is as
    // temporary as its exchange.
    cts::Result<cts::store::PrivateTempDir> dir = cts::store::PrivateTempDir::create("cts-embedded");
    if (!dir) return fail(dir.error());
    temporary_journals.emplace(std::move(*dir));
    config.monitor.db_path = (temporary_journals->path() / "monitor.db").string();
  }

  std::mutex log_mutex;
  cts::engine::CoordinatorOptions coordinator_options;
  coordinator_options.log = [&log_mutex](std::string_view line) {
    std::lock_guard lock(log_mutex);
    ctsctl::print_err("{}\n", line);
  };
  endpoint.log = coordinator_options.log;  // reconciliation results and warnings
  const std::function<void(std::string_view)> coordinator_options_log = coordinator_options.log;
  if (!config.rate_shared.empty()) {
    // rate.shared: the budget lives in Redis, shared with the other processes on the key.
    const unsigned share = cts::engine::rate_fallback_share_percent(config);
    coordinator_options.make_budget = [&config, share, log = coordinator_options.log](
                                          cts::VenueId venue, std::string_view base_url,
                                          std::string_view api_key) -> std::shared_ptr<cts::rate::Budget> {
      cts::rate::RedisBudgetOptions options;
      options.url = config.rate_shared;
      options.base_url = std::string(base_url);
      options.api_key = std::string(api_key);
      options.fallback_share_percent = share;
      options.log = log;
      cts::Result<std::shared_ptr<cts::rate::RedisBudget>> budget =
          cts::rate::RedisBudget::create(cts::rate::policy_for(venue), std::move(options));
      if (!budget) {
        log(fmt::format("rate.shared: {}; this process keeps to {}% of the venue's budget", budget.error().message,
                        share));
        return std::make_shared<cts::rate::Limiter>(cts::rate::policy_for(venue), cts::rate::LimiterOptions{share});
      }
      log(fmt::format("rate budget shared through {} ({}% of it while unreachable)", (*budget)->redacted_url(), share));
      return *budget;
    };
  }
  auto coordinator_owner = std::make_unique<cts::engine::Coordinator>(std::move(coordinator_options));
  cts::engine::Coordinator& coordinator = *coordinator_owner;
  endpoint.limiter = coordinator.shared_limiter(config.venue, endpoint.base_url, endpoint.credentials.api_key);
  // The monitor reads the coordinator: it goes first.
  cts::health::HttpNotificationTransport alert_transport;
  std::unique_ptr<cts::engine::Monitor> monitor;
  // Ends every session (keeping orders unless they were stopped already), closes the
  // journals, and deletes them when they were temporary.
  auto finish = [&] {
    monitor.reset();
    coordinator_owner.reset();
    temporary_journals.reset();
  };
  for (const std::string& symbol : cts::engine::session_symbols(config)) {
    const cts::engine::EngineConfig session_config = cts::engine::session_config(config, symbol);
    cts::Result<std::unique_ptr<cts::store::Journal>> journal = cts::store::open_journal(session_config.journal_path, symbol);
    if (!journal) {
      finish();
      return fail(journal.error());
    }
    cts::Result<std::unique_ptr<cts::engine::TradingSession>> opened =
        cts::engine::TradingSession::open(session_config, endpoint, **journal);
    if (!opened) {
      finish();
      return fail(cts::make_error(opened.error().code, fmt::format("{}: {}", symbol, opened.error().message)));
    }
    ctsctl::print_out("trading {} (journal {}, {} records replayed)\n",
                      (*opened)->executor().instrument().unified_symbol(),
                      cts::store::journal_display_name(session_config.journal_path),
                      (*opened)->replayed_records());
    // A restart after a transient failure opens a fresh session on the same journal.
    cts::engine::SessionOpener reopen = [session_config, endpoint](cts::store::Journal& session_journal,
                                                                   std::stop_token stop) {
      cts::engine::SessionEndpoint restart_endpoint = endpoint;
      restart_endpoint.stop = std::move(stop);  // a stop during the restart's start-up ends its retries
      return cts::engine::TradingSession::open(session_config, std::move(restart_endpoint), session_journal);
    };
    auto runner =
        std::make_unique<cts::engine::TradingSessionRunner>(std::move(*journal), std::move(*opened), std::move(reopen));
    if (cts::Result<void> added =
            coordinator.add(symbol, std::move(runner), cts::engine::session_options(session_config));
        !added) {
      finish();
      return fail(added.error());
    }
  }

  if (config.monitor.enabled) {
    cts::Result<std::unique_ptr<cts::engine::Monitor>> started =
        start_monitor(config, coordinator, alert_transport, coordinator_options_log);
    if (!started) {
      finish();
      return fail(started.error());
    }
    monitor = std::move(*started);
  }

  std::optional<ctsctl::ControlToken> control_token;
  cts::engine::PerformanceSampler performance;  // sampled each second below, read by the control server
  std::unique_ptr<cts::engine::ControlServer> control_server;
  if (config.metrics_port) {
    cts::Result<ctsctl::ControlToken> token = ctsctl::ControlToken::resolve(config);
    if (!token) {
      finish();
      return fail(token.error());
    }
    control_token.emplace(std::move(*token));
    cts::engine::ControlServerOptions options;
    options.port = *config.metrics_port;
    options.token = control_token->token();
    options.performance = &performance;
    options.monitor = monitor.get();
    try {
      control_server = std::make_unique<cts::engine::ControlServer>(coordinator, std::move(options));
    } catch (const cts::Exception& e) {
      finish();
      return fail(e.error());
    }
    const std::string base = control_server->base_url();
    ctsctl::print_out("metrics and health at {}/metrics and {}/health, sessions at {}/sessions\n", base, base, base);
    ctsctl::print_out("session controls need the bearer token from the {}\n", control_token->origin());
    ctsctl::print_out("status page at {}/ (open it in a browser on this machine; it asks for that token once)\n",
                      base);
  }

  std::optional<ctsctl::ShutdownSignals> signals;
  signals.emplace(coordinator);
  coordinator.start_all();
  if (monitor) monitor->start();
  const cts::RealClock clock;
  const auto start = clock.steady_now();
  const std::optional<cts::SteadyTime> deadline =
      duration ? std::optional<cts::SteadyTime>(
                     start + std::chrono::duration_cast<cts::Nanos>(std::chrono::duration<double>(*duration)))
               : std::nullopt;
  bool deadline_passed = false;
  auto next_status = start + std::chrono::seconds{1};
  while (true) {
    auto wake = next_status;
    if (deadline && !deadline_passed) wake = std::min(wake, *deadline);
    const auto wait = std::chrono::ceil<std::chrono::milliseconds>(wake - clock.steady_now());
    if (coordinator.wait_for(std::max(wait, std::chrono::milliseconds{0}))) break;
    const auto now = clock.steady_now();
    if (deadline && !deadline_passed && now >= *deadline) {
      deadline_passed = true;
      coordinator.request_shutdown();  // as SIGTERM would: every session applies its policy
    }
    if (now >= next_status) {
      if (control_server) performance.sample(coordinator.registries(), clock.system_now());
      const double elapsed = std::chrono::duration<double>(now - start).count();
      for (const cts::engine::SessionInfo& info : coordinator.states()) {
        ctsctl::print_out("[{:6.1f}s] {} {} {}\n", elapsed, info.name, cts::engine::to_string(info.state), info.status);
      }
      next_status += std::chrono::seconds{1};
    }
  }
  control_server.reset();
  signals.reset();
  if (monitor) monitor->stop();  // one last evaluation: a session that failed is alerted

  bool any_failed = false;
  for (const cts::engine::SessionInfo& info : coordinator.states()) {
    any_failed = any_failed || info.state == cts::engine::SessionState::failed;
    ctsctl::print_out("{}: {} {}\n", info.state == cts::engine::SessionState::failed ? "failed" : "stopped", info.name,
                      info.status);
    if (!info.error.empty()) ctsctl::print_err("{}: last error: {}\n", info.name, info.error);
  }
  const cts::engine::SessionSummary summary = coordinator.summary();
  finish();
  for (const cts::venue::OrderReport& order : summary.left_open) {
    ctsctl::print_err("left open at the venue: {}\n", cts::engine::describe_open_order(order));
  }
  if (auto path = parsed->get("summary")) {
    std::ofstream out(*path, std::ios::binary | std::ios::trunc);
    out << cts::engine::to_json(summary);
    if (!out) return fail(cts::make_error(cts::ErrorCode::internal, fmt::format("cannot write {}", *path)));
    ctsctl::print_out("summary written to {}\n", *path);
  }
  if (any_failed) {
    return fail(cts::make_error(cts::ErrorCode::venue_unavailable, "a session failed (see its last error)"));
  }
  if (!summary.left_open.empty()) {
    return fail(cts::make_error(cts::ErrorCode::rejected,
                                fmt::format("{} order(s) of ours still open at the venue after the cancel deadline "
                                            "(listed above): cancel them by hand or restart on the same journal",
                                            summary.left_open.size())));
  }
  return 0;
}

const ctsctl::RegisterCommand registered{
    {"run", "run the reference market maker (embedded simulator by default)", kUsage, &run}};

}  // namespace
