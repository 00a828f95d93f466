// Decimal/parse and Decimal/format against the floors Floor/from_chars_double and
// Floor/to_chars_double, on the same realistic price and quantity strings.
#include <array>
#include <charconv>
#include <string_view>

#include <benchmark/benchmark.h>

#include <cts/core/decimal.hpp>

namespace {

// Prices and quantities as venues send them (Binance-style strings).
constexpr std::array<std::string_view, 8> kCorpus{
    "64231.57000000", "0.00001000", "1.23450000", "3021.10", "0.00000123", "1000.5", "27.81340000", "0.015"};

void Decimal_parse(benchmark::State& state) {
  std::size_t i = 0;
  for (auto _ : state) {
    auto result = cts::Decimal::parse(kCorpus[i++ & 7]);
    benchmark::DoNotOptimize(result);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(Decimal_parse)->Name("Decimal/parse");

void Floor_from_chars_double(benchmark::State& state) {
  std::size_t i = 0;
  for (auto _ : state) {
    const std::string_view s = kCorpus[i++ & 7];
    double value = 0;
    auto r = std::from_chars(s.data(), s.data() + s.size(), value);
    benchmark::DoNotOptimize(value);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(Floor_from_chars_double)->Name("Floor/from_chars_double");

void Decimal_format(benchmark::State& state) {
  std::array<cts::Decimal, 8> values{};
  for (std::size_t k = 0; k < values.size(); ++k) values[k] = cts::Decimal::parse(kCorpus[k]).value();
  std::size_t i = 0;
  char buf[cts::Decimal::kMaxChars];
  for (auto _ : state) {
    char* end = values[i++ & 7].to_chars(buf, buf + sizeof(buf));
    benchmark::DoNotOptimize(end);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(Decimal_format)->Name("Decimal/format");

void Floor_to_chars_double(benchmark::State& state) {
  std::array<double, 8> values{};
  for (std::size_t k = 0; k < values.size(); ++k) {
    std::from_chars(kCorpus[k].data(), kCorpus[k].data() + kCorpus[k].size(), values[k]);
  }
  std::size_t i = 0;
  char buf[64];
  for (auto _ : state) {
    auto r = std::to_chars(buf, buf + sizeof(buf), values[i++ & 7]);
    benchmark::DoNotOptimize(r);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(Floor_to_chars_double)->Name("Floor/to_chars_double");

}  // namespace
