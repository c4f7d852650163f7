#include "common/bus/nats/nats_partition_log.h"

#include <cstdio>
#include <utility>

#include "common/bus/nats/nats_handles.h"
#include "common/bus/nats/nats_partition_reader.h"
#include "common/bus/nats/nats_status.h"

namespace omnihub::bus::nats {
namespace {

constexpr int64_t kNanosPerMilli = 1'000'000;

std::string TwoDigits(uint32_t partition) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02u", partition);
  return buf;
}

}  // namespace

std::string PartitionStreamName(uint32_t partition) { return "OMNI_P" + TwoDigits(partition); }
std::string PartitionSubject(uint32_t partition) { return "omni.p" + TwoDigits(partition) + ".events"; }

base::Result<LogState> ReadStreamState(NatsConnection& connection, const std::string& stream) {
  jsStreamInfo* raw = nullptr;
  jsErrCode jerr = kNoJsError;
  natsStatus s = js_GetStreamInfo(&raw, connection.jetstream(), stream.c_str(), nullptr, &jerr);
  if (s != NATS_OK) return NatsError(s, jerr, "stream info of " + stream);
  NatsPtr<jsStreamInfo> info(raw);
  return LogState{.created_ns = info->Created,
                  .first_position = info->State.FirstSeq,
                  .last_position = info->State.LastSeq};
}

NatsPartitionLog::NatsPartitionLog(NatsConnection& connection, NatsLogOptions options)
    : connection_(connection), options_(options) {}

base::Status NatsPartitionLog::EnsureStreams() {
  if (options_.partitions == 0) return base::Status::InvalidArgument("the partition log needs at least 1 partition");
  if (options_.replicas < 1 || options_.replicas > 5) {
    return base::Status::InvalidArgument("replicas must be 1..5 (JetStream's limit), not " +
                                         std::to_string(options_.replicas));
  }
  for (uint32_t partition = 0; partition < options_.partitions; ++partition) {
    const std::string name = PartitionStreamName(partition);
    const std::string subject = PartitionSubject(partition);
    const char* subjects[] = {subject.c_str()};
    jsStreamConfig config;
    jsStreamConfig_Init(&config);
    config.Name = name.c_str();
    config.Subjects = subjects;
    config.SubjectsLen = 1;
    config.Storage = js_FileStorage;
    config.Replicas = options_.replicas;
    config.Duplicates = options_.duplicate_window_ms * kNanosPerMilli;
    // A full log refuses new frames (they wait in the outboxes) rather than dropping old
    // ones that a replica may not have applied yet.
    config.Discard = js_DiscardNew;
    jsStreamInfo* raw = nullptr;
    jsErrCode jerr = kNoJsError;
    // Adding a stream that exists with the same configuration succeeds (idempotent).
    natsStatus s = js_AddStream(&raw, connection_.jetstream(), &config, nullptr, &jerr);
    NatsPtr<jsStreamInfo> info(raw);
    if (s != NATS_OK) return NatsError(s, jerr, "create stream " + name);
  }
  return base::Status::Ok();
}

base::Result<LogAppendAck> NatsPartitionLog::Append(uint32_t partition, std::string_view message_id,
                                                    std::string_view frame) {
  OMNIHUB_RETURN_IF_ERROR(CheckAppendArguments(partition, options_.partitions, message_id));
  // The header and subject count towards max_payload too; leave them room.
  if (static_cast<int64_t>(frame.size()) + 1024 > connection_.max_payload()) {
    return base::Status::InvalidArgument("a frame of " + std::to_string(frame.size()) +
                                         " bytes does not fit the server's max_payload of " +
                                         std::to_string(connection_.max_payload()) +
                                         " bytes: publish its blobs to OMNI_BLOBS and name them in the frame");
  }
  const std::string id(message_id);
  const std::string subject = PartitionSubject(partition);
  jsPubOptions options;
  jsPubOptions_Init(&options);
  options.MsgId = id.c_str();
  options.MaxWait = options_.publish_timeout_ms;
  // Only this partition's stream may take it (a stray stream on the same subject would not).
  const std::string stream = PartitionStreamName(partition);
  options.ExpectStream = stream.c_str();
  jsPubAck* raw = nullptr;
  jsErrCode jerr = kNoJsError;
  natsStatus s = js_Publish(&raw, connection_.jetstream(), subject.c_str(), frame.data(),
                            static_cast<int>(frame.size()), &options, &jerr);
  NatsPtr<jsPubAck> ack(raw);
  if (s != NATS_OK) {
    return NatsError(s, jerr,
                     "publish " + id + " to stream " + stream + " (timeout " +
                         std::to_string(options_.publish_timeout_ms) + " ms)");
  }
  return LogAppendAck{.position = ack->Sequence, .duplicate = ack->Duplicate};
}

base::Result<std::unique_ptr<PartitionLogReader>> NatsPartitionLog::OpenReader(uint32_t partition,
                                                                               LogReadStart start) {
  OMNIHUB_RETURN_IF_ERROR(CheckPartition(partition, partition_count()));
  auto reader = std::make_unique<NatsPartitionReader>(
      connection_, PartitionStreamName(partition), PartitionSubject(partition),
      LogContinuity("stream " + PartitionStreamName(partition), start), start.last_message_id);
  OMNIHUB_RETURN_IF_ERROR(reader->CheckStream());
  return std::unique_ptr<PartitionLogReader>(std::move(reader));
}

base::Result<LogState> NatsPartitionLog::State(uint32_t partition) const {
  return ReadStreamState(connection_, PartitionStreamName(partition));
}

}  // namespace omnihub::bus::nats
