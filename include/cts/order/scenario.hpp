#pragma once
/// \file
/// Scenario scripts: acceptance tests of the order and position machinery written as
/// one command per line (in the spirit of QuickFIX's acceptance scripts), run by
/// `ctsctl scenario FILE...` and by the test suite.
///
/// ```
/// instrument <symbol> <spot|linear|inverse> tick=<d> step=<d> [multiplier=<d>]
/// oms <netting|hedging>
/// order <id> <symbol> <buy|sell> <type> <qty> [@ <price>] [tif=<GTC|IOC|FOK|POST_ONLY>]
///       [trigger=<d>] [position=<id>] [reduce_only] [=> error:<code>]
/// event <id> <event> [key=value ...] [=> error:<code>]
/// expect <id> [status=<STATE>] [filled=<d>] [leaves=<d>] [avg_px=<d>] [overfill=<d>]
///       [venue_id=<id>] [outcome_unknown=<true|false>] [fee.<ASSET>=<d>]
/// expect position <symbol> [qty=<signed d>] [avg_open=<d>] [realized_pnl=<d>]
///       [fee.<ASSET>=<d>] [mark=<d> unrealized_pnl=<d>] [cycles=<n>]
/// ```
/// Event keys: venue_id, reason, qty/price/trigger (updated), and for fill trade, qty,
/// price, fee, fee_asset. `=> error:<code>` asserts the command is refused with that
/// ErrorCode name (`unknown_order` is accepted for order_not_found) and that the
/// account is unchanged. `#` starts a comment; blank lines are ignored; an unknown
/// command or key fails the script at its line. Events are stamped with a time derived
/// from the line number, so runs are deterministic.

#include <cstddef>
#include <string>
#include <string_view>

namespace cts::order {

/// The outcome of one script.
struct ScenarioResult {
  bool passed = false;   ///< True when every line held.
  std::size_t line = 0;  ///< 1-based line of the failure (0 when passed).
  std::string expected;  ///< What the line expected.
  std::string happened;  ///< What happened instead.

  /// "PASS <file>" or "FAIL <file>:<line>: <expected> / <happened>".
  [[nodiscard]] std::string report(std::string_view file) const;
};

/// Runs the script `text` (the format above) on a fresh Account and stops at the first
/// line that does not hold. Never throws for bad scripts: they fail at their line.
ScenarioResult run_scenario(std::string_view text);

}  // namespace cts::order
