#include "services/unifier/metrics/metrics_consumer.h"

#include <algorithm>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/base/coding.h"
#include "services/unifier/metrics/counted_message.h"
#include "services/unifier/search/indexed_message.h"
#include "services/unifier/store/change_log_follower.h"
#include "services/unifier/store/message_amendments.h"

namespace omnihub::unifier::metrics {
namespace {

ContactMessage FromRecord(const v1::MetricsContactMessage& r) {
  ContactMessage m;
  m.occurred_at_us = r.occurred_at_us();
  m.event_id = r.event_id();
  m.inbound = r.inbound();
  m.channel = r.channel();
  m.account = r.account();
  m.referral = r.referral();
  return m;
}

v1::MetricsContactMessage ToRecord(const ContactMessage& m) {
  v1::MetricsContactMessage r;
  r.set_occurred_at_us(m.occurred_at_us);
  r.set_event_id(m.event_id);
  r.set_inbound(m.inbound);
  r.set_channel(m.channel);
  r.set_account(m.account);
  r.set_referral(m.referral);
  return r;
}

bool RecordLess(const v1::MetricsContactMessage& a, const v1::MetricsContactMessage& b) {
  return a.occurred_at_us() != b.occurred_at_us() ? a.occurred_at_us() < b.occurred_at_us()
                                                   : a.event_id() < b.event_id();
}

// One stretch: the changes' effects on identities, held in memory (later changes of the
// stretch read earlier ones' results), then the touched customers recomputed once.
class Stretch {
 public:
  Stretch(Store& store, MetricsStore& metrics, const EpisodeSettings& settings)
      : store_(store), metrics_(metrics), settings_(settings), amendments_(store, nullptr) {}

  base::Status Apply(const v1::ChangeNotification& change) {
    switch (change.kind()) {
      case v1::EVENT_ADDED:
        Touch(change.customer_id());
        return CountMessage(change.message_event_id().empty() ? change.event_id() : change.message_event_id());
      case v1::CUSTOMER_CREATED:
      case v1::IDENTITY_LINKED:
      case v1::CUSTOMERS_MERGED:
      case v1::IDENTITY_UNLINKED:
      case v1::CUSTOMERS_SPLIT:
        Touch(change.customer_id());
        Touch(change.merged_customer_id());
        return base::Status::Ok();
      case v1::CUSTOMER_ERASED:
        for (uint64_t identity_id : change.erased_identity_ids()) OMNIHUB_RETURN_IF_ERROR(DropIdentity(identity_id));
        Touch(change.customer_id());
        return base::Status::Ok();
      default:
        return base::Status::Ok();
    }
  }

  // The stretch's writes: identities, then every touched customer recomputed.
  base::Result<MetricsWrites> Finish() {
    auto identities = SettleIdentities();
    if (!identities.ok()) return identities.status();
    MetricsWrites writes;
    for (const auto& [customer_id, identity_ids] : *identities) {
      OMNIHUB_RETURN_IF_ERROR(Recompute(customer_id, identity_ids, &writes));
    }
    for (uint64_t id : dirty_) {
      const v1::MetricsIdentityRecord& record = identities_.at(id);
      if (dropped_.count(id) > 0 || (record.messages().empty() && record.customer_id().empty())) {
        writes.identities[id] = std::nullopt;
      } else {
        writes.identities[id] = record;
      }
    }
    writes.counted = std::move(counted_);
    return writes;
  }

 private:
  void Touch(const std::string& customer_id) {
    if (!customer_id.empty()) touched_.insert(customer_id);
  }

  // The identity's record as the stretch has it so far (empty when the database has none).
  base::Result<v1::MetricsIdentityRecord*> Identity(uint64_t identity_id) {
    auto it = identities_.find(identity_id);
    if (it != identities_.end()) return &it->second;
    auto stored = metrics_.GetIdentity(identity_id);
    if (!stored.ok()) return stored.status();
    auto& record = identities_[identity_id];
    if (stored->has_value()) record = std::move(**stored);
    return &record;
  }

  base::Status CountMessage(const std::string& event_id) {
    auto message = search::ReadCurrentMessage(store_, amendments_, event_id, nullptr);
    if (!message.ok()) return message.status().WithContext("metrics: reading event " + base::HexEncode(event_id));
    if (!message->has_value()) return base::Status::Ok();  // erased since: CUSTOMER_ERASED dropped its list
    const v1::TimelineRecord& stored = (*message)->record;
    auto identity = Identity(stored.identity_id());
    if (!identity.ok()) return identity.status();
    v1::MetricsIdentityRecord& record = **identity;
    auto* messages = record.mutable_messages();
    for (int i = 0; i < messages->size(); ++i) {
      if (messages->Get(i).event_id() != event_id) continue;
      counted_[{messages->Get(i).occurred_at_us(), event_id}] = false;
      messages->DeleteSubrange(i, 1);
      break;
    }
    if (auto counted = CountedMessage(stored.event(), (*message)->deleted); counted.has_value()) {
      v1::MetricsContactMessage entry = ToRecord(*counted);
      // Its place, found before Add, which may move the elements.
      const auto at = std::upper_bound(messages->begin(), messages->end(), entry, RecordLess) - messages->begin();
      messages->Add(std::move(entry));
      std::rotate(messages->begin() + at, messages->end() - 1, messages->end());
      counted_[{counted->occurred_at_us, event_id}] = true;
    }
    dirty_.insert(stored.identity_id());
    Touch(record.customer_id());
    return base::Status::Ok();
  }

  base::Status DropIdentity(uint64_t identity_id) {
    auto identity = Identity(identity_id);
    if (!identity.ok()) return identity.status();
    for (const auto& m : (*identity)->messages()) counted_[{m.occurred_at_us(), m.event_id()}] = false;
    Touch((*identity)->customer_id());
    (*identity)->Clear();
    dropped_.insert(identity_id);
    dirty_.insert(identity_id);
    return base::Status::Ok();
  }

  // The customer's identities in the store now (none when it was merged away or erased).
  base::Result<std::vector<uint64_t>> StoreIdentities(const std::string& customer_id) {
    auto customer = store_.GetCustomer(customer_id);
    if (!customer.ok()) return customer.status();
    std::vector<uint64_t> ids;
    if (customer->has_value() && (*customer)->merged_into().empty()) {
      ids.assign((*customer)->identity_ids().begin(), (*customer)->identity_ids().end());
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::remove_if(ids.begin(), ids.end(), [&](uint64_t id) { return dropped_.count(id) > 0; }), ids.end());
    return ids;
  }

  // Every customer to recompute with its identities: the touched ones, and those that held
  // one of their identities before (an identity that moved leaves its old customer), each
  // identity's owner set to the customer that has it now.
  base::Result<std::map<std::string, std::vector<uint64_t>>> SettleIdentities() {
    std::map<std::string, std::vector<uint64_t>> sets;
    std::deque<std::string> queue(touched_.begin(), touched_.end());
    while (!queue.empty()) {
      const std::string customer_id = std::move(queue.front());
      queue.pop_front();
      if (sets.count(customer_id) > 0) continue;
      auto ids = StoreIdentities(customer_id);
      if (!ids.ok()) return ids.status();
      for (uint64_t id : *ids) {
        auto identity = Identity(id);
        if (!identity.ok()) return identity.status();
        const std::string& owner = (*identity)->customer_id();
        if (!owner.empty() && owner != customer_id && sets.count(owner) == 0) queue.push_back(owner);
      }
      sets[customer_id] = std::move(*ids);
    }
    for (const auto& [customer_id, ids] : sets) {
      auto old = metrics_.GetCustomer(customer_id);
      if (!old.ok()) return old.status();
      if (!old->has_value()) continue;
      for (uint64_t id : (*old)->identity_ids()) {
        if (std::binary_search(ids.begin(), ids.end(), id)) continue;
        auto identity = Identity(id);
        if (!identity.ok()) return identity.status();
        if ((*identity)->customer_id() != customer_id) continue;
        (*identity)->clear_customer_id();
        dirty_.insert(id);
      }
    }
    for (const auto& [customer_id, ids] : sets) {
      for (uint64_t id : ids) {
        auto identity = Identity(id);
        if (!identity.ok()) return identity.status();
        if ((*identity)->customer_id() == customer_id) continue;
        (*identity)->set_customer_id(customer_id);
        dirty_.insert(id);
      }
    }
    return sets;
  }

  base::Status Recompute(const std::string& customer_id, const std::vector<uint64_t>& identity_ids,
                         MetricsWrites* writes) {
    std::vector<ContactMessage> messages;
    for (uint64_t id : identity_ids) {
      auto identity = Identity(id);
      if (!identity.ok()) return identity.status();
      for (const auto& m : (*identity)->messages()) messages.push_back(FromRecord(m));
    }
    std::sort(messages.begin(), messages.end());
    MetricsWrites::CustomerWrite& write = writes->customers[customer_id];
    write.episodes = ComputeEpisodes(messages, settings_);
    if (identity_ids.empty() && write.episodes.empty()) return base::Status::Ok();  // record: none
    const CustomerSummary summary = SummarizeCustomer(customer_id, messages, write.episodes);
    v1::MetricsCustomerRecord record;
    for (uint64_t id : identity_ids) record.add_identity_ids(id);
    record.set_referred(summary.referred);
    for (const auto& o : summary.openings) {
      auto* opening = record.add_openings();
      opening->set_at_us(o.at_us);
      opening->set_channel(o.channel);
      opening->set_account(o.account);
    }
    write.record = std::move(record);
    return base::Status::Ok();
  }

  Store& store_;
  MetricsStore& metrics_;
  const EpisodeSettings& settings_;
  AmendmentReader amendments_;
  std::map<uint64_t, v1::MetricsIdentityRecord> identities_;
  std::set<uint64_t> dirty_;
  std::set<uint64_t> dropped_;
  std::set<std::string> touched_;
  std::map<std::pair<int64_t, std::string>, bool> counted_;
};

}  // namespace

base::Result<uint64_t> MetricsConsumer::ApplyNext(size_t max_changes) {
  const uint64_t applied = metrics_.applied_change_seq();
  Stretch stretch(store_, metrics_, settings_);
  auto seq = ForEachChangeAfter(store_, applied, max_changes,
                                [&](const v1::ChangeNotification& change) { return stretch.Apply(change); });
  if (!seq.ok() || *seq == applied) return seq;
  auto writes = stretch.Finish();
  if (!writes.ok()) return writes.status();
  OMNIHUB_RETURN_IF_ERROR(metrics_.Commit(*writes, *seq));
  return seq;
}

}  // namespace omnihub::unifier::metrics
