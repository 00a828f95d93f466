// Tests for cts/engine/config.hpp.
#include <cts/engine/config.hpp>

#include <doctest/doctest.h>

#include <fmt/format.h>

using namespace cts;
using namespace cts::engine;
using namespace cts::literals;
using namespace std::chrono_literals;

namespace {
std::string config_error(std::string_view text) {
  auto r = parse_engine_config(text);
  REQUIRE(!r);
  CHECK(r.error().code == ErrorCode::invalid_argument);
  return r.error().message;
}
}  // namespace

TEST_CASE("an empty file gives the documented defaults") {
  const EngineConfig c = parse_engine_config("").value();
  CHECK(c.base_url.empty());
  CHECK(c.symbol.empty());
  CHECK(session_symbols(c) == std::vector<std::string>{"BTCUSDT"});
  CHECK(c.api_key_env == "CTS_API_KEY");
  CHECK(c.journal_path.empty());
  CHECK(c.quoting.order_quantity == "0.001"_d);
  CHECK(c.refresh_interval == 500ms);
  CHECK(c.risk.max_orders_per_window == 5);
  CHECK(c.on_shutdown == ShutdownPolicy::cancel_orders);
  CHECK(c.shutdown_deadline == 10s);
  CHECK(!c.metrics_port);
  CHECK(c.ws_url.empty());
  CHECK(c.ws_api_url.empty());
  CHECK(c.streams);
  CHECK(c.client_id_prefix == "cts");
  CHECK(c.foreign_orders == ForeignOrderPolicy::report);
  CHECK(c.control_token_file.empty());
  CHECK(c.control_token_env == "CTS_CONTROL_TOKEN");
  CHECK(c.venue == VenueId::binance_spot);
  CHECK(c.category.empty());
}

TEST_CASE("venue and category select a market the registry knows; others are refused with the line") {
  const EngineConfig c = parse_engine_config("venue = binance\ncategory = spot\n").value();
  CHECK(c.venue == VenueId::binance_spot);
  CHECK(c.category == "spot");
  CHECK(parse_engine_config("venue = BINANCE\n").value().venue == VenueId::binance_spot);
  const std::string unknown = config_error("symbol = BTCUSDT\nvenue = nowhere\n");
  CHECK(unknown.starts_with("line 2: "));
  CHECK(unknown.find("nowhere") != std::string::npos);
  const std::string untradable = config_error("venue = kraken\n");
  CHECK(untradable.starts_with("line 1: cts cannot trade kraken yet"));
  CHECK(untradable.find("binance spot") != std::string::npos);  // names what it can trade
  CHECK(config_error("category = futures\nsymbol = BTCUSDT\n").starts_with("line 1: cts cannot trade binance futures"));
  CHECK(config_error("category =\n") == "line 1: category must not be empty");
}

TEST_CASE("every key is read") {
  const EngineConfig c = parse_engine_config(R"(# testnet
base_url = https://testnet.binance.vision
ws_url = wss://stream.testnet.binance.vision
ws_api_url = wss://ws-api.testnet.binance.vision/ws-api/v3
streams = off
api_key_env = MY_KEY
api_secret_env = MY_SECRET
api_passphrase_env = MY_PASSPHRASE
symbol = ETHUSDT
journal = /tmp/j.sqlite   # trailing comment
quote.half_spread = 0.001
quote.quantity = 0.01
quote.max_position = 0.1
quote.skew_per_unit = 0.5
quote.tolerance = 0.001
quote.refresh_ms = 250
risk.max_order_notional = 50
risk.max_position = 0.2
risk.price_band = 0.02
risk.max_open_orders = 4
risk.max_orders_per_second = 2
on_shutdown = keep
shutdown.deadline_ms = 2500
client_id_prefix = mm2
foreign_orders = cancel
metrics_port = 9100
control.token_file = /run/user/1000/cts.token
control.token_env = MY_CONTROL_TOKEN
sim.seed = 42
)")
                             .value();
  CHECK(c.base_url == "https://testnet.binance.vision");
  CHECK(c.ws_url == "wss://stream.testnet.binance.vision");
  CHECK(c.ws_api_url == "wss://ws-api.testnet.binance.vision/ws-api/v3");
  CHECK_FALSE(c.streams);
  CHECK(c.api_key_env == "MY_KEY");
  CHECK(c.api_secret_env == "MY_SECRET");
  CHECK(c.api_passphrase_env == "MY_PASSPHRASE");
  CHECK(c.symbol == "ETHUSDT");
  CHECK(c.journal_path == "/tmp/j.sqlite");
  CHECK(c.quoting.half_spread_fraction == "0.001"_d);
  CHECK(c.quoting.order_quantity == "0.01"_d);
  CHECK(c.quoting.max_position == "0.1"_d);
  CHECK(c.quoting.skew_fraction_per_unit == "0.5"_d);
  CHECK(c.requote_tolerance == "0.001"_d);
  CHECK(c.refresh_interval == 250ms);
  CHECK(c.risk.max_order_notional == "50"_d);
  CHECK(c.risk.max_position == "0.2"_d);
  CHECK(c.risk.price_band_fraction == "0.02"_d);
  CHECK(c.risk.max_open_orders == 4);
  CHECK(c.risk.max_orders_per_window == 2);
  CHECK(c.on_shutdown == ShutdownPolicy::keep_orders);
  CHECK(c.shutdown_deadline == 2500ms);
  CHECK(c.client_id_prefix == "mm2");
  CHECK(c.foreign_orders == ForeignOrderPolicy::cancel);
  CHECK(c.metrics_port == 9100);
  CHECK(c.control_token_file == "/run/user/1000/cts.token");
  CHECK(c.control_token_env == "MY_CONTROL_TOKEN");
  CHECK(c.sim_seed == 42);
}

TEST_CASE("bad lines name the line and the problem") {
  CHECK(config_error("symbol = BTCUSDT\nfoo = 1\n") == "line 2: unknown key \"foo\"");
  CHECK(config_error("symbol\n") == "line 1: expected key = value");
  CHECK(config_error("symbol = A\nsymbol = B\n") == "line 2: symbol is set twice");
  CHECK(config_error("quote.quantity = -1\n") == "line 1: quote.quantity: must not be negative");
  CHECK(config_error("quote.quantity = 1,5\n").find("line 1: quote.quantity: cannot parse decimal") == 0);
  CHECK(config_error("metrics_port = 70000\n") == "line 1: metrics_port: must be at most 65535");
  CHECK(config_error("risk.max_open_orders = ten\n") == "line 1: risk.max_open_orders: expected a whole number");
  CHECK(config_error("on_shutdown = maybe\n") == "line 1: on_shutdown must be cancel or keep, not \"maybe\"");
  CHECK(config_error("quote.refresh_ms = 0\n") == "line 1: quote.refresh_ms must be positive");
  CHECK(config_error("ws_url = https://stream.binance.com\n") ==
        "line 1: ws_url must start with ws:// or wss://, not \"https://stream.binance.com\"");
  CHECK(config_error("ws_api_url = ws-api.binance.com\n") ==
        "line 1: ws_api_url must start with ws:// or wss://, not \"ws-api.binance.com\"");
  CHECK(config_error("streams = yes\n") == "line 1: streams must be on or off, not \"yes\"");
  CHECK(config_error("shutdown.deadline_ms = 99\n") == "line 1: shutdown.deadline_ms must be at least 100");
  CHECK(config_error("shutdown.deadline_ms = 3600001\n") == "line 1: shutdown.deadline_ms: must be at most 3600000");
  CHECK(config_error("client_id_prefix = my-bot\n") ==
        "line 1: client_id_prefix must be 1 to 8 letters and digits, not \"my-bot\"");
  CHECK(config_error("client_id_prefix = abcdefghi\n") ==
        "line 1: client_id_prefix must be 1 to 8 letters and digits, not \"abcdefghi\"");
  CHECK(config_error("foreign_orders = ignore\n") == "line 1: foreign_orders must be report or cancel, not \"ignore\"");
  CHECK(config_error("control.token_file =\n") == "line 1: control.token_file must not be empty");
  CHECK(config_error("control.token_env =\n") == "line 1: control.token_env must not be empty");
}

TEST_CASE("symbols: one session per symbol, each with its own journal and overrides") {
  const EngineConfig c = parse_engine_config(R"(
symbols = BTCUSDT, ETHUSDT
journal = /tmp/j.sqlite
quote.quantity = 0.001
ETHUSDT.quote.quantity = 0.01
ETHUSDT.risk.max_position = 0.2
max_consecutive_errors = 7
)")
                             .value();
  CHECK(session_symbols(c) == std::vector<std::string>{"BTCUSDT", "ETHUSDT"});
  CHECK(c.max_consecutive_errors == 7);
  const EngineConfig btc = session_config(c, "BTCUSDT");
  CHECK(btc.symbol == "BTCUSDT");
  CHECK(btc.journal_path == "/tmp/j.sqlite.BTCUSDT");
  CHECK(btc.quoting.order_quantity == "0.001"_d);
  CHECK(btc.risk.max_position == "0.02"_d);
  const EngineConfig eth = session_config(c, "ETHUSDT");
  CHECK(eth.journal_path == "/tmp/j.sqlite.ETHUSDT");
  CHECK(eth.quoting.order_quantity == "0.01"_d);
  CHECK(eth.risk.max_position == "0.2"_d);
  CHECK(eth.symbols.empty());
  CHECK(eth.overrides.empty());
}

TEST_CASE("one symbol keeps its journal path and the defaults") {
  const EngineConfig c = parse_engine_config("journal = /tmp/j.sqlite\n").value();
  CHECK(session_symbols(c) == std::vector<std::string>{"BTCUSDT"});
  CHECK(session_config(c, "BTCUSDT").journal_path == "/tmp/j.sqlite");
  CHECK(c.max_consecutive_errors == 100);
  const EngineConfig one = parse_engine_config("symbols = ETHUSDT\njournal = /tmp/e.sqlite\n").value();
  CHECK(session_symbols(one) == std::vector<std::string>{"ETHUSDT"});
  CHECK(session_config(one, "ETHUSDT").journal_path == "/tmp/e.sqlite");
}

TEST_CASE("a PostgreSQL journal: each session its own stream; a malformed URL refused without its password") {
  const EngineConfig named =
      parse_engine_config("symbols = BTCUSDT,ETHUSDT\njournal = postgresql://desk:pw@127.0.0.1:5432/cts?stream=mm\n").value();
  CHECK(session_config(named, "BTCUSDT").journal_path == "postgresql://desk:pw@127.0.0.1:5432/cts?stream=mm.BTCUSDT");
  CHECK(session_config(named, "ETHUSDT").journal_path == "postgresql://desk:pw@127.0.0.1:5432/cts?stream=mm.ETHUSDT");
  // Without a stream each session's defaults to its symbol when the journal opens.
  const EngineConfig bare = parse_engine_config("symbols = BTCUSDT,ETHUSDT\njournal = postgresql://127.0.0.1/cts\n").value();
  CHECK(session_config(bare, "ETHUSDT").journal_path == "postgresql://127.0.0.1/cts");
  // One symbol keeps the URL as it is.
  const EngineConfig one = parse_engine_config("journal = postgres://127.0.0.1/cts?stream=solo\n").value();
  CHECK(session_config(one, "BTCUSDT").journal_path == "postgres://127.0.0.1/cts?stream=solo");
  const std::string bad = config_error("journal = postgresql://desk:pw@127.0.0.1/cts?stream=a&stream=b\n");
  CHECK(bad == "line 1: journal postgresql://desk:***@127.0.0.1/cts?stream=a&stream=b: the stream is given twice");
}

TEST_CASE("bad symbols lines name the line and the problem") {
  CHECK(config_error("symbol = BTCUSDT\nsymbols = BTCUSDT,ETHUSDT\n") == "line 2: set symbol or symbols, not both");
  CHECK(config_error("symbols = BTCUSDT,,ETHUSDT\n") ==
        "line 1: symbols: \"\" is not a venue symbol (upper-case letters and digits, '-' between them)");
  CHECK(config_error("symbols = btcusdt\n") ==
        "line 1: symbols: \"btcusdt\" is not a venue symbol (upper-case letters and digits, '-' between them)");
  CHECK(config_error("symbols = -BTC-USDT\n") ==
        "line 1: symbols: \"-BTC-USDT\" is not a venue symbol (upper-case letters and digits, '-' between them)");
  CHECK(parse_engine_config("venue = okx\nsymbols = BTC-USDT,ETH-USDT\n").value().symbols ==
        std::vector<std::string>{"BTC-USDT", "ETH-USDT"});
  CHECK(config_error("symbols = BTCUSDT,BTCUSDT\n") == "line 1: symbols: BTCUSDT is listed twice");
  CHECK(config_error("symbols = BTCUSDT\nETHUSDT.quote.quantity = 0.01\n") ==
        "line 2: ETHUSDT.quote.quantity: ETHUSDT is not traded");
  CHECK(config_error("ETHUSDT.quote.quantity = -1\n") == "line 1: ETHUSDT.quote.quantity: must not be negative");
  CHECK(config_error("BTCUSDT.on_shutdown = keep\n") == "line 1: unknown key \"BTCUSDT.on_shutdown\"");
  CHECK(config_error("BTCUSDT.quote.quantity = 1\nBTCUSDT.quote.quantity = 2\n") ==
        "line 2: BTCUSDT.quote.quantity is set twice");
}

TEST_CASE("without a symbol each venue's market trades its own default symbol, spelled as the venue spells it") {
  CHECK(session_symbols(parse_engine_config("venue = bybit\n").value()) == std::vector<std::string>{"BTCUSDT"});
  CHECK(session_symbols(parse_engine_config("venue = okx\n").value()) == std::vector<std::string>{"BTC-USDT"});
  CHECK(session_symbols(parse_engine_config("venue = okx\ncategory = swap\n").value()) ==
        std::vector<std::string>{"BTC-USDT-SWAP"});
  // A per-symbol key may name the default symbol, and only it.
  CHECK(parse_engine_config("venue = okx\nBTC-USDT.quote.quantity = 0.002\n"));
  CHECK(config_error("venue = okx\nBTCUSDT.quote.quantity = 0.002\n") ==
        "line 2: BTCUSDT.quote.quantity: BTCUSDT is not traded");
}

TEST_CASE("demo and margin_mode reach the gateway where the connector honours them, and are refused elsewhere") {
  const EngineConfig defaults = parse_engine_config("").value();
  CHECK_FALSE(defaults.gateway.demo);
  CHECK(defaults.gateway.margin_mode == venue::MarginMode::cross);
  const EngineConfig okx = parse_engine_config("venue = okx\ncategory = swap\ndemo = on\nmargin_mode = isolated\n").value();
  CHECK(okx.gateway.demo);
  CHECK(okx.gateway.margin_mode == venue::MarginMode::isolated);
  CHECK(parse_engine_config("venue = okx\ndemo = on\n").value().gateway.demo);
  CHECK(config_error("demo = on\n") ==
        "line 1: demo: binance spot has no per-request demo switch; its demo or testnet is a host of its own: set "
        "base_url, ws_url and ws_api_url to it");
  CHECK(config_error("margin_mode = isolated\nvenue = bybit\n") ==
        "line 2: margin_mode: bybit linear orders do not name a margin mode (the venue keeps it per account or "
        "symbol, or the market has none)");
  CHECK(config_error("venue = okx\nmargin_mode = isolated\n").starts_with("line 2: margin_mode: okx spot orders"));
  CHECK(config_error("demo = yes\n") == "line 1: demo must be on or off, not \"yes\"");
  CHECK(config_error("margin_mode = portfolio\n") == "line 1: margin_mode must be cross or isolated, not \"portfolio\"");
}

TEST_CASE("the breaker, restart and stream deadline keys") {
  const EngineConfig defaults;
  CHECK(defaults.breaker.threshold == 5);
  CHECK(defaults.restart.max_restarts == 3);
  CHECK(defaults.stream_deadline == std::chrono::milliseconds{60'000});
  CHECK(defaults.position_settle == std::chrono::milliseconds{2'000});
  const EngineConfig c = parse_engine_config(
                             "breaker.threshold = 7\nbreaker.backoff_ms = 250\nbreaker.backoff_max_ms = 8000\n"
                             "restart.max_attempts = 0\nrestart.backoff_ms = 2000\nrestart.backoff_max_ms = 9000\n"
                             "stream_deadline_ms = 0\nposition_settle_ms = 750\n")
                             .value();
  CHECK(c.position_settle == std::chrono::milliseconds{750});
  CHECK(parse_engine_config("position_settle_ms = 0\n").error().message ==
        "line 1: position_settle_ms: must be positive");
  CHECK(c.breaker.threshold == 7);
  CHECK(c.breaker.initial_backoff == std::chrono::milliseconds{250});
  CHECK(c.breaker.max_backoff == std::chrono::milliseconds{8000});
  CHECK(c.restart.max_restarts == 0);
  CHECK(c.restart.initial_backoff == std::chrono::milliseconds{2000});
  CHECK(c.restart.max_backoff == std::chrono::milliseconds{9000});
  CHECK(c.stream_deadline == std::chrono::milliseconds{0});
  const Result<EngineConfig> zero = parse_engine_config("restart.backoff_ms = 0\n");
  REQUIRE_FALSE(zero);
  CHECK(zero.error().message == "line 1: restart.backoff_ms: must be positive");
  CHECK_FALSE(parse_engine_config("breaker.backoff_max_ms = -1\n"));
  CHECK_FALSE(parse_engine_config("stream_deadline_ms = 86400001\n"));
}

TEST_CASE("order_transport and ws_order_url: ws where the market takes orders over its WebSocket, refused elsewhere") {
  const EngineConfig defaults = parse_engine_config("venue = okx\n").value();
  CHECK_FALSE(defaults.order_transport);  // the session picks: ws where it can
  CHECK(defaults.ws_order_url.empty());   // ws_api_url's then
  const EngineConfig ws =
      parse_engine_config("venue = okx\norder_transport = ws\nws_order_url = wss://ws.okx.com:8443/ws/v5/private\n")
          .value();
  CHECK(ws.order_transport == OrderTransport::ws);
  CHECK(ws.ws_order_url == "wss://ws.okx.com:8443/ws/v5/private");
  CHECK(parse_engine_config("order_transport = rest\n").value().order_transport == OrderTransport::rest);
  CHECK(to_string(OrderTransport::ws) == "ws");
  CHECK(to_string(OrderTransport::rest) == "rest");

  CHECK(config_error("order_transport = fix\n") == "line 1: order_transport must be ws or rest, not \"fix\"");
  CHECK(config_error("ws_order_url = ws.okx.com\n") ==
        "line 1: ws_order_url must start with ws:// or wss://, not \"ws.okx.com\"");
  CHECK(config_error("venue = okx\norder_transport = ws\nstreams = off\n") ==
        "line 3: order_transport = ws needs streams = on (streams = off runs on REST alone)");
  // A market without WebSocket order entry refuses ws, naming itself.
  for (const venue::Connector& connector : venue::connectors()) {
    if (connector.make_ws_orders != nullptr) continue;
    const std::string text =
        fmt::format("venue = {}\ncategory = {}\norder_transport = ws\n", to_string(connector.venue), connector.market);
    CHECK(config_error(text) == fmt::format("line 3: order_transport = ws: {} {} has no WebSocket order entry in cts "
                                            "(set rest)",
                                            to_string(connector.venue), connector.market));
  }
}

TEST_CASE("the monitor keys: defaults, every key read, bad values named") {
  const EngineConfig defaults = parse_engine_config("").value();
  CHECK(defaults.monitor.enabled);
  CHECK(defaults.monitor.interval == std::chrono::milliseconds{5000});
  CHECK(defaults.monitor.retention == std::chrono::hours{7 * 24});
  CHECK(defaults.monitor.channels == std::vector<AlertChannelType>{AlertChannelType::log});
  CHECK(defaults.monitor.drawdown.is_zero());

  const EngineConfig c = parse_engine_config(
                             "monitor = off\n"
                             "monitor.interval_ms = 500\n"
                             "monitor.for_ms = 0\n"
                             "monitor.group_wait_ms = 0\n"
                             "monitor.group_interval_ms = 1000\n"
                             "monitor.repeat_interval_ms = 60000\n"
                             "monitor.escalate_after_ms = 30000\n"
                             "monitor.retention = 36h\n"
                             "monitor.max_size = 64M\n"
                             "monitor.db = /var/lib/cts/monitor.db\n"
                             "monitor.drawdown = 250.5\n"
                             "monitor.clock_skew_ms = 800\n"
                             "monitor.headroom_percent = 25\n"
                             "monitor.channels = webhook, slack,email\n"
                             "monitor.webhook.url_env = HOOK\n"
                             "monitor.slack.url_env = SLACK\n"
                             "monitor.discord.url_env = DISCORD\n"
                             "monitor.pagerduty.routing_key_env = PD\n"
                             "monitor.email.smtp = smtp.example.com:587\n"
                             "monitor.email.from = cts@example.com\n"
                             "monitor.email.to = a@example.com, b@example.com\n"
                             "monitor.email.starttls = off\n"
                             "monitor.email.username = cts\n"
                             "monitor.email.password_env = SMTP_PASSWORD\n"
                             "monitor.rate_per_minute = 12\n")
                             .value();
  const MonitorConfig& m = c.monitor;
  CHECK_FALSE(m.enabled);
  CHECK(m.interval == std::chrono::milliseconds{500});
  CHECK(m.for_ == std::chrono::milliseconds{0});
  CHECK(m.group_wait == std::chrono::milliseconds{0});
  CHECK(m.group_interval == std::chrono::milliseconds{1000});
  CHECK(m.repeat_interval == std::chrono::milliseconds{60000});
  CHECK(m.escalate_after == std::chrono::milliseconds{30000});
  CHECK(m.retention == std::chrono::hours{36});
  CHECK(m.max_size == 64ULL * 1024 * 1024);
  CHECK(defaults.monitor.max_size == 0);
  CHECK(m.db_path == "/var/lib/cts/monitor.db");
  CHECK(m.drawdown == Decimal::parse("250.5").value());
  CHECK(m.clock_skew == std::chrono::milliseconds{800});
  CHECK(m.headroom_percent == 25);
  CHECK(defaults.monitor.headroom_percent == 10);
  CHECK(m.channels ==
        std::vector<AlertChannelType>{AlertChannelType::webhook, AlertChannelType::slack, AlertChannelType::email});
  CHECK(m.webhook_url_env == "HOOK");
  CHECK(m.slack_url_env == "SLACK");
  CHECK(m.discord_url_env == "DISCORD");
  CHECK(m.pagerduty_key_env == "PD");
  CHECK(m.email_smtp == "smtp.example.com:587");
  CHECK(m.email_from == "cts@example.com");
  CHECK(m.email_to == std::vector<std::string>{"a@example.com", "b@example.com"});
  CHECK_FALSE(m.email_starttls);
  CHECK(m.email_username == "cts");
  CHECK(m.email_password_env == "SMTP_PASSWORD");
  CHECK(m.rate_per_minute == 12);

  CHECK(config_error("\nmonitor = maybe\n") == "line 2: monitor must be on or off, not \"maybe\"");
  CHECK(config_error("monitor.interval_ms = 0") == "line 1: monitor.interval_ms: must be positive");
  CHECK(config_error("monitor.retention = 7") ==
        "line 1: monitor.retention must be a positive whole number of days, hours or minutes (7d, 12h, 90m), at most "
        "3650d, not \"7\"");
  CHECK(config_error("monitor.retention = 0d").find("monitor.retention must be") != std::string::npos);
  CHECK(config_error("monitor.max_size = 64MB") ==
        "line 1: monitor.max_size must be a whole number of bytes, with k, M or G for KiB, MiB, GiB: expected a whole "
        "number");
  CHECK(config_error("monitor.channels = log,sms") ==
        "line 1: monitor.channels: \"sms\" is not a channel (log, webhook, slack, discord, pagerduty, email)");
  CHECK(config_error("monitor.channels = log,log") == "line 1: monitor.channels: log is listed twice");
  CHECK(config_error("monitor.headroom_percent = 61") == "line 1: monitor.headroom_percent: must be at most 60");
  CHECK(config_error("monitor.drawdown = -1") == "line 1: monitor.drawdown: must not be negative");
  CHECK(config_error("monitor.webhook.url = https://hooks.example.com/x") ==
        "line 1: unknown key \"monitor.webhook.url\"");
}

TEST_CASE("the journal and orders retention keys: defaults, sizes with units, bad values named") {
  const EngineConfig defaults = parse_engine_config("").value();
  CHECK(defaults.journal_max_size == 0);
  CHECK_FALSE(defaults.journal_retention.has_value());
  CHECK(defaults.orders_retention == std::chrono::hours{24});
  const EngineConfig c =
      parse_engine_config("journal.max_size = 64M\njournal.retention = 7d\norders.retention = 90m\n").value();
  CHECK(c.journal_max_size == 64ULL * 1024 * 1024);
  CHECK(c.journal_retention == std::chrono::hours{7 * 24});
  CHECK(c.orders_retention == std::chrono::minutes{90});
  CHECK(parse_engine_config("journal.max_size = 4096\n").value().journal_max_size == 4096);
  CHECK(parse_engine_config("journal.max_size = 2G\n").value().journal_max_size == 2ULL * 1024 * 1024 * 1024);
  CHECK(config_error("journal.max_size = 64MB").find("journal.max_size must be a whole number of bytes") != std::string::npos);
  CHECK(config_error("journal.retention = 7").find("journal.retention must be a positive whole number") != std::string::npos);
  CHECK(config_error("orders.retention = 0h").find("orders.retention must be a positive whole number") != std::string::npos);
}

TEST_CASE("rate.shared: a Redis URL, never quoted in an error; the fallback share from rate.processes") {
  const EngineConfig local = parse_engine_config("").value();
  CHECK(local.rate_shared.empty());
  const EngineConfig three =
      parse_engine_config("rate.shared = redis://:pw-secret@127.0.0.1:6390/2\nrate.processes = 3\n").value();
  CHECK(three.rate_shared == "redis://:pw-secret@127.0.0.1:6390/2");
  CHECK(rate_fallback_share_percent(three) == 33);  // 100 / 3, rounded down
  const EngineConfig explicit_share =
      parse_engine_config("rate.shared = redis://127.0.0.1:6390\nrate.fallback_share = 20\n").value();
  CHECK(rate_fallback_share_percent(explicit_share) == 20);

  // Without a share, several processes could each fall back to the whole budget.
  const auto no_share = parse_engine_config("rate.shared = redis://127.0.0.1:6390\n");
  REQUIRE_FALSE(no_share.has_value());
  CHECK(no_share.error().message.find("line 1: rate.shared needs rate.processes") == 0);
  const auto bad = parse_engine_config("rate.processes = 2\nrate.shared = redis://:pw-secret@127.0.0.1:6390/99\n");
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().message.find("line 2:") == 0);
  CHECK(bad.error().message.find("pw-secret") == std::string::npos);
  CHECK_FALSE(parse_engine_config("rate.processes = 0\n").has_value());
  CHECK_FALSE(parse_engine_config("rate.fallback_share = 101\n").has_value());
  CHECK_FALSE(parse_engine_config("rate.fallback_share = 0\n").has_value());
}
