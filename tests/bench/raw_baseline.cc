#include "tests/bench/raw_baseline.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>
#include <unordered_set>

#include <rocksdb/write_batch.h>

#include "common/base/coding.h"
#include "common/event/event_validation.h"
#include "common/event/identity.h"
#include "common/base/uuid.h"
#include "omnihub/v1/store.pb.h"
#include "services/unifier/store/store.h"
#include "services/unifier/store/store_layout.h"
#include "tests/bench/bench_clock.h"

namespace omnihub::bench {
namespace {

using unifier::EncodeValue;
using unifier::Store;

// Values the unifier would derive for a customer, fixed here (no reads in the raw path).
struct CustomerState {
  uint64_t identity_id = 0;
  std::string customer_id;  // UUID text, as the unifier stores it
  v1::Identity identity;
  uint64_t events = 0;
};

// Builds the unifier's write set batch by batch (see raw_baseline.h).
class WriteSetBuilder {
 public:
  explicit WriteSetBuilder(Store& store) : store_(store) {}

  void AddEvent(const BenchEvent& e, rocksdb::WriteBatch* batch) {
    const v1::Event& event = e.event;
    const int64_t now_us = event.received_at_us();
    auto [it, first_sight] = customers_.try_emplace(e.customer);
    CustomerState& c = it->second;
    if (first_sight) {
      c.identity_id = ++last_identity_id_;
      c.identity = *event::ExternalParty(event);
      std::string uuid(16, '\0');
      for (int i = 0; i < 8; ++i) uuid[i] = static_cast<char>(e.customer >> (8 * i));
      c.customer_id = base::UuidToString(event.event_id().substr(0, 8) + uuid.substr(0, 8));
      const std::string key = event::IdentityKey(c.identity);
      v1::IdentityRecord rec;
      rec.set_identity_id(c.identity_id);
      *rec.mutable_identity() = c.identity;
      rec.set_customer_id(c.customer_id);
      rec.mutable_reason()->set_rule(v1::LinkReason::FIRST_SIGHT);
      rec.mutable_reason()->set_event_id(event.event_id());
      rec.mutable_reason()->set_linked_at_us(now_us);
      Put(batch, store_.identity_ids(), base::EncodeFixed64BE(c.identity_id), unifier::EncodeRawValue(key));
      Put(batch, store_.identities(), key, EncodeValue(rec));
      v1::ChangeNotification& created = AddChange(v1::CUSTOMER_CREATED, now_us);
      created.set_customer_id(c.customer_id);
      *created.mutable_identity() = c.identity;
    }
    ++c.events;
    touched_.insert(e.customer);
    Put(batch, store_.meta(), unifier::HighWaterKey("bench-raw-0123456789abcdef"),
        unifier::EncodeRawValue(base::EncodeFixed64BE(++sequence_)));
    Put(batch, store_.dedup(), unifier::DedupKey(event.channel(), event.account(), event.provider_message_id()),
        unifier::EncodeRawValue(event.event_id()));

    v1::ChangeNotification& change = AddChange(v1::EVENT_ADDED, now_us);
    change.set_event_id(event.event_id());
    change.set_customer_id(c.customer_id);
    change.set_channel(event.channel());
    change.set_occurred_at_us(event.occurred_at_us());
    *change.mutable_identity() = c.identity;
    v1::TimelineRecord record;
    record.set_identity_id(c.identity_id);
    record.set_change_seq(change.change_seq());
    record.set_committed_at_us(now_us);
    *record.mutable_event() = event;
    const std::string timeline_key = unifier::TimelineKey(c.identity_id, event.occurred_at_us(), event.event_id());
    if (!event.conversation().empty()) {
      Put(batch, store_.conversations(),
          unifier::ConversationKey(event.conversation(), event.occurred_at_us(), event.event_id()),
          unifier::EncodeRawValue(timeline_key));
    }
    Put(batch, store_.timeline(), timeline_key, EncodeValue(record));
    Put(batch, store_.events(), event.event_id(), unifier::EncodeRawValue(timeline_key));
    if (!event.provider_message_id().empty()) {  // where delivery statuses find their message
      Put(batch, store_.message_refs(), unifier::MessageRefKey(event.channel(), event.provider_message_id()),
          unifier::EncodeRawValue(timeline_key));
    }
  }

  // What the unifier adds at commit: customers, change log, counters.
  void EndBatch(rocksdb::WriteBatch* batch) {
    for (uint64_t id : touched_) {
      const CustomerState& c = customers_.at(id);
      v1::CustomerRecord rec;
      rec.set_customer_id(c.customer_id);
      rec.add_identity_ids(c.identity_id);
      *rec.add_identities() = c.identity;
      rec.set_created_at_us(1'767'225'600'000'000);
      rec.set_event_count(c.events);
      Put(batch, store_.customers(), c.customer_id, EncodeValue(rec));
    }
    touched_.clear();
    for (const auto& change : changes_) {
      v1::ChangeLogRecord rec;
      *rec.mutable_change() = change;
      Put(batch, store_.change_log(), base::EncodeFixed64BE(change.change_seq()), EncodeValue(rec));
    }
    changes_.clear();
    unifier::StoreCounters counters;
    counters.events = sequence_;
    counters.customers = counters.identities = counters.last_identity_id = last_identity_id_;
    counters.last_change_seq = last_change_seq_;
    store_.WriteCounters(counters, batch);
  }

 private:
  void Put(rocksdb::WriteBatch* batch, rocksdb::ColumnFamilyHandle* cf, const std::string& key,
           const std::string& value) {
    batch->Put(cf, key, value).PermitUncheckedError();
  }

  v1::ChangeNotification& AddChange(v1::ChangeKind kind, int64_t now_us) {
    v1::ChangeNotification& change = changes_.emplace_back();
    change.set_change_seq(++last_change_seq_);
    change.set_kind(kind);
    change.set_committed_at_us(now_us);
    return change;
  }

  Store& store_;
  std::unordered_map<uint64_t, CustomerState> customers_;
  std::unordered_set<uint64_t> touched_;
  std::vector<v1::ChangeNotification> changes_;
  uint64_t last_identity_id_ = 0;
  uint64_t last_change_seq_ = 0;
  uint64_t sequence_ = 0;
};

}  // namespace

std::vector<size_t> BatchEnds(size_t count, double batch_size) {
  batch_size = std::max(1.0, batch_size);
  std::vector<size_t> ends;
  for (size_t k = 1;; ++k) {
    const size_t end = std::min(count, static_cast<size_t>(std::llround(double(k) * batch_size)));
    if (ends.empty() || end > ends.back()) ends.push_back(end);
    if (end >= count) break;
  }
  return ends;
}

base::Result<BaselineResult> RunRawBaseline(const std::string& dir, const std::vector<BenchEvent>& events,
                                      double batch_size, double max_seconds) {
  auto store = Store::Open(dir);
  if (!store.ok()) return store.status();
  WriteSetBuilder builder(**store);
  std::vector<rocksdb::WriteBatch> batches;
  const std::vector<size_t> ends = BatchEnds(events.size(), batch_size);
  batches.reserve(ends.size());
  size_t begin = 0;
  for (size_t end : ends) {
    rocksdb::WriteBatch& batch = batches.emplace_back();
    for (size_t i = begin; i < end; ++i) builder.AddEvent(events[i], &batch);
    builder.EndBatch(&batch);
    begin = end;
  }

  rocksdb::WriteOptions wo;
  wo.sync = true;
  BaselineResult r;
  r.name = "raw";
  const ThreadTimes before = CurrentThreadTimes();
  const int64_t started = NowMicros();
  for (size_t b = 0; b < batches.size(); ++b) {
    OMNIHUB_RETURN_IF_ERROR(unifier::FromRocks((*store)->db()->Write(wo, &batches[b]), "raw baseline write"));
    ++r.batches;
    r.events = ends[b];
    r.puts += batches[b].Count();
    r.bytes += batches[b].GetDataSize();
    if (double(NowMicros() - started) / 1e6 >= max_seconds) break;
  }
  r.seconds = double(NowMicros() - started) / 1e6;
  const ThreadTimes after = CurrentThreadTimes();
  r.cpu_s = after.on_cpu_s - before.on_cpu_s;
  r.runqueue_s = after.runqueue_s - before.runqueue_s;
  r.batch_size = double(r.events) / double(r.batches);
  r.events_per_s = double(r.events) / r.seconds;
  r.batches_per_s = double(r.batches) / r.seconds;
  return r;
}

}  // namespace omnihub::bench
