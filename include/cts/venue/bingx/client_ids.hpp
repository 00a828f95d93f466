#pragma once
/// \file
/// BingX writes every clientOrderId in lower case ("The system will convert this field
/// to lowercase", docs v3, place order): an id with capitals would come back as another
/// id, and two ids differing only in case would collide. The connector therefore sends a
/// reversible lower-case form: each capital becomes '_' and its lower-case letter, each
/// '_' becomes "__", everything else is kept; replies are read back through
/// from_wire_client_id(). Ids whose wire form exceeds BingX's 40 characters are refused.

#include <cstddef>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "cts/core/client_order_id.hpp"
#include "cts/core/error.hpp"
#include "cts/core/result.hpp"

namespace cts::venue::bingx {

/// BingX's longest clientOrderId.
inline constexpr std::size_t kMaxClientOrderIdChars = 40;

/// The lower-case wire form of client order id `id` (see the file comment). Errors:
/// invalid_argument for an id cts would not send to BingX (client_order_id_rules) or
/// whose wire form is longer than kMaxClientOrderIdChars.
inline Result<std::string> to_wire_client_id(std::string_view id) {
  if (auto valid = validate_client_order_id(VenueId::bingx, id); !valid) return valid.error();
  std::string wire;
  wire.reserve(id.size() + 8);
  for (const char c : id) {
    if (c >= 'A' && c <= 'Z') {
      wire.push_back('_');
      wire.push_back(static_cast<char>(c - 'A' + 'a'));
    } else if (c == '_') {
      wire.append("__");
    } else {
      wire.push_back(c);
    }
  }
  if (wire.size() > kMaxClientOrderIdChars) {
    return make_error(ErrorCode::invalid_argument,
                      fmt::format("client order id {} has {} characters once written in BingX's lower case (at most {})",
                                  id.substr(0, 64), wire.size(), kMaxClientOrderIdChars));
  }
  return wire;
}

/// The client order id whose wire form is `wire` (the inverse of to_wire_client_id); a
/// '_' followed by anything but a letter or '_' (an id cts did not write) is kept as is.
inline std::string from_wire_client_id(std::string_view wire) {
  std::string id;
  id.reserve(wire.size());
  for (std::size_t i = 0; i < wire.size(); ++i) {
    const char c = wire[i];
    if (c == '_' && i + 1 < wire.size()) {
      const char next = wire[i + 1];
      if (next >= 'a' && next <= 'z') {
        id.push_back(static_cast<char>(next - 'a' + 'A'));
        ++i;
        continue;
      }
      if (next == '_') {
        id.push_back('_');
        ++i;
        continue;
      }
    }
    id.push_back(c);
  }
  return id;
}

}  // namespace cts::venue::bingx
