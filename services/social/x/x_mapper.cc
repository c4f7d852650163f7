#include "services/social/x/x_mapper.h"

#include "services/social/json_fields.h"
#include "services/social/x/x_activities.h"
#include "services/social/x/x_direct_messages.h"
#include "services/social/x/x_event.h"
#include "services/social/x/x_tweets.h"

namespace omnihub::social {
namespace {

// Members that describe the delivery rather than hold activities. Scalars (user_has_blocked)
// describe it too.
bool IsDeliveryMetadata(std::string_view key, const Json& value) {
  return key == "for_user_id" || key == "users" || key == "apps" || !value.is_structured();
}

base::Status MapMember(const XDelivery& d, const std::string& key, const Json& value, MappedDelivery* out) {
  using ArrayMapper = base::Status (*)(const XDelivery&, const Json&, MappedDelivery*);
  ArrayMapper map = nullptr;
  if (key == "direct_message_events") map = MapXDirectMessages;
  if (key == "tweet_create_events") map = MapXTweets;
  if (key == "favorite_events") map = MapXFavorites;
  if (key == "tweet_delete_events") map = MapXTweetDeletes;
  if (map == nullptr) return MapXActivities(d, key, value, out);
  if (!value.is_array()) return FieldError(key, "must be a JSON array");
  return map(d, value, out);
}

}  // namespace

base::Result<MappedDelivery> MapXActivity(std::string_view body, const DeliveryContext& ctx) {
  auto payload = ParseBody(body);
  if (!payload.ok()) return payload.status();
  auto for_user_id = RequiredId(*payload, "for_user_id", "");
  if (!for_user_id.ok()) return for_user_id.status();

  XDelivery d;
  d.ctx = &ctx;
  d.for_user_id = *for_user_id;
  if (const Json* users = Find(*payload, "users"); users != nullptr && users->is_object()) d.users = users;
  auto account = XUser(d, d.for_user_id, "for_user_id");
  if (!account.ok()) return account.status();
  d.account = std::move(*account);

  MappedDelivery out;
  for (const auto& [key, value] : payload->items()) {
    if (IsDeliveryMetadata(key, value)) continue;
    OMNIHUB_RETURN_IF_ERROR(MapMember(d, key, value, &out));
  }
  return out;
}

}  // namespace omnihub::social
