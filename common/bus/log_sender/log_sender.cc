#include "common/bus/log_sender/log_sender.h"

#include <algorithm>
#include <utility>

#include <spdlog/spdlog.h>

namespace omnihub::bus {

LogSender::LogSender(Outbox& outbox, base::Clock& clock, PublisherOptions options, PartitionLogWriter& log,
                     ShardMapCache& shard_map, BlobSink& blobs, LogSenderOptions sender_options,
                     std::function<void(const std::string&)> report_error)
    : outbox_(outbox),
      core_(outbox, clock, options),
      shard_map_(shard_map),
      blobs_(blobs),
      appender_(log, sender_options.parallel_appends),
      options_(sender_options),
      report_error_(std::move(report_error)) {}

uint64_t LogSender::unmapped_tenant_entries() const {
  const uint64_t from = unmapped_from_.load();
  const uint64_t last = outbox_.last_sequence();
  return from == 0 || last < from ? 0 : last - from + 1;
}

base::Result<std::optional<uint32_t>> LogSender::PartitionOf(const OutboxEntry& entry) {
  unmapped_ = false;
  base::Result<std::string> tenant = TenantOfFrame(entry.frame_bytes);
  if (!tenant.ok()) return tenant.status();
  base::Result<std::optional<uint32_t>> partition = shard_map_.PartitionOf(*tenant);
  if (!partition.ok()) return partition.status().WithContext("shard map lookup of tenant '" + *tenant + "'");
  if (!partition->has_value()) {
    unmapped_ = true;
    if (reported_tenants_.insert(*tenant).second) {
      spdlog::error("publisher {}: tenant '{}' is not in the shard map: its entries wait in the outbox (from {} on) "
                    "until it is put on a partition: omnihubctl cluster assign {} <partition>",
                    outbox_.publisher_id(), *tenant, entry.sequence, *tenant);
    }
    return base::Status::FailedPrecondition("tenant '" + *tenant + "' is not in the shard map");
  }
  return partition;
}

base::Result<LogAppendRequest> LogSender::Prepare(const OutboxEntry& entry) {
  unmapped_ = false;
  const uint64_t floor = core_.acked();
  // An entry sent before goes where it went, under the same id and with the same prev: a
  // tenant moved meanwhile does not put it in a second partition.
  std::optional<Sent> sent;
  if (auto it = sent_.find(entry.sequence); it != sent_.end()) sent = it->second;
  if (!sent.has_value()) {
    base::Result<std::optional<uint32_t>> partition = PartitionOf(entry);
    if (!partition.ok()) return partition.status();
    const uint32_t p = **partition;
    // Entries are first sent in sequence order, so nothing between the previous one of this
    // partition (or acked(), before which everything is applied) and this one went there.
    auto last = last_sent_.find(p);
    sent = Sent{.partition = p, .prev = last == last_sent_.end() ? floor : std::max(last->second, floor)};
  }
  base::Result<std::string> frame = FrameWithBlobsStored(entry.frame_bytes, blobs_);
  if (!frame.ok()) return frame.status().WithContext("blobs of entry " + std::to_string(entry.sequence));
  if (sent_.try_emplace(entry.sequence, *sent).second) last_sent_[sent->partition] = entry.sequence;
  return LogAppendRequest{
      .partition = sent->partition,
      .message_id = LogMessageId{.publisher_id = outbox_.publisher_id(), .partition = sent->partition,
                                 .sequence = entry.sequence}
                        .ToString(),
      .frame = FrameWithPartitionOrder(std::move(*frame), sent->prev, floor)};
}

bool LogSender::Covered(uint64_t sequence) const {
  auto sent = sent_.find(sequence);
  if (sent == sent_.end()) return false;
  auto covered = covered_.find(sent->second.partition);
  return covered != covered_.end() && covered->second >= sequence;
}

void LogSender::OnAck(const v1::Ack& ack) {
  // A replica never asks for a resend (the log has no gaps to fill) and grants no credit:
  // only cumulative_ack counts.
  if (!core_.Accepts(ack)) return;
  if (ack.cumulative_ack() > outbox_.last_sequence()) {
    spdlog::error("publisher {}: protocol error: partition {} acks {} beyond the last sequence {}",
                  outbox_.publisher_id(), ack.partition(), ack.cumulative_ack(), outbox_.last_sequence());
    return;
  }
  uint64_t& covered = covered_[ack.partition()];
  covered = std::max(covered, ack.cumulative_ack());
  uint64_t through = core_.acked();
  while (Covered(through + 1)) ++through;
  if (through == core_.acked()) return;
  core_.AckThrough(through);
  sent_.erase(sent_.begin(), sent_.upper_bound(through));
}

bool LogSender::SendRound() {
  base::Result<std::vector<OutboxEntry>> entries = core_.TakeFramesToSend(options_.max_round);
  if (!entries.ok()) {
    report_error_(entries.status().ToString());
    return false;
  }
  if (entries->empty()) return false;
  std::vector<LogAppendRequest> requests;
  std::vector<uint64_t> sequences;  // of the requests
  requests.reserve(entries->size());
  uint64_t resend_from = 0;  // the first entry that did not go (0: all went)
  bool held_unmapped = false;
  for (const OutboxEntry& entry : *entries) {
    // A resend of an entry its partition already applied (another partition holds the trim
    // back) is not needed.
    if (Covered(entry.sequence)) continue;
    base::Result<LogAppendRequest> request = Prepare(entry);
    if (!request.ok()) {
      resend_from = entry.sequence;
      held_unmapped = unmapped_;
      if (!unmapped_) report_error_(request.status().ToString());
      break;
    }
    requests.push_back(std::move(*request));
    sequences.push_back(entry.sequence);
  }
  unmapped_from_.store(held_unmapped ? resend_from : 0);
  const std::vector<base::Result<LogAppendAck>> results = appender_.AppendAll(requests);
  for (size_t i = 0; i < results.size(); ++i) {
    const base::Result<LogAppendAck>& result = results[i];
    if (options_.appends != nullptr) {
      options_.appends->With({!result.ok() ? "failed" : result->duplicate ? "duplicate" : "stored"}).Increment();
    }
    if (result.ok() && options_.positions != nullptr) {
      options_.positions->Record((*entries)[i].sequence, {requests[i].partition, result->position});
    }
  }
  for (size_t i = 0; i < results.size(); ++i) {
    if (results[i].ok()) continue;
    const uint64_t sequence = sequences[i];
    report_error_(results[i].status().ToString());
    resend_from = resend_from == 0 ? sequence : std::min(resend_from, sequence);
    break;  // later failures of the round resend from here anyway
  }
  if (resend_from != 0) {
    // Appended entries after it go again under the same ids: the log or the replicas' marks
    // drop the second copy.
    core_.Unsent(resend_from);
    return false;
  }
  return entries->size() == options_.max_round;
}

}  // namespace omnihub::bus
