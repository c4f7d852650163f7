#include "services/unifier/query/export_reader.h"

#include <memory>
#include <string>

#include "common/base/coding.h"
#include "common/event/event_validation.h"
#include "services/unifier/store/delivery_statuses.h"
#include "services/unifier/store/message_amendments.h"
#include "services/unifier/store/store_layout.h"

namespace omnihub::unifier {
namespace {

constexpr uint8_t kTimelinePhase = 1;
constexpr uint8_t kStatusPhase = 2;
constexpr uint8_t kAmendmentPhase = 3;

std::string EncodeCursor(uint8_t phase, std::string_view key) {
  std::string raw(1, static_cast<char>(phase));
  raw.append(key);
  return base::Base64UrlEncode(raw);
}

// The identity of the last identity id asked for: the export reads one identity's timeline
// after the other, so consecutive entries nearly always share it.
class IdentityCache {
 public:
  IdentityCache(Store& store, const rocksdb::Snapshot* snapshot) : store_(store), snapshot_(snapshot) {}

  base::Result<const v1::IdentityRecord*> Get(uint64_t identity_id) {
    if (identity_id != cached_id_) {
      auto identity = store_.GetIdentityById(identity_id, snapshot_);
      if (!identity.ok()) return identity.status();
      cached_ = std::move(*identity);
      cached_id_ = identity_id;
    }
    return &cached_;
  }

 private:
  Store& store_;
  const rocksdb::Snapshot* snapshot_;
  uint64_t cached_id_ = 0;  // identity ids start at 1
  v1::IdentityRecord cached_;
};

std::unique_ptr<rocksdb::Iterator> SeekAfter(Store& store, const rocksdb::Snapshot* snapshot,
                                             rocksdb::ColumnFamilyHandle* cf, const std::string& after) {
  rocksdb::ReadOptions ro;
  ro.snapshot = snapshot;
  ro.total_order_seek = true;  // the timeline walk crosses identity prefixes
  std::unique_ptr<rocksdb::Iterator> it(store.db()->NewIterator(ro, cf));
  it->Seek(after);
  if (!after.empty() && it->Valid() && it->key() == rocksdb::Slice(after)) it->Next();
  return it;
}

// Timeline records after `after`; `*more` tells whether records are left beyond the page.
base::Status ExportTimeline(Store& store, const rocksdb::Snapshot* snapshot, const std::string& after, uint32_t limit,
                      IdentityCache& identities, v1::ExportResponse* out, bool* more) {
  auto it = SeekAfter(store, snapshot, store.timeline(), after);
  for (; it->Valid() && static_cast<uint32_t>(out->entries_size()) < limit; it->Next()) {
    v1::TimelineRecord rec;
    OMNIHUB_RETURN_IF_ERROR(DecodeValue(it->value().ToStringView(), &rec).WithContext("timeline record"));
    auto identity = identities.Get(rec.identity_id());
    if (!identity.ok()) return identity.status();
    auto* entry = out->add_entries();
    entry->set_customer_id((*identity)->customer_id());
    *entry->mutable_identity() = (*identity)->identity();
    *entry->mutable_event() = std::move(*rec.mutable_event());
    out->set_next_cursor(EncodeCursor(kTimelinePhase, it->key().ToStringView()));
  }
  OMNIHUB_RETURN_IF_ERROR(FromRocks(it->status(), "export scan"));
  *more = it->Valid();
  return base::Status::Ok();
}

// Status records after `after`, filling the page up to `limit`; `*more` tells whether records
// are left beyond the page (out->next_cursor then points at them).
base::Status ExportStatuses(Store& store, const rocksdb::Snapshot* snapshot, std::string after, uint32_t limit,
                      IdentityCache& identities, v1::ExportResponse* out, bool* more) {
  auto it = SeekAfter(store, snapshot, store.statuses(), after);
  out->clear_next_cursor();
  *more = false;
  for (; it->Valid(); it->Next()) {
    if (static_cast<uint32_t>(out->entries_size()) == limit) {
      out->set_next_cursor(EncodeCursor(kStatusPhase, after));
      *more = true;
      break;
    }
    auto* entry = out->add_entries();
    v1::Event* event = entry->mutable_event();
    OMNIHUB_RETURN_IF_ERROR(DecodeValue(it->value().ToStringView(), event).WithContext("status record"));
    auto message = FindMessage(store, event->channel(), event->refers_to_provider_message_id(), snapshot);
    if (!message.ok()) return message.status();
    if (message->has_value()) {
      auto identity = identities.Get((*message)->identity_id);
      if (!identity.ok()) return identity.status();
      entry->set_customer_id((*identity)->customer_id());
      *entry->mutable_identity() = (*identity)->identity();
    } else if (const v1::Identity* party = event::ExternalParty(*event); party != nullptr) {
      *entry->mutable_identity() = *party;  // validated events always have one
    }
    after = it->key().ToString();
  }
  return FromRocks(it->status(), "export status scan");
}

// Amendment records (edits, deletions, reactions, watermark receipts) after `after`, filling
// the page up to `limit`. An amendment names its message's customer once the hub has it.
base::Status ExportAmendments(Store& store, const rocksdb::Snapshot* snapshot, std::string after, uint32_t limit,
                        IdentityCache& identities, v1::ExportResponse* out) {
  auto it = SeekAfter(store, snapshot, store.amendments(), after);
  for (; it->Valid(); it->Next()) {
    if (static_cast<uint32_t>(out->entries_size()) == limit) {
      out->set_next_cursor(EncodeCursor(kAmendmentPhase, after));
      break;
    }
    auto* entry = out->add_entries();
    v1::Event* event = entry->mutable_event();
    OMNIHUB_RETURN_IF_ERROR(DecodeValue(it->value().ToStringView(), event).WithContext("amendment record"));
    std::optional<AmendableMessage> message;
    if (IsAmendment(*event)) {
      auto found = FindAmendableMessage(store, event->channel(), event->account(), event->refers_to_provider_message_id(),
                                        snapshot);
      if (!found.ok()) return found.status();
      message = std::move(*found);
    }
    if (message.has_value()) {
      auto identity = identities.Get(message->record.identity_id());
      if (!identity.ok()) return identity.status();
      entry->set_customer_id((*identity)->customer_id());
      *entry->mutable_identity() = (*identity)->identity();
    } else if (const v1::Identity* party = event::ExternalParty(*event); party != nullptr) {
      *entry->mutable_identity() = *party;
    }
    after = it->key().ToString();
  }
  return FromRocks(it->status(), "export amendment scan");
}

}  // namespace

base::Status ReadExportPage(Store& store, const rocksdb::Snapshot* snapshot, std::string_view cursor, uint32_t limit,
                      v1::ExportResponse* out) {
  uint8_t phase = kTimelinePhase;
  std::string after;
  if (!cursor.empty()) {
    std::string raw;
    const bool decoded = base::Base64UrlDecode(cursor, &raw) && !raw.empty();
    phase = decoded ? static_cast<uint8_t>(raw[0]) : 0;
    if (!decoded || !((phase == kTimelinePhase && raw.size() == 1 + kTimelineKeyBytes) || phase == kStatusPhase ||
                      phase == kAmendmentPhase)) {
      return base::Status::InvalidArgument("export cursor '" + std::string(cursor) + "' is not one this hub issued");
    }
    after = raw.substr(1);
  }
  IdentityCache identities(store, snapshot);
  if (phase == kTimelinePhase) {
    bool more = false;
    OMNIHUB_RETURN_IF_ERROR(ExportTimeline(store, snapshot, after, limit, identities, out, &more));
    if (more) return base::Status::Ok();
    after.clear();  // the statuses follow the last timeline record
  }
  if (phase <= kStatusPhase) {
    bool more = false;
    OMNIHUB_RETURN_IF_ERROR(ExportStatuses(store, snapshot, std::move(after), limit, identities, out, &more));
    if (more) return base::Status::Ok();
    after.clear();  // the amendments follow the last status
  }
  return ExportAmendments(store, snapshot, std::move(after), limit, identities, out);
}

}  // namespace omnihub::unifier
