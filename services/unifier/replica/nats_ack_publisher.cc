#include "services/unifier/replica/nats_ack_publisher.h"

#include <spdlog/spdlog.h>

namespace omnihub::unifier::replica {

std::string AckSubject(const std::string& publisher_id) { return "omni.acks." + publisher_id; }

void NatsAckPublisher::Send(const v1::Ack& ack) {
  const std::string bytes = ack.SerializeAsString();
  const std::string subject = AckSubject(ack.publisher_id());
  natsStatus s = natsConnection_Publish(connection_.connection(), subject.c_str(), bytes.data(),
                                        static_cast<int>(bytes.size()));
  // Not an error of the replica: the publisher resends what it hears no ack for.
  if (s != NATS_OK) spdlog::warn("ack to {} not sent: {}", subject, natsStatus_GetText(s));
}

}  // namespace omnihub::unifier::replica
