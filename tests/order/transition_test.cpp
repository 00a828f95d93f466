// Tests for cts/order/transition.hpp and cts/order/status.hpp: the table against
// nautilus_trader's, row by row, and totality over every (status, event) pair.
#include <cts/order/transition.hpp>

#include <doctest/doctest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <tuple>

using namespace cts::order;

namespace {

OrderEventKind from_nautilus(const std::string& name) {
  std::string snake;
  for (char c : name) {
    if (c >= 'A' && c <= 'Z') {
      if (!snake.empty()) snake += '_';
      snake += static_cast<char>(c - 'A' + 'a');
    } else {
      snake += c;
    }
  }
  if (snake == "filled") snake = "fill";
  return parse_order_event_kind(snake).value();
}

std::set<std::tuple<OrderStatus, OrderEventKind, OrderStatus>> reference_rows() {
  std::ifstream in(std::string(CTS_TEST_DATA_DIR) + "/order/data/nautilus_transitions.txt");
  REQUIRE(in.good());
  std::set<std::tuple<OrderStatus, OrderEventKind, OrderStatus>> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string from, event, to;
    fields >> from >> event >> to;
    rows.emplace(parse_order_status(from).value(), from_nautilus(event), parse_order_status(to).value());
  }
  return rows;
}

}  // namespace

TEST_CASE("the table holds exactly nautilus's rows plus the three outcome_unknown self-loops") {
  const auto rows = reference_rows();
  CHECK(rows.size() == 55);
  std::size_t ours = 0;
  for (std::size_t s = 0; s < kOrderStatusCount; ++s) {
    for (std::size_t e = 0; e < kOrderEventKindCount; ++e) {
      const auto status = static_cast<OrderStatus>(s);
      const auto event = static_cast<OrderEventKind>(e);
      const auto to = table_transition(status, event);
      if (event == OrderEventKind::outcome_unknown) {
        CHECK(to.has_value() == is_in_flight(status));
        if (to) CHECK(*to == status);
        ours += to.has_value();
        continue;
      }
      bool in_reference = false;
      for (const auto& [from, ev, target] : rows) {
        if (from == status && ev == event) {
          in_reference = true;
          REQUIRE(to.has_value());
          CHECK(*to == target);
        }
      }
      CHECK_MESSAGE(to.has_value() == in_reference, to_string(status), " + ", to_string(event));
    }
  }
  CHECK(ours == 3);
  CHECK(kTransitionTable.size() == 58);
}

TEST_CASE("terminal statuses absorb everything but a late fill on CANCELED") {
  for (OrderStatus s : {OrderStatus::denied, OrderStatus::rejected, OrderStatus::expired, OrderStatus::filled}) {
    for (std::size_t e = 0; e < kOrderEventKindCount; ++e) {
      CHECK_FALSE(table_transition(s, static_cast<OrderEventKind>(e)).has_value());
    }
  }
  for (std::size_t e = 0; e < kOrderEventKindCount; ++e) {
    const auto event = static_cast<OrderEventKind>(e);
    CHECK(table_transition(OrderStatus::canceled, event).has_value() == (event == OrderEventKind::filled));
  }
}

TEST_CASE("status and event names round-trip and unknown names are refused") {
  for (std::size_t s = 0; s < kOrderStatusCount; ++s) {
    const auto status = static_cast<OrderStatus>(s);
    CHECK(parse_order_status(to_string(status)).value() == status);
  }
  for (std::size_t e = 0; e < kOrderEventKindCount; ++e) {
    const auto event = static_cast<OrderEventKind>(e);
    CHECK(parse_order_event_kind(to_string(event)).value() == event);
  }
  CHECK(to_string(OrderStatus::partially_filled) == "PARTIALLY_FILLED");
  CHECK(parse_order_status("partially_filled").error().code == cts::ErrorCode::invalid_argument);
  CHECK(parse_order_event_kind("exploded").error().code == cts::ErrorCode::invalid_argument);
  CHECK_FALSE(table_transition(static_cast<OrderStatus>(200), OrderEventKind::accepted).has_value());
}

TEST_CASE("status classes follow nautilus") {
  CHECK(is_open(OrderStatus::accepted));
  CHECK(is_open(OrderStatus::pending_cancel));
  CHECK_FALSE(is_open(OrderStatus::submitted));
  CHECK(is_in_flight(OrderStatus::submitted));
  CHECK_FALSE(is_cancellable(OrderStatus::pending_cancel));
  CHECK(is_cancellable(OrderStatus::partially_filled));
  int terminal = 0;
  for (std::size_t s = 0; s < kOrderStatusCount; ++s) terminal += is_terminal(static_cast<OrderStatus>(s));
  CHECK(terminal == 5);
}
