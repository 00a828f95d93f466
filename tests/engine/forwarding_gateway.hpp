#pragma once
// Shared by the engine's tests that put a venue's behaviour between the engine and a real
// gateway (a failing cancel, a fill landing between two reads): a venue::Gateway that
// forwards every call, for a test's gateway to derive from and override what it changes.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include <cts/venue/gateway.hpp>

namespace cts_test {

/// Forwards every call to `real`, which must outlive it.
class ForwardingGateway : public cts::venue::Gateway {
 public:
  explicit ForwardingGateway(cts::venue::Gateway& real) : real_(real) {}
  cts::VenueId venue() const noexcept override { return real_.venue(); }
  const cts::venue::VenueCapabilities& capabilities() const noexcept override { return real_.capabilities(); }
  cts::Result<std::int64_t> server_time_ms() override { return real_.server_time_ms(); }
  cts::Result<cts::Instrument> instrument(std::string_view s) override { return real_.instrument(s); }
  cts::Result<cts::venue::BookTicker> book_ticker(std::string_view s) override { return real_.book_ticker(s); }
  cts::Result<cts::venue::BookSnapshot> depth(std::string_view s, std::size_t l) override { return real_.depth(s, l); }
  cts::Result<cts::venue::OrderReport> create_order(const cts::venue::NewOrder& o) override {
    return real_.create_order(o);
  }
  cts::Result<cts::venue::OrderReport> cancel_order(const cts::venue::OrderRef& r) override {
    return real_.cancel_order(r);
  }
  cts::Result<std::vector<cts::venue::OrderReport>> cancel_open_orders(std::string_view s) override {
    return real_.cancel_open_orders(s);
  }
  cts::Result<cts::venue::OrderReport> query_order(const cts::venue::OrderRef& r) override {
    return real_.query_order(r);
  }
  cts::Result<std::vector<cts::venue::OrderReport>> open_orders(std::string_view s) override {
    return real_.open_orders(s);
  }
  cts::Result<std::vector<cts::venue::AccountTrade>> order_trades(std::string_view s, std::string_view id) override {
    return real_.order_trades(s, id);
  }
  cts::Result<std::vector<cts::venue::AccountTrade>> recent_trades(std::string_view s, std::size_t limit) override {
    return real_.recent_trades(s, limit);
  }
  cts::Result<std::vector<cts::venue::Balance>> balances() override { return real_.balances(); }
  cts::Result<std::vector<cts::venue::Position>> positions(std::string_view s) override { return real_.positions(s); }

 protected:
  cts::venue::Gateway& real_;
};

}  // namespace cts_test
