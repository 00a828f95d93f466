#pragma once
/// \file
/// Umbrella header: everything public in cts. Prefer the component headers
/// (<cts/core.hpp>, <cts/rate.hpp>, ...) in translation units that need only one part.

#include "cts/batch.hpp"
#include "cts/core.hpp"
#include "cts/health.hpp"
#include "cts/net.hpp"
#include "cts/order.hpp"
#include "cts/rate.hpp"
#include "cts/sign.hpp"
#include "cts/sim.hpp"
#include "cts/store.hpp"
#include "cts/venue.hpp"
#include "cts/version.hpp"
