#pragma once
/// \file
/// The health component: health checks and their registry, alerting (rules,
/// grouping, dedup, silences, inhibition), notification channels and the durable
/// outbox, incidents, and metrics with Prometheus/OpenMetrics exposition.

#include "cts/health/alert.hpp"
#include "cts/health/channels.hpp"
#include "cts/health/checks.hpp"
#include "cts/health/dispatch.hpp"
#include "cts/health/email.hpp"
#include "cts/health/exposition.hpp"
#include "cts/health/health_json.hpp"
#include "cts/health/hysteresis.hpp"
#include "cts/health/incident.hpp"
#include "cts/health/inhibit.hpp"
#include "cts/health/labels.hpp"
#include "cts/health/latency.hpp"
#include "cts/health/log_channel.hpp"
#include "cts/health/matcher.hpp"
#include "cts/health/metrics.hpp"
#include "cts/health/metrics_registry.hpp"
#include "cts/health/nflog.hpp"
#include "cts/health/notification.hpp"
#include "cts/health/notifier.hpp"
#include "cts/health/outbox.hpp"
#include "cts/health/process_metrics.hpp"
#include "cts/health/process_stat.hpp"
#include "cts/health/registry.hpp"
#include "cts/health/silence.hpp"
#include "cts/health/status.hpp"
