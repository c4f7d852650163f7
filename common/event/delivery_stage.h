// Where a provider's delivery state sits in an outbound message's life, so that status
// callbacks arriving out of order never move a message backwards: a later stage always wins
// (DeliveryStatus.stage, proto/omnihub/v1/event.proto). One table for Twilio, Vonage, Meta
// (Messenger receipts, WhatsApp Cloud statuses) and the ingest format, so an injected status
// and a callback order alike; the values are stored in events and must never change
// (docs/sms.md, docs/social.md).
//
// Thread-safety: pure function.
#pragma once

#include <string_view>
#include <vector>

namespace omnihub::event {

inline constexpr int kStageUnknown = 0;     // a word this table does not know: never wins
inline constexpr int kStageAccepted = 10;   // accepted, scheduled
inline constexpr int kStageQueued = 20;     // queued, buffered (Vonage)
inline constexpr int kStageSending = 30;    // sending, receiving
inline constexpr int kStageSent = 40;       // sent
inline constexpr int kStageFinal = 50;      // delivered, received, or a final failure
inline constexpr int kStageRead = 60;       // read
inline constexpr int kStagePlayed = 70;     // played (WhatsApp: a voice message was listened to, after it was read)

// The stage of `state` (case-insensitive); kStageUnknown for words not in the table.
int DeliveryStage(std::string_view state);
// The words the table knows, in stage order (for error messages that list them).
std::vector<std::string_view> KnownDeliveryStates();

}  // namespace omnihub::event
