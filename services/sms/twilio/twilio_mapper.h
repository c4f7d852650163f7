// Twilio Programmable Messaging webhooks -> events (docs/sms.md has the parameter table).
//
// An inbound message becomes a MESSAGE event (channel SMS, or WHATSAPP when From carries the
// "whatsapp:" prefix), a status callback a STATUS event about the outbound message it names.
// Every received parameter is kept in provider_fields. Twilio sends no message time, so
// occurred_at is the receive time. Errors are InvalidArgument naming the parameter.
//
// Thread-safety: pure functions, except that they draw event ids from `ids` (thread-safe).
#pragma once

#include "common/event/identity.h"
#include "common/base/status.h"
#include "common/base/uuid.h"
#include "omnihub/v1/event.pb.h"
#include "services/sms/form_params.h"
#include "services/sms/sms_event.h"

namespace omnihub::sms {

// Attachments beyond this many are refused (Twilio sends at most 10 per message).
inline constexpr int64_t kMaxTwilioMedia = 100;

// True when the parameters are a status callback (they carry MessageStatus) rather than an
// inbound message, for a service that routes one URL to both.
bool IsTwilioStatusCallback(const Params& params);

// Inbound message webhook. Required: MessageSid, AccountSid, From, To; NumMedia, when present,
// a count, with MediaUrl0 .. MediaUrl<NumMedia-1> present.
base::Result<v1::Event> MapTwilioMessage(const Params& params, const SmsWebhookContext& context,
                                   const event::IdentityNormalizer& normalizer, base::UuidV7Generator& ids);

// Status callback of an outbound message. Required: MessageSid, MessageStatus, From (the
// business side), To (the customer). provider_message_id = "<MessageSid>/<status>" plus
// "/<ErrorCode>" when there is an error code other than "0", so each (message, status,
// error) is one event and a retried callback is a duplicate of it.
base::Result<v1::Event> MapTwilioStatus(const Params& params, const SmsWebhookContext& context,
                                  const event::IdentityNormalizer& normalizer, base::UuidV7Generator& ids);

}  // namespace omnihub::sms
