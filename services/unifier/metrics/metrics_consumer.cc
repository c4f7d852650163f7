#include "services/unifier/metrics/metrics_consumer.h"

#include <algorithm>
#include <deque>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/base/coding.h"
#include "services/unifier/metrics/counted_message.h"
#include "services/unifier/search/indexed_message.h"
#include "services/unifier/store/change_log_follower.h"
#include "services/unifier/store/message_amendments.h"
#include "services/unifier/store/store_layout.h"

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

bool SameEntry(const v1::MetricsContactMessage& a, const v1::MetricsContactMessage& b) {
  return a.occurred_at_us() == b.occurred_at_us() && a.event_id() == b.event_id() && a.inbound() == b.inbound() &&
         a.channel() == b.channel() && a.account() == b.account() && a.referral() == b.referral();
}

using MessageList = google::protobuf::RepeatedPtrField<v1::MetricsContactMessage>;

// The first entry of `list` (kept in MessageOrder) not before (occurred_at_us, event_id).
MessageList::iterator ListPosition(MessageList& list, int64_t occurred_at_us, std::string_view event_id) {
  return std::lower_bound(list.begin(), list.end(), MessageOrder(occurred_at_us, event_id),
                          [](const v1::MetricsContactMessage& m, const std::pair<int64_t, std::string_view>& key) {
                            return MessageOrder(m.occurred_at_us(), m.event_id()) < key;
                          });
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
        return CountMessage(change);
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
    // Moved out: the customers are recomputed already.
    for (uint64_t id : dirty_) {
      v1::MetricsIdentityRecord& record = identities_.at(id);
      if (dropped_.count(id) > 0 || (record.messages().empty() && record.customer_id().empty())) {
        writes.identities[id] = std::nullopt;
      } else {
        writes.identities[id] = std::move(record);
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

  // The message an EVENT_ADDED names, read as it is now: a timeline entry's change names its
  // timeline key (identity_id), an amendment's only the message's event id.
  base::Result<std::optional<search::CurrentMessage>> ReadMessage(const v1::ChangeNotification& change) {
    if (change.message_event_id().empty() && change.identity_id() != 0) {
      return search::ReadCurrentMessageAt(
          store_, amendments_, TimelineKey(change.identity_id(), change.occurred_at_us(), change.event_id()), nullptr);
    }
    return search::ReadCurrentMessage(
        store_, amendments_, change.message_event_id().empty() ? change.event_id() : change.message_event_id(), nullptr);
  }

  base::Status CountMessage(const v1::ChangeNotification& change) {
    const std::string& event_id = change.message_event_id().empty() ? change.event_id() : change.message_event_id();
    auto message = ReadMessage(change);
    if (!message.ok()) return message.status().WithContext("metrics: reading event " + base::HexEncode(event_id));
    if (!message->has_value()) return base::Status::Ok();  // erased since: CUSTOMER_ERASED dropped its list
    const v1::TimelineRecord& stored = (*message)->record;
    const int64_t occurred_at_us = stored.event().occurred_at_us();
    auto identity = Identity(stored.identity_id());
    if (!identity.ok()) return identity.status();
    v1::MetricsIdentityRecord& record = **identity;
    Touch(record.customer_id());
    MessageList& messages = *record.mutable_messages();
    // Its place in the list (an event keeps its occurred_at: edits do not move it).
    const auto it = ListPosition(messages, occurred_at_us, event_id);
    const int at = static_cast<int>(it - messages.begin());
    const bool listed = it != messages.end() && it->occurred_at_us() == occurred_at_us && it->event_id() == event_id;
    const auto counted = CountedMessage(stored.event(), (*message)->deleted);
    if (counted.has_value()) {
      v1::MetricsContactMessage entry = ToRecord(*counted);
      if (listed && SameEntry(*it, entry)) return base::Status::Ok();  // applied again, or an edit
      if (listed) {
        *it = std::move(entry);
      } else {
        messages.Add(std::move(entry));
        std::rotate(messages.begin() + at, messages.end() - 1, messages.end());
      }
      counted_[{occurred_at_us, event_id}] = true;
    } else if (listed) {
      messages.DeleteSubrange(at, 1);
      counted_[{occurred_at_us, event_id}] = false;
    } else {
      return base::Status::Ok();  // not counted before, not now
    }
    MessagesChangedFrom(stored.identity_id(), occurred_at_us);
    return base::Status::Ok();
  }

  // The identity's list changed at `occurred_at_us`: its customers' episodes from there on
  // are computed again and written (UnchangedEpisodes).
  void MessagesChangedFrom(uint64_t identity_id, int64_t occurred_at_us) {
    dirty_.insert(identity_id);
    auto [it, added] = changed_from_.emplace(identity_id, occurred_at_us);
    if (!added) it->second = std::min(it->second, occurred_at_us);
  }

  base::Status DropIdentity(uint64_t identity_id) {
    auto identity = Identity(identity_id);
    if (!identity.ok()) return identity.status();
    for (const auto& m : (*identity)->messages()) counted_[{m.occurred_at_us(), m.event_id()}] = false;
    Touch((*identity)->customer_id());
    (*identity)->Clear();
    dropped_.insert(identity_id);
    MessagesChangedFrom(identity_id, std::numeric_limits<int64_t>::min());
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
      const v1::MetricsCustomerRecord& stored = stored_customers_.emplace(customer_id, std::move(**old)).first->second;
      for (uint64_t id : stored.identity_ids()) {
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
    if (auto stored = stored_customers_.find(customer_id); stored != stored_customers_.end()) {
      write.stored = std::move(stored->second);
      write.unchanged_episodes = UnchangedEpisodes(identity_ids, *write.stored, write.episodes);
    }
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

  // How many of the customer's leading episodes are those `stored` names, unchanged by the
  // stretch. Episodes are a left fold over the messages in order (ComputeEpisodes) that only
  // ever changes its last episode, so with the same identities and every change of their
  // lists at or after time T, the episodes opened before T but the last of them come out
  // the same. Anything else (identities gained, lost or dropped) rewrites them all.
  size_t UnchangedEpisodes(const std::vector<uint64_t>& identity_ids, const v1::MetricsCustomerRecord& stored,
                           const std::vector<Episode>& episodes) const {
    if (!std::equal(identity_ids.begin(), identity_ids.end(), stored.identity_ids().begin(),
                    stored.identity_ids().end())) {
      return 0;
    }
    int64_t changed_from = std::numeric_limits<int64_t>::max();
    for (uint64_t id : identity_ids) {
      if (auto it = changed_from_.find(id); it != changed_from_.end()) changed_from = std::min(changed_from, it->second);
    }
    size_t opened_before = 0;
    while (opened_before < static_cast<size_t>(stored.openings_size()) &&
           stored.openings(static_cast<int>(opened_before)).at_us() < changed_from) {
      ++opened_before;
    }
    // Nothing changed: all of them; else all but the last opened before the change.
    size_t unchanged = opened_before == static_cast<size_t>(stored.openings_size()) &&
                               changed_from == std::numeric_limits<int64_t>::max()
                           ? opened_before
                           : (opened_before == 0 ? 0 : opened_before - 1);
    // The fold says so; a record that disagrees (it cannot) is rewritten whole rather than trusted.
    if (unchanged > episodes.size()) return 0;
    for (size_t i = 0; i < unchanged; ++i) {
      if (episodes[i].opened_at_us != stored.openings(static_cast<int>(i)).at_us()) return 0;
    }
    return unchanged;
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
  // Per identity, the earliest occurred_at its list changed at in this stretch.
  std::map<uint64_t, int64_t> changed_from_;
  // The customer records as stored, read once by SettleIdentities, handed to the commit.
  std::map<std::string, v1::MetricsCustomerRecord> stored_customers_;
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
