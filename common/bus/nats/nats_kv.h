// Opening a JetStream key-value bucket of cluster mode, creating it (file storage) when it
// does not exist: the shard map (OMNI_SHARDS) and the replica registry (OMNI_REPLICAS) open
// theirs this way.
//
// ReadKeyValueBucket reads a bucket's current keys and values without a watcher.
//
// Thread-safety: functions; the handle OpenKeyValueBucket returns is thread-safe.
#pragma once

#include <map>
#include <string>

#include "common/base/status.h"
#include "common/bus/nats/jetstream_requests.h"
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

// Every key of `bucket` that holds a value now (deleted and purged keys are left out), with
// its value, as the bucket stream's leader holds them: the stream's subjects (stream info
// with a subjects filter), then the last message of each (STREAM.MSG.GET by subject), sent
// together. No consumer is made: libnats 3.4.1's watcher has been seen to crash the process
// when it was made while the cluster was electing (strdup of a missing name in
// js_SubscribeSync, from kvStore_WatchAll). NotFound when the bucket's stream does not exist;
// Unavailable for any other refusal or an answer that does not come.
base::Result<std::map<std::string, std::string>> ReadKeyValueBucket(JetStreamRequests& requests,
                                                                    const std::string& bucket);

}  // namespace omnihub::bus::nats
