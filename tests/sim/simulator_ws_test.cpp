// Tests of the Simulator's WebSocket side over real ws:// and wss:// on 127.0.0.1: a
// minimal Beast client (independent of the code under test) subscribes to market
// streams and to the user data stream through the WebSocket API, an order placed over
// REST (net::HttpClient, signed by cts::sign) produces its executionReport, and the
// ws_drop fault and drop_websockets() cut connections. Frames are checked with the cts
// connector's parsers; with venue okx, cts's OKX stream protocols read OKX's streams;
// with venue bybit, cts's TradeStreamOrders places and cancels orders on `/v5/trade`
// through a net::WsClient.
#include <cts/sim/simulator.hpp>

#include <sys/socket.h>
#include <sys/time.h>

#include <chrono>
#include <optional>
#include <string>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <doctest/doctest.h>

#include <cts/net/http_client.hpp>
#include <cts/net/ws_client.hpp>
#include <cts/sign/bybit.hpp>
#include <cts/sign/binance.hpp>
#include <cts/sign/ed25519.hpp>
#include <cts/sign/encoding.hpp>
#include <cts/sign/hmac.hpp>
#include <cts/sign/okx.hpp>
#include <cts/sign/secret.hpp>
#include <cts/venue/binance/stream_frames.hpp>
#include <cts/venue/binance/spot_streams.hpp>
#include <cts/venue/binance/spot_ws_orders.hpp>
#include <cts/venue/binance/streams.hpp>
#include <cts/venue/binance/ws_api.hpp>
#include <cts/venue/bybit/ws_orders.hpp>
#include <cts/venue/okx/requests.hpp>
#include <cts/venue/okx/market.hpp>
#include <cts/venue/okx/stream_protocols.hpp>
#include <cts/venue/okx/ws_orders.hpp>

using namespace cts;
using namespace cts::sim;
namespace vb = cts::venue::binance;
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
using tcp = asio::ip::tcp;

namespace {

// A blocking WebSocket client with a 10 s receive timeout (SO_RCVTIMEO), for tests.
class TestSocket {
 public:
  TestSocket(const std::string& url, const std::string& ca_pem) {
    const bool tls = url.starts_with("wss://");
    const std::string rest = url.substr(tls ? 6 : 5);
    const std::size_t colon = rest.find(':'), slash = rest.find('/');
    const std::string port = rest.substr(colon + 1, slash == std::string::npos ? std::string::npos : slash - colon - 1);
    const std::string target = slash == std::string::npos ? "/" : rest.substr(slash);
    const std::string host = "127.0.0.1:" + port;
    tcp::socket socket(io_);
    socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(std::stoi(port))));
    timeval timeout{10, 0};
    ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    if (tls) {
      ssl_.add_certificate_authority(asio::buffer(ca_pem));
      ssl_.set_verify_mode(asio::ssl::verify_peer);
      secure_.emplace(std::move(socket), ssl_);
      secure_->next_layer().set_verify_callback(asio::ssl::host_name_verification("127.0.0.1"));
      secure_->next_layer().handshake(asio::ssl::stream_base::client);
      secure_->handshake(host, target);
    } else {
      plain_.emplace(std::move(socket));
      plain_->handshake(host, target);
    }
  }
  void send(const std::string& text) {
    if (plain_) {
      plain_->write(asio::buffer(text));
    } else {
      secure_->write(asio::buffer(text));
    }
  }
  // The next message; nullopt when the connection failed, closed or timed out.
  std::optional<std::string> read() {
    beast::flat_buffer buffer;
    beast::error_code ec;
    if (plain_) {
      plain_->read(buffer, ec);
    } else {
      secure_->read(buffer, ec);
    }
    if (ec) return std::nullopt;
    return beast::buffers_to_string(buffer.data());
  }

 private:
  asio::io_context io_;
  asio::ssl::context ssl_{asio::ssl::context::tls_client};
  std::optional<websocket::stream<tcp::socket>> plain_;
  std::optional<websocket::stream<asio::ssl::stream<tcp::socket>>> secure_;
};

HttpRequest signed_order(const Simulator& sim, std::string params) {
  HttpRequest r;
  r.method = HttpMethod::post;
  r.path = "/api/v3/order";
  r.body = std::move(params);
  r.set_header("Content-Type", "application/x-www-form-urlencoded");
  r.set_header("X-MBX-APIKEY", sim.options().api_key);
  const sign::BinanceHmacSigner signer(VenueId::binance_spot, sim.options().api_key, sign::Secret(sim.options().api_secret));
  REQUIRE(signer.sign(r, sign::SigningContext{.now = RealClock{}.system_now(), .nonce = {}, .nonce_text = {}}));
  return r;
}

std::string user_subscribe(const Simulator& sim) {
  const std::int64_t timestamp = to_unix_millis(RealClock{}.system_now());
  const sign::HmacSha256 mac(sim.options().api_secret);
  const std::string signature = sign::hex_lower(mac.digest(vb::user_data_subscribe_payload(sim.options().api_key, timestamp)));
  return vb::user_data_subscribe_frame("u1", sim.options().api_key, timestamp, signature).value();
}

// The first OrderUpdate `user` reads from the next 4 messages of `socket`; nullopt when
// none of them holds one.
std::optional<cts::venue::OrderUpdate> next_order_update(TestSocket& socket,
                                                         cts::venue::okx::PrivateUserStream& user) {
  for (int i = 0; i < 4; ++i) {
    auto text = socket.read();
    REQUIRE(text);
    auto events = user.on_message(*text);
    REQUIRE_MESSAGE(events, *text);
    for (auto& event : *events) {
      if (auto* update = std::get_if<cts::venue::OrderUpdate>(&event)) return std::move(*update);
    }
  }
  return std::nullopt;
}

// The next message `client` receives within 10 s (connection events skipped); nullopt
// when none comes or the client closes.
std::optional<std::string> next_message(net::WsClient& client) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    auto event = client.wait(std::chrono::milliseconds(100));
    if (!event) continue;
    if (event->kind == net::WsEvent::Kind::message) return std::move(event->text);
    if (event->kind == net::WsEvent::Kind::closed) return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace

TEST_CASE("[threads] ws:// market streams: combined depth and trade events from the seeded market") {
  SimulatorOptions options;
  options.flow.seed = 11;
  options.flow.interval = std::chrono::milliseconds(50);
  options.flow.taker_ppm = 900'000;
  Simulator sim(options);
  CHECK(sim.ws_url().starts_with("ws://127.0.0.1:"));
  CHECK(sim.ws_api_url() == sim.ws_url() + "/ws-api/v3");
  TestSocket market(sim.ws_url() + "/stream?streams=btcusdt@depth@100ms", {});
  market.send(R"({"method":"SUBSCRIBE","params":["btcusdt@trade","btcusdt@bookTicker"],"id":1})");
  bool acked = false, depth = false, trade = false, ticker = false;
  std::uint64_t last_u = 0;
  for (int i = 0; i < 400 && !(acked && depth && trade && ticker); ++i) {
    auto text = market.read();
    REQUIRE(text);
    if (*text == R"({"result":null,"id":1})") {
      acked = true;
      continue;
    }
    REQUIRE(text->starts_with(R"({"stream":")"));
    auto event = vb::parse_stream_event(*text);
    REQUIRE_MESSAGE(event, *text);
    if (const auto* diff = std::get_if<cts::venue::DepthDiff>(&*event)) {
      if (last_u != 0) CHECK(diff->first_update_id == last_u + 1);
      last_u = diff->final_update_id;
      depth = true;
    }
    trade = trade || std::holds_alternative<vb::TradeEvent>(*event);
    ticker = ticker || std::holds_alternative<cts::venue::BookTicker>(*event);
  }
  CHECK(acked);
  CHECK(depth);
  CHECK(trade);
  CHECK(ticker);
}

TEST_CASE("[threads] wss:// user data stream: a REST order's executionReport arrives over the WebSocket API") {
  SimulatorOptions options;
  options.tls = true;
  options.market_flow = false;
  Simulator sim(options);
  CHECK(sim.ws_api_url().starts_with("wss://127.0.0.1:"));
  TestSocket api(sim.ws_api_url(), sim.certificate_pem());
  api.send(user_subscribe(sim));
  auto ack = api.read();
  REQUIRE(ack);
  auto parsed = vb::parse_stream_event(*ack);
  REQUIRE_MESSAGE(parsed, *ack);
  CHECK(std::get<vb::SubscriptionAck>(*parsed).subscription_id == 0);

  net::HttpClientOptions http_options;
  http_options.ca_pem = sim.certificate_pem();
  net::HttpClient client(sim.base_url(), http_options);
  auto placed = client.send(signed_order(sim, "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.5&price=20000&newClientOrderId=ws-1"));
  REQUIRE(placed);
  CHECK(placed->status == 200);
  auto report = api.read();
  REQUIRE(report);
  auto update = vb::parse_stream_event(*report);
  REQUIRE_MESSAGE(update, *report);
  const auto& order = std::get<vb::OrderUpdate>(*update);
  CHECK(order.execution == vb::ExecutionType::new_);
  CHECK(order.order.client_order_id == "ws-1");
  CHECK(order.order.quantity == Decimal::parse("0.5").value());
  auto balances = api.read();
  REQUIRE(balances);
  auto position = vb::parse_stream_event(*balances);
  REQUIRE_MESSAGE(position, *balances);
  CHECK(std::holds_alternative<vb::AccountPosition>(*position));
}

TEST_CASE("[threads] ws:// Binance WebSocket API: orders placed and cancelled by SpotWsOrders, seen by REST and the user data stream") {
  SimulatorOptions options;
  options.market_flow = false;
  Simulator sim(options);
  const sign::BinanceHmacSigner signer(VenueId::binance_spot, sim.options().api_key, sign::Secret(sim.options().api_secret));
  vb::SpotWsOrders orders(signer);
  orders.on_connected();
  TestSocket api(sim.ws_api_url(), {});
  REQUIRE(orders.login(RealClock{}.system_now()).value().empty());
  api.send(user_subscribe(sim));
  REQUIRE(api.read());  // the subscription's acknowledgement

  venue::NewOrder order;
  order.symbol = "BTCUSDT";
  order.side = Side::buy;
  order.type = OrderType::limit;
  order.quantity = Decimal::parse("0.5").value();
  order.price = Decimal::parse("20000").value();
  order.client_order_id = "ws-order-1";
  auto place = orders.create_order(order, "place-1", RealClock{}.system_now());
  REQUIRE(place);
  api.send(place->frame);
  // The reply and the executionReport may come in either order.
  std::optional<venue::WsOrderReply> reply;
  bool reported = false;
  for (int i = 0; i < 3 && (!reply || !reported); ++i) {
    auto text = api.read();
    REQUIRE(text);
    if (text->find(R"("subscriptionId")") != std::string::npos) {
      auto event = vb::parse_stream_event(*text);
      REQUIRE_MESSAGE(event, *text);
      if (auto* update = std::get_if<vb::OrderUpdate>(&*event)) reported = update->order.client_order_id == "ws-order-1";
      continue;
    }
    auto parsed = orders.on_message(*text);
    REQUIRE_MESSAGE(parsed, *text);
    reply = std::get<venue::WsOrderReply>(std::move(*parsed));
  }
  REQUIRE(reply);
  CHECK(reply->id == "place-1");
  REQUIRE_MESSAGE(reply->outcome, reply->outcome.error().message);
  CHECK(reply->outcome->status == venue::OrderStatus::new_);
  CHECK(reported);

  // REST sees the order the WebSocket API placed.
  net::HttpClient client(sim.base_url(), {});
  HttpRequest query;
  query.method = HttpMethod::get;
  query.path = "/api/v3/order";
  query.query = "symbol=BTCUSDT&origClientOrderId=ws-order-1";
  REQUIRE(signer.sign(query, sign::SigningContext{.now = RealClock{}.system_now(), .nonce = {}, .nonce_text = {}}));
  auto seen = client.send(query);
  REQUIRE(seen);
  CHECK(seen->status == 200);
  CHECK(seen->body.find(R"("status":"NEW")") != std::string::npos);

  auto cancel = orders.cancel_order({"BTCUSDT", reply->outcome->order_id, ""}, "cancel-1", RealClock{}.system_now());
  REQUIRE(cancel);
  api.send(cancel->frame);
  std::optional<venue::WsOrderReply> cancelled;
  for (int i = 0; i < 4 && !cancelled; ++i) {
    auto text = api.read();
    REQUIRE(text);
    if (text->find(R"("subscriptionId")") != std::string::npos) continue;
    auto parsed = orders.on_message(*text);
    REQUIRE_MESSAGE(parsed, *text);
    cancelled = std::get<venue::WsOrderReply>(std::move(*parsed));
  }
  REQUIRE(cancelled);
  REQUIRE(cancelled->outcome);
  CHECK(cancelled->outcome->status == venue::OrderStatus::canceled);
  // Cancelling again: Binance's -2011, mapped as REST maps it.
  auto again = orders.cancel_order({"BTCUSDT", reply->outcome->order_id, ""}, "cancel-2", RealClock{}.system_now());
  REQUIRE(again);
  api.send(again->frame);
  std::optional<venue::WsOrderReply> refused;
  for (int i = 0; i < 4 && !refused; ++i) {
    auto text = api.read();
    REQUIRE(text);
    if (text->find(R"("subscriptionId")") != std::string::npos) continue;
    auto parsed = orders.on_message(*text);
    REQUIRE_MESSAGE(parsed, *text);
    refused = std::get<venue::WsOrderReply>(std::move(*parsed));
  }
  REQUIRE(refused);
  CHECK(refused->outcome.error().code == ErrorCode::order_not_found);
  CHECK(refused->outcome.error().venue_code == "-2011");
}

TEST_CASE("[threads] ws:// Binance Ed25519 key: the user data stream logs on, a REST order signed with Ed25519 reaches it") {
  // RFC 8032 TEST 1 as PKCS#8, registered with the simulator by its public key.
  constexpr std::string_view pem =
      "-----BEGIN PRIVATE KEY-----\n"
      "MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g\n"
      "-----END PRIVATE KEY-----\n";
  const sign::Ed25519Key key = sign::Ed25519Key::from_pem(pem).value();
  SimulatorOptions options;
  options.market_flow = false;
  options.ed25519_keys.emplace_back("sim-ed-key", key.public_key());
  Simulator sim(options);
  const sign::BinanceEd25519Signer signer(VenueId::binance_spot, "sim-ed-key", key);
  auto user = vb::SpotUserStream::make(signer);
  REQUIRE(user);
  TestSocket api(sim.ws_api_url(), {});
  api.send((*user)->subscriptions(RealClock{}.system_now())->front());
  auto logon = api.read();
  REQUIRE(logon);
  auto authenticated = (*user)->on_message(*logon);
  REQUIRE_MESSAGE(authenticated, *logon);
  REQUIRE(authenticated->size() == 1);
  CHECK(std::holds_alternative<venue::UserAuthenticated>(authenticated->front()));
  api.send((*user)->after_authentication().front());
  auto ack = api.read();
  REQUIRE(ack);
  auto subscribed = (*user)->on_message(*ack);
  REQUIRE_MESSAGE(subscribed, *ack);
  CHECK(std::get<venue::UserSubscribed>(subscribed->front()).subscription_id == 0);

  HttpRequest order;
  order.method = HttpMethod::post;
  order.path = "/api/v3/order";
  order.body = "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.5&price=20000&newClientOrderId=ed-rest-1";
  order.set_header("Content-Type", "application/x-www-form-urlencoded");
  REQUIRE(signer.sign(order, sign::SigningContext{.now = RealClock{}.system_now(), .nonce = {}, .nonce_text = {}}));
  net::HttpClient client(sim.base_url(), {});
  auto placed = client.send(order);
  REQUIRE(placed);
  CHECK_MESSAGE(placed->status == 200, placed->body);
  auto report = api.read();
  REQUIRE(report);
  auto events = (*user)->on_message(*report);
  REQUIRE_MESSAGE(events, *report);
  REQUIRE(events->size() == 1);
  CHECK(std::get<venue::OrderUpdate>(events->front()).order.client_order_id == "ed-rest-1");

  // A wrong Ed25519 signature on REST: -1022.
  order.body = "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.5&price=20000&newClientOrderId=ed-rest-2";
  const sign::BinanceEd25519Signer other(VenueId::binance_spot, "sim-ed-key",
                                         sign::Ed25519Key::from_seed(std::vector<std::uint8_t>(32, 9)).value());
  REQUIRE(other.sign(order, sign::SigningContext{.now = RealClock{}.system_now(), .nonce = {}, .nonce_text = {}}));
  auto forged = client.send(order);
  REQUIRE(forged);
  CHECK(forged->status == 400);
  CHECK(forged->body.find("-1022") != std::string::npos);
}

TEST_CASE("[threads] the ws_drop fault and drop_websockets() cut connections abruptly") {
  SimulatorOptions options;
  options.market_flow = false;
  Simulator sim(options);
  {
    TestSocket victim(sim.ws_url() + "/ws", {});
    victim.send(R"({"method":"LIST_SUBSCRIPTIONS","id":1})");
    CHECK(victim.read() == std::optional<std::string>(R"({"result":[],"id":1})"));
    sim.drop_websockets();
    CHECK_FALSE(victim.read());
  }
  sim.set_faults(FaultConfig::parse("ws_drop_every=2").value());
  TestSocket market(sim.ws_url() + "/ws", {});
  market.send(R"({"method":"LIST_SUBSCRIPTIONS","id":1})");
  CHECK(market.read() == std::optional<std::string>(R"({"result":[],"id":1})"));
  market.send(R"({"method":"LIST_SUBSCRIPTIONS","id":2})");
  CHECK_FALSE(market.read());
  CHECK(sim.ws_stats().drops == 1);
}

TEST_CASE("[threads] ws:// OKX: the seeded market's books keep a PublicMarketStream synced, REST and WebSocket orders reach the private stream") {
  SimulatorOptions options;
  options.venue = SimVenue::okx;
  options.flow.seed = 11;
  options.flow.interval = std::chrono::milliseconds(50);
  options.flow.taker_ppm = 900'000;
  Simulator sim(options);
  CHECK(sim.ws_api_url() == sim.ws_url() + "/ws/v5/private");

  // The public stream: the subscribe reply, the snapshot, then updates that keep applying
  // (seqId continuity and checksums verified by the client), and bbo-tbt tops.
  TestSocket market(sim.ws_url() + std::string(cts::venue::okx::kPublicStreamPath), {});
  cts::venue::okx::PublicMarketStream book("BTC-USDT", /*best_bid_ask=*/true);
  market.send(book.subscriptions()[0]);
  int subscribed = 0, books = 0, tops = 0;
  for (int i = 0; i < 400 && (books < 10 || tops < 2); ++i) {
    auto text = market.read();
    REQUIRE(text);
    auto change = book.on_message(*text);
    REQUIRE_MESSAGE(change, *text);
    REQUIRE_MESSAGE(*change != cts::venue::MarketChange::gap, *text);
    subscribed += *change == cts::venue::MarketChange::subscribed;
    books += *change == cts::venue::MarketChange::book;
    tops += *change == cts::venue::MarketChange::ticker;
  }
  CHECK(subscribed == 1);
  CHECK(books >= 10);
  CHECK(tops >= 2);
  CHECK(book.synced());

  // The private stream: login, then the subscribe after its reply; an order placed over
  // REST comes back as an OrderUpdate with its clOrdId.
  const sign::OkxSigner signer(options.api_key, sign::Secret(options.api_secret),
                               sign::Secret(options.api_passphrase));
  cts::venue::okx::PrivateUserStream user(signer, cts::venue::okx::InstType::spot);
  TestSocket api(sim.ws_api_url(), {});
  api.send(user.subscriptions(RealClock{}.system_now()).value().front());
  auto login = api.read();
  REQUIRE(login);
  auto authenticated = user.on_message(*login);
  REQUIRE_MESSAGE(authenticated, *login);
  REQUIRE(authenticated->size() == 1);
  CHECK(std::holds_alternative<cts::venue::UserAuthenticated>(authenticated->front()));
  api.send(user.after_authentication().front());
  bool user_subscribed = false;
  for (int i = 0; i < 3; ++i) {  // the orders and account replies, the account's first push
    auto text = api.read();
    REQUIRE(text);
    auto events = user.on_message(*text);
    REQUIRE_MESSAGE(events, *text);
    for (const auto& event : *events) user_subscribed = user_subscribed || std::holds_alternative<cts::venue::UserSubscribed>(event);
  }
  CHECK(user_subscribed);

  cts::venue::NewOrder order;
  order.symbol = "BTC-USDT";
  order.side = Side::buy;
  order.quantity = Decimal::parse("0.5").value();
  order.price = Decimal::parse("20000").value();
  order.client_order_id = "okxws1";
  auto request = cts::venue::okx::place_order(cts::venue::okx::InstType::spot, order);
  REQUIRE(request);
  REQUIRE(signer.sign(request->http, sign::SigningContext{.now = RealClock{}.system_now(), .nonce = {}, .nonce_text = {}}));
  net::HttpClient client(sim.base_url(), {});
  auto placed = client.send(request->http);
  REQUIRE(placed);
  REQUIRE_MESSAGE(placed->body.find(R"("sCode":"0")") != std::string::npos, placed->body);
  const std::optional<cts::venue::OrderUpdate> live = next_order_update(api, user);
  REQUIRE(live);
  CHECK(live->order.client_order_id == "okxws1");
  CHECK(live->order.status == cts::venue::OrderStatus::new_);
  CHECK(live->order.quantity == Decimal::parse("0.5").value());
  CHECK(api.read() != std::nullopt);  // the account push of the 10000 USDT it froze

  // The same order entry over the private stream: instIdCode from the listed instruments,
  // the reply matched by its id, then the order's push.
  auto instruments = cts::venue::okx::instruments(cts::venue::okx::InstType::spot);
  REQUIRE(instruments);
  auto listed = client.send(instruments->http);
  REQUIRE(listed);
  const auto listings = cts::venue::okx::parse_instruments(*listed, cts::venue::okx::InstType::spot);
  REQUIRE(listings);
  const auto codes = cts::venue::okx::InstIdCodes::from_listings(*listings);
  order.client_order_id = "okxws2";
  order.price = Decimal::parse("20000.1").value();
  const auto frame = cts::venue::okx::ws_place_order("ws2", cts::venue::okx::InstType::spot, order, codes);
  REQUIRE(frame);
  api.send(frame->text);
  auto answered = api.read();
  REQUIRE(answered);
  const auto reply = cts::venue::okx::parse_ws_order_reply(*answered);
  REQUIRE_MESSAGE(reply, *answered);
  CHECK(reply->id == "ws2");
  const auto ack = cts::venue::okx::ws_order_ack(*reply);
  REQUIRE_MESSAGE(ack, *answered);
  CHECK(ack->client_order_id == "okxws2");
  const std::optional<cts::venue::OrderUpdate> pushed = next_order_update(api, user);
  REQUIRE(pushed);
  CHECK(pushed->order.client_order_id == "okxws2");
  CHECK(pushed->order.order_id == ack->order_id);
  CHECK(pushed->order.price == Decimal::parse("20000.1").value());
}

TEST_CASE("[threads] ws:// Bybit /v5/trade: cts's TradeStreamOrders logs in, creates and cancels over a net::WsClient") {
  SimulatorOptions options;
  options.venue = SimVenue::bybit;
  Simulator sim(options);
  const sign::BybitSigner signer(options.api_key, sign::Secret(options.api_secret));
  auto made = cts::venue::bybit::TradeStreamOrders::make(signer, cts::venue::bybit::Category::spot, {});
  REQUIRE(made);
  cts::venue::WsOrderProtocol& protocol = **made;
  const auto login = protocol.login(RealClock{}.system_now());
  REQUIRE(login);
  net::WsClientOptions client_options;
  client_options.subscriptions = [frames = *login] { return frames; };
  net::WsClient client(sim.ws_url() + "/v5/trade", client_options);
  client.start();
  const auto auth = next_message(client);
  REQUIRE(auth);
  const auto logged_in = protocol.on_message(*auth);
  REQUIRE_MESSAGE(logged_in, *auth);
  CHECK(std::holds_alternative<cts::venue::WsOrderLoggedIn>(*logged_in));
  CHECK_FALSE(protocol.awaiting_login());

  // The keep-alive is answered with a pong the protocol ignores.
  REQUIRE(client.send(std::string(protocol.application_ping())));
  const auto pong = next_message(client);
  REQUIRE(pong);
  CHECK(std::holds_alternative<cts::venue::WsOrderIgnored>(protocol.on_message(*pong).value()));

  cts::venue::NewOrder order;
  order.symbol = "BTCUSDT";
  order.side = Side::buy;
  order.quantity = Decimal::parse("0.5").value();
  order.price = Decimal::parse("20000").value();
  order.client_order_id = "bybitws1";
  const auto create = protocol.create_order(order, "c1", RealClock{}.system_now());
  REQUIRE(create);
  REQUIRE(client.send(create->frame));
  const auto created_text = next_message(client);
  REQUIRE(created_text);
  const auto created = protocol.on_message(*created_text);
  REQUIRE_MESSAGE(created, *created_text);
  const auto& created_reply = std::get<cts::venue::WsOrderReply>(*created);
  CHECK(created_reply.id == "c1");
  REQUIRE_MESSAGE(created_reply.outcome, *created_text);
  CHECK(created_reply.outcome->status == cts::venue::OrderStatus::pending_new);
  CHECK(created_reply.outcome->client_order_id == "bybitws1");
  const std::string order_id = created_reply.outcome->order_id;
  const auto resting =
      sim.with_engine([&](MatchingEngine& engine) { return engine.open_orders(sim.account(), "BTCUSDT"); });
  REQUIRE(resting.size() == 1);
  CHECK(std::to_string(resting[0].id) == order_id);
  CHECK(resting[0].price == Decimal::parse("20000").value());

  const auto cancel = protocol.cancel_order({"BTCUSDT", order_id, ""}, "c2", RealClock{}.system_now());
  REQUIRE(cancel);
  REQUIRE(client.send(cancel->frame));
  const auto cancelled_text = next_message(client);
  REQUIRE(cancelled_text);
  const auto cancelled = protocol.on_message(*cancelled_text);
  REQUIRE_MESSAGE(cancelled, *cancelled_text);
  const auto& cancelled_reply = std::get<cts::venue::WsOrderReply>(*cancelled);
  CHECK(cancelled_reply.id == "c2");
  REQUIRE(cancelled_reply.outcome);
  CHECK(cancelled_reply.outcome->status == cts::venue::OrderStatus::pending_cancel);
  CHECK(cancelled_reply.outcome->order_id == order_id);
  CHECK(sim.with_engine([&](MatchingEngine& engine) { return engine.open_orders(sim.account(), "BTCUSDT"); }).empty());

  // An unknown order: the REST front's 110001, as order_not_found.
  const auto unknown = protocol.cancel_order({"BTCUSDT", std::string("987654321"), ""}, "c3", RealClock{}.system_now());
  REQUIRE(unknown);
  REQUIRE(client.send(unknown->frame));
  const auto unknown_text = next_message(client);
  REQUIRE(unknown_text);
  const auto refused = protocol.on_message(*unknown_text);
  REQUIRE(refused);
  CHECK(std::get<cts::venue::WsOrderReply>(*refused).outcome.error().code == ErrorCode::order_not_found);
  client.stop();

  // A wrong secret: the auth reply is the protocol's error.
  const sign::BybitSigner wrong(options.api_key, sign::Secret("not-the-secret"));
  auto other = cts::venue::bybit::TradeStreamOrders::make(wrong, cts::venue::bybit::Category::spot, {});
  REQUIRE(other);
  const auto wrong_login = (*other)->login(RealClock{}.system_now());
  REQUIRE(wrong_login);
  net::WsClientOptions wrong_options;
  wrong_options.subscriptions = [frames = *wrong_login] { return frames; };
  net::WsClient refused_client(sim.ws_url() + "/v5/trade", wrong_options);
  refused_client.start();
  const auto refusal = next_message(refused_client);
  REQUIRE(refusal);
  const auto refused_login = (*other)->on_message(*refusal);
  REQUIRE_FALSE(refused_login);
  CHECK(refused_login.error().code == ErrorCode::invalid_signature);
  refused_client.stop();
}
