#pragma once
// Shared by the engine's stream tests: an executor wired to the embedded simulator as
// TradingSession wires it, WsEvent makers, and Binance user-data frames written the
// way user-data-stream.md prints them ("Order Update" executionReport and "Account
// Update" outboundAccountPosition, in the WebSocket API {"subscriptionId":..,"event":..}
// envelope, as tests/fixtures/binance/spot_ws_execution_report.json).
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include <fmt/format.h>

#include <cts/engine/connection.hpp>
#include <cts/engine/executor.hpp>
#include <cts/engine/journal_recorder.hpp>
#include <cts/engine/rest_channel.hpp>
#include <cts/venue/binance/spot_streams.hpp>
#include <cts/venue/gateway.hpp>
#include <cts/net/ws_client.hpp>
#include <cts/sim/simulator.hpp>
#include <cts/store/journal.hpp>
#include <cts/store/sqlite_journal.hpp>

namespace cts_test {

using namespace cts;
using namespace cts::literals;

/// A Binance spot connection to `simulator` made by the engine's factory: signed with
/// the funded account's credentials, or public data only when `signed_in` is false.
inline std::unique_ptr<engine::VenueConnection> connect_to(sim::Simulator& simulator, bool signed_in = true) {
  engine::ConnectionOptions options;
  options.base_url = simulator.base_url();
  if (signed_in) {
    options.credentials =
        sign::Credentials{simulator.options().api_key, sign::Secret(simulator.options().api_secret), {}};
  }
  return engine::VenueConnection::open(*venue::find_connector(VenueId::binance_spot).value(), std::move(options))
      .value();
}

/// Binance spot's market-stream protocol for BTCUSDT, REST snapshots of `snapshot_limit`
/// levels.
inline std::unique_ptr<venue::MarketStream> binance_market_stream(std::size_t snapshot_limit = 1000) {
  venue::binance::SpotMarketStreamOptions options;
  options.snapshot_limit = snapshot_limit;
  return std::make_unique<venue::binance::SpotMarketStream>("BTCUSDT", options);
}

/// Binance spot's user-data-stream protocol signing with `signer` (an HMAC signer).
inline std::unique_ptr<venue::UserStreamProtocol> binance_user_stream(const sign::Signer& signer) {
  return venue::binance::SpotUserStream::make(signer).value();
}

inline std::filesystem::path stream_journal_path(std::string_view name) {
  auto dir = std::filesystem::temp_directory_path() / fmt::format("cts-engine-stream-test-{}", ::getpid());
  std::filesystem::create_directories(dir);
  auto path = dir / fmt::format("{}.sqlite", name);
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  return path;
}

inline sim::SimulatorOptions still_market() {
  sim::SimulatorOptions options;
  options.market_flow = false;
  return options;
}

/// An executor for BTCUSDT on the simulator's funded account.
struct StreamHarness {
  /// On a fresh journal named `journal_name`.
  StreamHarness(sim::Simulator& simulator, std::string_view journal_name)
      : StreamHarness(simulator, stream_journal_path(journal_name), [] {
          engine::ExecutorOptions options;
          options.unknown_grace = std::chrono::milliseconds{0};
          return options;
        }()) {}

  /// On the journal at `journal_path` as it is (a restart replays it), with client ids
  /// prefixed `id_prefix`.
  StreamHarness(sim::Simulator& simulator, const std::filesystem::path& journal_path, engine::ExecutorOptions options,
                std::string_view id_prefix = {})
      : connection(connect_to(simulator)),
        signer(connection->signer()),
        channel(connection->channel()),
        gateway(connection->gateway()),
        journal(store::SqliteJournal::open(journal_path).value()),
        recorder(*journal),
        ids(ClientOrderIdGenerator::for_this_process(RealClock{}.system_now(), id_prefix)) {
    instrument = gateway.instrument("BTCUSDT").value();
    REQUIRE(account.add_instrument(instrument));
    replayed = store::replay_into(*journal, account).value().records;
    risk = std::make_unique<engine::RiskGate>(instrument, engine::RiskLimits{});
    executor =
        std::make_unique<engine::OrderExecutor>(gateway, account, *risk, ids, recorder, instrument, std::move(options));
  }

  std::unique_ptr<engine::VenueConnection> connection;
  const sign::Signer* signer;
  engine::RestChannel& channel;
  venue::Gateway& gateway;
  std::unique_ptr<store::SqliteJournal> journal;
  engine::JournalRecorder recorder;
  order::Account account;
  ClientOrderIdGenerator ids;
  Instrument instrument;
  std::unique_ptr<engine::RiskGate> risk;
  std::unique_ptr<engine::OrderExecutor> executor;
  std::uint64_t replayed = 0;  ///< Journal records replayed at construction.
};

/// A counterparty order on the simulator (a fresh funded account).
inline void counterparty(sim::Simulator& simulator, Side side, Decimal quantity, Decimal price) {
  simulator.with_engine([&](sim::MatchingEngine& engine) {
    const sim::AccountId other = engine.create_account();
    engine.deposit(other, "BTC", "100"_d);
    engine.deposit(other, "USDT", "10000000"_d);
    sim::OrderRequest order;
    order.account = other;
    order.symbol = "BTCUSDT";
    order.side = side;
    order.quantity = quantity;
    order.price = price;
    REQUIRE(engine.place(order, to_unix_millis(RealClock{}.system_now())));
  });
}

/// Our account's fills of BTCUSDT at the simulator, oldest first.
inline std::vector<sim::Fill> venue_fills(sim::Simulator& simulator) {
  return simulator.with_engine(
      [&](sim::MatchingEngine& engine) { return engine.account_fills(simulator.account(), "BTCUSDT"); });
}

inline net::WsEvent ws_opened(std::uint64_t connection) {
  net::WsEvent e;
  e.kind = net::WsEvent::Kind::opened;
  e.connection = connection;
  return e;
}
inline net::WsEvent ws_message(std::string text, std::uint64_t connection = 1) {
  net::WsEvent e;
  e.kind = net::WsEvent::Kind::message;
  e.text = std::move(text);
  e.connection = connection;
  return e;
}
inline net::WsEvent ws_disconnected(std::uint64_t connection = 1) {
  net::WsEvent e;
  e.kind = net::WsEvent::Kind::disconnected;
  e.connection = connection;
  e.error = make_error(ErrorCode::network, "connection reset");
  return e;
}

/// The fields of one executionReport (names as user-data-stream.md).
struct Execution {
  std::string symbol = "BTCUSDT";     ///< s
  std::string client_id;              ///< c
  std::string original_client_id;     ///< C (cancels: the cancelled order's id)
  std::string side = "BUY";           ///< S
  std::string quantity;               ///< q
  std::string price;                  ///< p
  std::string execution = "NEW";      ///< x
  std::string status = "NEW";         ///< X
  std::uint64_t order_id = 0;         ///< i
  std::string last_quantity = "0.00000000";  ///< l
  std::string cumulative = "0.00000000";     ///< z
  std::string last_price = "0.00000000";     ///< L
  std::string commission = "0";       ///< n
  std::string commission_asset;       ///< N (null when empty)
  std::int64_t time_ms = 1499405658657;  ///< T
  std::int64_t trade_id = -1;         ///< t
  std::string cumulative_quote = "0.00000000";  ///< Z
};

inline std::string execution_report(const Execution& x) {
  const std::string asset = x.commission_asset.empty() ? "null" : fmt::format("\"{}\"", x.commission_asset);
  return fmt::format(
      R"({{"subscriptionId":0,"event":{{"e":"executionReport","E":{},"s":"{}","c":"{}","S":"{}","o":"LIMIT","f":"GTC",)"
      R"("q":"{}","p":"{}","P":"0.00000000","F":"0.00000000","g":-1,"C":"{}","x":"{}","X":"{}","r":"NONE","i":{},)"
      R"("l":"{}","z":"{}","L":"{}","n":"{}","N":{},"T":{},"t":{},"v":3,"I":8641984,"w":true,"m":false,"M":false,)"
      R"("O":1499405658657,"Z":"{}","Y":"0.00000000","Q":"0.00000000","W":1499405658657,"V":"NONE"}}}})",
      x.time_ms + 1, x.symbol, x.client_id, x.side, x.quantity, x.price, x.original_client_id, x.execution, x.status,
      x.order_id, x.last_quantity, x.cumulative, x.last_price, x.commission, asset, x.time_ms, x.trade_id,
      x.cumulative_quote);
}

}  // namespace cts_test
