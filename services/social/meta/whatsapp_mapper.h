// A WhatsApp Cloud API entry (`object: "whatsapp_business_account"`, entry.id = the WABA id)
// -> events, one per value.messages[] and value.statuses[] element of every change with field
// "messages", in that order; any other change field (account_update, template status, ...) is
// an ACTIVITY of the business account (BusinessParty("whatsapp", WABA id)). docs/social.md,
// "Meta", has the table.
//
// A "messages" value names the business number that received or sent: metadata.phone_number_id
// is Event.account and "+" + metadata.display_phone_number the business's PHONE identity.
//   - messages[]: INBOUND from the user (whatsapp_party.h) to [business], id = the wamid,
//     content by type (whatsapp_message.h);
//   - statuses[]: STATUS of the outbound message `id`, from the business to [user], id
//     "<id>/<status>" plus "/<error code>" when it failed with one;
//   - value-level errors[] (no message to attach them to): an ACTIVITY "errors" of the
//     business account.
// Both are in conversation "whatsapp:<business number>:<user>", the form Twilio WhatsApp uses.
//
// Thread-safety: pure functions.
#pragma once

#include "services/social/meta/meta_event.h"

namespace omnihub::social {

// IdentityLink.reason when a message / a status carries both the number and the BSUID.
inline constexpr char kWhatsAppMessageLinkReason[] =
    "whatsapp: one message carried both the number (from) and the business-scoped user id";
inline constexpr char kWhatsAppStatusLinkReason[] =
    "whatsapp: one status carried both the number (recipient_id) and the business-scoped user id";

// Appends the entry's events to `out`; FieldError naming the JSON path on a malformed change.
base::Status MapWhatsAppEntry(const MetaEntry& entry, const DeliveryContext& ctx, MappedDelivery* out);

}  // namespace omnihub::social
