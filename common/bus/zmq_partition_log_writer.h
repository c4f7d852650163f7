// Single-host mode behind PartitionLogWriter: the ZeroMQ bus as a log of one partition (0)
// whose only reader is the one unifier. Today's path stays exactly as it is: the adapter
// appends to its outbox, ZmqPublisher's sender thread sends every entry and the unifier
// acknowledges cumulatively (docs/bus-protocol.md). Append therefore sends nothing itself:
// the frame it names is already in the outbox and on its way, and Append returns once the
// unifier has acknowledged the message id's sequence, which in this mode is also the
// position (the unifier orders each publisher's frames by sequence).
//
// The adapters and the unifier still use ZmqPublisher and IngestServer directly; this class
// is the seam through which a sender written against PartitionLogWriter runs unchanged on
// one host. There is no ZeroMQ PartitionLogReader: the ROUTER is not a log that can be read
// again from a position (after a restart the outboxes resend instead).
//
// Thread-safety: thread-safe, as ZmqPublisher::WaitForAck.
#pragma once

#include <chrono>
#include <cstdint>
#include <string_view>

#include "common/bus/outbox.h"
#include "common/bus/partition_log.h"
#include "common/bus/zmq_publisher.h"

namespace omnihub::bus {

class ZmqPartitionLogWriter final : public PartitionLogWriter {
 public:
  // `publisher` and `outbox` (the one it sends from) must outlive the writer. Append waits
  // up to `ack_timeout` for the unifier.
  ZmqPartitionLogWriter(ZmqPublisher& publisher, const Outbox& outbox, std::chrono::milliseconds ack_timeout);

  // `message_id` must name this publisher, partition 0 and a sequence already in the
  // outbox (InvalidArgument otherwise); `frame` is not sent again (the outbox's copy is).
  // duplicate = true when the unifier had acknowledged the sequence before the call.
  // Unavailable when the unifier did not acknowledge within the timeout: the entry stays
  // in the outbox and the publisher keeps resending it.
  base::Result<LogAppendAck> Append(uint32_t partition, std::string_view message_id, std::string_view frame) override;
  uint32_t partition_count() const override { return 1; }

 private:
  ZmqPublisher& publisher_;
  const Outbox& outbox_;
  const std::chrono::milliseconds ack_timeout_;
};

}  // namespace omnihub::bus
