#pragma once
/// \file
/// The health component: health checks and their registry, alerting (rules,
/// grouping, dedup, silences, inhibition), notification channels and the durable
/// outbox, incidents, and metrics with Prometheus/OpenMetrics exposition.

#include "cts/health/exposition.hpp"
#include "cts/health/labels.hpp"
#include "cts/health/latency.hpp"
#include "cts/health/metrics.hpp"
#include "cts/health/metrics_registry.hpp"
