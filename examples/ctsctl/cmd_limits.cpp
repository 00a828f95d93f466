// ctsctl limits <venue> [--json] [--share PERCENT]: print a venue's rate-limit pools,
// ban rules, throttle codes and endpoint costs from the built-in policy tables.
#include <array>
#include <chrono>
#include <cstdio>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include <cts/core/json_string.hpp>
#include <cts/core/venue_id.hpp>
#include <cts/rate/policy.hpp>
#include <cts/rate/venue_policies.hpp>

#include "ctsctl/args.hpp"
#include "ctsctl/command.hpp"

namespace {

using cts::rate::EndpointSpec;
using cts::rate::PoolSpec;
using cts::rate::VenuePolicy;

std::string duration_text(cts::Nanos d) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
  if (ms % 3'600'000 == 0) return fmt::format("{}h", ms / 3'600'000);
  if (ms % 60'000 == 0) return fmt::format("{}min", ms / 60'000);
  if (ms % 1000 == 0) return fmt::format("{}s", ms / 1000);
  return fmt::format("{}ms", ms);
}

std::string_view counting_text(cts::rate::Counting counting) {
  return counting == cts::rate::Counting::window ? "window" : "leaky";
}

// "REQUEST_WEIGHT 1, ORDERS 1" plus the parameter steps, if any.
std::string endpoint_cost_text(const VenuePolicy& policy, const EndpointSpec& e) {
  std::string out;
  for (std::uint8_t i = 0; i < e.size; ++i) {
    if (!out.empty()) out += ", ";
    out += fmt::format("{} {}", policy.pools[e.weights[i].pool].name, e.weights[i].weight);
  }
  if (!e.param_steps.empty()) {
    if (!out.empty()) out += "; ";
    out += fmt::format("{} by {} (default {}):", policy.pools[e.param_pool].name, e.param, e.param_default);
    for (const auto& step : e.param_steps) out += fmt::format(" <={} {}", step.up_to, step.weight);
  }
  return out;
}

void print_text(const VenuePolicy& policy, unsigned share) {
  fmt::print("{} rate limits\nsource: {}\n\npools:\n", policy.venue, policy.source);
  fmt::print("  {:<3} {:<26} {:>9} {:>9}  {:<8} {:<7} {:<22} {}\n", "#", "name", "limit", "interval", "scope", "counts",
             fmt::format("local (share {}%)", share), "feedback header");
  for (std::size_t i = 0; i < policy.pools.size(); ++i) {
    const PoolSpec& p = policy.pools[i];
    const cts::rate::Quota q = cts::rate::quota_for(p, share);
    const std::string_view header = !p.used_header.empty() ? p.used_header : p.remaining_header;
    fmt::print("  {:<3} {:<26} {:>9} {:>9}  {:<8} {:<7} {:<22} {}\n", i, p.name, p.limit, duration_text(p.interval),
               to_string(p.scope), counting_text(p.counting),
               fmt::format("{} + {}/{}", q.burst, q.refill, duration_text(q.interval)), header);
  }
  fmt::print("\nbans:\n");
  if (policy.bans.empty()) fmt::print("  (none by status code)\n");
  for (const auto& ban : policy.bans) {
    fmt::print("  HTTP {} blocks {} scope; Retry-After, else {}\n", ban.status, to_string(ban.scope),
               duration_text(ban.default_pause));
  }
  fmt::print("\nthrottle codes:");
  if (policy.throttle_codes.empty()) fmt::print(" (none documented)");
  for (const auto& code : policy.throttle_codes) fmt::print(" \"{}\"", code);
  fmt::print("\n\nendpoints:\n");
  for (const auto& e : policy.endpoints) fmt::print("  {:<52} {}\n", e.name, endpoint_cost_text(policy, e));
}

void print_json(const VenuePolicy& policy, unsigned share) {
  std::string out = fmt::format("{{\"venue\":{},\"source\":{},\"share_percent\":{},\"pools\":[",
                                cts::json_string(to_string(policy.venue)), cts::json_string(policy.source), share);
  for (std::size_t i = 0; i < policy.pools.size(); ++i) {
    const PoolSpec& p = policy.pools[i];
    const cts::rate::Quota q = cts::rate::quota_for(p, share);
    out += fmt::format(
        "{}{{\"index\":{},\"name\":{},\"limit\":{},\"interval_ms\":{},\"scope\":{},\"counting\":{},"
        "\"used_header\":{},\"remaining_header\":{},\"local_burst\":{},\"local_refill\":{},\"local_interval_ms\":{}}}",
        i == 0 ? "" : ",", i, cts::json_string(p.name), p.limit,
        std::chrono::duration_cast<std::chrono::milliseconds>(p.interval).count(), cts::json_string(to_string(p.scope)),
        cts::json_string(counting_text(p.counting)), cts::json_string(p.used_header),
        cts::json_string(p.remaining_header), q.burst, q.refill,
        std::chrono::duration_cast<std::chrono::milliseconds>(q.interval).count());
  }
  out += "],\"bans\":[";
  for (std::size_t i = 0; i < policy.bans.size(); ++i) {
    const auto& ban = policy.bans[i];
    out += fmt::format("{}{{\"status\":{},\"scope\":{},\"default_pause_ms\":{}}}", i == 0 ? "" : ",", ban.status,
                       cts::json_string(to_string(ban.scope)),
                       std::chrono::duration_cast<std::chrono::milliseconds>(ban.default_pause).count());
  }
  out += "],\"throttle_codes\":[";
  for (std::size_t i = 0; i < policy.throttle_codes.size(); ++i) {
    out += fmt::format("{}{}", i == 0 ? "" : ",", cts::json_string(policy.throttle_codes[i]));
  }
  out += "],\"endpoints\":[";
  for (std::size_t i = 0; i < policy.endpoints.size(); ++i) {
    const EndpointSpec& e = policy.endpoints[i];
    out += fmt::format("{}{{\"name\":{},\"weights\":[", i == 0 ? "" : ",", cts::json_string(e.name));
    for (std::uint8_t k = 0; k < e.size; ++k) {
      out += fmt::format("{}{{\"pool\":{},\"weight\":{}}}", k == 0 ? "" : ",",
                         cts::json_string(policy.pools[e.weights[k].pool].name), e.weights[k].weight);
    }
    out += "]";
    if (!e.param_steps.empty()) {
      out += fmt::format(",\"param\":{},\"param_pool\":{},\"param_default\":{},\"steps\":[", cts::json_string(e.param),
                         cts::json_string(policy.pools[e.param_pool].name), e.param_default);
      for (std::size_t k = 0; k < e.param_steps.size(); ++k) {
        out += fmt::format("{}{{\"up_to\":{},\"weight\":{}}}", k == 0 ? "" : ",", e.param_steps[k].up_to,
                           e.param_steps[k].weight);
      }
      out += "]";
    }
    out += "}";
  }
  out += "]}\n";
  fmt::print("{}", out);
}

int run(std::span<const std::string_view> args) {
  static constexpr std::array<std::string_view, 1> kValued{"share"};
  static constexpr std::array<std::string_view, 1> kFlags{"json"};
  const auto parsed = ctsctl::Args::parse(args, kValued, kFlags);
  if (!parsed) {
    fmt::print(stderr, "ctsctl limits: {}\n", parsed.error().message);
    return 2;
  }
  if (parsed->positional().size() != 1) {
    fmt::print(stderr, "ctsctl limits: expected one venue; see ctsctl limits --help\n");
    return 2;
  }
  const auto venue = cts::parse_venue(parsed->positional()[0]);
  if (!venue) {
    fmt::print(stderr, "ctsctl limits: {}\n", venue.error().message);
    return 2;
  }
  unsigned share = 100;
  if (const auto text = parsed->get("share")) {
    try {
      std::size_t used = 0;
      const unsigned long value = std::stoul(*text, &used);
      if (used != text->size() || value < 1 || value > 100) throw std::invalid_argument("range");
      share = static_cast<unsigned>(value);
    } catch (const std::exception&) {
      fmt::print(stderr, "ctsctl limits: --share must be an integer percentage from 1 to 100\n");
      return 2;
    }
  }
  const VenuePolicy& policy = cts::rate::policy_for(*venue);
  if (parsed->flag("json")) {
    print_json(policy, share);
  } else {
    print_text(policy, share);
  }
  return 0;
}

const ctsctl::RegisterCommand registered{
    {"limits", "print a venue's rate-limit pools and endpoint costs",
     "usage: ctsctl limits <venue> [--json] [--share PERCENT]\n"
     "\n"
     "Prints the built-in rate-limit policy of <venue> (binance, binance-usdm, bybit, okx,\n"
     "kraken, coinbase, htx, gate, bingx, pionex, orangex): each pool with its venue limit,\n"
     "interval, scope and the local GCRA burst/refill cts uses, the status codes that ban a\n"
     "scope, the venue's throttle codes, and every endpoint's cost.\n"
     "\n"
     "  --json           machine-readable output\n"
     "  --share PERCENT  show local quotas for a process owning PERCENT of the budget (1-100)\n",
     &run}};

}  // namespace
