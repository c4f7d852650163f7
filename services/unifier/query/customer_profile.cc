#include "services/unifier/query/customer_profile.h"

#include <optional>
#include <set>
#include <string>

#include "services/unifier/query/customer_lookup.h"
#include "services/unifier/query/timeline_reader.h"
#include "services/unifier/store/identity_timeline_scan.h"
#include "services/unifier/store/store_layout.h"

namespace omnihub::unifier {
namespace {

// occurred_at_us of the entry `it` is on; nullopt when it is on none.
base::Result<std::optional<int64_t>> EntryTime(rocksdb::Iterator& it) {
  if (!it.Valid()) {
    OMNIHUB_RETURN_IF_ERROR(FromRocks(it.status(), "timeline seek"));
    return std::optional<int64_t>();
  }
  TimelineKeyParts parts;
  if (!DecodeTimelineKey(it.key().ToStringView(), &parts)) {
    return base::Status::Corruption("timeline key of unexpected size " + std::to_string(it.key().size()));
  }
  return std::optional<int64_t>(parts.occurred_at_us);
}

// The identity's oldest and newest entry times, the first and the last key of its range;
// false when it has no entries.
base::Result<bool> ReadContactBounds(Store& store, uint64_t identity_id, const rocksdb::Snapshot* snapshot,
                                     v1::ProfileIdentity* out) {
  IdentityTimelineScan scan(store, identity_id, snapshot);
  auto first = EntryTime(scan.it());
  if (!first.ok()) return first.status();
  if (!first->has_value()) return false;
  scan.it().SeekToLast();
  auto last = EntryTime(scan.it());
  if (!last.ok()) return last.status();
  out->set_first_at_us(**first);
  out->set_last_at_us(last->value_or(**first));
  return true;
}

void Summarize(const TimelinePage& page, v1::RecentSummary* out) {
  out->set_entries(static_cast<uint32_t>(page.records.size()));
  out->set_complete(page.next_cursor.empty());
  std::set<int> channels;
  std::set<std::string> decided;  // conversations whose newest message was seen
  for (const auto& record : page.records) {  // newest first
    const v1::Event& e = record.event();
    channels.insert(e.channel());
    switch (e.kind()) {
      case v1::NOTE_ADDED:
        out->set_notes(out->notes() + 1);
        break;
      case v1::ACTIVITY:
        out->set_activities(out->activities() + 1);
        break;
      case v1::MESSAGE:
        if (e.direction() == v1::INBOUND) out->set_messages_inbound(out->messages_inbound() + 1);
        if (e.direction() == v1::OUTBOUND) out->set_messages_outbound(out->messages_outbound() + 1);
        // Only the newest message of a conversation says whether it waits for a reply.
        if (!e.conversation().empty() && decided.insert(e.conversation()).second && e.direction() == v1::INBOUND) {
          auto* open = out->add_open_conversations();
          open->set_conversation(e.conversation());
          open->set_channel(e.channel());
          open->set_event_id(e.event_id());
          open->set_waiting_since_us(e.occurred_at_us());
        }
        break;
      default:
        break;
    }
  }
  for (int channel : channels) out->add_channels(static_cast<v1::Channel>(channel));
}

}  // namespace

base::Status ReadCustomerProfile(Store& store, const event::IdentityNormalizer& normalizer,
                                 const v1::CustomerProfileRequest& request, uint32_t recent_limit,
                                 const rocksdb::Snapshot* snapshot, v1::CustomerProfileResponse* out,
                                 std::string_view tenant) {
  auto customer = FindCustomer(store, normalizer, request.customer(), snapshot, tenant);
  if (!customer.ok()) return customer.status();
  auto api = CustomerForClient(store, *customer, snapshot);
  if (!api.ok()) return api.status();
  *out->mutable_customer() = std::move(*api);

  bool any_entries = false;
  for (uint64_t identity_id : customer->identity_ids()) {
    auto record = store.GetIdentityById(identity_id, snapshot);
    if (!record.ok()) return record.status();
    auto* identity = out->add_identities();
    identity->set_identity_id(identity_id);
    *identity->mutable_reason() = record->reason();
    auto has_entries = ReadContactBounds(store, identity_id, snapshot, identity);
    if (!has_entries.ok()) return has_entries.status();
    if (!*has_entries) continue;
    if (!any_entries || identity->first_at_us() < out->first_contact_at_us()) {
      out->set_first_contact_at_us(identity->first_at_us());
    }
    if (!any_entries || identity->last_at_us() > out->last_contact_at_us()) {
      out->set_last_contact_at_us(identity->last_at_us());
    }
    any_entries = true;
  }

  TimelineQuery recent;
  recent.identity_ids.assign(customer->identity_ids().begin(), customer->identity_ids().end());
  recent.limit = recent_limit;
  auto page = ReadTimelinePage(store, snapshot, recent);
  if (!page.ok()) return page.status();
  Summarize(*page, out->mutable_recent());
  return base::Status::Ok();
}

}  // namespace omnihub::unifier
