#include "common/bus/nats/leader_message_ids.h"

#include <utility>

#include "common/bus/nats/stored_message.h"

namespace omnihub::bus::nats {

LeaderMessageIds::LeaderMessageIds(NatsConnection& connection, std::string stream)
    : stream_(std::move(stream)), requests_(connection) {}

base::Result<std::vector<HeldMessageId>> LeaderMessageIds::At(uint64_t first, uint64_t last) {
  if (last < first) return std::vector<HeldMessageId>{};
  const std::string what = "read positions " + std::to_string(first) + "-" + std::to_string(last) + " of stream " +
                           stream_ + " from its leader";
  std::vector<std::string> bodies;
  bodies.reserve(last - first + 1);
  for (uint64_t position = first; position <= last; ++position) {
    bodies.push_back("{\"seq\":" + std::to_string(position) + "}");
  }
  auto replies = requests_.Send("$JS.API.STREAM.MSG.GET." + stream_, bodies, what);
  if (!replies.ok()) return replies.status();
  std::vector<HeldMessageId> held;
  held.reserve(replies->size());
  for (const std::string& reply : *replies) {
    auto message = ParseMessageGetReply(reply);
    if (!message.ok()) return base::Status(message.status().code(), what + ": " + message.status().message());
    held.push_back(message->has_value() ? HeldMessageId(HeaderValue((*message)->headers, "Nats-Msg-Id"))
                                        : HeldMessageId());
  }
  return held;
}

const LogRecord* FirstRecordNotHeld(const std::vector<LogRecord>& records, const std::vector<HeldMessageId>& held) {
  for (const LogRecord& record : records) {
    const uint64_t index = record.position - records.front().position;
    if (index >= held.size() || !held[index].has_value() || *held[index] != record.message_id) return &record;
  }
  return nullptr;
}

}  // namespace omnihub::bus::nats
