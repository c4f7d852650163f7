// Opening a JetStream key-value bucket of cluster mode, creating it (file storage) when it
// does not exist: the shard map (OMNI_SHARDS) and the replica registry (OMNI_REPLICAS) open
// theirs this way.
//
// Thread-safety: a function; the handle it returns is thread-safe.
#pragma once

#include "common/base/status.h"
#include "common/bus/nats/nats_connection.h"
#include "common/bus/nats/nats_handles.h"

namespace omnihub::bus::nats {

// The bucket `bucket`; created with `history` values kept per key and `replicas` copies when
// it does not exist (an existing bucket is opened as it is). A process opens its buckets when
// it starts, and a cluster that is electing a leader (one was killed or is stopped) does not
// answer meanwhile: Unavailable is tried again, every 500 ms with a warning, for up to the
// connection's startup_wait_ms, so a process started during an election waits it out rather
// than exit.
base::Result<NatsPtr<kvStore>> OpenKeyValueBucket(NatsConnection& connection, const char* bucket, int history,
                                                  int replicas);

}  // namespace omnihub::bus::nats
