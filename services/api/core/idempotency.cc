#include "services/api/core/idempotency.h"

#include <functional>

#include "common/base/sha256.h"

namespace omnihub::api {

std::string IdempotencyRecords::MetaKey(std::string_view token_id, std::string_view key) {
  return "idem/" + std::string(token_id) + "/" + base::Sha256Hex(key);
}

std::string IdempotencyRecords::Encode(const IdempotencyRecord& record) {
  return nlohmann::json{{"body_sha256", record.body_sha256}, {"status", record.status}, {"body", record.body}}.dump();
}

std::unique_lock<std::mutex> IdempotencyRecords::Lock(std::string_view meta_key) {
  return std::unique_lock<std::mutex>(stripes_[std::hash<std::string_view>{}(meta_key) % kStripes]);
}

base::Result<std::optional<IdempotencyRecord>> IdempotencyRecords::Find(std::string_view meta_key) const {
  auto stored = outbox_.GetMeta(meta_key);
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) return std::optional<IdempotencyRecord>();
  const nlohmann::json j = nlohmann::json::parse(**stored, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("body_sha256") || !j["body_sha256"].is_string() ||
      !j.contains("status") || !j["status"].is_number_integer() || !j.contains("body")) {
    return base::Status::Corruption("idempotency record " + std::string(meta_key) + " is unreadable");
  }
  return std::optional<IdempotencyRecord>(
      IdempotencyRecord{j["body_sha256"].get<std::string>(), j["status"].get<int>(), j["body"]});
}

}  // namespace omnihub::api
