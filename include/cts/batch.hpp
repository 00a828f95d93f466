#pragma once
/// \file
/// Batch processing: venue batch capabilities and the batch processor (queueing,
/// priorities, chunking, rate-limit reservation, in-flight caps, deadlines).

#include "cts/batch/capability.hpp"
#include "cts/batch/processor.hpp"
