// One X Account Activity delivery (a JSON object with `for_user_id` and activity arrays) -> its
// events (docs/social.md, "X"). Every event is on channel X with account = for_user_id and the
// hub's account name in provider_fields[kAccountNameField]; its raw payload is its own element.
// Direct messages: x_direct_messages.h; tweets, likes and deletions: x_tweets.h; everything
// else: x_activities.h.
//
// Thread-safety: pure function.
#pragma once

#include <string_view>

#include "common/base/status.h"
#include "services/social/social_event.h"

namespace omnihub::social {

// InvalidArgument (answered 400) naming the path when the body is not one JSON object,
// for_user_id is missing, or an element lacks what names it. Events come in the order of the
// members' names, then of each array.
base::Result<MappedDelivery> MapXActivity(std::string_view body, const DeliveryContext& ctx);

}  // namespace omnihub::social
