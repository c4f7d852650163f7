#include "common/bus/zmq_partition_log_writer.h"

#include <string>

namespace omnihub::bus {

ZmqPartitionLogWriter::ZmqPartitionLogWriter(ZmqPublisher& publisher, const Outbox& outbox,
                                             std::chrono::milliseconds ack_timeout)
    : publisher_(publisher), outbox_(outbox), ack_timeout_(ack_timeout) {}

base::Result<LogAppendAck> ZmqPartitionLogWriter::Append(uint32_t partition, std::string_view message_id,
                                                         std::string_view /*frame*/) {
  OMNIHUB_RETURN_IF_ERROR(CheckAppendArguments(partition, partition_count(), message_id));
  OMNIHUB_RETURN_IF_ERROR(publisher_.status());
  auto id = ParseLogMessageId(message_id);
  if (id->publisher_id != publisher_.publisher_id()) {
    return base::Status::InvalidArgument("log message id '" + std::string(message_id) + "' names publisher " +
                                         id->publisher_id + ", but this bus sends for " + publisher_.publisher_id());
  }
  if (id->sequence > outbox_.last_sequence()) {
    return base::Status::InvalidArgument("log message id '" + std::string(message_id) + "': sequence " +
                                         std::to_string(id->sequence) + " is not in the outbox (its last is " +
                                         std::to_string(outbox_.last_sequence()) +
                                         "); on one host frames reach the unifier only through Outbox::Append");
  }
  const bool already = publisher_.acked() >= id->sequence;
  if (!already && !publisher_.WaitForAck(id->sequence, ack_timeout_)) {
    return base::Status::Unavailable("the unifier did not acknowledge " + std::string(message_id) + " within " +
                                     std::to_string(ack_timeout_.count()) +
                                     " ms (bus.ingest): the entry stays in the outbox and is resent");
  }
  return LogAppendAck{.position = id->sequence, .duplicate = already};
}

}  // namespace omnihub::bus
