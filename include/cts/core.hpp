#pragma once
/// \file
/// The core value types: decimals, instruments, order vocabulary, clocks, errors, ids.

#include "cts/core/client_order_id.hpp"
#include "cts/core/client_order_id_scheme.hpp"
#include "cts/core/clock.hpp"
#include "cts/core/decimal.hpp"
#include "cts/core/error.hpp"
#include "cts/core/http.hpp"
#include "cts/core/inline_id.hpp"
#include "cts/core/instrument.hpp"
#include "cts/core/order_types.hpp"
#include "cts/core/result.hpp"
#include "cts/core/venue_id.hpp"
