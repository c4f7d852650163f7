#include "services/unifier/ingest/counted_apply.h"

namespace omnihub::unifier {

base::Result<BatchResult> ApplyCounted(BatchProcessor& processor, std::vector<DecodedFrame> frames, base::Clock& clock,
                                       UnifierMetrics& metrics) {
  const int64_t start = clock.MonotonicMicros();
  const StoreCounters before = processor.counters();
  const size_t count = frames.size();
  metrics.frames_received.Increment(count);
  base::Result<BatchResult> result = processor.Apply(std::move(frames));
  if (!result.ok()) {
    metrics.commit_failures.Increment();
    return result;
  }
  metrics.commit_seconds.Observe(static_cast<double>(clock.MonotonicMicros() - start) / 1e6);
  metrics.batch_frames.Observe(static_cast<double>(count));
  // The processor's counters are the committed totals; what this batch added is the difference.
  const StoreCounters& after = processor.counters();
  metrics.events_committed.Increment(after.events - before.events);
  metrics.statuses_committed.Increment(after.statuses - before.statuses);
  metrics.duplicates.Increment(after.duplicates - before.duplicates);
  metrics.dead_letters.Increment(after.dead_letters - before.dead_letters);
  for (const OutboundAck& out : result->acks) {
    if (out.ack.resend()) metrics.resend_requests.Increment();
  }
  return result;
}

}  // namespace omnihub::unifier
