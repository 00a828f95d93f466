#pragma once
/// \file
/// What an API key may do, as the venue reports it (Gateway::api_permissions()): the
/// few facts an operator checks before trading with a key.

#include <optional>
#include <string>
#include <vector>

namespace cts::venue {

/// The permissions of the API key a connection signs with. Value type.
struct ApiPermissions {
  bool can_trade = false;      ///< The key may place and cancel orders on the gateway's market.
  bool can_withdraw = false;   ///< The key may withdraw funds from the account.
  bool read_only = false;      ///< The venue marks the key read-only.
  bool ip_restricted = false;  ///< The key works only from the IP addresses bound to it.
  /// When the key expires, as the venue writes it (e.g. "2023-12-22T07:20:25Z");
  /// empty when the venue gives no expiry.
  std::string expires_at;
  /// Whole days the key remains valid, when the venue says.
  std::optional<int> days_left;
  /// Every permission the venue lists, in its own spelling ("Spot:SpotTrade", ...), for
  /// display.
  std::vector<std::string> granted;
};

}  // namespace cts::venue
