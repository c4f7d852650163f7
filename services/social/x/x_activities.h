// X activities that are neither messages nor likes nor deletions -> ACTIVITY events that keep
// their element as the raw payload (docs/social.md, "X"):
//   direct_message_indicate_typing_events  "typing", from sender_id to target.recipient_id
//   direct_message_mark_read_events        "read", likewise (conversation: the DM's)
//   follow_events                          the element's type, "follow" or "unfollow", from
//                                          `source` to `target`
//   any other member                       its key ("block_events", "user_event"), from `source`
//                                          to `target` when both are users, else from X about
//                                          the account itself (kBusinessPartyFlag)
// Whoever is not the subscribed account is the party. Each is named XElementId(activity, element).
//
// Thread-safety: pure function.
#pragma once

#include <string_view>

#include "common/base/status.h"
#include "services/social/json_fields.h"
#include "services/social/social_event.h"
#include "services/social/x/x_event.h"

namespace omnihub::social {

// Appends one event per element of `activities` (the member `key` of the delivery: an array, or
// one object such as user_event) to `out`. FieldError naming the path when a typing, read or
// follow event lacks a party's id ("follow_events[0].source.id is missing").
base::Status MapXActivities(const XDelivery& d, std::string_view key, const Json& activities, MappedDelivery* out);

}  // namespace omnihub::social
