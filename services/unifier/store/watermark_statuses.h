// Watermark receipts (Messenger and Instagram delivery and read receipts): a STATUS event that
// names no message but a time, and holds for every outbound message of its conversation that
// occurred at or before that time (DeliveryStatus.watermark_us). The unifier keeps each receipt
// once per (channel, account, conversation, state, watermark) in `amendments`, and a reader
// gives an outbound message, per state, the earliest receipt that covers it
// (docs/formats/amendments.md#watermark-receipts).
//
// Thread-safety: the free functions are pure, or read through an iterator the caller owns.
#pragma once

#include <string>

#include <google/protobuf/repeated_ptr_field.h>
#include <rocksdb/db.h>

#include "common/base/status.h"
#include "omnihub/v1/event.pb.h"

namespace omnihub::unifier {

// True for a STATUS event with delivery_status.watermark_us set (validation guarantees a
// conversation and no refers_to_provider_message_id).
bool IsWatermarkStatus(const v1::Event& e);

// The amendments key of a watermark receipt (IsWatermarkStatus).
std::string WatermarkKeyOf(const v1::Event& status);

// True for the messages receipts apply to: OUTBOUND MESSAGE events with a conversation.
bool CanHaveWatermarkStatuses(const v1::Event& message);

// Appends to `*out`, for each state with a receipt covering `message` (same channel, account
// and conversation, watermark_us >= occurred_at_us), the earliest such receipt; nothing when
// CanHaveWatermarkStatuses(message) is false. `it` iterates `amendments`. Corruption for a
// record or key that does not decode.
base::Status ReadWatermarkStatuses(rocksdb::Iterator* it, const v1::Event& message,
                                   google::protobuf::RepeatedPtrField<v1::Event>* out);

}  // namespace omnihub::unifier
