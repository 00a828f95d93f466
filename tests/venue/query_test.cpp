// Tests for cts/venue/binance/query.hpp against the examples of Binance's "SIGNED
// Endpoint Examples for POST /api/v3/order" (binance-spot-api-docs rest-api.md).
#include <cts/venue/binance/query.hpp>

#include <doctest/doctest.h>

using cts::Decimal;
using cts::venue::binance::QueryBuilder;
using namespace cts::literals;

TEST_CASE("QueryBuilder: the documented example's payload") {
  QueryBuilder query;
  query.add("symbol", "LTCBTC")
      .add("side", "BUY")
      .add("type", "LIMIT")
      .add("timeInForce", "GTC")
      .add("quantity", "1"_d)
      .add("price", "0.1"_d)
      .add_integer("recvWindow", 5000)
      .add_unsigned("timestamp", 1499827319559);
  CHECK(query.str() ==
        "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559");
}

TEST_CASE("QueryBuilder: non-ASCII values are percent-encoded before signing, upper-case hex") {
  QueryBuilder query;
  query.add("symbol", "\xEF\xBC\x91\xEF\xBC\x92\xEF\xBC\x93\xEF\xBC\x94\xEF\xBC\x95\xEF\xBC\x96");
  CHECK(query.str() == "symbol=%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96");
}

TEST_CASE("QueryBuilder: reserved characters are encoded, unreserved kept") {
  QueryBuilder query;
  query.add("a", "x:y/z [\"]&=+").add("b", "A-z_0.9~");
  CHECK(query.str() == "a=x%3Ay%2Fz%20%5B%22%5D%26%3D%2B&b=A-z_0.9~");
}

TEST_CASE("QueryBuilder: decimals in their shortest exact form, negatives kept") {
  QueryBuilder query;
  query.add("p", "0.00001000"_d).add("q", "9000"_d).add("r", -"0.5"_d).add_integer("n", -7);
  CHECK(query.str() == "p=0.00001&q=9000&r=-0.5&n=-7");
}
