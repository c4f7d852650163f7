// The loop that keeps something derived from the store up with its change log on a thread of
// its own (the search index, the relationship metrics): apply the next stretch, publish the
// sequence it reached, poll when caught up, retry after an error, and let others wait until
// a sequence is applied. What a stretch does is the caller's `step`.
//
// Lifecycle: construct with the sequence already applied, Start (the thread), Stop (joins it;
// the destructor stops too). Without Start, CatchUp runs steps on the calling thread (tests,
// benchmarks).
//
// Thread-safety: applied() and WaitApplied() from any thread; Start, Stop and CatchUp from
// the owner's. `step` runs on the follower's thread, or the CatchUp caller's, never both.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "common/base/status.h"
#include "omnihub/v1/bus.pb.h"
#include "services/unifier/store/store.h"

namespace omnihub::unifier {

struct ChangeLogFollowerOptions {
  std::string name;  // in log lines: "search indexer"
  // How often the thread looks for new changes when it has caught up.
  std::chrono::milliseconds poll_interval{20};
  // After a failed step (a full disk, a store read error) the thread retries this much later.
  std::chrono::milliseconds retry_after_error{1000};
  // Added to the thread's nice value when it starts (0: unchanged), so that the ingest thread
  // keeps the CPU during a burst and the follower catches up when it is free
  // (docs/benchmarks.md, "Unifier ingest: profile and changes").
  int nice_increment = 10;
};

// Calls `fn` for each change after `after_seq`, up to `max_changes` log entries, in order;
// tombstones (an erasure's) count as entries but are not passed. Returns the sequence of the
// last entry read (`after_seq` when the log has nothing newer).
base::Result<uint64_t> ForEachChangeAfter(Store& store, uint64_t after_seq, size_t max_changes,
                                          const std::function<base::Status(const v1::ChangeNotification&)>& fn);

class ChangeLogFollower {
 public:
  // Applies the next stretch of changes; returns the sequence now applied (unchanged when the
  // log had nothing newer).
  using Step = std::function<base::Result<uint64_t>()>;

  ChangeLogFollower(ChangeLogFollowerOptions options, Step step, uint64_t applied);
  ~ChangeLogFollower();
  ChangeLogFollower(const ChangeLogFollower&) = delete;
  ChangeLogFollower& operator=(const ChangeLogFollower&) = delete;

  // Starts the thread. At most once.
  void Start();
  // Stops and joins it; idempotent.
  void Stop();
  // Without a started thread: steps until the log has nothing newer. Returns the applied seq.
  base::Result<uint64_t> CatchUp();

  uint64_t applied() const { return applied_.load(); }
  // Sets the applied sequence (the owner reopened what it applies to) and wakes waiters.
  void Publish(uint64_t applied);
  // Waits until applied() >= `change_seq`; false after `timeout`.
  bool WaitApplied(uint64_t change_seq, std::chrono::milliseconds timeout);

 private:
  // One step; publishes what it reached. Returns whether it advanced.
  base::Result<bool> StepOnce();
  void Run();

  const ChangeLogFollowerOptions options_;
  const Step step_;
  std::atomic<uint64_t> applied_;
  std::mutex mu_;                     // guards stop_ and pairs with the condition variables
  std::condition_variable wake_;      // the thread: stop
  std::condition_variable applied_cv_;  // WaitApplied: applied_ advanced
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace omnihub::unifier
