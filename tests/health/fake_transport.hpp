#pragma once
// A scripted NotificationTransport for the delivery tests: per origin, a queue of
// responses (or transport errors); once a queue is empty the origin's default answer
// repeats. Every call is recorded with the test's current time. No I/O, no sleeps.
#include <cts/health/notifier.hpp>

#include <deque>
#include <map>
#include <string>
#include <vector>

namespace fake {

struct Call {
  std::string origin;
  cts::HttpRequest request;
  cts::SystemTime at;
};

class Transport final : public cts::health::NotificationTransport {
 public:
  cts::SystemTime now{};
  std::vector<Call> calls;

  void script(const std::string& origin, std::vector<cts::Result<cts::HttpResponse>> replies) {
    auto& q = queues_[origin];
    for (auto& r : replies) q.push_back(std::move(r));
  }
  void set_default(const std::string& origin, cts::Result<cts::HttpResponse> reply) {
    defaults_.insert_or_assign(origin, std::move(reply));
  }
  cts::Result<cts::HttpResponse> send(std::string_view origin, const cts::HttpRequest& request, cts::Nanos) override {
    calls.push_back(Call{std::string(origin), request, now});
    auto& q = queues_[std::string(origin)];
    if (!q.empty()) {
      auto r = q.front();
      q.pop_front();
      return r;
    }
    auto d = defaults_.find(std::string(origin));
    if (d != defaults_.end()) return d->second;
    return cts::make_error(cts::ErrorCode::network, "connection refused");
  }
  [[nodiscard]] std::size_t count(const std::string& origin) const {
    std::size_t n = 0;
    for (const auto& c : calls) n += c.origin == origin ? 1 : 0;
    return n;
  }

 private:
  std::map<std::string, std::deque<cts::Result<cts::HttpResponse>>> queues_;
  std::map<std::string, cts::Result<cts::HttpResponse>> defaults_;
};

// A group of one firing alert {alertname, venue=XNAS} flushed at `at`, receiver "oncall".
inline cts::health::Notification notification(std::string alertname, cts::SystemTime at) {
  using namespace std::chrono_literals;
  cts::health::Notification n;
  n.group_labels = cts::health::LabelSet{{"alertname", alertname}};
  n.group_key = "{}:" + n.group_labels.to_string();
  n.receiver = "oncall";
  cts::health::Alert a;
  a.labels = cts::health::LabelSet{{"alertname", alertname}, {"venue", "XNAS"}};
  a.starts_at = at;
  a.ends_at = at + 5min;
  n.alerts = {a};
  n.at = at;
  return n;
}

inline cts::Result<cts::HttpResponse> reply(int status, std::string body = "",
                                            std::vector<cts::HttpHeader> headers = {}) {
  return cts::HttpResponse{status, std::move(headers), std::move(body)};
}

}  // namespace fake
