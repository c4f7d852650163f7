// Edits, deletions and reactions of messages (social channels: Messenger, Instagram,
// WhatsApp, Telegram, X): which events the unifier keeps beside the timelines as amendments of
// a message, how they are ordered, what a deletion removes, and reading one message's
// amendments back (docs/formats/amendments.md).
//
// An amendment is stored under its message's (channel, account, provider id), whether or not
// the hub has that message yet, like a delivery status (delivery_statuses.h); readers join the
// two when they show the message, so the order of arrival does not matter. The one thing that
// is not left to the reader is a deletion's removal of the text: the text must leave the store,
// so the batch processor rewrites what is stored (RemoveDeletedText).
//
// Thread-safety: the free functions are pure. An AmendmentReader belongs to one thread.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <google/protobuf/repeated_ptr_field.h>
#include <rocksdb/db.h>

#include "common/base/status.h"
#include "omnihub/v1/event.pb.h"
#include "omnihub/v1/store.pb.h"
#include "services/unifier/store/store.h"

namespace omnihub::unifier {

// Flag of a DELETE event after which the message's text stays (services/social/social_event.h
// kKeepDeletedTextFlag, social.keep_deleted_text).
inline constexpr char kKeepDeletedTextFlag[] = "keep-deleted-text";
// Flag of a stored MESSAGE or EDIT whose text a deletion removed.
inline constexpr char kDeletedTextRemovedFlag[] = "deleted-text-removed";

// True for an EDIT, DELETE or REACTION event that names its message
// (refers_to_provider_message_id): it goes into `amendments`, not into a timeline.
bool IsAmendment(const v1::Event& e);

// True for the events amendments attach to: MESSAGE events with a provider message id.
bool CanBeAmended(const v1::Event& e);

// The key prefix of every amendment of `message` (CanBeAmended).
std::string AmendmentPrefixOf(const v1::Event& message);
// The key prefix of every amendment of the message `amendment` names (IsAmendment).
std::string AmendedMessagePrefix(const v1::Event& amendment);
// The key of `amendment` (IsAmendment): its own provider id deduplicates provider retries; an
// amendment without one is keyed by its event id (each arrival is kept).
std::string AmendmentKeyOf(const v1::Event& amendment);

// The order amendments are applied in: occurred_at_us, then received_at_us (the order the
// provider delivered them), then event id (only to make the order total).
bool AmendmentOrderLess(const v1::Event& a, const v1::Event& b);

// True for a DELETE that removes its message's text (it lacks kKeepDeletedTextFlag).
bool RemovesText(const v1::Event& e);

// Removes what a deletion removes from a stored MESSAGE or EDIT: text, full_text, html and the
// raw payload reference (the blob bytes stay in `blobs`, which nothing deletes from), and adds
// kDeletedTextRemovedFlag. False (and nothing changed) when the flag was already there.
bool RemoveDeletedText(v1::Event* e);

// A stored MESSAGE that can be amended, and where it is.
struct AmendableMessage {
  std::string timeline_key;
  v1::TimelineRecord record;
};

// The MESSAGE with this (channel, account, provider message id), found through `dedup` and
// `events`; nullopt when the hub has not stored it (or that id belongs to another kind of
// event). Corruption when an index value does not decode or points nowhere.
base::Result<std::optional<AmendableMessage>> FindAmendableMessage(Store& store, int channel, std::string_view account,
                                                                   std::string_view provider_message_id,
                                                                   const rocksdb::Snapshot* snapshot = nullptr);

// One stored amendment with its key.
struct StoredAmendment {
  std::string key;
  v1::Event event;
};

// Reads amendments, one iterator for the whole query (or batch).
class AmendmentReader {
 public:
  // `store` must outlive the reader; `snapshot` may be null (the latest committed state).
  AmendmentReader(Store& store, const rocksdb::Snapshot* snapshot);
  ~AmendmentReader();
  AmendmentReader(const AmendmentReader&) = delete;
  AmendmentReader& operator=(const AmendmentReader&) = delete;

  // Appends every record whose key starts with `prefix` (AmendmentPrefix), in key order.
  // Corruption for a record that does not decode; IoError when RocksDB fails.
  base::Status Scan(const std::string& prefix, std::vector<StoredAmendment>* out);

  // Appends the amendments of `message` to `*out` in AmendmentOrderLess order; nothing when
  // CanBeAmended(message) is false or it has none.
  base::Status Read(const v1::Event& message, google::protobuf::RepeatedPtrField<v1::Event>* out);

 private:
  Store& store_;
  rocksdb::ReadOptions options_;
  std::unique_ptr<rocksdb::Iterator> it_;  // created on first use
};

}  // namespace omnihub::unifier
