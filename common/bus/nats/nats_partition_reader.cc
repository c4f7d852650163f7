#include "common/bus/nats/nats_partition_reader.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include <spdlog/spdlog.h>

#include "common/bus/nats/leader_message_ids.h"
#include "common/bus/nats/nats_partition_log.h"
#include "common/bus/nats/nats_status.h"

namespace omnihub::bus::nats {
namespace {

// An ephemeral consumer nobody fetches from for this long is removed by the server (a
// replica that died does not leave consumers behind).
constexpr int64_t kConsumerInactiveNs = 60'000'000'000;
// The most messages one fetch asks for, whatever the caller's max.
constexpr size_t kMaxFetch = 4096;

// A stored message's Nats-Msg-Id ("" when it has none).
std::string MessageIdOf(natsMsg* msg) {
  const char* id = nullptr;
  natsMsgHeader_Get(msg, "Nats-Msg-Id", &id);
  return id == nullptr ? std::string() : std::string(id);
}

}  // namespace

NatsPartitionReader::NatsPartitionReader(NatsConnection& connection, std::string stream, std::string subject,
                                         LogContinuity continuity, std::string last_message_id)
    : connection_(connection),
      stream_(std::move(stream)),
      subject_(std::move(subject)),
      continuity_(std::move(continuity)),
      leader_(connection, stream_),
      last_position_(continuity_.next_position() - 1),
      last_message_id_(std::move(last_message_id)) {}

base::Status NatsPartitionReader::CheckStream() {
  auto state = ReadStreamState(connection_, stream_);
  if (!state.ok()) return state.status();
  OMNIHUB_RETURN_IF_ERROR(continuity_.CheckState(*state));
  last_seen_position_ = state->last_position;
  return base::Status::Ok();
}

base::Result<std::optional<std::string>> NatsPartitionReader::MessageIdAt(uint64_t position) {
  auto held = leader_.At(position, position);
  if (!held.ok()) return held.status();
  return std::move(held->front());
}

base::Status NatsPartitionReader::EnsureConsumer() {
  if (subscription_) return base::Status::Ok();
  OMNIHUB_RETURN_IF_ERROR(CheckStream());
  jsSubOptions options;
  jsSubOptions_Init(&options);
  options.Stream = stream_.c_str();
  options.Config.DeliverPolicy = js_DeliverByStartSequence;
  options.Config.OptStartSeq = continuity_.next_position();
  options.Config.AckPolicy = js_AckNone;
  options.Config.InactiveThreshold = kConsumerInactiveNs;
  natsSubscription* sub = nullptr;
  jsErrCode jerr = kNoJsError;
  natsStatus s = js_PullSubscribe(&sub, connection_.jetstream(), subject_.c_str(), nullptr, nullptr, &options, &jerr);
  if (s != NATS_OK) return NatsError(s, jerr, "read stream " + stream_ + " (create its consumer)");
  subscription_.reset(sub);
  return base::Status::Ok();
}

base::Result<std::vector<LogRecord>> NatsPartitionReader::Read(size_t max_records, std::chrono::milliseconds wait) {
  const LogContinuity before = continuity_;
  auto records = ReadFromConsumer(max_records, wait);
  if (!records.ok() || records->empty()) return records;
  // Every position read is checked with the stream's leader (leader_message_ids.h says why):
  // another message id at any of them drops the whole read, which is read again from a new
  // consumer. So is the last frame handed out before them: a leader whose copy holds another
  // message there has another history than the one applied (docs/cluster.md, "A stream leader
  // cut off or stopped"), and reading on from it would make this replica diverge.
  const bool check_last = last_position_ > 0 && !last_message_id_.empty();
  const uint64_t first = check_last ? last_position_ : records->front().position;
  auto held = leader_.At(first, records->back().position);
  if (held.ok() && check_last && held->front() != HeldMessageId(last_message_id_)) {
    continuity_ = before;
    subscription_.reset();
    return base::Status::Unavailable(
        "the leader of stream " + stream_ + " holds " + held->front().value_or("nothing") + " at position " +
        std::to_string(last_position_) + ", where this replica applied " + last_message_id_ +
        ": the servers' copies of the stream differ; waiting for a leader whose copy holds what was applied "
        "(docs/cluster.md, \"A stream leader cut off or stopped\")");
  }
  const LogRecord* differing = nullptr;
  if (held.ok()) {
    const std::vector<HeldMessageId> at_records(held->begin() + static_cast<std::ptrdiff_t>(
                                                                    records->front().position - first),
                                                held->end());
    differing = FirstRecordNotHeld(*records, at_records);
    if (differing == nullptr) {
      last_position_ = records->back().position;
      last_message_id_ = records->back().message_id;
      return records;
    }
    spdlog::warn("stream {}: its consumer delivered message {} at position {}, where the leader holds {}; reading "
                 "again from {}", stream_, differing->message_id, differing->position,
                 at_records[differing->position - records->front().position].value_or("nothing"),
                 before.next_position());
  }
  continuity_ = before;
  subscription_.reset();
  if (!held.ok()) return held.status();
  return std::vector<LogRecord>{};
}

base::Result<std::vector<LogRecord>> NatsPartitionReader::ReadFromConsumer(size_t max_records,
                                                                          std::chrono::milliseconds wait) {
  OMNIHUB_RETURN_IF_ERROR(EnsureConsumer());
  NatsMsgListHolder fetched;
  jsErrCode jerr = kNoJsError;
  const int batch = static_cast<int>(std::clamp<size_t>(max_records, 1, kMaxFetch));
  natsStatus s = natsSubscription_Fetch(&fetched.list, subscription_.get(), batch,
                                        std::max<int64_t>(wait.count(), 1), &jerr);
  if (s == NATS_TIMEOUT && fetched.list.Count == 0) {
    // Nothing new: the moment to notice a stream that was recreated or rewound under us.
    OMNIHUB_RETURN_IF_ERROR(CheckStream());
    // The stream holds frames this consumer did not deliver: it is gone (it lived on a
    // server that was lost, or the server dropped it); the next Read makes another.
    if (last_seen_position_ >= continuity_.next_position()) subscription_.reset();
    return std::vector<LogRecord>{};
  }
  if (s != NATS_OK && fetched.list.Count == 0) {
    subscription_.reset();  // made again, from next_position(), by the next Read
    OMNIHUB_RETURN_IF_ERROR(CheckStream());
    return NatsError(s, jerr, "read stream " + stream_);
  }
  std::vector<LogRecord> records;
  records.reserve(static_cast<size_t>(fetched.list.Count));
  for (int i = 0; i < fetched.list.Count; ++i) {
    natsMsg* msg = fetched.list.Msgs[i];
    jsMsgMetaData* raw_meta = nullptr;
    if (natsMsg_GetMetaData(&raw_meta, msg) != NATS_OK) {
      subscription_.reset();
      // Those accepted before it are handed out, as below.
      if (!records.empty()) return records;
      return base::Status::Internal("stream " + stream_ + " delivered a message without JetStream metadata");
    }
    NatsPtr<jsMsgMetaData> meta(raw_meta);
    if (meta->Sequence.Stream < continuity_.next_position()) {
      // A position handed out before, delivered again: seen after a stream leader changed
      // while a fetch was outstanding. Not a rewind by itself: this consumer's place no longer
      // matches ours, so it is dropped, and the next Read checks the stream's state (a real
      // rewind or recreation stops the replica there) and makes another consumer from
      // next_position(). The records accepted before it are handed out: next_position() has
      // moved past them, so returning an error here would skip them.
      subscription_.reset();
      return records;
    }
    if (meta->Sequence.Stream > continuity_.next_position()) {
      // A partition stream is never trimmed nor deleted from (Discard New, no limits), so a
      // position passed over is one this consumer skipped - unless the stream's leader says
      // it is gone (an operator deleted it), the one gap that is accepted. A skipped frame
      // must never be: applying around it makes this replica another state than its peer's.
      auto held = MessageIdAt(continuity_.next_position());
      if (!held.ok() || held->has_value()) {
        subscription_.reset();  // made again from next_position() by the next Read
        spdlog::warn("stream {}: its consumer skipped from position {} to {}{}; reading again from {}", stream_,
                     continuity_.next_position(), meta->Sequence.Stream,
                     held.ok() ? std::string() : " (the leader did not say whether it holds it: " +
                                                     held.status().message() + ")",
                     continuity_.next_position());
        if (!records.empty() || held.ok()) return records;
        return held.status();
      }
    }
    OMNIHUB_RETURN_IF_ERROR(continuity_.Accept(meta->Sequence.Stream));
    const char* data = natsMsg_GetData(msg);
    records.push_back({.position = meta->Sequence.Stream,
                       .message_id = MessageIdOf(msg),
                       .frame = data == nullptr ? std::string()
                                                : std::string(data, static_cast<size_t>(natsMsg_GetDataLength(msg)))});
  }
  return records;
}

}  // namespace omnihub::bus::nats
