#include "tests/bench/replica_acks.h"

#include <algorithm>

#include "common/bus/nats/nats_status.h"
#include "omnihub/v1/bus.pb.h"

namespace omnihub::bench {

base::Result<std::unique_ptr<ReplicaAcks>> ReplicaAcks::Subscribe(bus::nats::NatsConnection& connection,
                                                                  const std::string& publisher_id, size_t replicas) {
  std::unique_ptr<ReplicaAcks> acks(new ReplicaAcks(replicas));
  const std::string subject = "omni.acks." + publisher_id;
  natsStatus s = natsConnection_Subscribe(
      &acks->subscription_, connection.connection(), subject.c_str(),
      [](natsConnection*, natsSubscription*, natsMsg* msg, void* closure) {
        static_cast<ReplicaAcks*>(closure)->Deliver(
            std::string_view(natsMsg_GetData(msg), static_cast<size_t>(natsMsg_GetDataLength(msg))));
        natsMsg_Destroy(msg);
      },
      acks.get());
  if (s != NATS_OK) return bus::nats::NatsError(s, bus::nats::kNoJsError, "subscribe to " + subject);
  // The subscription reaches the server before the first entry is published.
  if (s = natsConnection_Flush(connection.connection()); s != NATS_OK) {
    return bus::nats::NatsError(s, bus::nats::kNoJsError, "flush the subscription to " + subject);
  }
  return acks;
}

ReplicaAcks::~ReplicaAcks() {
  if (subscription_ == nullptr) return;
  // Unsubscribe waits for no callback: drain so none runs on a destroyed object.
  if (natsSubscription_Drain(subscription_) == NATS_OK) natsSubscription_WaitForDrainCompletion(subscription_, 2000);
  natsSubscription_Destroy(subscription_);
}

void ReplicaAcks::Deliver(std::string_view bytes) {
  v1::Ack ack;
  if (!ack.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())) || ack.replica_id().empty()) return;
  {
    std::lock_guard lock(mu_);
    uint64_t& mark = acked_by_[ack.replica_id()];
    mark = std::max(mark, ack.cumulative_ack());  // an older ack changes nothing
  }
  cv_.notify_all();
}

uint64_t ReplicaAcks::AckedLocked() const {
  if (acked_by_.size() < replicas_) return 0;
  uint64_t lowest = UINT64_MAX;
  for (const auto& [id, mark] : acked_by_) lowest = std::min(lowest, mark);
  return lowest;
}

uint64_t ReplicaAcks::acked() const {
  std::lock_guard lock(mu_);
  return AckedLocked();
}

bool ReplicaAcks::WaitForAck(uint64_t sequence, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, timeout, [&] { return AckedLocked() >= sequence; });
}

std::map<std::string, uint64_t> ReplicaAcks::by_replica() const {
  std::lock_guard lock(mu_);
  return acked_by_;
}

}  // namespace omnihub::bench
