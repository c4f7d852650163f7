#include "common/bus/nats/nats_replica_registry.h"

#include <chrono>

#include <spdlog/spdlog.h>

#include "common/bus/nats/nats_kv.h"
#include "common/bus/nats/nats_status.h"

namespace omnihub::bus::nats {
namespace {

// The registry keeps only the latest entry of each replica.
constexpr int kHistory = 1;
constexpr int64_t kNextWaitMs = 250;
// Replicas write every 500 ms: this long without any entry means the watch is lost.
constexpr int64_t kQuietMs = 2000;

struct WatcherDeleter {
  void operator()(kvWatcher* w) const {
    kvWatcher_Stop(w);
    kvWatcher_Destroy(w);
  }
};

}  // namespace

base::Result<NatsPtr<kvStore>> OpenReplicaRegistryBucket(NatsConnection& connection, int replicas) {
  return OpenKeyValueBucket(connection, kReplicaRegistryBucket, kHistory, replicas);
}

base::Result<std::unique_ptr<NatsReplicaRegistry>> NatsReplicaRegistry::Open(NatsConnection& connection,
                                                                           int replicas) {
  auto kv = OpenReplicaRegistryBucket(connection, replicas);
  if (!kv.ok()) return kv.status();
  return std::unique_ptr<NatsReplicaRegistry>(new NatsReplicaRegistry(std::move(*kv)));
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
    while (!stop_) Follow(directory);
  });
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(kQuietMs);
  while (!loaded_ && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return base::Status::Ok();
}

void NatsReplicaRegistry::Follow(ReplicaDirectory& directory) {
  kvWatcher* raw = nullptr;
  natsStatus s = kvStore_WatchAll(&raw, kv_.get(), nullptr);
  if (s != NATS_OK) {
    spdlog::warn("{}: cannot watch the replica registry: {}", kReplicaRegistryBucket, natsStatus_GetText(s));
    std::this_thread::sleep_for(std::chrono::milliseconds(kNextWaitMs));
    return;
  }
  std::unique_ptr<kvWatcher, WatcherDeleter> watcher(raw);
  auto last_entry = std::chrono::steady_clock::now();
  while (!stop_) {
    kvEntry* next = nullptr;
    s = kvWatcher_Next(&next, watcher.get(), kNextWaitMs);
    if (s == NATS_TIMEOUT) {
      if (std::chrono::steady_clock::now() - last_entry > std::chrono::milliseconds(kQuietMs)) return;
      continue;
    }
    if (s != NATS_OK) return;  // made again by the caller's loop
    last_entry = std::chrono::steady_clock::now();
    if (next == nullptr) {  // the current entries are all in
      loaded_ = true;
      continue;
    }
    NatsPtr<kvEntry> entry(next);
    const std::string key = kvEntry_Key(entry.get());
    if (kvEntry_Operation(entry.get()) != kvOp_Put) {
      directory.Remove(key);
      continue;
    }
    const char* data = static_cast<const char*>(kvEntry_Value(entry.get()));
    const std::string value = data == nullptr ? "" : std::string(data, static_cast<size_t>(kvEntry_ValueLen(entry.get())));
    auto parsed = ParseReplicaEntry(key, value);
    if (!parsed.ok()) {
      spdlog::warn("{}", parsed.status().message());
      continue;
    }
    directory.Put(key, std::move(*parsed));
  }
}

}  // namespace omnihub::bus::nats
