// X `direct_message_events` -> events (docs/social.md, "X"). A `message_create` event is a
// MESSAGE named by its event id; X also delivers the DMs the subscribed account sends (from the
// X apps or another tool), which become OUTBOUND echoes. Any other type is an ACTIVITY. A DM's
// conversation is "x:dm:<for_user_id>:<customer id>".
//
// Thread-safety: pure function.
#pragma once

#include "common/base/status.h"
#include "services/social/json_fields.h"
#include "services/social/social_event.h"
#include "services/social/x/x_event.h"

namespace omnihub::social {

// Appends one event per element of `events` (the direct_message_events array) to `out`.
// FieldError naming the path ("direct_message_events[0].message_create.sender_id is missing").
base::Status MapXDirectMessages(const XDelivery& d, const Json& events, MappedDelivery* out);

}  // namespace omnihub::social
