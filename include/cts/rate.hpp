#pragma once
/// \file
/// Rate limiting: GCRA pools, the linked-pool Limiter with server feedback, per-venue
/// policy tables, and the retry/backoff policy.

#include "cts/rate/backoff.hpp"
#include "cts/rate/feedback.hpp"
#include "cts/rate/gcra.hpp"
#include "cts/rate/limiter.hpp"
#include "cts/rate/policy.hpp"
#include "cts/rate/venue_policies.hpp"
#include "cts/rate/wait_queue.hpp"
