// An adapter's publisher in cluster mode, put together on NATS (docs/cluster.md, "Adapters
// in cluster mode"): one connection (1 s pings, [cluster] ping_interval_ms), the partition
// log (publish timeout [cluster] publish_timeout_ms), the shard map OMNI_SHARDS, the blob
// stream OMNI_BLOBS, a subscription to the replicas' acks on omni.acks.<publisher_id>, and
// the LogPublisher that sends the outbox through them. The streams and the bucket are made
// by `omnihubctl cluster init`; this only uses them.
//
// Thread-safety: as LogPublisher; built and destroyed on one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/base/env.h"
#include "common/base/status.h"
#include "common/bus/cluster_config.h"
#include "common/bus/log_sender/log_publisher.h"
#include "common/bus/nats/nats_blob_store.h"
#include "common/bus/nats/nats_shard_map.h"
#include "common/bus/outbox.h"
#include "common/bus/publisher_core.h"

namespace omnihub::service {
class Registry;  // common/service/metrics.h
}  // namespace omnihub::service

namespace omnihub::bus {

// The shard map and the blob store of NATS behind the LogSender's interfaces.
class NatsShardMapSource final : public ShardMapSource {
 public:
  explicit NatsShardMapSource(nats::NatsShardMap& map) : map_(map) {}
  base::Result<std::optional<uint32_t>> Get(std::string_view tenant_id) override;

 private:
  nats::NatsShardMap& map_;
};

class NatsBlobSink final : public BlobSink {
 public:
  explicit NatsBlobSink(nats::NatsBlobStore& store) : store_(store) {}
  base::Result<std::string> Put(std::string_view bytes) override;

 private:
  nats::NatsBlobStore& store_;
};

class NatsClusterPublisher {
 public:
  // Connects as process `name` and starts sending `outbox`. `registry` (may be null) gets
  // omnihub_publisher_unmapped_tenant_entries. Unavailable when no NATS server of
  // [cluster] nats_urls answers; every reference must outlive the publisher.
  static base::Result<std::unique_ptr<NatsClusterPublisher>> Start(const ClusterConfig& cluster, std::string name,
                                                                   Outbox& outbox, base::Clock& clock,
                                                                   PublisherOptions options,
                                                                   service::Registry* registry);
  ~NatsClusterPublisher();
  NatsClusterPublisher(const NatsClusterPublisher&) = delete;
  NatsClusterPublisher& operator=(const NatsClusterPublisher&) = delete;

  LogPublisher& publisher();

 private:
  struct Parts;
  explicit NatsClusterPublisher(std::unique_ptr<Parts> parts);
  std::unique_ptr<Parts> parts_;
};

}  // namespace omnihub::bus
