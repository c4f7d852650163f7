// Where a replica sends its acks (docs/cluster.md, "Acks"): on core NATS subject
// omni.acks.<publisher_id> in cluster mode (nats_ack_publisher.h); tests collect them.
//
// Thread-safety: implementations say their own; the replica calls from its apply thread.
#pragma once

#include "omnihub/v1/bus.pb.h"

namespace omnihub::unifier::replica {

class AckSink {
 public:
  virtual ~AckSink() = default;
  // Sends `ack` to its publisher (ack.publisher_id()). Best effort: acks are not durable, a
  // publisher that hears none appends its entries again and gets an ack for the duplicate.
  virtual void Send(const v1::Ack& ack) = 0;
};

}  // namespace omnihub::unifier::replica
