// Every unifier replica's acks to one publisher, taken on omni.acks.<publisher_id> as the
// adapter's own subscription takes them (common/bus/log_sender/nats_cluster_publisher.cc),
// but kept per replica: the adapter trims on the first replica's ack, while the cluster
// benchmark's "applied" means applied and synced by every replica of the partition. So
// acked() is the lowest cumulative_ack of the `replicas` replicas (0 until each was heard).
//
// Thread-safety: the NATS client's delivery thread delivers; every method is safe from any
// thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include <nats/nats.h>

#include "common/base/status.h"
#include "common/bus/nats/nats_connection.h"
#include "tests/bench/ack_recorder.h"

namespace omnihub::bench {

class ReplicaAcks final : public AckSource {
 public:
  // Subscribes on `connection` (which must outlive the result) to the acks of
  // `publisher_id`'s entries from `replicas` replicas.
  static base::Result<std::unique_ptr<ReplicaAcks>> Subscribe(bus::nats::NatsConnection& connection,
                                                              const std::string& publisher_id, size_t replicas);
  ~ReplicaAcks() override;
  ReplicaAcks(const ReplicaAcks&) = delete;
  ReplicaAcks& operator=(const ReplicaAcks&) = delete;

  bool WaitForAck(uint64_t sequence, std::chrono::milliseconds timeout) override;
  uint64_t acked() const override;
  // replica_id -> its highest cumulative_ack.
  std::map<std::string, uint64_t> by_replica() const;

 private:
  explicit ReplicaAcks(size_t replicas) : replicas_(replicas) {}
  void Deliver(std::string_view bytes);
  uint64_t AckedLocked() const;

  const size_t replicas_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, uint64_t> acked_by_;  // guarded by mu_
  natsSubscription* subscription_ = nullptr;
};

}  // namespace omnihub::bench
