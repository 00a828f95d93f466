#pragma once
/// \file
/// The order component: the order state machine (a table), the order tracker, exact
/// positions and PnL, reconciliation with the venue, and scenario scripts.

#include "cts/order/account.hpp"
#include "cts/order/event.hpp"
#include "cts/order/id_index.hpp"
#include "cts/order/ids.hpp"
#include "cts/order/order.hpp"
#include "cts/order/position.hpp"
#include "cts/order/position_book.hpp"
#include "cts/order/status.hpp"
#include "cts/order/tracker.hpp"
#include "cts/order/transition.hpp"
#include "cts/order/reconcile.hpp"
#include "cts/order/scenario.hpp"
