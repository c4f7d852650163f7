// Cluster mode's publisher: the EventSink an adapter gets when [cluster] enabled = true. It
// appends to the outbox as on one host (OutboxPublisher), and a sender thread drives a
// LogSender: entries go to the partition log, acks come from the unifier replicas on
// omni.acks.<publisher_id> (handed in through DeliverAck by whoever subscribed), and the
// outbox is trimmed only through them. docs/cluster.md, "Adapters in cluster mode".
//
// Thread-safety: as OutboxPublisher; DeliverAck may be called from any thread (the NATS
// client's delivery thread).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "common/base/env.h"
#include "common/base/status.h"
#include "common/bus/log_sender/appended_positions.h"
#include "common/bus/log_sender/log_frame.h"
#include "common/bus/log_sender/log_sender.h"
#include "common/bus/log_sender/shard_map_cache.h"
#include "common/bus/outbox.h"
#include "common/bus/outbox_publisher.h"
#include "common/bus/partition_log.h"

namespace omnihub::bus {

// What a LogPublisher sends through; every reference must outlive the publisher.
struct LogPublisherParts {
  PartitionLogWriter& log;
  ShardMapSource& shard_map;
  BlobSink& blobs;
  // OK while the log can be reached; Unavailable saying why otherwise (readiness).
  std::function<base::Status()> log_status;
  // Names the log in messages ("the partition log at nats://...").
  std::string log_name;
};

class LogPublisher final : public OutboxPublisher {
 public:
  // Starts the sender thread. `outbox` and `clock` must outlive it. options.acks_grant_credit
  // is turned off (a replica's ack carries no credit).
  LogPublisher(Outbox& outbox, base::Clock& clock, PublisherOptions options, LogPublisherParts parts,
               LogSenderOptions sender_options = {}, ShardMapCacheOptions shard_map_options = {});
  // Stops and joins the thread. Unacknowledged entries stay in the outbox.
  ~LogPublisher() override;

  // A serialized omnihub.v1.Ack received on omni.acks.<publisher_id>; any thread.
  void DeliverAck(std::string_view bytes);

  // Unavailable when the log cannot be reached, or (OutboxPublisher) no ack came for too long.
  base::Status BusStatus(int64_t max_ack_silence_us) const override;
  // Where the log put each entry it acknowledged (read-your-writes tokens).
  const AppendedPositions& positions() const { return positions_; }
  // LogSender::unmapped_tenant_entries (the metric omnihub_publisher_unmapped_tenant_entries).
  uint64_t unmapped_tenant_entries() const { return sender_.unmapped_tenant_entries(); }

 private:
  static PublisherOptions WithoutCredit(PublisherOptions options);
  static LogSenderOptions WithPositions(LogSenderOptions options, AppendedPositions& positions);
  void Run();
  void ReceiveAcks();

  LogPublisherParts parts_;
  ShardMapCache shard_map_;
  AppendedPositions positions_;  // before sender_, which records into it
  LogSender sender_;  // sender thread only (but unmapped_tenant_entries)

  std::mutex acks_mu_;
  std::vector<std::string> acks_;  // guarded by acks_mu_; received, not yet applied
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace omnihub::bus
