#include "common/bus/routing/replica_entry.h"

#include <cstdio>

#include <nlohmann/json.hpp>

namespace omnihub::bus {

std::string ReplicaKey(uint32_t partition, std::string_view replica_id) {
  char prefix[16];
  std::snprintf(prefix, sizeof prefix, "p%02u.", partition);
  return prefix + std::string(replica_id);
}

base::Result<ReplicaEntry> ParseReplicaEntry(std::string_view key, std::string_view json) {
  const auto fail = [&](const std::string& what) {
    return base::Status::InvalidArgument(std::string(kReplicaRegistryBucket) + " entry " + std::string(key) + ": " +
                                         what);
  };
  const nlohmann::json doc = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) return fail("not a JSON object");
  ReplicaEntry entry;
  try {
    entry.replica_id = doc.at("replica_id").get<std::string>();
    entry.partition = doc.at("partition").get<uint32_t>();
    entry.query_endpoint = doc.at("query_endpoint").get<std::string>();
    entry.applied_position = doc.at("applied_position").get<uint64_t>();
    entry.updated_ms = doc.at("updated_ms").get<int64_t>();
    entry.admin_url = doc.value("admin_url", "");
    entry.stream_created_ns = doc.value("stream_created_ns", int64_t{0});
    entry.digest_position = doc.value("digest_position", uint64_t{0});
    entry.digest = doc.value("digest", "");
  } catch (const nlohmann::json::exception& e) {
    return fail(std::string("replica_id, partition, query_endpoint, applied_position and updated_ms are needed (") +
                e.what() + ")");
  }
  if (entry.query_endpoint.empty()) return fail("query_endpoint is empty");
  if (ReplicaKey(entry.partition, entry.replica_id) != key) {
    return fail("the key does not match partition " + std::to_string(entry.partition) + " and replica_id '" +
                entry.replica_id + "'");
  }
  return entry;
}

std::string ReplicaEntryJson(const ReplicaEntry& entry) {
  return nlohmann::json{{"replica_id", entry.replica_id},
                        {"partition", entry.partition},
                        {"query_endpoint", entry.query_endpoint},
                        {"admin_url", entry.admin_url},
                        {"applied_position", entry.applied_position},
                        {"stream_created_ns", entry.stream_created_ns},
                        {"digest_position", entry.digest_position},
                        {"digest", entry.digest},
                        {"updated_ms", entry.updated_ms}}
      .dump();
}

}  // namespace omnihub::bus
