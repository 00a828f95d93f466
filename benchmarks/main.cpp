// cts-bench entry point: Google Benchmark's own main, plus the ratio report.
#include <benchmark/benchmark.h>

BENCHMARK_MAIN();
