// RunInProcessUnifier (declared in raw_baseline.h): the unifier's BatchProcessor
// without sockets, outbox or a second process.
#include <memory>

#include "common/base/env.h"
#include "common/event/identity.h"
#include "common/bus/sequence_tracker.h"
#include "common/base/uuid.h"
#include "omnihub/v1/bus.pb.h"
#include "services/unifier/ingest/batch_processor.h"
#include "services/unifier/store/store.h"
#include "tests/bench/bench_clock.h"
#include "tests/bench/raw_baseline.h"

namespace omnihub::bench {

base::Result<BaselineResult> RunInProcessUnifier(const std::string& dir, const std::vector<BenchEvent>& events,
                                           double batch_size, const std::string& default_region) {
  auto store = unifier::Store::Open(dir);
  if (!store.ok()) return store.status();
  base::SystemClock clock;
  event::IdentityNormalizer normalizer(default_region);
  bus::SequenceTracker tracker(clock);
  unifier::BatchProcessor processor(**store, normalizer, tracker, /*credit=*/8192);
  OMNIHUB_RETURN_IF_ERROR(processor.Init());

  // Frames are serialized before the clock starts, as they arrive serialized on the bus.
  const std::vector<size_t> ends = BatchEnds(events.size(), batch_size);
  std::vector<std::vector<unifier::InboundFrame>> batches;
  batches.reserve(ends.size());
  size_t begin = 0;
  for (size_t end : ends) {
    auto& frames = batches.emplace_back();
    for (size_t i = begin; i < end; ++i) {
      v1::BusFrame frame;
      frame.set_protocol_version(v1::BusVersion::CURRENT);
      frame.set_publisher_id("bench-inprocess-0123456789abcdef");
      frame.set_sequence(i + 1);
      frame.set_event(events[i].event.SerializeAsString());
      frames.push_back({"routing", frame.SerializeAsString()});
    }
    begin = end;
  }

  BaselineResult r;
  r.name = "in-process";
  const ThreadTimes before = CurrentThreadTimes();
  const int64_t started = NowMicros();
  for (auto& frames : batches) {
    auto result = processor.Process(std::move(frames));
    if (!result.ok()) return result.status().WithContext("in-process unifier");
    ++r.batches;
  }
  r.seconds = double(NowMicros() - started) / 1e6;
  const ThreadTimes after = CurrentThreadTimes();
  r.cpu_s = after.on_cpu_s - before.on_cpu_s;
  r.runqueue_s = after.runqueue_s - before.runqueue_s;
  r.events = events.size();
  if (processor.counters().events != r.events) {
    return base::Status::Internal("in-process unifier stored " + std::to_string(processor.counters().events) + " of " +
                            std::to_string(r.events) + " events");
  }
  r.batch_size = double(r.events) / double(r.batches);
  r.events_per_s = double(r.events) / r.seconds;
  r.batches_per_s = double(r.batches) / r.seconds;
  return r;
}

}  // namespace omnihub::bench
