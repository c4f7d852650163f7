#include "common/bus/nats/nats_kv.h"

#include <string>

#include "common/bus/nats/nats_status.h"

namespace omnihub::bus::nats {

base::Result<NatsPtr<kvStore>> OpenKeyValueBucket(NatsConnection& connection, const char* bucket, int history,
                                                  int replicas) {
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

}  // namespace omnihub::bus::nats
