#pragma once
/// \file
/// cts::sim: the embedded exchange (matching engine, market flow, Binance REST front,
/// Binance WebSocket streams and user data stream, faults, the Simulator that serves
/// them). Link cts::sim.

#include "cts/sim/binance_front.hpp"
#include "cts/sim/binance_streams.hpp"
#include "cts/sim/faults.hpp"
#include "cts/sim/market_flow.hpp"
#include "cts/sim/matching_engine.hpp"
#include "cts/sim/simulator.hpp"
