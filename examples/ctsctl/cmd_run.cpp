// ctsctl run: the reference engine (market maker) against the embedded simulator by
// default, or against any Binance-compatible venue named in a configuration file.
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <thread>

#include <fmt/format.h>
#include <unistd.h>

#include <cts/engine/config.hpp>
#include <cts/engine/session.hpp>
#include <cts/net/http_server.hpp>
#include <cts/sign/secret.hpp>
#include <cts/store/sqlite_journal.hpp>

#include "ctsctl/args.hpp"
#include "ctsctl/command.hpp"
#include "ctsctl/embedded_exchange.hpp"

namespace {

std::atomic<bool> g_stop{false};

extern "C" void on_stop_signal(int) { g_stop.store(true); }

constexpr std::string_view kUsage =
    "usage: ctsctl run [--config FILE] [--duration SECONDS] [--summary FILE] [--metrics-port N]\n"
    "\n"
    "Runs the reference market maker. Without --config it trades BTCUSDT against the\n"
    "embedded exchange simulator, started in this process on 127.0.0.1. A config file\n"
    "(key = value lines; see docs/engine.md for every key) can instead name any\n"
    "Binance-compatible base_url; the API key and secret are then read from the\n"
    "environment variables it names (CTS_API_KEY and CTS_API_SECRET by default).\n"
    "\n"
    "  --config FILE        engine configuration\n"
    "  --duration SECONDS   stop after this long (default: until SIGINT/SIGTERM)\n"
    "  --summary FILE       write the run summary as JSON on exit\n"
    "  --metrics-port N     serve /metrics and /health on 127.0.0.1:N (0: any free port)\n"
    "\n"
    "A status line is printed every second. SIGINT/SIGTERM stop the engine gracefully:\n"
    "open orders are cancelled (or kept, with on_shutdown = keep).\n";

cts::Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return cts::make_error(cts::ErrorCode::invalid_argument, fmt::format("cannot read {}", path));
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

cts::Result<double> parse_seconds(const std::string& text) {
  cts::Result<cts::Decimal> value = cts::Decimal::parse(text);
  if (!value || value->is_negative()) {
    return cts::make_error(cts::ErrorCode::invalid_argument, fmt::format("--duration: bad number of seconds \"{}\"", text));
  }
  return value->to_double();
}

int fail(const cts::Error& error) {
  fmt::print(stderr, "ctsctl run: {}\n", error.message.empty() ? error.to_string() : error.to_string());
  return 1;
}

int run(std::span<const std::string_view> args) {
  static constexpr std::string_view kValued[] = {"config", "duration", "summary", "metrics-port"};
  cts::Result<ctsctl::Args> parsed = ctsctl::Args::parse(args, kValued, {});
  if (!parsed) return fail(parsed.error());
  if (!parsed->positional().empty()) {
    return fail(cts::make_error(cts::ErrorCode::invalid_argument, "unexpected argument " + parsed->positional()[0]));
  }

  cts::engine::EngineConfig config;
  if (auto path = parsed->get("config")) {
    cts::Result<std::string> text = read_file(*path);
    if (!text) return fail(text.error());
    cts::Result<cts::engine::EngineConfig> loaded = cts::engine::parse_engine_config(*text);
    if (!loaded) return fail(cts::make_error(loaded.error().code, fmt::format("{}: {}", *path, loaded.error().message)));
    config = std::move(*loaded);
  }
  std::optional<double> duration;
  if (auto text = parsed->get("duration")) {
    cts::Result<double> seconds = parse_seconds(*text);
    if (!seconds) return fail(seconds.error());
    duration = *seconds;
  }
  if (auto port = parsed->get("metrics-port")) {
    cts::Result<cts::engine::EngineConfig> override_port = cts::engine::parse_engine_config("metrics_port = " + *port);
    if (!override_port) return fail(cts::make_error(cts::ErrorCode::invalid_argument, "--metrics-port: bad port " + *port));
    config.metrics_port = override_port->metrics_port;
  }

  // The venue: the embedded simulator, or the configured base URL with keys from the environment.
  std::unique_ptr<ctsctl::EmbeddedExchange> embedded;
  cts::engine::SessionEndpoint endpoint;
  if (config.base_url.empty()) {
    cts::Result<std::unique_ptr<ctsctl::EmbeddedExchange>> started = ctsctl::start_embedded_exchange(config.sim_seed);
    if (!started) return fail(started.error());
    embedded = std::move(*started);
    endpoint.base_url = embedded->base_url();
    endpoint.credentials.api_key = embedded->api_key();
    endpoint.credentials.secret = cts::sign::Secret(embedded->api_secret());
    fmt::print("embedded exchange at {} (seed {})\n", endpoint.base_url, config.sim_seed);
  } else {
    endpoint.base_url = config.base_url;
    const char* key = std::getenv(config.api_key_env.c_str());
    if (key == nullptr || *key == '\0') {
      return fail(cts::make_error(cts::ErrorCode::auth_failed, fmt::format("environment variable {} is not set", config.api_key_env)));
    }
    endpoint.credentials.api_key = key;
    cts::Result<cts::sign::Secret> secret = cts::sign::Secret::from_env(config.api_secret_env.c_str());
    if (!secret) return fail(secret.error());
    endpoint.credentials.secret = std::move(*secret);
  }

  bool temporary_journal = false;
  if (config.journal_path.empty()) {
    temporary_journal = embedded != nullptr;
    // The embedded exchange starts empty on every run: so does its journal.
    config.journal_path = embedded ? (std::filesystem::temp_directory_path() /
                                      fmt::format("cts-embedded-{}.sqlite", ::getpid()))
                                         .string()
                                   : std::string("cts-journal.sqlite");
  }
  cts::Result<std::unique_ptr<cts::store::SqliteJournal>> journal = cts::store::SqliteJournal::open(config.journal_path);
  if (!journal) return fail(journal.error());
  cts::Result<std::unique_ptr<cts::engine::TradingSession>> opened =
      cts::engine::TradingSession::open(config, std::move(endpoint), **journal);
  if (!opened) return fail(opened.error());
  cts::engine::TradingSession& session = **opened;
  fmt::print("trading {} (journal {}, {} records replayed)\n", session.executor().instrument().unified_symbol(),
             config.journal_path, session.replayed_records());

  std::unique_ptr<cts::net::HttpServer> metrics_server;
  if (config.metrics_port) {
    cts::net::HttpServerOptions options;
    options.port = *config.metrics_port;
    metrics_server = std::make_unique<cts::net::HttpServer>(
        [&session](const cts::HttpRequest& request) {
          const cts::RealClock clock;
          if (request.path == "/health") return session.health_response(clock.steady_now());
          cts::HttpResponse response;
          if (request.path == "/metrics") {
            response.status = 200;
            response.set_header("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            response.body = session.metrics_text();
          } else {
            response.status = 404;
            response.body = "not found\n";
          }
          return response;
        },
        options);
    fmt::print("metrics and health at {}/metrics and {}/health\n", metrics_server->base_url(),
               metrics_server->base_url());
  }
  std::fflush(stdout);

  std::signal(SIGINT, on_stop_signal);
  std::signal(SIGTERM, on_stop_signal);
  const cts::RealClock clock;
  const auto start = clock.steady_now();
  auto next_step = start;
  auto next_status = start + std::chrono::seconds{1};
  while (!g_stop.load()) {
    const auto now = clock.steady_now();
    const double elapsed = std::chrono::duration<double>(now - start).count();
    if (duration && elapsed >= *duration) break;
    if (now >= next_step) {
      if (cts::Result<void> stepped = session.step(now); !stepped) {
        fmt::print(stderr, "step: {}\n", stepped.error().to_string());
      }
      next_step = now + config.refresh_interval;
    }
    if (now >= next_status) {
      fmt::print("[{:6.1f}s] {}\n", elapsed, session.status_line(now));
      std::fflush(stdout);
      next_status += std::chrono::seconds{1};
    }
    std::this_thread::sleep_until(std::min(next_step, next_status));
  }

  const auto end = clock.steady_now();
  session.shutdown(end);
  const cts::engine::SessionSummary summary = session.summary(end);
  fmt::print("stopped: {}\n", session.status_line(end));
  if (auto path = parsed->get("summary")) {
    std::ofstream out(*path, std::ios::binary | std::ios::trunc);
    out << cts::engine::to_json(summary);
    if (!out) return fail(cts::make_error(cts::ErrorCode::internal, fmt::format("cannot write {}", *path)));
    fmt::print("summary written to {}\n", *path);
  }
  metrics_server.reset();
  opened->reset();
  journal->reset();
  if (temporary_journal) {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(config.journal_path + suffix);
  }
  return 0;
}

const ctsctl::RegisterCommand registered{{"run", "run the reference market maker (embedded simulator by default)", kUsage, &run}};

}  // namespace
