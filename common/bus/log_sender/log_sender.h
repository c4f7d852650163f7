// Cluster mode's sending side without threads or NATS (docs/cluster.md, "Adapters in
// cluster mode"): each round takes the outbox entries a PublisherCore releases - the same
// bookkeeping as the ZeroMQ sender: what is in flight, trim on ack, resend from the last
// ack after publisher.resend_timeout_ms without progress - and appends them to the
// partition log:
//   1. the entry's tenant -> its partition from the shard map (ShardMapCache);
//   2. its blobs put into the blob store, the frame carrying them with empty data;
//   3. appended under the message id "<publisher>/<partition>/<sequence>", several at once
//      (ParallelAppender).
// An entry that cannot go yet (its tenant is not in the shard map, its blobs could not be
// stored, the append failed) stops the round there: it and every later entry are offered
// again next round, in order, under the same message ids. Entries are trimmed only through
// the highest cumulative_ack a replica sends (OnAck), never on the log's own
// acknowledgement. LogPublisher drives it from its thread; unit tests drive it directly
// with a ManualClock and a MemoryPartitionLog.
//
// Thread-safety: one thread drives it; unmapped_tenant_entries() may be read from any.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
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
  // A replica's ack (omni.acks.<publisher>): trims through its cumulative_ack.
  void OnAck(const v1::Ack& ack) { core_.OnAck(ack); }
  // Call periodically: resends after the resend timeout without ack progress.
  void OnTick() { core_.OnTick(); }

  const PublisherCore& core() const { return core_; }
  // Entries held back because the first unsent one's tenant is not in the shard map: it
  // and every entry after it (they wait behind it, in order). 0 when none is held so.
  uint64_t unmapped_tenant_entries() const;

 private:
  // The request for `entry`, or the reason it cannot go yet (unmapped_ says whether it is
  // an unmapped tenant).
  base::Result<LogAppendRequest> Prepare(const OutboxEntry& entry);

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
};

}  // namespace omnihub::bus
