// The API's live side per partition (docs/cluster.md "The live feed"): a change hub follows
// one change log, and in cluster mode each partition has its own (its replicas'), so a stream
// of tenant T is served by the hub of T's partition. A partition's hub starts on the first
// stream of a tenant on it and runs until Stop; the partition of the default tenant may be
// started ahead (Warm), so that a hub that followed it from the API's start still does. On one
// host there is one partition, 0, for every tenant.
//
// A hub serves the streams of every tenant of its partition; each stream keeps its tenant's
// changes (tenant_filter.h). A stream's sequence (Last-Event-ID) is its partition's
// change_seq, the same on every replica of the partition.
//
// Thread-safety: ForTenant, Warm and started from any thread; Stop from one.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string_view>

#include "common/base/status.h"
#include "services/api/stream/change_hub.h"

namespace omnihub::api::stream {

class PartitionHubs {
 public:
  // tenant -> partition: the shard map in cluster mode (NotFound for a tenant on no
  // partition), 0 for every tenant on one host. Called without a lock held.
  using PartitionOf = std::function<base::Result<uint32_t>(std::string_view tenant)>;
  // Starts the hub that follows `partition`'s change log.
  using StartHub = std::function<std::unique_ptr<ChangeHub>(uint32_t partition)>;

  PartitionHubs(PartitionOf partition_of, StartHub start);
  ~PartitionHubs();  // Stop()
  PartitionHubs(const PartitionHubs&) = delete;
  PartitionHubs& operator=(const PartitionHubs&) = delete;

  // The hub of `tenant`'s partition, started if it is the partition's first stream; alive
  // until this object is destroyed. The partition_of error as it is (NotFound: the tenant is
  // on no partition); Unavailable after Stop.
  base::Result<ChangeHub*> ForTenant(std::string_view tenant);
  // Starts the hub of `tenant`'s partition now; the error of ForTenant.
  base::Status Warm(std::string_view tenant);
  // How many partitions' hubs run.
  size_t started() const;
  // Stops every hub (closing their streams). Idempotent.
  void Stop();

 private:
  const PartitionOf partition_of_;
  const StartHub start_;
  mutable std::mutex mu_;
  std::map<uint32_t, std::unique_ptr<ChangeHub>> hubs_;  // guarded by mu_
  bool stopped_ = false;                                  // guarded by mu_
};

}  // namespace omnihub::api::stream
