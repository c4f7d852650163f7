// What the Twilio and Vonage mappers share: the webhook's context, the conversation key of an
// SMS number pair, parameter errors that name the parameter, and copying every received
// parameter into Event.provider_fields (docs/sms.md).
//
// Thread-safety: pure functions over their arguments.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/base/status.h"
#include "omnihub/v1/event.pb.h"
#include "services/sms/form_params.h"

namespace omnihub::sms {

// What the HTTP side knows about a webhook request besides its parameters.
struct SmsWebhookContext {
  // The hub's name of the provider account, from the webhook URL ("/twilio/{account}/...").
  // Kept in provider_fields under kAccountNameField when not empty.
  std::string account_name;
  // When the hub received the request, microseconds since the Unix epoch (UTC).
  int64_t received_at_us = 0;
};

// provider_fields key of SmsWebhookContext::account_name. Providers' parameter names never
// contain a '.', so it cannot collide with one.
inline constexpr char kAccountNameField[] = "omnihub.account_name";

// Flag of an event whose provider time was missing or unreadable (occurred_at = received_at);
// the same flag the email adapter uses.
inline constexpr char kTimeMissingFlag[] = "date-missing-or-garbled";

// "sms:<business>:<customer>" ("whatsapp:..." on WhatsApp): the identity values of the two
// sides (E.164, short code digits, sender id), '%' and ':' inside them written %25 and %3A so
// the key splits back unambiguously. The same pair gives the same key for messages in both
// directions, for their statuses, and for Twilio and Vonage alike.
std::string SmsConversationKey(v1::Channel channel, const v1::Identity& business, const v1::Identity& customer);

// Every parameter into provider_fields by its own name (a repeated name keeps its first
// value: the raw payload has them all), then the account name.
void CopyProviderFields(const Params& params, const SmsWebhookContext& context, v1::Event* event);

// What a provider reports about an outbound message, for FillStatusEvent.
struct StatusReport {
  std::string message_id;  // the provider's id of the message the status is about
  std::string state;       // lower case
  std::string error_code;  // "" for none
  std::string detail;
  v1::Identity business;   // the sender of the outbound message
  v1::Identity customer;   // its recipient
};

// The STATUS fields both providers' status events share (docs/sms.md): kind, direction,
// provider_message_id "<id>/<state>[/<error>]", refers_to, account, conversation, parties
// and delivery_status with its stage. The channel must already be set.
void FillStatusEvent(StatusReport report, v1::Event* e);

// InvalidArgument "parameter 'MessageSid' is missing" / "... is empty".
base::Status MissingParam(std::string_view name);
// The value of a required parameter (whitespace-trimmed), or MissingParam when absent or blank.
base::Result<std::string> RequiredParam(const Params& params, std::string_view name);
// InvalidArgument "parameter 'NumMedia' <defect>".
base::Status InvalidParam(std::string_view name, std::string_view defect);
// A parameter's error prefixed with its name: "parameter 'From': invalid phone number ...".
base::Status ParamError(std::string_view name, const base::Status& status);

// A non-negative decimal integer no larger than `max`; false for anything else.
bool ParseCount(std::string_view text, int64_t max, int64_t* value);

}  // namespace omnihub::sms
