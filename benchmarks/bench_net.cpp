// Net/http_roundtrip_keepalive and Net/https_roundtrip_keepalive: cts::net::HttpClient
// sending GET /api/v3/ping to the embedded simulator over loopback on one keep-alive
// connection, against the floors Floor/beast_http_roundtrip and
// Floor/beast_https_roundtrip: a bare synchronous Beast client doing the same request
// to the same server in the same run.
#include <utility>  // Boost 1.74's Asio needs std::exchange declared first under C++20.

#include <memory>
#include <string>

#include <benchmark/benchmark.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <cts/net/http_client.hpp>
#include <cts/sim/simulator.hpp>

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

cts::sim::Simulator& simulator(bool tls) {
  const auto make = [](bool with_tls) {
    cts::sim::SimulatorOptions options;
    options.tls = with_tls;
    options.market_flow = false;
    options.front.limits.request_weight_per_minute = 2'000'000'000;
    return std::make_unique<cts::sim::Simulator>(options);
  };
  static auto plain = make(false);
  static auto secure = make(true);
  return tls ? *secure : *plain;
}

void client_roundtrip(benchmark::State& state, bool tls) {
  auto& sim = simulator(tls);
  cts::net::HttpClientOptions options;
  options.ca_pem = sim.certificate_pem();
  cts::net::HttpClient client(sim.base_url(), options);
  cts::HttpRequest ping;
  ping.path = "/api/v3/ping";
  for (auto _ : state) {
    auto r = client.send(ping);
    if (!r || r->status != 200) {
      state.SkipWithError("request failed");
      break;
    }
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

template <class Stream>
void beast_roundtrip(benchmark::State& state, Stream& stream, const std::string& host) {
  http::request<http::empty_body> req{http::verb::get, "/api/v3/ping", 11};
  req.set(http::field::host, host);
  req.set(http::field::user_agent, "floor");
  req.keep_alive(true);
  beast::flat_buffer buffer;
  for (auto _ : state) {
    http::write(stream, req);
    http::response<http::string_body> res;
    http::read(stream, buffer, res);
    if (res.result_int() != 200) {
      state.SkipWithError("request failed");
      break;
    }
    benchmark::DoNotOptimize(res);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

void Net_http_roundtrip_keepalive(benchmark::State& state) { client_roundtrip(state, false); }
BENCHMARK(Net_http_roundtrip_keepalive)->Name("Net/http_roundtrip_keepalive")->UseRealTime();

void Net_https_roundtrip_keepalive(benchmark::State& state) { client_roundtrip(state, true); }
BENCHMARK(Net_https_roundtrip_keepalive)->Name("Net/https_roundtrip_keepalive")->UseRealTime();

void Floor_beast_http_roundtrip(benchmark::State& state) {
  auto& sim = simulator(false);
  asio::io_context ioc;
  asio::ip::tcp::socket socket(ioc);
  socket.connect({asio::ip::make_address("127.0.0.1"), sim.port()});
  socket.set_option(asio::ip::tcp::no_delay(true));
  beast_roundtrip(state, socket, "127.0.0.1:" + std::to_string(sim.port()));
}
BENCHMARK(Floor_beast_http_roundtrip)->Name("Floor/beast_http_roundtrip")->UseRealTime();

void Floor_beast_https_roundtrip(benchmark::State& state) {
  auto& sim = simulator(true);
  asio::io_context ioc;
  asio::ssl::context ctx(asio::ssl::context::tls_client);
  ctx.add_certificate_authority(asio::buffer(sim.certificate_pem()));
  ctx.set_verify_mode(asio::ssl::verify_peer);
  asio::ssl::stream<asio::ip::tcp::socket> stream(ioc, ctx);
  stream.next_layer().connect({asio::ip::make_address("127.0.0.1"), sim.port()});
  stream.next_layer().set_option(asio::ip::tcp::no_delay(true));
  stream.handshake(asio::ssl::stream_base::client);
  beast_roundtrip(state, stream, "127.0.0.1:" + std::to_string(sim.port()));
}
BENCHMARK(Floor_beast_https_roundtrip)->Name("Floor/beast_https_roundtrip")->UseRealTime();

}  // namespace
