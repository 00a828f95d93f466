// Net/ws_message_roundtrip: cts::net::WsClient sends a trade-sized text message to a
// cts::net::WsServer that echoes it, and waits for the echo (ws:// over loopback; the
// client's io thread, its event queue and the consumer's wait() are all on the path).
// Net/ws_message_roundtrip_caller_driven: the same with the client in caller-driven mode
// (no io thread: send() writes and wait() reads on the benchmark's thread).
// Floor/beast_ws_roundtrip: a bare synchronous Beast WebSocket client doing the same
// exchange with the same server in the same run.
#include <utility>  // Boost 1.74's Asio needs std::exchange declared first under C++20.

#include <chrono>
#include <memory>
#include <string>

#include <benchmark/benchmark.h>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>

#include <cts/net/ws_client.hpp>
#include <cts/net/ws_server.hpp>

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;

const std::string kPayload = R"({"e":"trade","E":1700000000000,"s":"BTCUSDT","t":12345,"p":"50000.01","q":"0.00100000"})";

struct EchoServer {
  std::unique_ptr<cts::net::WsServer> server;
  EchoServer() {
    cts::net::WsServerHandlers handlers;
    handlers.on_message = [this](cts::net::WsConnectionId id, std::string_view message) { server->send(id, std::string(message)); };
    server = std::make_unique<cts::net::WsServer>(std::move(handlers));
  }
};

EchoServer& echo_server() {
  static EchoServer echo;
  return echo;
}

void ws_message_roundtrips(benchmark::State& state, bool caller_driven) {
  auto& echo = echo_server();
  cts::net::WsClientOptions options;
  options.caller_driven = caller_driven;
  options.policy.ping_interval = std::chrono::hours(1);
  options.policy.stale_after = std::chrono::hours(1);
  cts::net::WsClient client(echo.server->base_url() + "/bench", options);
  client.start();
  auto opened = client.wait(std::chrono::seconds(10));
  if (!opened || opened->kind != cts::net::WsEvent::Kind::opened) {
    state.SkipWithError("cannot connect");
    return;
  }
  for (auto _ : state) {
    (void)client.send(kPayload);
    auto event = client.wait(std::chrono::seconds(10));
    if (!event || event->kind != cts::net::WsEvent::Kind::message) {
      state.SkipWithError("echo lost");
      break;
    }
    benchmark::DoNotOptimize(event);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  client.stop();
}

void Net_ws_message_roundtrip(benchmark::State& state) { ws_message_roundtrips(state, false); }
BENCHMARK(Net_ws_message_roundtrip)->Name("Net/ws_message_roundtrip")->UseRealTime();

void Net_ws_message_roundtrip_caller_driven(benchmark::State& state) { ws_message_roundtrips(state, true); }
BENCHMARK(Net_ws_message_roundtrip_caller_driven)->Name("Net/ws_message_roundtrip_caller_driven")->UseRealTime();

void Floor_beast_ws_roundtrip(benchmark::State& state) {
  auto& echo = echo_server();
  asio::io_context ioc;
  beast::websocket::stream<asio::ip::tcp::socket> ws(ioc);
  ws.next_layer().connect({asio::ip::make_address("127.0.0.1"), echo.server->port()});
  ws.next_layer().set_option(asio::ip::tcp::no_delay(true));
  ws.handshake("127.0.0.1:" + std::to_string(echo.server->port()), "/floor");
  beast::flat_buffer buffer;
  for (auto _ : state) {
    ws.write(asio::buffer(kPayload));
    ws.read(buffer);
    benchmark::DoNotOptimize(buffer.size());
    buffer.consume(buffer.size());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  beast::error_code ignored;
  ws.close(beast::websocket::close_code::normal, ignored);
}
BENCHMARK(Floor_beast_ws_roundtrip)->Name("Floor/beast_ws_roundtrip")->UseRealTime();

}  // namespace
