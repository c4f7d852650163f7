#include "common/bus/nats/nats_replica_registry.h"

#include <chrono>
#include <set>
#include <string>
#include <thread>
#include <utility>

#include <spdlog/spdlog.h>

#include "common/bus/nats/nats_kv.h"
#include "common/bus/nats/nats_status.h"

namespace omnihub::bus::nats {
namespace {

// The registry keeps only the latest entry of each replica.
constexpr int kHistory = 1;
constexpr int64_t kPollMs = 250;
// How long Watch waits for the first read of the bucket.
constexpr int64_t kFirstReadMs = 2000;

}  // namespace

base::Result<NatsPtr<kvStore>> OpenReplicaRegistryBucket(NatsConnection& connection, int replicas) {
  return OpenKeyValueBucket(connection, kReplicaRegistryBucket, kHistory, replicas);
}

base::Result<std::unique_ptr<NatsReplicaRegistry>> NatsReplicaRegistry::Open(NatsConnection& connection,
                                                                           int replicas) {
  auto kv = OpenReplicaRegistryBucket(connection, replicas);
  if (!kv.ok()) return kv.status();
  return std::unique_ptr<NatsReplicaRegistry>(new NatsReplicaRegistry(connection, std::move(*kv)));
}

NatsReplicaRegistry::~NatsReplicaRegistry() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

base::Status NatsReplicaRegistry::Put(const ReplicaEntry& entry) {
  uint64_t revision = 0;
  const std::string key = ReplicaKey(entry.partition, entry.replica_id);
  const natsStatus s = kvStore_PutString(&revision, kv_.get(), key.c_str(), ReplicaEntryJson(entry).c_str());
  if (s != NATS_OK) return NatsError(s, kNoJsError, std::string(kReplicaRegistryBucket) + " put " + key);
  return base::Status::Ok();
}

base::Status NatsReplicaRegistry::Watch(ReplicaDirectory& directory) {
  if (thread_.joinable()) return base::Status::FailedPrecondition("the replica registry is watched already");
  thread_ = std::thread([this, &directory] {
    JetStreamRequests requests(connection_);
    std::set<std::string> known;
    while (!stop_) {
      Poll(requests, directory, known);
      const auto next = std::chrono::steady_clock::now() + std::chrono::milliseconds(kPollMs);
      while (!stop_ && std::chrono::steady_clock::now() < next) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
    }
  });
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(kFirstReadMs);
  while (!loaded_ && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return base::Status::Ok();
}

void NatsReplicaRegistry::Poll(JetStreamRequests& requests, ReplicaDirectory& directory,
                               std::set<std::string>& known) {
  auto values = ReadKeyValueBucket(requests, kReplicaRegistryBucket);
  if (!values.ok()) {
    // The entries read last stay; routers judge them by their age.
    if (!failing_) spdlog::warn("{}: cannot read the replica registry: {}", kReplicaRegistryBucket,
                                values.status().message());
    failing_ = true;
    return;
  }
  if (failing_) spdlog::info("{}: the replica registry reads again", kReplicaRegistryBucket);
  failing_ = false;
  for (const std::string& key : known) {
    if (!values->contains(key)) directory.Remove(key);
  }
  known.clear();
  for (auto& [key, value] : *values) {
    known.insert(key);
    auto parsed = ParseReplicaEntry(key, value);
    if (!parsed.ok()) {
      spdlog::warn("{}", parsed.status().message());
      continue;
    }
    directory.Put(key, std::move(*parsed));
  }
  loaded_ = true;
}

}  // namespace omnihub::bus::nats
