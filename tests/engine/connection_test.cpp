// Tests for cts/engine/connection.hpp and the registry it builds from
// (cts/venue/registry.hpp): every registered connector is consistent, and a connection
// wires the request path so that the signer, not the caller, owns the API-key header.
#include <cts/engine/connection.hpp>

#include <doctest/doctest.h>

#include <mutex>
#include <optional>
#include <string>

#include <cts/net/http_server.hpp>
#include <cts/rate/policies/bybit.hpp>
#include <cts/rate/policies/okx.hpp>
#include <cts/venue/binance/spot_requests.hpp>
#include <cts/venue/bybit/requests.hpp>
#include <cts/venue/okx/requests.hpp>
#include <cts/venue/registry.hpp>

using namespace cts;
using namespace cts::engine;

namespace {

/// A loopback server answering every request with 200 "[]" and remembering the last
/// request's headers.
struct RecordingServer {
  RecordingServer()
      : server([this](const HttpRequest& request) {
          std::lock_guard lock(mutex);
          ++requests;
          api_key = request.header("X-MBX-APIKEY") ? std::optional<std::string>(*request.header("X-MBX-APIKEY"))
                                                   : std::nullopt;
          HttpResponse response;
          response.status = 200;
          response.body = "[]";
          return response;
        }) {}
  std::string url() const { return "http://127.0.0.1:" + std::to_string(server.port()); }

  std::mutex mutex;
  int requests = 0;
  std::optional<std::string> api_key;
  net::HttpServer server;
};

const venue::Connector& binance_spot() { return *venue::find_connector(VenueId::binance_spot).value(); }

}  // namespace

TEST_CASE("registry: every connector's capabilities are its own venue's and market's, and it makes a gateway") {
  REQUIRE_FALSE(venue::connectors().empty());
  for (const venue::Connector& connector : venue::connectors()) {
    CAPTURE(to_string(connector.venue));
    CAPTURE(connector.market);
    REQUIRE(connector.capabilities != nullptr);
    CHECK(connector.capabilities->venue == connector.venue);
    CHECK(connector.capabilities->market == connector.market);
    REQUIRE(static_cast<bool>(connector.make_gateway));
    // The listen-key venues say how long a key lives: the engine extends it at half that.
    if (connector.capabilities->private_stream_login == venue::PrivateStreamLogin::listen_key) {
      CHECK(connector.capabilities->listen_key_validity > std::chrono::minutes{0});
    }
    RecordingServer server;
    ConnectionOptions options;
    options.base_url = server.url();
    const auto connection = VenueConnection::open(connector, std::move(options)).value();
    CHECK(connection->gateway().venue() == connector.venue);
    CHECK(&connection->gateway().capabilities() == connector.capabilities);
    CHECK(connection->signer() == nullptr);
    CHECK(server.requests == 0);  // opening sends nothing
  }
}

TEST_CASE("registry: an empty market is the venue's first; an unknown one names what can be traded") {
  const venue::Connector* first = venue::find_connector(VenueId::binance_spot).value();
  CHECK(first->market == "spot");
  const auto futures = venue::find_connector(VenueId::binance_spot, "futures");
  REQUIRE_FALSE(futures);
  CHECK(futures.error().code == ErrorCode::unsupported);
  CHECK(futures.error().message.find("binance spot") != std::string::npos);
  CHECK(venue::find_connector(VenueId::bybit).value()->market == "linear");  // the USDT perpetuals first
  const venue::Connector* linear = venue::find_connector(VenueId::bybit, "linear").value();
  CHECK(linear->capabilities->hedge_positions);
  CHECK(futures.error().message.find("bybit linear") != std::string::npos);
  const auto kraken = venue::find_connector(VenueId::kraken);
  REQUIRE_FALSE(kraken);
  CHECK(kraken.error().message.starts_with("cts cannot trade kraken yet"));
}

TEST_CASE("connection: a key-only request carries the key in the signer's header, without a signature") {
  RecordingServer server;
  ConnectionOptions options;
  options.base_url = server.url();
  options.credentials = sign::Credentials{"key-123", sign::Secret("secret-456"), {}};
  const auto connection = VenueConnection::open(binance_spot(), std::move(options)).value();
  venue::Request request = venue::binance::spot::open_orders("BTCUSDT");
  request.security = venue::Security::api_key;
  const Result<HttpResponse> response = connection->channel().execute(request);
  REQUIRE(response);
  CHECK(response->status == 200);
  std::lock_guard lock(server.mutex);
  CHECK(server.requests == 1);
  CHECK(server.api_key == std::optional<std::string>("key-123"));
}

TEST_CASE("connection: without credentials, a request that needs a key is refused before anything is sent") {
  RecordingServer server;
  ConnectionOptions options;
  options.base_url = server.url();
  const auto connection = VenueConnection::open(binance_spot(), std::move(options)).value();
  venue::Request request = venue::binance::spot::open_orders("BTCUSDT");
  request.security = venue::Security::api_key;
  const Result<HttpResponse> keyed = connection->channel().execute(request);
  REQUIRE_FALSE(keyed);
  CHECK(keyed.error().code == ErrorCode::auth_failed);
  const Result<HttpResponse> signed_request =
      connection->channel().execute(venue::binance::spot::open_orders("BTCUSDT"));
  REQUIRE_FALSE(signed_request);
  CHECK(signed_request.error().code == ErrorCode::auth_failed);
  std::lock_guard lock(server.mutex);
  CHECK(server.requests == 0);
}

TEST_CASE("connection: a bad base URL or a key without a secret is refused as invalid_argument") {
  ConnectionOptions bad_url;
  bad_url.base_url = "ftp://127.0.0.1:1";
  const auto url_error = VenueConnection::open(binance_spot(), std::move(bad_url));
  REQUIRE_FALSE(url_error);
  CHECK(url_error.error().code == ErrorCode::invalid_argument);

  ConnectionOptions no_secret;
  no_secret.base_url = "http://127.0.0.1:1";
  no_secret.credentials = sign::Credentials{"key-123", sign::Secret(""), {}};
  const auto secret_error = VenueConnection::open(binance_spot(), std::move(no_secret));
  REQUIRE_FALSE(secret_error);
  CHECK(secret_error.error().code == ErrorCode::invalid_argument);
}

namespace {

/// The units each of `pools` holds right after a connection made by `open` executes
/// `request`, read within the time the fastest-refilling of them takes to regain one unit
/// (otherwise a busy machine could see a unit come back between the request and the
/// reading). Each attempt uses a fresh connection, so an empty limiter; nullopt when no
/// attempt in 50 was quick enough.
template <class Open, class Request>
std::optional<std::vector<std::uint64_t>> units_after(const Open& open, const Request& request,
                                                      const std::vector<std::uint8_t>& pools) {
  for (int attempt = 0; attempt < 50; ++attempt) {
    const auto connection = open();
    const rate::Budget& limiter = *connection->limiter();
    Nanos refill = Nanos::max();
    for (const std::uint8_t pool : pools) {
      const rate::Quota quota = rate::quota_for(limiter.policy().pools[pool]);
      const std::uint64_t per_interval = quota.refill != 0 ? quota.refill : quota.burst;
      refill = std::min(refill, quota.interval / static_cast<std::int64_t>(per_interval));
    }
    const SteadyTime before = RealClock{}.steady_now();
    REQUIRE(connection->channel().execute(request));
    const SteadyTime after = RealClock{}.steady_now();
    const rate::LimiterStatus status = limiter.status(after);
    if (after - before >= refill) continue;
    std::vector<std::uint64_t> units;
    for (const std::uint8_t pool : pools) units.push_back(status.pools[pool].used);
    return units;
  }
  return std::nullopt;
}

}  // namespace

TEST_CASE("channel: a batch is charged once per order where the venue counts its orders (Bybit, OKX)") {
  std::vector<venue::OrderRef> refs;
  for (int i = 0; i < 5; ++i) refs.push_back(venue::OrderRef{"BTCUSDT", std::nullopt, "cts" + std::to_string(i)});
  RecordingServer server;
  const auto open_bybit = [&server] {
    ConnectionOptions options;
    options.base_url = server.url();
    options.credentials.api_key = "k";
    options.credentials.secret = sign::Secret("s");
    return VenueConnection::open(*venue::find_connector(VenueId::bybit, "linear").value(), std::move(options)).value();
  };
  const auto bybit = units_after(open_bybit, venue::bybit::cancel_batch(venue::bybit::Category::linear, refs).value(),
                                 {rate::bybit_pool::batch, rate::bybit_pool::ip});
  if (!bybit) {
    MESSAGE("skipped: no Bybit batch was read back within one refill interval in 50 attempts (machine too busy)");
    return;
  }
  CHECK((*bybit)[0] == 5);
  CHECK((*bybit)[1] == 5);  // the IP pool too: more than Bybit counts, never less

  for (venue::OrderRef& ref : refs) ref.symbol = "BTC-USDT";
  const auto open_okx = [&server] {
    ConnectionOptions options;
    options.base_url = server.url();
    options.credentials.api_key = "k";
    options.credentials.secret = sign::Secret("s");
    options.credentials.passphrase = sign::Secret("p");
    return VenueConnection::open(*venue::find_connector(VenueId::okx, "spot").value(), std::move(options)).value();
  };
  const auto okx =
      units_after(open_okx, venue::okx::cancel_batch(venue::okx::InstType::spot, refs).value(), {rate::okx_pool::batch_cancel});
  if (!okx) {
    MESSAGE("skipped: no OKX batch was read back within one refill interval in 50 attempts (machine too busy)");
    return;
  }
  CHECK((*okx)[0] == 5);
}
