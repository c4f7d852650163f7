// AckSink on core NATS: each ack is published, serialized, on omni.acks.<publisher_id>
// (docs/cluster.md, "Acks"), where the publisher's sender subscribes. Core NATS, not
// JetStream: an ack that is lost is answered by the publisher's resend, which the replica
// acks again as a duplicate.
//
// Thread-safety: thread-safe (the NATS connection is).
#pragma once

#include <string>

#include "common/bus/nats/nats_connection.h"
#include "services/unifier/replica/ack_sink.h"

namespace omnihub::unifier::replica {

// "omni.acks.<publisher_id>".
std::string AckSubject(const std::string& publisher_id);

class NatsAckPublisher final : public AckSink {
 public:
  // `connection` must outlive the publisher.
  explicit NatsAckPublisher(bus::nats::NatsConnection& connection) : connection_(connection) {}
  void Send(const v1::Ack& ack) override;

 private:
  bus::nats::NatsConnection& connection_;
};

}  // namespace omnihub::unifier::replica
