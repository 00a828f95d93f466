// The HTTP client's one resend of a GET whose reused keep-alive connection closed
// without a reply, seen from the rate budget: a loopback server that counts every request
// it reads (as a venue counts its weight) and, when armed, closes the connection instead
// of replying (the simulator's drop_after fault). Every request the server read must have
// been booked in the budget and counted by the RestChannel, the resend included; a
// mutation is sent once and never resent.
#include <cts/engine/rest_channel.hpp>

#include <doctest/doctest.h>

#include <cstddef>
#include <mutex>
#include <string>

#include <cts/net/http_client.hpp>
#include <cts/net/http_server.hpp>
#include <cts/rate/limiter.hpp>
#include <cts/rate/policies/pionex.hpp>

#include "counting_budget.hpp"

using namespace cts;

namespace {

/// A loopback server that reads (and counts) every request; an armed drop closes the
/// connection after reading the next one, without a reply.
struct DroppingServer {
  DroppingServer()
      : server([this](const HttpRequest&) {
          std::lock_guard lock(mutex);
          ++requests;
          if (drop_next) {
            drop_next = false;
            return net::ServerReply{HttpResponse{}, net::ReplyAction::drop};
          }
          HttpResponse ok;
          ok.status = 200;
          ok.body = R"({"result":true,"data":{},"timestamp":1})";
          return net::ServerReply{ok};
        }) {}

  void arm_drop() {
    std::lock_guard lock(mutex);
    drop_next = true;
  }
  int read() {
    std::lock_guard lock(mutex);
    return requests;
  }

  std::mutex mutex;
  bool drop_next = false;
  int requests = 0;
  net::HttpServer server;
};

venue::Request pionex_request(HttpMethod method, std::string path, std::string_view endpoint, bool mutation) {
  venue::Request request;
  request.http.method = method;
  request.http.path = std::move(path);
  request.venue = VenueId::pionex;
  request.endpoint = endpoint;
  request.mutation = mutation;
  return request;
}

}  // namespace

TEST_CASE("rest channel: the HTTP client's resend of a read is booked and counted; a mutation is never resent") {
  DroppingServer venue;
  net::HttpClient http(venue.server.base_url());
  cts_test::CountingBudget budget(rate::kPionexPolicy);
  engine::RestChannel channel(http, budget, nullptr);
  const venue::Request depth =
      pionex_request(HttpMethod::get, "/api/v1/market/depth", "GET /api/v1/market/depth", false);
  REQUIRE(channel.execute(depth));  // pools the connection the next request reuses
  REQUIRE(venue.read() == 1);

  SUBCASE("a read: sent twice, booked twice") {
    venue.arm_drop();
    const Result<HttpResponse> answer = channel.execute(depth);
    REQUIRE(answer);
    CHECK(answer->status == 200);
    CHECK(http.stats().resends == 1);
    CHECK(venue.read() == 3);
    CHECK(budget.bookings() == 3);
    CHECK(channel.stats().requests_sent == 3);
    CHECK(channel.stats().transport_errors == 0);
  }
  SUBCASE("a mutation over DELETE: sent once, its outcome unknown") {
    venue.arm_drop();
    const Result<HttpResponse> answer = channel.execute(
        pionex_request(HttpMethod::delete_, "/api/v1/trade/order", "DELETE /api/v1/trade/order", true));
    REQUIRE(!answer);
    CHECK(answer.error().code == ErrorCode::unknown_outcome);
    CHECK(venue.read() == 2);
    CHECK(budget.bookings() == 2);
    CHECK(channel.stats().requests_sent == 2);
  }
  SUBCASE("a mutation sent as a GET is not resent either") {
    venue.arm_drop();
    const Result<HttpResponse> answer =
        channel.execute(pionex_request(HttpMethod::get, "/api/v1/trade/order", "GET /api/v1/trade/order", true));
    REQUIRE(!answer);
    CHECK(answer.error().code == ErrorCode::unknown_outcome);
    CHECK(http.stats().resends == 0);
    CHECK(venue.read() == 2);
    CHECK(budget.bookings() == 2);
  }
}
