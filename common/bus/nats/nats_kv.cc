#include "common/bus/nats/nats_kv.h"

#include <chrono>
#include <string>
#include <thread>

#include <spdlog/spdlog.h>

#include "common/bus/nats/nats_status.h"

namespace omnihub::bus::nats {

namespace {

base::Result<NatsPtr<kvStore>> OpenOnce(NatsConnection& connection, const char* bucket, int history, int replicas) {
  kvStore* raw = nullptr;
  natsStatus s = js_KeyValue(&raw, connection.jetstream(), bucket);
  if (s == NATS_NOT_FOUND) {
    kvConfig config;
    kvConfig_Init(&config);
    config.Bucket = bucket;
    config.History = static_cast<uint8_t>(history);
    config.StorageType = js_FileStorage;
    config.Replicas = replicas;
    s = js_CreateKeyValue(&raw, connection.jetstream(), &config);
  }
  if (s != NATS_OK) return NatsError(s, kNoJsError, std::string("open key-value bucket ") + bucket);
  return NatsPtr<kvStore>(raw);
}

}  // namespace

base::Result<NatsPtr<kvStore>> OpenKeyValueBucket(NatsConnection& connection, const char* bucket, int history,
                                                  int replicas) {
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(connection.options().startup_wait_ms);
  while (true) {
    auto opened = OpenOnce(connection, bucket, history, replicas);
    if (opened.ok() || !opened.status().IsUnavailable() || std::chrono::steady_clock::now() >= deadline) {
      return opened;
    }
    spdlog::warn("{}; trying again", opened.status().message());
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
}

}  // namespace omnihub::bus::nats
