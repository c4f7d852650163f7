#include "services/social/x/x_activities.h"

#include <optional>
#include <string>

namespace omnihub::social {
namespace {

constexpr std::string_view kTyping = "direct_message_indicate_typing_events";
constexpr std::string_view kRead = "direct_message_mark_read_events";
constexpr std::string_view kFollows = "follow_events";

v1::Event NewActivity(const XDelivery& d, std::string activity, const Json& element) {
  v1::Event e = NewXEvent(d, v1::ACTIVITY);
  e.set_provider_message_id(XElementId(activity, element));
  e.set_activity(std::move(activity));
  std::optional<int64_t> millis = OptionalInt(element, "created_timestamp");
  if (!millis) millis = OptionalInt(element, "timestamp_ms");
  SetOccurredFromMillis(millis, *d.ctx, &e);
  return e;
}

// Typing and read receipts: sender_id towards target.recipient_id, in their DM conversation.
base::Result<MappedEvent> MapDirectMessageSignal(const XDelivery& d, std::string activity, const Json& element,
                                                 const std::string& path) {
  auto sender_id = RequiredId(element, "sender_id", path);
  if (!sender_id.ok()) return sender_id.status();
  const std::string target_path = JoinPath(path, "target");
  auto target = RequiredObject(element, "target", path);
  if (!target.ok()) return target.status();
  auto recipient_id = RequiredId(**target, "recipient_id", target_path);
  if (!recipient_id.ok()) return recipient_id.status();
  v1::Event e = NewActivity(d, std::move(activity), element);
  auto customer = SetXParties(d, {*sender_id, JoinPath(path, "sender_id")},
                              {*recipient_id, JoinPath(target_path, "recipient_id")}, &e);
  if (!customer.ok()) return customer.status();
  e.set_conversation(XConversation(d, "dm", *customer));
  return MappedEvent{std::move(e), Dump(element)};
}

base::Result<XSide> ReadUserSide(const Json& element, std::string_view key, const std::string& path) {
  auto user = RequiredObject(element, key, path);
  if (!user.ok()) return user.status();
  const std::string user_path = JoinPath(path, key);
  auto id = RequiredId(**user, "id", user_path);
  if (!id.ok()) return id.status();
  return XSide{*id, JoinPath(user_path, "id"), *user};
}

// `source` did something to `target` (follow, block, mute). When `required` is false and the
// element has no such pair, X is telling the account about itself.
base::Result<MappedEvent> MapSourceTarget(const XDelivery& d, std::string activity, const Json& element,
                                          const std::string& path, bool required) {
  v1::Event e = NewActivity(d, std::move(activity), element);
  auto source = ReadUserSide(element, "source", path);
  auto target = ReadUserSide(element, "target", path);
  if (source.ok() && target.ok()) {
    auto customer = SetXParties(d, *source, *target, &e);
    if (!customer.ok()) return customer.status();
  } else if (required) {
    return source.ok() ? target.status() : source.status();
  } else {
    SetPlatformNoticeParty(d, &e);
  }
  return MappedEvent{std::move(e), Dump(element)};
}

base::Result<MappedEvent> MapActivity(const XDelivery& d, std::string_view key, const Json& element,
                                      const std::string& path) {
  if (key == kTyping) return MapDirectMessageSignal(d, "typing", element, path);
  if (key == kRead) return MapDirectMessageSignal(d, "read", element, path);
  if (key == kFollows) {
    std::string type = OptionalString(element, "type");
    return MapSourceTarget(d, type.empty() ? "follow" : std::move(type), element, path, true);
  }
  return MapSourceTarget(d, std::string(key), element, path, false);
}

}  // namespace

base::Status MapXActivities(const XDelivery& d, std::string_view key, const Json& activities, MappedDelivery* out) {
  auto map = [key](const XDelivery& delivery, const Json& element, const std::string& path) {
    return MapActivity(delivery, key, element, path);
  };
  if (activities.is_array()) return MapXElements(d, key, activities, map, out);
  auto mapped = map(d, activities, std::string(key));
  if (!mapped.ok()) return mapped.status();
  out->push_back(std::move(*mapped));
  return base::Status::Ok();
}

}  // namespace omnihub::social
