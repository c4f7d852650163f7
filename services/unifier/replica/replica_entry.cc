#include "services/unifier/replica/replica_entry.h"

#include <cstdio>

#include <nlohmann/json.hpp>

namespace omnihub::unifier::replica {

std::string ReplicaKeyPrefix(uint32_t partition) {
  char prefix[16];
  std::snprintf(prefix, sizeof prefix, "p%02u.", partition);
  return prefix;
}

std::string ReplicaKey(uint32_t partition, std::string_view replica_id) {
  return ReplicaKeyPrefix(partition) + std::string(replica_id);
}

std::string EncodeEntry(const ReplicaEntry& e) {
  nlohmann::ordered_json j;
  j["replica_id"] = e.replica_id;
  j["partition"] = e.partition;
  j["query_endpoint"] = e.query_endpoint;
  j["admin_url"] = e.admin_url;
  j["applied_position"] = e.applied_position;
  j["stream_created_ns"] = e.stream_created_ns;
  j["digest_position"] = e.digest_position;
  j["digest"] = e.digest;
  j["updated_ms"] = e.updated_ms;
  return j.dump();
}

base::Result<ReplicaEntry> DecodeEntry(std::string_view key, std::string_view json) {
  auto j = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) {
    return base::Status::InvalidArgument(std::string(kReplicaBucket) + " entry " + std::string(key) +
                                         " is not a JSON object");
  }
  ReplicaEntry e;
  try {
    e.replica_id = j.at("replica_id").get<std::string>();
    e.partition = j.at("partition").get<uint32_t>();
    e.query_endpoint = j.value("query_endpoint", "");
    e.admin_url = j.value("admin_url", "");
    e.applied_position = j.at("applied_position").get<uint64_t>();
    e.stream_created_ns = j.value("stream_created_ns", int64_t{0});
    e.digest_position = j.value("digest_position", uint64_t{0});
    e.digest = j.value("digest", "");
    e.updated_ms = j.at("updated_ms").get<int64_t>();
  } catch (const nlohmann::json::exception& ex) {
    return base::Status::InvalidArgument(std::string(kReplicaBucket) + " entry " + std::string(key) + ": " +
                                         ex.what());
  }
  return e;
}

}  // namespace omnihub::unifier::replica
