// cts-bench entry point. Runs Google Benchmark as usual (console or
// --benchmark_format=json on stdout) and then reports, on stderr, each benchmark's
// ratio to the floor it is judged against, measured in the same run, with the goal.
// `cts-bench --write_binance_depth_1000=PATH` only writes the document
// Parse/binance_depth_1000 parses to PATH (for the peer benchmark, benchmarks/peers/).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "book_documents.hpp"

namespace {

/// A benchmark, the floor it is compared with, and the largest acceptable ratio.
struct Comparison {
  std::string_view subject;
  std::string_view floor;
  double goal;
};

// The goals stated in the issues; a subject or floor absent from the run is skipped.
constexpr Comparison kComparisons[] = {
    {"Decimal/parse", "Floor/from_chars_double", 1.0},
    {"Decimal/format", "Floor/to_chars_double", 1.0},
    {"Rate/acquire_with_clock", "Floor/steady_clock_now", 1.3},
    {"Sign/binance_order", "Floor/hmac_sha256_169B", 1.6},
    {"Sign/kraken_add_order", "Floor/hmac_sha512_kraken", 2.0},
    {"Sign/bybit_order", "Floor/hmac_sha256_bybit_order", 2.0},
    {"Sign/okx_order", "Floor/hmac_sha256_okx_order", 2.0},
    {"Net/http_roundtrip_keepalive", "Floor/beast_http_roundtrip", 1.3},
    {"Net/https_roundtrip_keepalive", "Floor/beast_https_roundtrip", 1.3},
    {"Net/ws_message_roundtrip", "Floor/beast_ws_roundtrip", 2.0},
    {"Parse/binance_depth_1000", "Floor/simdjson_walk_depth_1000", 2.0},
    {"Parse/bybit_orderbook_snapshot_200", "Floor/simdjson_walk_bybit_orderbook_200", 2.0},
    {"Engine/loopback_order_roundtrip", "Net/http_roundtrip_keepalive", 1.3},
    {"Engine/ws_order_roundtrip", "Engine/loopback_order_roundtrip", 0.7},
};

/// Wraps the chosen display reporter and remembers each run's time per iteration.
class RatioReporter : public benchmark::BenchmarkReporter {
 public:
  explicit RatioReporter(benchmark::BenchmarkReporter* display) : display_(display) {}

  bool ReportContext(const Context& context) override { return display_->ReportContext(context); }

  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      // Single runs, or the median when --benchmark_repetitions asks for aggregates.
      const bool single = run.run_type == Run::RT_Iteration && run.iterations > 0;
      const bool median = run.run_type == Run::RT_Aggregate && run.aggregate_name == "median";
      if ((!single && !median) || run.error_occurred) continue;
      std::string name = run.run_name.str();
      constexpr std::string_view kRealTime = "/real_time";
      if (name.size() > kRealTime.size() && name.ends_with(kRealTime)) name.resize(name.size() - kRealTime.size());
      const double unit = run.time_unit == benchmark::kNanosecond    ? 1.0
                          : run.time_unit == benchmark::kMicrosecond ? 1e3
                          : run.time_unit == benchmark::kMillisecond ? 1e6
                                                                     : 1e9;
      if (median || ns_per_op_.count(name) == 0) ns_per_op_[name] = run.GetAdjustedRealTime() * unit;
    }
    display_->ReportRuns(runs);
  }

  void Finalize() override {
    display_->Finalize();
    bool header = false;
    for (const Comparison& c : kComparisons) {
      const auto subject = ns_per_op_.find(std::string(c.subject));
      const auto floor = ns_per_op_.find(std::string(c.floor));
      if (subject == ns_per_op_.end() || floor == ns_per_op_.end() || floor->second <= 0) continue;
      if (!header) {
        std::fprintf(stderr, "\n%-34s %-34s %10s %10s %7s %5s\n", "benchmark", "floor", "ns/op", "floor ns", "ratio", "goal");
        header = true;
      }
      const double ratio = subject->second / floor->second;
      std::fprintf(stderr, "%-34.*s %-34.*s %10.1f %10.1f %7.2f %5.1f%s\n", static_cast<int>(c.subject.size()),
                   c.subject.data(), static_cast<int>(c.floor.size()), c.floor.data(), subject->second, floor->second,
                   ratio, c.goal, ratio <= c.goal ? "" : "  (above goal)");
    }
  }

 private:
  benchmark::BenchmarkReporter* display_;
  std::map<std::string, double> ns_per_op_;
};

/// Writes the 1000-level depth reply to `path`; false (and a message on stderr) when it
/// cannot.
bool write_depth_1000(const char* path) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  const std::string& document = cts_bench::depth_1000();
  out.write(document.data(), static_cast<std::streamsize>(document.size()));
  out.close();
  if (!out) std::fprintf(stderr, "cts-bench: cannot write %s\n", path);
  return static_cast<bool>(out);
}

}  // namespace

int main(int argc, char** argv) {
  constexpr std::string_view kWriteDepth = "--write_binance_depth_1000=";
  if (argc == 2 && std::string_view(argv[1]).starts_with(kWriteDepth)) {
    return write_depth_1000(argv[1] + kWriteDepth.size()) ? 0 : 1;
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::BenchmarkReporter* display = benchmark::CreateDefaultDisplayReporter();
  RatioReporter reporter(display);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  delete display;
  return 0;
}
