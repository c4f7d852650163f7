// Delivery statuses (Twilio status callbacks, Vonage delivery receipts, WhatsApp receipts):
// which STATUS events the unifier keeps beside the timelines instead of in them, the order of
// a message's life, and reading one message's statuses back (docs/formats/statuses.md).
//
// A status is stored under the provider id of the message it describes, whether or not the
// hub has that message yet; readers join the two when they print the message. So a status that
// arrives before its message needs no later fix-up, and callbacks that arrive out of order
// are put in order when read.
//
// Thread-safety: the free functions are pure or read-only on a thread-safe Store. A
// StatusReader belongs to one thread (one query).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <google/protobuf/repeated_ptr_field.h>
#include <rocksdb/db.h>

#include "common/base/status.h"
#include "omnihub/v1/event.pb.h"
#include "services/unifier/store/store.h"

namespace omnihub::unifier {

// True for a STATUS event that names its message (refers_to_provider_message_id) and carries
// a delivery_status: it goes into `statuses`, not into a timeline. A STATUS event without
// either stays an ordinary timeline entry, as before statuses had their own column family.
bool IsAttachableStatus(const v1::Event& e);

// True for the events statuses attach to: MESSAGE events with a provider message id. Their
// (channel, provider id) is indexed in `message_refs`.
bool CanHaveStatuses(const v1::Event& e);

// The order of a message's life: DeliveryStatus.stage, then occurred_at_us, then
// received_at_us, then event id (only to make the order total). A later stage always sorts
// later, so "sent" arriving after "delivered" never becomes the current status.
bool LifeOrderLess(const v1::Event& a, const v1::Event& b);

// Where a message's timeline record is, from `message_refs`.
struct MessageLocation {
  std::string timeline_key;
  uint64_t identity_id = 0;
  std::string event_id;  // 16 bytes
};

// The message with this (channel, provider message id); nullopt when the hub has not stored
// it. Corruption when the index value does not decode.
base::Result<std::optional<MessageLocation>> FindMessage(Store& store, int channel, std::string_view provider_message_id,
                                                   const rocksdb::Snapshot* snapshot = nullptr);

// Reads the statuses of messages, one iterator for the whole query.
class StatusReader {
 public:
  // `store` must outlive the reader; `snapshot` (required) is the query's view.
  StatusReader(Store& store, const rocksdb::Snapshot* snapshot);
  ~StatusReader();
  StatusReader(const StatusReader&) = delete;
  StatusReader& operator=(const StatusReader&) = delete;

  // Appends the statuses of `message` to `*out` in life order: its own (CanHaveStatuses) and,
  // for an outbound message of a conversation, the watermark receipts that cover it
  // (watermark_statuses.h); appends nothing when it has none. Corruption for a record that
  // does not decode; IoError when RocksDB fails.
  base::Status Read(const v1::Event& message, google::protobuf::RepeatedPtrField<v1::Event>* out);

 private:
  Store& store_;
  rocksdb::ReadOptions options_;
  std::unique_ptr<rocksdb::Iterator> it_;          // statuses, created on first use
  std::unique_ptr<rocksdb::Iterator> watermarks_;  // amendments, created on first use
};

}  // namespace omnihub::unifier
