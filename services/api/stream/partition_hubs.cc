#include "services/api/stream/partition_hubs.h"

#include <utility>
#include <vector>

#include <spdlog/spdlog.h>

namespace omnihub::api::stream {

PartitionHubs::PartitionHubs(PartitionOf partition_of, StartHub start)
    : partition_of_(std::move(partition_of)), start_(std::move(start)) {}

PartitionHubs::~PartitionHubs() { Stop(); }

base::Result<ChangeHub*> PartitionHubs::ForTenant(std::string_view tenant) {
  // Outside the lock: in cluster mode this reads the shard map over NATS.
  auto partition = partition_of_(tenant);
  if (!partition.ok()) return partition.status();
  std::lock_guard lock(mu_);
  if (stopped_) return base::Status::Unavailable("the API is stopping: no new live streams");
  std::unique_ptr<ChangeHub>& hub = hubs_[*partition];
  if (!hub) {
    spdlog::info("live changes: first stream of partition {} (tenant '{}'): following its change log", *partition,
                 tenant);
    hub = start_(*partition);
  }
  return hub.get();
}

base::Status PartitionHubs::Warm(std::string_view tenant) { return ForTenant(tenant).status(); }

size_t PartitionHubs::started() const {
  std::lock_guard lock(mu_);
  return hubs_.size();
}

void PartitionHubs::Stop() {
  // The hubs stay until destruction: a request may still hold one (its Open then closes the
  // stream at once). Stopped outside the lock, since a hub's Stop joins its thread.
  std::vector<ChangeHub*> hubs;
  {
    std::lock_guard lock(mu_);
    if (stopped_) return;
    stopped_ = true;
    for (auto& [partition, hub] : hubs_) hubs.push_back(hub.get());
  }
  for (ChangeHub* hub : hubs) hub->Stop();
}

}  // namespace omnihub::api::stream
