// Tests for cts/health/status.hpp. Orders and HTTP mapping: Spring Boot's
// SimpleStatusAggregator and SimpleHttpCodeStatusMapper, and the SDK's own order, in
// which unknown is worse than pass.
#include <cts/health/status.hpp>

#include <doctest/doctest.h>

#include <vector>

using namespace cts::health;

TEST_CASE("worst status wins under the default order") {
  const StatusOrder order;
  const std::vector<Status> a{Status::pass, Status::warn, Status::pass};
  CHECK(order.worst(a) == Status::warn);
  const std::vector<Status> b{Status::pass, Status::unknown, Status::warn};
  CHECK(order.worst(b) == Status::unknown);
  const std::vector<Status> c{Status::out_of_service, Status::fail, Status::unknown};
  CHECK(order.worst(c) == Status::fail);
  CHECK(order.worst(std::span<const Status>{}) == Status::unknown);
}

TEST_CASE("custom order with a custom code; unknown codes are ignored") {
  const StatusOrder order{"fatal", "fail", "out-of-service", "unknown", "warn", "pass"};
  const std::vector<std::string_view> codes{"pass", "fatal", "fail"};
  CHECK(order.worst(codes) == "fatal");
  const std::vector<std::string_view> strange{"banana", "cherry"};
  CHECK(order.worst(strange) == "unknown");
  const std::vector<std::string_view> mixed{"banana", "warn"};
  CHECK(order.worst(mixed) == "warn");
  // Spring's default puts unknown below up: honoured when configured.
  const StatusOrder spring{"fail", "out-of-service", "pass", "unknown"};
  const std::vector<Status> s{Status::pass, Status::unknown};
  CHECK(spring.worst(s) == Status::pass);
  CHECK_THROWS_AS((StatusOrder{"a", "a"}), std::invalid_argument);
}

TEST_CASE("HTTP mapping per kind and the consistent IETF status") {
  CHECK(http_status(Status::unknown, CheckKind::readiness) == 503);
  CHECK(http_status(Status::unknown, CheckKind::liveness) == 200);
  CHECK(http_status(Status::warn, CheckKind::readiness) == 200);
  CHECK(http_status(Status::out_of_service, CheckKind::liveness) == 503);
  CHECK(http_status(Status::fail, CheckKind::startup) == 503);
  CHECK(to_ietf(Status::unknown, CheckKind::readiness) == "fail");
  CHECK(to_ietf(Status::unknown, CheckKind::liveness) == "warn");
  CHECK(to_ietf(Status::pass, CheckKind::readiness) == "pass");
  CHECK(to_string(Status::out_of_service) == "out-of-service");
}
