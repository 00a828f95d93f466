#pragma once
/// \file
/// VenueCapabilities: what a venue's trading API offers, as facts the engine can branch
/// on (order entry over WebSocket, amend, batch sizes, cancel-all, a dead-man switch,
/// post-only, self-trade prevention, position modes, how the private stream logs in,
/// what the demo or test environment lacks). Each venue module defines its values as
/// constants, taken from the venue's documentation; the type names no venue.

#include <chrono>
#include <cstdint>
#include <span>
#include <string_view>

#include "cts/core/venue_id.hpp"

namespace cts::venue {

/// How far a venue lets a working order be changed in place.
enum class AmendSupport : std::uint8_t {
  none,                ///< No amend: cancel and replace.
  quantity_down,       ///< Only a smaller quantity, keeping queue priority (Binance spot keepPriority).
  price_and_quantity,  ///< Price, quantity and trigger price (Bybit order/amend).
};

/// "none", "quantity_down" or "price_and_quantity".
constexpr std::string_view to_string(AmendSupport amend) noexcept {
  switch (amend) {
    case AmendSupport::none: return "none";
    case AmendSupport::quantity_down: return "quantity_down";
    case AmendSupport::price_and_quantity: return "price_and_quantity";
  }
  return "invalid";
}

/// How the private (account) stream is opened.
enum class PrivateStreamLogin : std::uint8_t {
  listen_key,      ///< A key from a REST call, kept alive by the client, named in the stream URL.
  signed_request,  ///< A signed request or `auth` frame on the connection itself; no key to keep alive.
};

/// "listen_key" or "signed_request".
constexpr std::string_view to_string(PrivateStreamLogin login) noexcept {
  return login == PrivateStreamLogin::listen_key ? "listen_key" : "signed_request";
}

/// The capabilities of one venue market (one category of a venue: Bybit spot and Bybit
/// linear differ in batch sizes and positions). A literal type: venue modules define
/// their values as `inline constexpr` constants whose spans point at static arrays, so a
/// VenueCapabilities and everything it refers to live for the whole program.
struct VenueCapabilities {
  VenueId venue = VenueId::binance_spot;    ///< The venue.
  std::string_view market;                  ///< The market or category, e.g. "spot", "linear".
  bool websocket_order_entry = false;       ///< Orders can be placed, amended and cancelled over a WebSocket.
  AmendSupport amend = AmendSupport::none;  ///< Amending a working order.
  int batch_create_max = 0;                 ///< Most orders in one batch-create request; 0 when there is none.
  int batch_amend_max = 0;                  ///< Most orders in one batch-amend request; 0 when there is none.
  int batch_cancel_max = 0;                 ///< Most orders in one batch-cancel request; 0 when there is none.
  bool cancel_all = false;                  ///< One request cancels every open order of a symbol.
  bool cancel_all_after = false;            ///< A dead-man switch exists (orders cancelled when the client goes quiet).
  std::string_view cancel_all_after_note;   ///< Its conditions (who may use it, how it is armed); empty when none.
  bool post_only = false;                   ///< Post-only (maker-only) limit orders.
  std::span<const std::string_view>
      self_trade_prevention;       ///< The venue's self-trade prevention modes, as it spells them; empty when none.
  bool one_way_positions = false;  ///< Derivatives: one net position per symbol.
  bool hedge_positions = false;    ///< Derivatives: separate long and short positions per symbol.
  PrivateStreamLogin private_stream_login = PrivateStreamLogin::signed_request;  ///< How the account stream logs in.
  /// listen_key only: how long a key lives unless extended (Gateway::extend_user_stream_key);
  /// zero for a key that does not expire, and for the other logins.
  std::chrono::minutes listen_key_validity{0};
  std::span<const std::string_view> test_environment_lacks;  ///< What the venue's demo or testnet does not offer.
  std::string_view source;  ///< Where the values come from (the venue's documentation pages).

  /// True when the venue has a batch endpoint for creating orders.
  [[nodiscard]] constexpr bool has_batch_create() const noexcept { return batch_create_max > 0; }
  /// True for derivatives markets (one-way or hedge positions).
  [[nodiscard]] constexpr bool has_positions() const noexcept { return one_way_positions || hedge_positions; }
};

}  // namespace cts::venue
