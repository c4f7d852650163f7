#include "services/social/meta/messenger_mapper.h"

#include "services/social/meta/messenger_message.h"
#include "services/social/meta/messenger_receipts.h"

namespace omnihub::social {
namespace {

// The members every element has besides the one that says what it is.
bool IsEnvelopeMember(std::string_view key) { return key == "sender" || key == "recipient" || key == "timestamp"; }

// The element's first member that is not sender/recipient/timestamp ("unknown" for none).
std::string ActivityName(const Json& element) {
  for (const auto& [key, value] : element.items()) {
    if (!key.empty() && !IsEnvelopeMember(key)) return key;
  }
  return "unknown";
}

// Whom an activity is about: the customer `user_id` (a sender.id or a change's from.id) unless
// it is empty or the business itself, else the business party.
struct ActivityParty {
  v1::Identity identity;
  bool business = true;
  std::string user_id;   // the customer's, when !business
  v1::Identity account;  // BusinessParty(platform, entry.id)
};

base::Result<ActivityParty> ReadActivityParty(const MessengerPlatform& platform, const MetaEntry& entry,
                                              const std::string& user_id, std::string_view user_path,
                                              const DeliveryContext& ctx) {
  ActivityParty party;
  auto account = CheckedBusinessParty(ctx, platform.name, entry.id, JoinPath(entry.path, "id"));
  if (!account.ok()) return account.status();
  party.account = std::move(*account);
  if (user_id.empty() || user_id == entry.id) {
    party.identity = party.account;
    return party;
  }
  auto customer = PlatformUser(ctx, platform.name, entry.id, user_id, user_path);
  if (!customer.ok()) return customer.status();
  party.identity = std::move(*customer);
  party.business = false;
  party.user_id = user_id;
  return party;
}

// Makes `m` the ACTIVITY `activity` of `party`; a customer's activity is addressed to the
// business and belongs to their conversation, like their messages.
void FinishActivity(const MessengerPlatform& platform, const MetaEntry& entry, std::string activity,
                    ActivityParty party, MappedEvent* m) {
  if (!party.business) {
    *m->event.add_recipients() = std::move(party.account);
    m->event.set_conversation(ConversationKey(platform.name, entry.id, party.user_id));
  }
  MakeActivity(std::move(activity), std::move(party.identity), party.business, m);
}

base::Status MapElementActivity(const MessengerElement& el, MappedDelivery* out) {
  auto party = ReadActivityParty(el.platform, el.entry, OptionalId(MemberOrEmpty(el.json, "sender"), "id"),
                                 JoinPath(el.path, "sender.id"), el.ctx);
  if (!party.ok()) return party.status();
  MappedEvent m = NewMetaEvent(el.platform.channel, el.entry.id, el.json, el.ctx);
  SetOccurredAt(MillisToMicros(OptionalInt(el.json, "timestamp")), el.ctx, &m.event);
  if (el.standby) m.event.add_flags(kStandbyFlag);
  FinishActivity(el.platform, el.entry, ActivityName(el.json), std::move(*party), &m);
  out->push_back(std::move(m));
  return base::Status::Ok();
}

base::Status MapElement(const MessengerElement& el, MappedDelivery* out) {
  using Mapper = base::Status (*)(const MessengerElement&, const Json&, MappedDelivery*);
  static constexpr struct {
    std::string_view key;
    Mapper map;
  } kMessageKinds[] = {
      {"message", MapMessengerMessage},
      {"postback", MapMessengerPostback},
      {"reaction", MapMessengerReaction},
      {"message_edit", MapMessengerEdit},
  };
  for (const auto& kind : kMessageKinds) {
    if (Find(el.json, kind.key) == nullptr) continue;
    auto member = RequiredObject(el.json, kind.key, el.path);
    if (!member.ok()) return member.status();
    return kind.map(el, **member, out);
  }
  for (std::string_view key : {"delivery", "read", "messaging_seen"}) {
    if (Find(el.json, key) == nullptr) continue;
    auto member = RequiredObject(el.json, key, el.path);
    if (!member.ok()) return member.status();
    return MapMessengerReceipt(el, key, **member, out);
  }
  return MapElementActivity(el, out);
}

base::Status MapElements(const MessengerPlatform& platform, const MetaEntry& entry, std::string_view key,
                         const DeliveryContext& ctx, MappedDelivery* out) {
  auto elements = OptionalArray(entry.json, key, entry.path);
  if (!elements.ok()) return elements.status();
  if (*elements == nullptr) return base::Status::Ok();
  const std::string path = JoinPath(entry.path, key);
  for (size_t i = 0; i < (*elements)->size(); ++i) {
    auto element = ObjectAt(**elements, i, path);
    if (!element.ok()) return element.status();
    const MessengerElement el{platform, entry, **element, IndexPath(path, i), key == "standby", ctx};
    OMNIHUB_RETURN_IF_ERROR(MapElement(el, out));
  }
  return base::Status::Ok();
}

base::Status MapChanges(const MessengerPlatform& platform, const MetaEntry& entry, const DeliveryContext& ctx,
                        MappedDelivery* out) {
  return ForEachChange(entry, [&](const Json& change, const std::string& change_path, std::string field) {
    const std::string from_id = OptionalId(MemberOrEmpty(MemberOrEmpty(change, "value"), "from"), "id");
    auto party = ReadActivityParty(platform, entry, from_id, JoinPath(change_path, "value.from.id"), ctx);
    if (!party.ok()) return party.status();
    MappedEvent m = ChangeEvent(platform.channel, entry.id, entry, change, ctx);
    FinishActivity(platform, entry, std::move(field), std::move(*party), &m);
    out->push_back(std::move(m));
    return base::Status::Ok();
  });
}

}  // namespace

base::Status MapMessengerEntry(const MessengerPlatform& platform, const MetaEntry& entry, const DeliveryContext& ctx,
                               MappedDelivery* out) {
  OMNIHUB_RETURN_IF_ERROR(MapElements(platform, entry, "messaging", ctx, out));
  OMNIHUB_RETURN_IF_ERROR(MapElements(platform, entry, "standby", ctx, out));
  return MapChanges(platform, entry, ctx, out);
}

}  // namespace omnihub::social
