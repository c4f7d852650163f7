#include "services/social/meta/messenger_element.h"

namespace omnihub::social {
namespace {

base::Result<std::string> PartyId(const MessengerElement& el, std::string_view side) {
  auto party = RequiredObject(el.json, side, el.path);
  if (!party.ok()) return party.status();
  return RequiredId(**party, "id", JoinPath(el.path, side));
}

}  // namespace

base::Result<MessengerSides> ReadSides(const MessengerElement& el, bool from_business) {
  auto sender = PartyId(el, "sender");
  if (!sender.ok()) return sender.status();
  auto recipient = PartyId(el, "recipient");
  if (!recipient.ok()) return recipient.status();
  const std::string_view customer_side = from_business ? "recipient" : "sender";
  const std::string_view business_side = from_business ? "sender" : "recipient";
  MessengerSides sides;
  sides.user_id = from_business ? *recipient : *sender;
  const std::string& business_id = from_business ? *sender : *recipient;
  auto customer = PlatformUser(el.ctx, el.platform.name, el.entry.id, sides.user_id,
                               JoinPath(JoinPath(el.path, customer_side), "id"));
  if (!customer.ok()) return customer.status();
  auto business = PlatformUser(el.ctx, el.platform.name, el.entry.id, business_id,
                               JoinPath(JoinPath(el.path, business_side), "id"));
  if (!business.ok()) return business.status();
  sides.customer = std::move(*customer);
  sides.business = std::move(*business);
  return sides;
}

MappedEvent NewElementEvent(const MessengerElement& el, const MessengerSides& sides, v1::Direction direction) {
  MappedEvent m = NewMetaEvent(el.platform.channel, el.entry.id, el.json, el.ctx);
  v1::Event& e = m.event;
  e.set_direction(direction);
  const bool inbound = direction == v1::INBOUND;
  *e.mutable_sender() = inbound ? sides.customer : sides.business;
  *e.add_recipients() = inbound ? sides.business : sides.customer;
  e.set_conversation(ConversationKey(el.platform.name, el.entry.id, sides.user_id));
  SetOccurredAt(MillisToMicros(OptionalInt(el.json, "timestamp")), el.ctx, &e);
  if (el.standby) e.add_flags(kStandbyFlag);
  return m;
}

std::string TimestampText(const MessengerElement& el) { return OptionalId(el.json, "timestamp"); }

}  // namespace omnihub::social
