#pragma once
/// \file
/// cts::InlineId: a short string stored inline (no allocation), typed by a tag so that
/// ids of different kinds cannot be mixed up. Client order ids, venue order ids, trade
/// ids and asset codes are InlineIds.

#include <array>
#include <compare>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "cts/core/error.hpp"
#include "cts/core/result.hpp"

namespace cts {

/// A string of at most `Capacity` bytes stored inline. `Tag` makes distinct types of
/// ids that happen to share a capacity, so a trade id cannot be passed as an order id.
template <std::size_t Capacity, class Tag>
class InlineId {
  static_assert(Capacity > 0 && Capacity < 256, "InlineId capacity must fit a uint8 length");

 public:
  /// Longest id held.
  static constexpr std::size_t kCapacity = Capacity;

  /// The empty id (means "none" wherever an id is optional).
  constexpr InlineId() noexcept = default;

  /// Copies `text`. invalid_argument when it is longer than kCapacity (an empty text
  /// gives the empty id).
  static Result<InlineId> from(std::string_view text) {
    if (text.size() > Capacity) {
      return make_error(ErrorCode::invalid_argument,
                        fmt::format("{} must have at most {} characters, got {}", Tag::kWhat, Capacity, text.size()));
    }
    InlineId id;
    if (!text.empty()) std::memcpy(id.chars_.data(), text.data(), text.size());
    id.size_ = static_cast<std::uint8_t>(text.size());
    return id;
  }

  /// The characters.
  [[nodiscard]] constexpr std::string_view view() const noexcept { return {chars_.data(), size_}; }
  /// A std::string copy.
  [[nodiscard]] std::string str() const { return std::string(view()); }
  /// Length in bytes.
  [[nodiscard]] constexpr std::size_t size() const noexcept { return size_; }
  /// True for the empty id.
  [[nodiscard]] constexpr bool empty() const noexcept { return size_ == 0; }

  /// Byte-wise equality.
  friend bool operator==(const InlineId& a, const InlineId& b) noexcept { return a.view() == b.view(); }
  /// Byte-wise ordering (for sorted containers and deterministic output).
  friend auto operator<=>(const InlineId& a, const InlineId& b) noexcept { return a.view() <=> b.view(); }

 private:
  std::array<char, Capacity> chars_{};
  std::uint8_t size_ = 0;
};

}  // namespace cts

template <std::size_t Capacity, class Tag>
struct std::hash<cts::InlineId<Capacity, Tag>> {
  std::size_t operator()(const cts::InlineId<Capacity, Tag>& id) const noexcept {
    return std::hash<std::string_view>{}(id.view());
  }
};

template <std::size_t Capacity, class Tag>
struct fmt::formatter<cts::InlineId<Capacity, Tag>> : fmt::formatter<std::string_view> {
  auto format(const cts::InlineId<Capacity, Tag>& id, format_context& ctx) const {
    return fmt::formatter<std::string_view>::format(id.view(), ctx);
  }
};
