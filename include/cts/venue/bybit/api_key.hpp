#pragma once
/// \file
/// Bybit v5's reply about the calling API key (user/apikey-info.mdx, GET
/// /v5/user/query-api) into the unified ApiPermissions.

#include <algorithm>
#include <string>
#include <string_view>

#include "cts/venue/api_permissions.hpp"
#include "cts/venue/bybit/detail/reply.hpp"
#include "cts/venue/bybit/enums.hpp"

namespace cts::venue::bybit {

namespace detail {

/// Reads `permissions` (an object of arrays of names per group) into `granted` as
/// "Group:Name".
inline bool read_permission_groups(od::value& value, FieldReader& fields, std::vector<std::string>& granted) {
  return visit_object(value, fields, "permissions", [&](std::string_view group, od::value& names) {
    const std::string prefix(group);
    return visit_array(names, fields, "permissions", [&](od::value& name, std::size_t) {
      std::string_view text;
      if (!fields.string(name, text, "permissions")) return false;
      granted.push_back(prefix + ":" + std::string(text));
      return true;
    });
  });
}

}  // namespace detail

/// GET /v5/user/query-api → the key's permissions for `category`: read_only from
/// readOnly (1), can_trade when the key is not read-only and holds this category's
/// trade permission (spot: Spot SpotTrade; linear: ContractTrade Order), can_withdraw
/// from Wallet Withdraw, ip_restricted when `ips` binds any address ("*" alone, or no
/// entry, binds none), expires_at from expiredAt and days_left from deadlineDay (Bybit
/// gives both only for keys without an IP binding). Errors: the venue's; protocol_error
/// for a reply without readOnly, permissions or ips, or a readOnly other than 0 or 1.
inline Result<ApiPermissions> parse_api_key_info(const HttpResponse& response, Category category,
                                                 JsonReader& reader = thread_json_reader()) {
  using namespace detail;
  ApiPermissions permissions;
  auto parsed =
      parse_result(response, Operation::read, reader, "bybit query-api", [&](od::value& result, FieldReader& fields) {
        static constexpr std::string_view kRequired[] = {"readOnly", "permissions", "ips"};
        Seen seen;
        std::int64_t read_only = 0;
        const bool ok = visit_object(result, fields, "result", [&](std::string_view key, od::value& value) {
          if (key == "readOnly") return seen.mark(0), fields.int64(value, read_only, key);
          if (key == "permissions") return seen.mark(1), read_permission_groups(value, fields, permissions.granted);
          if (key == "ips") {
            seen.mark(2);
            return visit_array(value, fields, key, [&](od::value& ip, std::size_t) {
              std::string_view text;
              if (!fields.string(ip, text, "ips")) return false;
              if (text != "*") permissions.ip_restricted = true;
              return true;
            });
          }
          if (key == "expiredAt") return fields.optional_string(value, permissions.expires_at, key);
          if (key == "deadlineDay") {
            int days = 0;
            if (!fields.int32(value, days, key)) return false;
            permissions.days_left = days;
            return true;
          }
          return true;
        });
        if (!ok || !seen.require(fields, kRequired)) return false;
        if (read_only != 0 && read_only != 1) return fields.fail("readOnly", "is not 0 or 1");
        permissions.read_only = read_only == 1;
        return true;
      });
  if (!parsed) return parsed.error();
  const auto holds = [&](std::string_view name) {
    return std::find(permissions.granted.begin(), permissions.granted.end(), name) != permissions.granted.end();
  };
  permissions.can_withdraw = holds("Wallet:Withdraw");
  permissions.can_trade =
      !permissions.read_only && holds(category == Category::spot ? "Spot:SpotTrade" : "ContractTrade:Order");
  return permissions;
}

}  // namespace cts::venue::bybit
