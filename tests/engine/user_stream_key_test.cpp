// Tests for the listen-key side of cts/engine/user_stream.hpp: a UserStream whose
// venue's private stream logs in with a listen key opens one before connecting,
// extends it once half its validity (the capabilities' listen_key_validity) has passed,
// and replaces it when the venue expired or forgot it. Driven through Binance USD-M's
// real gateway and stream protocol over the venue tests' scripted request sender (replies as USD-M's
// documentation prints them: {"listenKey":..}, {}, -1125 "This listenKey does not
// exist."), with times passed in: nothing waits.
#include <cts/engine/user_stream.hpp>

#include <deque>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include <cts/venue/binance/spot_gateway.hpp>
#include <cts/venue/binance/usdm_gateway.hpp>
#include <cts/venue/binance/usdm_streams.hpp>

#include "../venue/support.hpp"
#include "stream_harness.hpp"

using namespace cts;
using namespace cts::engine;
using namespace cts::literals;
using namespace cts_test;
using namespace std::chrono_literals;

namespace {

std::string key_reply(std::string_view key) { return fmt::format(R"({{"listenKey":"{}"}})", key); }

constexpr std::string_view kFirstKey = "pqia91ma19a5s61cv6a81va65sdf19v8a65a1a5s61cv6a81va65sdf19v8a65a1";
constexpr std::string_view kSecondKey = "WsCMN0a4KHUPTQuX6IUnqEZfB1inxmv1qR4kbf1LuEjur5VdbzqvyxqG9TSjVVxv";

}  // namespace

TEST_CASE("user stream key: opened before connecting, extended at half its validity, retried after a failure") {
  sim::Simulator simulator(still_market());
  StreamHarness h(simulator, "uds-key-timer");
  ScriptedSender sender;
  venue::binance::UsdmGateway gateway(sender);
  UserStreamOptions options;
  options.key_gateway = &gateway;
  options.key_retry_interval = 5s;
  UserStream stream(std::make_unique<venue::binance::UsdmUserStream>(), *h.executor, options);
  REQUIRE(stream.uses_stream_key());
  CHECK(stream.connection_target("/private") == "/private");  // no key yet

  const SteadyTime t0{};
  sender.then(response(200, key_reply(kFirstKey)));
  CHECK_FALSE(stream.maintain_key(t0));  // not connected: the first connection will use it
  REQUIRE(sender.sent.size() == 1);
  CHECK(sender.sent[0].http.method == HttpMethod::post);
  CHECK(sender.sent[0].http.path == "/fapi/v1/listenKey");
  CHECK(stream.stats().keys_opened == 1);
  CHECK(stream.connection_target("/private") == fmt::format("/private/ws?listenKey={}", kFirstKey));
  CHECK(stream.subscriptions().empty());  // no frame: the connection's target subscribes

  // Connecting with the key is the subscription: live at once, reconciliation asked for.
  REQUIRE(stream.on_event(ws_opened(1), t0));
  CHECK(stream.live());
  CHECK(stream.needs_reconcile());
  CHECK(stream.stats().subscriptions == 1);

  // The key lives 60 minutes: nothing before 30, one PUT at 30.
  CHECK_FALSE(stream.maintain_key(t0 + 29min));
  CHECK(sender.sent.size() == 1);
  sender.then(response(200, "{}"));
  CHECK_FALSE(stream.maintain_key(t0 + 30min));
  REQUIRE(sender.sent.size() == 2);
  CHECK(sender.sent[1].http.method == HttpMethod::put);
  CHECK(stream.stats().key_extensions == 1);
  CHECK_FALSE(stream.maintain_key(t0 + 59min));  // 29 minutes after the extension
  CHECK(sender.sent.size() == 2);

  // The next extension meets a venue error: counted, kept, retried after 5 s.
  sender.then(response(503, R"({"code":-1008,"msg":"Server is currently overloaded with other requests."})"));
  CHECK_FALSE(stream.maintain_key(t0 + 60min));
  CHECK(sender.sent.size() == 3);
  CHECK(stream.stats().key_errors == 1);
  REQUIRE(stream.last_key_error());
  CHECK(stream.last_key_error()->code == ErrorCode::venue_unavailable);
  CHECK_FALSE(stream.maintain_key(t0 + 60min + 4s));
  CHECK(sender.sent.size() == 3);
  sender.then(response(200, "{}"));
  CHECK_FALSE(stream.maintain_key(t0 + 60min + 5s));
  CHECK(sender.sent.size() == 4);
  CHECK(sender.sent[3].http.method == HttpMethod::put);
  CHECK(stream.stats().key_extensions == 2);
  CHECK(stream.live());  // the same key all along: no reconnect
}

TEST_CASE("user stream key: an expired or forgotten key is replaced at once and the connection dropped") {
  sim::Simulator simulator(still_market());
  StreamHarness h(simulator, "uds-key-expired");
  ScriptedSender sender;
  venue::binance::UsdmGateway gateway(sender);
  UserStreamOptions options;
  options.key_gateway = &gateway;
  UserStream stream(std::make_unique<venue::binance::UsdmUserStream>(), *h.executor, options);
  const SteadyTime t0{};
  sender.then(response(200, key_reply(kFirstKey)));
  REQUIRE_FALSE(stream.maintain_key(t0));
  REQUIRE(stream.on_event(ws_opened(1), t0));
  REQUIRE(stream.live());

  // The venue expired the key (USD-M's documented event): not live, a new key at once.
  REQUIRE(stream.on_event(ws_message(fixture_text("binance", "usdm_ws_listen_key_expired.json")), t0 + 1min));
  CHECK(stream.terminated());
  CHECK_FALSE(stream.live());
  CHECK(stream.needs_reconcile());
  sender.then(response(200, key_reply(kSecondKey)));
  CHECK(stream.maintain_key(t0 + 1min));  // a new key while connected: drop and connect again
  CHECK(sender.sent.back().http.method == HttpMethod::post);
  CHECK(stream.connection_target("/private") == fmt::format("/private/ws?listenKey={}", kSecondKey));
  REQUIRE(stream.on_event(ws_disconnected(1), t0 + 1min));
  REQUIRE(stream.on_event(ws_opened(2), t0 + 1min));
  CHECK(stream.live());
  CHECK_FALSE(stream.terminated());

  // A PUT answered -1125: the key is gone; a new POST follows in the same call.
  sender.then(response(400, R"({"code":-1125,"msg":"This listenKey does not exist."})"));
  sender.then(response(200, key_reply(kFirstKey)));
  CHECK(stream.maintain_key(t0 + 31min));
  REQUIRE(sender.sent.size() == 4);
  CHECK(sender.sent[2].http.method == HttpMethod::put);
  CHECK(sender.sent[3].http.method == HttpMethod::post);
  CHECK(stream.last_key_error()->code == ErrorCode::rejected);
  CHECK(stream.connection_target("/private") == fmt::format("/private/ws?listenKey={}", kFirstKey));
  CHECK_FALSE(gateway.credentials_refused());  // -1125 is not a refused API key

  // Not connected (after a disconnect), a new key asks for no drop: the next connection uses it.
  REQUIRE(stream.on_event(ws_disconnected(1), t0 + 32min));
  REQUIRE(stream.on_event(ws_message(fixture_text("binance", "usdm_ws_listen_key_expired.json")), t0 + 32min));
  CHECK(stream.connection_target("/private") == "/private");  // the expired key is forgotten
  REQUIRE(stream.on_event(ws_opened(3), t0 + 32min));
  CHECK_FALSE(stream.live());  // a connection made without a key subscribes to nothing
  REQUIRE(stream.on_event(ws_disconnected(3), t0 + 32min));
  sender.then(response(200, key_reply(kSecondKey)));
  CHECK_FALSE(stream.maintain_key(t0 + 32min));
  CHECK(stream.connection_target("/private") == fmt::format("/private/ws?listenKey={}", kSecondKey));

  // A refused API key: the gateway latches it (the session stops on it), nothing more is sent.
  sender.then(response(401, R"({"code":-2015,"msg":"Invalid API-key, IP, or permissions for action."})"));
  REQUIRE(stream.on_event(ws_message(fixture_text("binance", "usdm_ws_listen_key_expired.json")), t0 + 33min));
  CHECK_FALSE(stream.maintain_key(t0 + 33min));
  CHECK(stream.last_key_error()->code == ErrorCode::auth_failed);
  REQUIRE(gateway.credentials_refused());
  const std::size_t sent = sender.sent.size();
  CHECK_FALSE(stream.maintain_key(t0 + 34min));
  CHECK(sender.sent.size() == sent);
}

TEST_CASE("user stream key: nothing is sent for a venue that logs in on the connection; positions are kept") {
  sim::Simulator simulator(still_market());
  StreamHarness h(simulator, "uds-key-none");
  ScriptedSender sender;
  venue::binance::SpotGateway spot(sender);
  UserStreamOptions options;
  options.key_gateway = &spot;
  UserStream signed_in(binance_user_stream(*h.signer), *h.executor, options);
  CHECK_FALSE(signed_in.uses_stream_key());
  CHECK_FALSE(signed_in.maintain_key(SteadyTime{}));
  CHECK(signed_in.close_key());
  CHECK(sender.sent.empty());

  // USD-M's documented ACCOUNT_UPDATE: wallet balances and three position legs.
  UserStream usdm(std::make_unique<venue::binance::UsdmUserStream>(), *h.executor);
  REQUIRE(usdm.on_event(ws_message(fixture_text("binance", "usdm_ws_account_update.json")), SteadyTime{}));
  CHECK(usdm.stats().position_updates == 1);
  CHECK(usdm.stats().account_updates == 1);
  REQUIRE(usdm.positions().size() == 3);
  const StreamPosition& long_leg = usdm.positions().at({"BTCUSDT", venue::PositionSide::long_});
  CHECK(long_leg.position.quantity == "20"_d);
  CHECK(long_leg.position.entry_price == "6563.665"_d);
  CHECK(long_leg.event_time_ms == 1564745798939);
  CHECK(usdm.positions().at({"BTCUSDT", venue::PositionSide::short_}).position.quantity == -"10"_d);
  CHECK(usdm.balances().at("USDT").free == "122624.12345678"_d);
  // An older report does not overwrite a newer one.
  REQUIRE(usdm.on_event(ws_message(R"({"e":"ACCOUNT_UPDATE","E":1564745798000,"T":1564745797999,"a":{"m":"ORDER",)"
                                   R"("B":[],"P":[{"s":"BTCUSDT","pa":"5","ep":"6000","cr":"0","up":"0",)"
                                   R"("mt":"isolated","iw":"0","ps":"LONG"}]}})"),
                        SteadyTime{}));
  CHECK(usdm.positions().at({"BTCUSDT", venue::PositionSide::long_}).position.quantity == "20"_d);
}
