#include "common/bus/nats/nats_kv.h"

#include <chrono>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "common/bus/nats/jetstream_api_error.h"
#include "common/bus/nats/nats_status.h"
#include "common/bus/nats/stored_message.h"

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

base::Result<std::map<std::string, std::string>> ReadKeyValueBucket(JetStreamRequests& requests,
                                                                    const std::string& bucket) {
  const std::string stream = "KV_" + bucket;
  const std::string prefix = "$KV." + bucket + ".";
  const std::string what = "read key-value bucket " + bucket;
  auto info = requests.Send("$JS.API.STREAM.INFO." + stream, {R"({"subjects_filter":")" + prefix + R"(>"})"}, what);
  if (!info.ok()) return info.status();
  const nlohmann::json doc = nlohmann::json::parse(info->front(), nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) return base::Status::Unavailable(what + ": JetStream answered with no JSON object");
  if (auto error = JetStreamApiErrorOf(doc)) return JetStreamApiErrorStatus(*error, what);
  std::vector<std::string> subjects;
  const nlohmann::json* found = nullptr;
  if (const auto state = doc.find("state"); state != doc.end() && state->is_object()) {
    if (const auto listed = state->find("subjects"); listed != state->end() && listed->is_object()) found = &*listed;
  }
  if (found != nullptr) {
    for (const auto& [subject, count] : found->items()) {
      if (subject.starts_with(prefix)) subjects.push_back(subject);
    }
  }
  std::vector<std::string> bodies;
  bodies.reserve(subjects.size());
  for (const std::string& subject : subjects) bodies.push_back(nlohmann::json{{"last_by_subj", subject}}.dump());
  auto replies = requests.Send("$JS.API.STREAM.MSG.GET." + stream, bodies, what);
  if (!replies.ok()) return replies.status();
  std::map<std::string, std::string> values;
  for (size_t i = 0; i < subjects.size(); ++i) {
    auto message = ParseMessageGetReply((*replies)[i]);
    if (!message.ok()) return base::Status(message.status().code(), what + ": " + message.status().message());
    if (!message->has_value()) continue;  // gone since the stream listed it
    const std::string operation = HeaderValue((*message)->headers, "KV-Operation");
    if (operation == "DEL" || operation == "PURGE") continue;
    values[subjects[i].substr(prefix.size())] = std::move((*message)->data);
  }
  return values;
}

}  // namespace omnihub::bus::nats
