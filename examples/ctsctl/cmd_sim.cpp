// ctsctl sim: run the embedded exchange as a process. Prints its base URL as the first
// line of standard output, then the test account's key and secret (with --venue okx its
// passphrase too; and the CA certificate with --tls), and serves until SIGINT or SIGTERM.
#include <chrono>
#include <csignal>
#include <iostream>
#include <thread>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include <cts/core/decimal.hpp>
#include <cts/sim/simulator.hpp>

#include "ctsctl/args.hpp"
#include "ctsctl/command.hpp"

namespace {

constexpr std::string_view kUsage =
    "usage: ctsctl sim [--venue binance|bybit|okx|bingx|orangex] [--host 127.0.0.1]\n"
    "                  [--port N] [--tls] [--api-key K --api-secret S] [--passphrase P] [--balance ASSET=QTY,...]\n"
    "                  [--symbols BTCUSDT,ETHUSDT] [--seed N] [--faults SPEC] [--no-flow]\n"
    "                  [--flow-ms N] [--key-can-withdraw] [--no-rate-limits] [--faults-stdin]\n"
    "\n"
    "Runs the embedded exchange (Binance spot's protocol by default) on 127.0.0.1 until\n"
    "SIGINT or SIGTERM. The first line of standard output is the base URL; then `ws: URL`\n"
    "(market streams: Binance /ws/<stream>, /stream?streams=a/b; Bybit /v5/public/spot,\n"
    "/v5/public/linear; OKX /ws/v5/public; OrangeX /ws/api/v1), `ws-api: URL` (the private\n"
    "stream: Binance's WebSocket API, Bybit's /v5/private, OKX's /ws/v5/private, OrangeX's\n"
    "/ws/api/v1), `ws-orders: URL` (order\n"
    "entry over the WebSocket: the private stream's URL, Bybit's /v5/trade), `api-key: K` and\n"
    "`api-secret: S` of the funded test account (with --venue okx, `api-passphrase: P`\n"
    "too); with --tls, the PEM certificate to trust (it serves https and wss).\n"
    "\n"
    "  --venue bybit     speak Bybit v5 instead (spot and linear REST, public and\n"
    "                    private streams), with BTCUSDT linear beside the spot symbols\n"
    "  --venue okx       speak OKX v5 instead (SPOT and SWAP REST, public and private\n"
    "                    streams): BTC-USDT and ETH-USDT spot, the BTC-USDT-SWAP\n"
    "                    perpetual in contracts of 0.01 BTC (--symbols does not apply)\n"
    "  --venue bingx     speak BingX instead (USDT-M perpetual swap and spot REST, their\n"
    "                    streams on /swap-market and /market): BTC-USDT and ETH-USDT\n"
    "                    perpetuals and BTC-USDT spot; prints `ws-api-spot: URL` too, the\n"
    "                    spot account stream's (--symbols does not apply)\n"
    "  --venue orangex   speak OrangeX's JSON-RPC instead (REST, and the WebSocket's\n"
    "                    calls, book and user channels): the BTC-USDT-PERPETUAL perpetual\n"
    "                    in BTC; the api key is its client id (--symbols does not apply)\n"
    "  --venue pionex    speak Pionex instead (spot REST, public /wsPub and private\n"
    "                    /ws streams): BTC_USDT and ETH_USDT (--symbols does not apply)\n"
    "  --passphrase P    okx only: the test account's API passphrase\n"
    "                    (default cts-sim-passphrase)\n"
    "  --port N          port (default 0: the kernel chooses)\n"
    "  --balance         funds of the test account (default USDT=100000,BTC=10,ETH=100)\n"
    "  --symbols         symbols to list (default BTCUSDT,ETHUSDT)\n"
    "  --seed N          seed of the market flow and the faults (default 1)\n"
    "  --faults SPEC     e.g. delay=50ms@0.1,error_before=0.01,error_after=0.01,\n"
    "                    drop_after=0.01,reset=0.01,burst429=5,seed=7,\n"
    "                    ws_drop=0.001,ws_drop_every=1000\n"
    "  --no-flow         no background market\n"
    "  --flow-ms N       milliseconds between two moves of the background market\n"
    "                    (default 250; 10 to 60000): a faster market makes a market\n"
    "                    maker requote, and send orders, more often\n"
    "  --key-can-withdraw  Bybit: /v5/user/query-api reports the withdrawal permission\n"
    "                    for the test key (a key ctsctl check must refuse)\n"
    "  --no-rate-limits  lift the venue's request and order rate limits (2e9 per\n"
    "                    window), for benchmarks that send orders back to back\n"
    "  --faults-stdin    read lines `faults SPEC` from standard input and apply each\n"
    "                    at once (`faults none` clears them): tests inject a fault and\n"
    "                    clear it while the exchange serves\n";

std::vector<std::string_view> split(std::string_view text, char sep) {
  std::vector<std::string_view> out;
  while (!text.empty()) {
    const std::size_t at = text.find(sep);
    out.push_back(text.substr(0, at));
    text = at == std::string_view::npos ? std::string_view{} : text.substr(at + 1);
  }
  return out;
}

// Limits no benchmark reaches, low enough that a window's count cannot overflow.
constexpr std::uint32_t kLiftedLimit = 2'000'000'000;

// Sets every rate limit of the fronts to kLiftedLimit.
void lift_rate_limits(cts::sim::SimulatorOptions& options) {
  auto& binance = options.front.limits;
  binance.request_weight_per_minute = binance.orders_per_10s = binance.orders_per_day = kLiftedLimit;
  auto& bybit = options.bybit_limits;
  bybit.order_per_second = bybit.query_per_second = kLiftedLimit;
  bybit.batch_spot_per_second = bybit.batch_linear_per_second = kLiftedLimit;
  auto& okx = options.okx_limits;
  okx.place_per_window = okx.amend_per_window = okx.cancel_per_window = okx.batch_orders_per_window = kLiftedLimit;
  okx.order_query_per_window = okx.history_per_window = okx.fills_per_window = kLiftedLimit;
  okx.balance_per_window = okx.positions_per_window = okx.cancel_all_after_per_second = kLiftedLimit;
  auto& bingx = options.bingx_limits;
  bingx.trade_per_second = bingx.account_per_second = bingx.cancel_all_after_per_second = kLiftedLimit;
  options.orangex_private_per_second = kLiftedLimit;
  options.pionex_limits.ip_weight = options.pionex_limits.account_weight = kLiftedLimit;
}

cts::Result<cts::sim::SimulatorOptions> options_from(const ctsctl::Args& args) {
  using cts::ErrorCode;
  using cts::make_error;
  cts::sim::SimulatorOptions options;
  if (auto venue = args.get("venue")) {
    if (*venue == "bybit") {
      options.venue = cts::sim::SimVenue::bybit;
    } else if (*venue == "okx") {
      options.venue = cts::sim::SimVenue::okx;
    } else if (*venue == "bingx") {
      options.venue = cts::sim::SimVenue::bingx;
    } else if (*venue == "orangex") {
      options.venue = cts::sim::SimVenue::orangex;
    } else if (*venue == "pionex") {
      options.venue = cts::sim::SimVenue::pionex;
    } else if (*venue != "binance") {
      return make_error(
          ErrorCode::invalid_argument,
          fmt::format("--venue: binance, bybit, okx, bingx, orangex and pionex are simulated, not \"{}\"", *venue));
    }
  }
  if (auto passphrase = args.get("passphrase")) {
    if (options.venue != cts::sim::SimVenue::okx) {
      return make_error(ErrorCode::invalid_argument,
                        "--passphrase: only the OKX front (--venue okx) takes a passphrase");
    }
    if (passphrase->empty()) return make_error(ErrorCode::invalid_argument, "--passphrase must not be empty");
    options.api_passphrase = *passphrase;
  }
  if (auto host = args.get("host"); host && *host != "127.0.0.1" && *host != "localhost") {
    return make_error(ErrorCode::invalid_argument, "--host: the simulator listens on 127.0.0.1 only");
  }
  if (auto port = args.get("port")) {
    unsigned value = 0;
    for (char c : *port) {
      if (c < '0' || c > '9' || value > 65535)
        return make_error(ErrorCode::invalid_argument, "--port: expected 0..65535");
      value = value * 10 + static_cast<unsigned>(c - '0');
    }
    if (port->empty() || value > 65535) return make_error(ErrorCode::invalid_argument, "--port: expected 0..65535");
    options.port = static_cast<std::uint16_t>(value);
  }
  options.tls = args.flag("tls");
  options.market_flow = !args.flag("no-flow");
  options.bybit_keys_can_withdraw = args.flag("key-can-withdraw");
  if (args.flag("no-rate-limits")) lift_rate_limits(options);
  if (options.bybit_keys_can_withdraw && options.venue != cts::sim::SimVenue::bybit) {
    return make_error(ErrorCode::invalid_argument, "--key-can-withdraw: only the Bybit front reports key permissions");
  }
  const auto key = args.get("api-key"), secret = args.get("api-secret");
  if (key.has_value() != secret.has_value())
    return make_error(ErrorCode::invalid_argument, "--api-key and --api-secret go together");
  if (key) {
    if (key->empty() || secret->empty())
      return make_error(ErrorCode::invalid_argument, "--api-key and --api-secret must not be empty");
    options.api_key = *key;
    options.api_secret = *secret;
  }
  if (auto balances = args.get("balance")) {
    options.balances.clear();
    for (std::string_view item : split(*balances, ',')) {
      const std::size_t eq = item.find('=');
      auto amount = eq == std::string_view::npos
                        ? cts::Result<cts::Decimal>(make_error(ErrorCode::invalid_argument, "no '='"))
                        : cts::Decimal::parse(item.substr(eq + 1));
      if (!amount || amount->is_negative() || eq == 0) {
        return make_error(ErrorCode::invalid_argument, fmt::format("--balance: expected ASSET=QTY, got \"{}\"", item));
      }
      options.balances.emplace_back(std::string(item.substr(0, eq)), *amount);
    }
  }
  if (auto symbols = args.get("symbols")) {
    if (options.venue == cts::sim::SimVenue::okx || options.venue == cts::sim::SimVenue::bingx ||
        options.venue == cts::sim::SimVenue::orangex || options.venue == cts::sim::SimVenue::pionex) {
      return make_error(ErrorCode::invalid_argument,
                        "--symbols: the OKX, BingX, OrangeX and Pionex fronts list their own markets");
    }
    const auto all = cts::sim::default_instruments();
    options.symbols.clear();
    for (std::string_view name : split(*symbols, ',')) {
      const auto it =
          std::find_if(all.begin(), all.end(), [&](const cts::Instrument& in) { return in.venue_symbol == name; });
      if (it == all.end())
        return make_error(ErrorCode::invalid_argument,
                          fmt::format("--symbols: unknown symbol \"{}\" (known: BTCUSDT, ETHUSDT)", name));
      options.symbols.push_back(*it);
    }
  }
  std::uint64_t seed = 1;
  if (auto text = args.get("seed")) {
    auto parsed = ctsctl::parse_integer("seed", *text, 0, std::numeric_limits<std::int64_t>::max());
    if (!parsed) return parsed.error();
    seed = static_cast<std::uint64_t>(*parsed);
  }
  options.flow.seed = seed;
  if (auto text = args.get("flow-ms")) {
    auto parsed = ctsctl::parse_integer("flow-ms", *text, 10, 60'000);
    if (!parsed) return parsed.error();
    options.flow.interval = std::chrono::milliseconds(*parsed);
  }
  options.front.faults.seed = seed;
  if (auto spec = args.get("faults")) {
    auto faults = cts::sim::FaultConfig::parse(*spec);
    if (!faults) return faults.error();
    if (spec->find("seed=") == std::string::npos) faults->seed = seed;
    options.front.faults = *faults;
  }
  return options;
}

// Applies each line `faults SPEC` of standard input to `sim` (`faults none`: no fault),
// the seed `seed` unless SPEC names one; reports each on standard error.
void apply_faults_from_stdin(cts::sim::Simulator& sim, std::uint64_t seed) {
  std::string line;
  while (std::getline(std::cin, line)) {
    constexpr std::string_view kCommand = "faults ";
    if (!line.starts_with(kCommand)) {
      fmt::print(stderr, "ctsctl sim: ignored input line (expected `faults SPEC`)\n");
      continue;
    }
    const std::string spec = line.substr(kCommand.size());
    cts::Result<cts::sim::FaultConfig> faults =
        spec == "none" ? cts::Result<cts::sim::FaultConfig>(cts::sim::FaultConfig{}) : cts::sim::FaultConfig::parse(spec);
    if (!faults) {
      fmt::print(stderr, "ctsctl sim: faults {}: {}\n", spec, faults.error().message);
      continue;
    }
    if (spec.find("seed=") == std::string::npos) faults->seed = seed;
    sim.set_faults(*faults);
    fmt::print(stderr, "ctsctl sim: faults now {}\n", spec);
  }
}

int run(std::span<const std::string_view> raw) {
  static constexpr std::string_view valued[] = {"venue",   "host",    "port", "api-key", "api-secret", "passphrase",
                                                "balance", "symbols", "seed", "faults",  "flow-ms"};
  static constexpr std::string_view flags[] = {"tls", "no-flow", "key-can-withdraw", "no-rate-limits", "faults-stdin"};
  auto args = ctsctl::Args::parse(raw, valued, flags);
  if (!args) {
    fmt::print(stderr, "ctsctl sim: {}\n{}", args.error().message, kUsage);
    return 2;
  }
  auto options = options_from(*args);
  if (!options) {
    fmt::print(stderr, "ctsctl sim: {}\n", options.error().message);
    return 2;
  }
  // Block the stop signals before the server thread starts, so only sigwait sees them.
  // A background job of a non-interactive shell inherits SIGINT ignored, and an ignored
  // signal is discarded even while blocked: restore the default disposition first.
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  cts::sim::Simulator sim(*options);
  fmt::print("{}\n", sim.base_url());
  fmt::print("ws: {}\nws-api: {}\nws-orders: {}\n", sim.ws_url(), sim.ws_api_url(), sim.ws_order_url());
  if (options->venue == cts::sim::SimVenue::bingx) fmt::print("ws-api-spot: {}\n", sim.ws_api_url("spot"));
  fmt::print("api-key: {}\napi-secret: {}\n", options->api_key, options->api_secret);
  if (options->venue == cts::sim::SimVenue::okx) fmt::print("api-passphrase: {}\n", options->api_passphrase);
  if (options->tls) fmt::print("{}", sim.certificate_pem());
  std::fflush(stdout);
  if (args->flag("faults-stdin")) {
    // Detached: it blocks reading standard input until the process ends.
    std::thread([&sim, seed = options->front.faults.seed] { apply_faults_from_stdin(sim, seed); }).detach();
  }
  int received = 0;
  sigwait(&stop_signals, &received);
  sim.stop();
  const auto stats = sim.stats();
  const auto ws = sim.ws_stats();
  fmt::print(stderr,
             "ctsctl sim: stopped by signal {} after {} requests ({} faults injected, {} rate-limited), "
             "{} WebSocket connections ({} dropped by the ws_drop fault)\n",
             received, stats.requests, stats.faults, stats.rate_limited, ws.connections_opened, ws.drops);
  return 0;
}

const ctsctl::RegisterCommand registered{
    {"sim", "run the embedded Binance-, Bybit- or OKX-compatible exchange on 127.0.0.1", kUsage, &run}};

}  // namespace
