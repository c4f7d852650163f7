// One state digest at a time, computed on a thread of its own from a RocksDB snapshot taken
// when it starts, so that a replica under load keeps applying while it scans the whole store
// (a scan costs milliseconds per ten thousand events; state_digest.h).
//
// Thread-safety: Start and TakeFinished on one thread (the replica's); the scan runs on its own
// and reads the thread-safe Store through the snapshot. The destructor waits for a running scan.
#pragma once

#include <cstdint>
#include <future>
#include <optional>

#include "common/base/status.h"
#include "services/unifier/store/state_digest.h"
#include "services/unifier/store/store.h"

namespace omnihub::unifier::replica {

struct FinishedDigest {
  uint64_t position = 0;  // the label Start was given
  base::Result<StateDigest> digest;
};

class BackgroundDigest {
 public:
  explicit BackgroundDigest(Store& store) : store_(store) {}
  ~BackgroundDigest();
  BackgroundDigest(const BackgroundDigest&) = delete;
  BackgroundDigest& operator=(const BackgroundDigest&) = delete;

  // Snapshots the store now and digests it as of `position`; false (and nothing done) while
  // the previous scan still runs.
  bool Start(uint64_t position);
  // The scan that ended since the last call, if any; never blocks.
  std::optional<FinishedDigest> TakeFinished();

 private:
  Store& store_;
  uint64_t position_ = 0;
  std::future<base::Result<StateDigest>> running_;
};

}  // namespace omnihub::unifier::replica
