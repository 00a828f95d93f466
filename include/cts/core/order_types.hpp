#pragma once
/// \file
/// The order vocabulary shared by every venue: side, order type and time in force, each
/// with to_string() and a parse() that names the accepted values on error.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "cts/core/detail/ascii.hpp"
#include "cts/core/error.hpp"
#include "cts/core/result.hpp"

namespace cts {

/// Buy or sell.
enum class Side : std::uint8_t { buy, sell };

/// How an order executes.
enum class OrderType : std::uint8_t {
  market,             ///< Execute now at the best available prices.
  limit,              ///< Rest at a price or better.
  stop_market,        ///< A market order once the stop price is reached (stop-loss).
  stop_limit,         ///< A limit order once the stop price is reached.
  take_profit_market, ///< A market order once the profit trigger is reached.
  take_profit_limit,  ///< A limit order once the profit trigger is reached.
};

/// How long an order stays working.
enum class TimeInForce : std::uint8_t {
  gtc,        ///< Good till cancelled.
  ioc,        ///< Immediate or cancel: fill what is possible now, cancel the rest.
  fok,        ///< Fill or kill: fill completely now or not at all.
  post_only,  ///< Maker only: rejected (or cancelled) if it would take liquidity.
};

namespace detail {
template <class Enum, std::size_t N>
struct EnumNames {
  std::array<std::string_view, N> names;
  std::string_view what;

  constexpr std::string_view name(Enum value) const noexcept {
    const auto index = static_cast<std::size_t>(value);
    return index < N ? names[index] : std::string_view("invalid");
  }

  Result<Enum> parse(std::string_view text) const {
    for (std::size_t i = 0; i < N; ++i) {
      if (iequals(text, names[i])) return static_cast<Enum>(i);
    }
    std::string expected;
    for (std::size_t i = 0; i < N; ++i) {
      expected += i == 0 ? "" : (i + 1 == N ? " or " : ", ");
      expected += names[i];
    }
    return make_error(ErrorCode::invalid_argument,
                      fmt::format("unknown {} \"{}\" (expected {})", what, text.substr(0, 64), expected));
  }
};

inline constexpr EnumNames<Side, 2> kSideNames{{"buy", "sell"}, "side"};
inline constexpr EnumNames<OrderType, 6> kOrderTypeNames{
    {"market", "limit", "stop_market", "stop_limit", "take_profit_market", "take_profit_limit"}, "order type"};
inline constexpr EnumNames<TimeInForce, 4> kTimeInForceNames{{"GTC", "IOC", "FOK", "POST_ONLY"}, "time in force"};
}  // namespace detail

/// "buy" or "sell".
constexpr std::string_view to_string(Side side) noexcept { return detail::kSideNames.name(side); }
/// "market", "limit", "stop_market", "stop_limit", "take_profit_market" or "take_profit_limit".
constexpr std::string_view to_string(OrderType type) noexcept { return detail::kOrderTypeNames.name(type); }
/// "GTC", "IOC", "FOK" or "POST_ONLY".
constexpr std::string_view to_string(TimeInForce tif) noexcept { return detail::kTimeInForceNames.name(tif); }

/// Parses a side, case-insensitively; invalid_argument naming the accepted values otherwise.
inline Result<Side> parse_side(std::string_view text) { return detail::kSideNames.parse(text); }
/// Parses an order type (names as to_string gives them), case-insensitively.
inline Result<OrderType> parse_order_type(std::string_view text) { return detail::kOrderTypeNames.parse(text); }
/// Parses a time in force (names as to_string gives them), case-insensitively.
inline Result<TimeInForce> parse_time_in_force(std::string_view text) { return detail::kTimeInForceNames.parse(text); }

/// The other side.
constexpr Side opposite(Side side) noexcept { return side == Side::buy ? Side::sell : Side::buy; }
/// +1 for buy, -1 for sell.
constexpr int sign_of(Side side) noexcept { return side == Side::buy ? 1 : -1; }
/// True for the order types that carry a limit price.
constexpr bool has_limit_price(OrderType type) noexcept {
  return type == OrderType::limit || type == OrderType::stop_limit || type == OrderType::take_profit_limit;
}
/// True for the order types that carry a trigger (stop) price.
constexpr bool has_trigger_price(OrderType type) noexcept {
  return type != OrderType::market && type != OrderType::limit;
}

}  // namespace cts

template <>
struct fmt::formatter<cts::Side> : fmt::formatter<std::string_view> {
  auto format(cts::Side v, format_context& ctx) const { return fmt::formatter<std::string_view>::format(cts::to_string(v), ctx); }
};
template <>
struct fmt::formatter<cts::OrderType> : fmt::formatter<std::string_view> {
  auto format(cts::OrderType v, format_context& ctx) const { return fmt::formatter<std::string_view>::format(cts::to_string(v), ctx); }
};
template <>
struct fmt::formatter<cts::TimeInForce> : fmt::formatter<std::string_view> {
  auto format(cts::TimeInForce v, format_context& ctx) const { return fmt::formatter<std::string_view>::format(cts::to_string(v), ctx); }
};
