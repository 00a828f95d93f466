// Batch/enqueue_dequeue: one item through the batch processor — submit, poll (chunk and
// dispatch to a no-op sender), complete, take the outcome — without a rate limiter.
#include <cstdint>
#include <string>

#include <benchmark/benchmark.h>

#include <cts/batch/processor.hpp>

namespace {

void Batch_enqueue_dequeue(benchmark::State& state) {
  cts::batch::ChunkId last = 0;
  cts::batch::BatchProcessor<std::uint64_t> processor(
      cts::VenueId::bybit, {1024, 4}, nullptr, [&](const cts::batch::Chunk<std::uint64_t>& chunk) { last = chunk.id; });
  const cts::SteadyTime now = cts::ManualClock{}.steady_now();
  cts::batch::Request<std::uint64_t> request;
  request.client_order_id = cts::ClientOrderId::from("bench-order-0001").value();
  request.category = cts::batch::Category::linear;
  std::uint64_t n = 0;
  for (auto _ : state) {
    request.payload = ++n;
    auto ticket = processor.submit(request, now);
    benchmark::DoNotOptimize(ticket);
    processor.poll(now);
    auto done = processor.complete(last, std::vector<cts::batch::MemberReply>{});
    benchmark::DoNotOptimize(done);
    auto outcomes = processor.take_outcomes();
    benchmark::DoNotOptimize(outcomes);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(Batch_enqueue_dequeue)->Name("Batch/enqueue_dequeue");

}  // namespace
