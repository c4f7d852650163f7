// X tweet activities -> events (docs/social.md, "X"):
//   tweet_create_events   MESSAGE (flag "mention") named by id_str: a tweet mentioning or
//                         answering the subscribed account, INBOUND; the account's own tweets
//                         arrive too and are OUTBOUND (flag echo) to the user they answer or
//                         mention, or, answering nobody, ACTIVITY "own_tweet"
//   favorite_events       REACTION "like" (U+2764 U+FE0F) on favorited_status.id_str
//   tweet_delete_events   DELETE of status.id, named "delete:<status.id>"
// Their conversation is "x:tweets:<for_user_id>:<customer id>".
//
// Thread-safety: pure functions.
#pragma once

#include "common/base/status.h"
#include "services/social/json_fields.h"
#include "services/social/social_event.h"
#include "services/social/x/x_event.h"

namespace omnihub::social {

// Flag of every tweet_create_events event.
inline constexpr char kXMentionFlag[] = "mention";
// Reaction.emoji of a like: X shows a heart.
inline constexpr char kXLikeEmoji[] = "\u2764\ufe0f";

// Each appends one event per element of its array to `out`; FieldError naming the path
// ("tweet_create_events[0].user.id_str is missing").
base::Status MapXTweets(const XDelivery& d, const Json& tweets, MappedDelivery* out);
base::Status MapXFavorites(const XDelivery& d, const Json& favorites, MappedDelivery* out);
base::Status MapXTweetDeletes(const XDelivery& d, const Json& deletes, MappedDelivery* out);

}  // namespace omnihub::social
