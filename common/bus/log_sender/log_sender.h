// Cluster mode's sending side without threads or NATS (docs/cluster.md, "Adapters in
// cluster mode"): each round takes the outbox entries a PublisherCore releases - the same
// bookkeeping as the ZeroMQ sender: what is in flight, trim on ack, resend from the last
// ack after publisher.resend_timeout_ms without progress - and appends them to the
// partition log:
//   1. the entry's tenant -> its partition from the shard map (ShardMapCache);
//   2. its blobs put into the blob store, the frame carrying them with empty data;
//   3. appended under the message id "<publisher>/<partition>/<sequence>", several at once
//      (ParallelAppender), the frame carrying partition_prev (the previous sequence this
//      sender gave the same partition, or acked() when higher or there is none) and
//      acked_floor (acked()).
// An entry that cannot go yet (its tenant is not in the shard map, its blobs could not be
// stored, the append failed) stops the round there: it and every later entry are offered
// again next round, in order, under the same message ids. Once an entry has gone to a
// partition it keeps that partition (and its partition_prev) until it is acknowledged, even
// when the shard map moves its tenant meanwhile: a resend never puts it in a second partition.
//
// Acks (docs/cluster.md, "Acks with several partitions"): a replica of partition P acks C
// when every entry this publisher sent to P with sequence <= C is applied there. The sender
// keeps the highest C of each partition and trims through the largest T such that every
// entry <= T was sent and is covered by its own partition's C; never on the log's own
// acknowledgement. A resend skips entries already covered. LogPublisher drives it from its
// thread; unit tests drive it directly with a ManualClock and a MemoryPartitionLog.
//
// Thread-safety: one thread drives it; unmapped_tenant_entries() may be read from any.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "common/base/env.h"
#include "common/bus/log_sender/appended_positions.h"
#include "common/bus/log_sender/log_frame.h"
#include "common/bus/log_sender/parallel_appender.h"
#include "common/bus/log_sender/shard_map_cache.h"
#include "common/bus/outbox.h"
#include "common/bus/partition_log.h"
#include "common/bus/publisher_core.h"
#include "common/service/metrics.h"
#include "omnihub/v1/bus.pb.h"

namespace omnihub::bus {

struct LogSenderOptions {
  // Appends in flight at once.
  size_t parallel_appends = 16;
  // Entries taken per round (acks are read between rounds).
  size_t max_round = 256;
  // Appends by outcome (label "outcome": stored, duplicate, failed); nullptr = not counted.
  // Not owned; must outlive the sender.
  service::CounterFamily* appends = nullptr;
  // Gets the position of every entry the log acknowledged (read-your-writes tokens); nullptr
  // = not kept. Not owned; must outlive the sender.
  AppendedPositions* positions = nullptr;
};

class LogSender {
 public:
  // Every reference must outlive the sender. `report_error` gets what went wrong with a
  // round (the caller rate-limits it). `options.acks_grant_credit` should be false: a
  // replica's ack carries no credit.
  LogSender(Outbox& outbox, base::Clock& clock, PublisherOptions options, PartitionLogWriter& log,
            ShardMapCache& shard_map, BlobSink& blobs, LogSenderOptions sender_options,
            std::function<void(const std::string&)> report_error);

  // One round; true when the core may release more at once (a full round went through).
  bool SendRound();
  // A replica's ack (omni.acks.<publisher>): its partition is covered through its
  // cumulative_ack; trims through what every partition's acks cover together. A duplicate or
  // older ack changes nothing.
  void OnAck(const v1::Ack& ack);
  // Call periodically: resends after the resend timeout without ack progress.
  void OnTick() { core_.OnTick(); }

  const PublisherCore& core() const { return core_; }
  // Entries held back because the first unsent one's tenant is not in the shard map: it
  // and every entry after it (they wait behind it, in order). 0 when none is held so.
  uint64_t unmapped_tenant_entries() const;

 private:
  // Where an entry went: kept from its first send until it is acknowledged.
  struct Sent {
    uint32_t partition = 0;
    uint64_t prev = 0;  // its partition_prev
  };

  // The request for `entry`, or the reason it cannot go yet (unmapped_ says whether it is
  // an unmapped tenant). Records where it goes in sent_.
  base::Result<LogAppendRequest> Prepare(const OutboxEntry& entry);
  // The partition of `entry`'s tenant; nullopt (and unmapped_) when the map lacks it.
  base::Result<std::optional<uint32_t>> PartitionOf(const OutboxEntry& entry);
  // Whether `sequence` went to a partition whose acks cover it.
  bool Covered(uint64_t sequence) const;

  Outbox& outbox_;
  PublisherCore core_;
  ShardMapCache& shard_map_;
  BlobSink& blobs_;
  ParallelAppender appender_;
  const LogSenderOptions options_;
  const std::function<void(const std::string&)> report_error_;
  bool unmapped_ = false;                  // set by Prepare
  std::set<std::string> reported_tenants_;  // unmapped tenants already logged
  std::atomic<uint64_t> unmapped_from_{0};  // the held entry's sequence; 0 = none
  std::map<uint64_t, Sent> sent_;           // entries above core_.acked() sent at least once
  std::map<uint32_t, uint64_t> last_sent_;  // partition -> the highest sequence in sent_ there
  std::map<uint32_t, uint64_t> covered_;    // partition -> the highest cumulative_ack of its replicas
};

}  // namespace omnihub::bus
