// A Messenger (`object: "page"`) or Instagram (`object: "instagram"`) entry -> events: every
// element of `messaging`, then of `standby` (kStandbyFlag), then every `changes[]` element, in
// their array order (a JSON object's members have no order the parser keeps, and Meta sends one
// of them per entry). docs/social.md, "Meta", has the table.
//
// Elements are told apart by the member they carry: message, postback, reaction,
// message_edit, delivery, read, messaging_seen. Anything else (referral, optin,
// account_linking, handover, unknown members) is an ACTIVITY named by that member, as is every
// change (comments, mentions, ...) named by its `field`. An activity's party is the customer
// (sender.id, or a change's value.from.id) when there is one other than the business itself,
// else BusinessParty(platform, entry.id) with kBusinessPartyFlag.
//
// Thread-safety: pure functions.
#pragma once

#include "services/social/meta/messenger_element.h"

namespace omnihub::social {

// Appends the entry's events to `out`; FieldError naming the JSON path on a malformed element.
base::Status MapMessengerEntry(const MessengerPlatform& platform, const MetaEntry& entry, const DeliveryContext& ctx,
                               MappedDelivery* out);

}  // namespace omnihub::social
