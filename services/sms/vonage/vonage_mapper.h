// Vonage (Nexmo) SMS API webhooks -> events (docs/sms.md has the parameter table).
//
// An inbound SMS becomes a MESSAGE event (channel SMS, account = the virtual number `to` in
// E.164, sender = `msisdn`), or, when it is one part of a multi-part message, a ConcatPart for
// ConcatAssembler (concat_assembler.h) to join once all parts are in. A delivery receipt
// becomes a STATUS event about the outbound message it names. Every received parameter is
// kept in provider_fields. Errors are InvalidArgument naming the parameter.
//
// Thread-safety: pure functions, except that they draw event ids from `ids` (thread-safe).
#pragma once

#include <cstdint>
#include <string>
#include <variant>

#include "common/event/identity.h"
#include "common/base/status.h"
#include "common/base/uuid.h"
#include "omnihub/v1/event.pb.h"
#include "services/sms/form_params.h"
#include "services/sms/sms_event.h"

namespace omnihub::sms {

// One part of a multi-part (concatenated) inbound SMS, as received. Its webhook was valid:
// the service may acknowledge it once the part is stored.
struct ConcatPart {
  std::string key;              // reassembly key "<msisdn>:<to>:<concat-ref>", values as received
  uint32_t part = 0;            // 1 .. total
  uint32_t total = 0;           // 2 .. 255
  std::string text;             // this part's text ("" for type=binary)
  std::string message_id;       // this part's messageId
  int64_t occurred_at_us = 0;   // its message-timestamp, or received_at_us when missing/garbled
  int64_t received_at_us = 0;
  bool time_missing = false;    // occurred_at_us fell back to received_at_us
  std::string account_name;     // SmsWebhookContext::account_name
  Params params;                // every parameter of the part's webhook
};

using VonageInbound = std::variant<v1::Event, ConcatPart>;

// Multi-part limits: concat-total is 2..255, concat-part 1..concat-total.
inline constexpr int64_t kMaxConcatParts = 255;

// True when the parameters are a delivery receipt (they carry `status` and no `type`), for a
// service that routes one URL to both.
bool IsVonageReceipt(const Params& params);

// Inbound SMS webhook. Required: msisdn, to, messageId; for a multi-part message (concat=true
// or any concat-* parameter) also concat-ref, concat-total (2..255) and concat-part
// (1..concat-total). type=binary keeps text empty (data and udh stay in provider_fields).
// occurred_at = message-timestamp (UTC "YYYY-MM-DD HH:MM:SS"); when it is missing or garbled,
// the receive time, flagged kTimeMissingFlag.
base::Result<VonageInbound> MapVonageInbound(const Params& params, const SmsWebhookContext& context,
                                       const event::IdentityNormalizer& normalizer, base::UuidV7Generator& ids);

// Delivery receipt. Required: msisdn (the customer), to (the business sender), messageId,
// status. provider_message_id = "<messageId>/<status>" plus "/<err-code>" when err-code is
// present and not "0"; refers_to_provider_message_id = messageId; account = to.
base::Result<v1::Event> MapVonageReceipt(const Params& params, const SmsWebhookContext& context,
                                   const event::IdentityNormalizer& normalizer, base::UuidV7Generator& ids);

// The MESSAGE event of an inbound SMS with the given text and times: what MapVonageInbound
// builds for a single message and ConcatAssembler for a joined one. `params` supply msisdn,
// to, type and the provider fields; provider_message_id is `message_id`.
struct VonageMessageParts {
  const Params* params = nullptr;
  std::string text;
  std::string message_id;
  int64_t occurred_at_us = 0;
  int64_t received_at_us = 0;
  bool time_missing = false;
  std::string account_name;
};
base::Result<v1::Event> BuildVonageMessage(const VonageMessageParts& parts, const event::IdentityNormalizer& normalizer,
                                     base::UuidV7Generator& ids);

// "2013-11-21 15:27:30" (UTC) -> microseconds; InvalidArgument for any other shape.
base::Result<int64_t> ParseVonageTimestamp(std::string_view text);

}  // namespace omnihub::sms
