#include "services/social/meta/whatsapp_mapper.h"

#include <vector>

#include "common/base/text.h"
#include "common/event/delivery_stage.h"
#include "services/social/meta/whatsapp_message.h"
#include "services/social/meta/whatsapp_party.h"

namespace omnihub::social {
namespace {

// One change with field "messages", read: what its messages and statuses share.
struct MessagesValue {
  const MetaEntry& entry;
  const Json& json;
  std::string path;       // "entry[0].changes[1].value"
  std::string account;    // metadata.phone_number_id
  v1::Identity business;  // the business number
  std::vector<WhatsAppContact> contacts;
  const DeliveryContext& ctx;
};

// A new event of one message or status between the business and `party`.
MappedEvent NewValueEvent(const MessagesValue& value, const Json& element, WhatsAppParty party,
                          v1::Direction direction) {
  MappedEvent m = NewMetaEvent(v1::WHATSAPP, value.account, element, value.ctx);
  v1::Event& e = m.event;
  e.set_direction(direction);
  e.set_conversation(ConversationKey(kWhatsAppPlatform, value.business.value(), party.identity.value()));
  SetOccurredAt(SecondsToMicros(OptionalInt(element, "timestamp")), value.ctx, &e);
  const bool inbound = direction == v1::INBOUND;
  *e.mutable_sender() = inbound ? std::move(party.identity) : value.business;
  *e.add_recipients() = inbound ? value.business : std::move(party.identity);
  if (party.link) *e.add_party_links() = std::move(*party.link);
  return m;
}

base::Status MapMessage(const MessagesValue& value, const Json& message, const std::string& path, MappedDelivery* out) {
  auto id = RequiredId(message, "id", path);
  if (!id.ok()) return id.status();
  auto type = RequiredName(message, "type", path);
  if (!type.ok()) return type.status();
  auto party = ResolveWhatsAppParty({message, path, "from", "from_user_id", kWhatsAppMessageLinkReason}, value.contacts,
                                    value.entry.id, value.ctx);
  if (!party.ok()) return party.status();
  MappedEvent m = NewValueEvent(value, message, std::move(*party), v1::INBOUND);
  m.event.set_provider_message_id(*id);
  OMNIHUB_RETURN_IF_ERROR(FillWhatsAppMessage(message, *type, path, &m.event));
  out->push_back(std::move(m));
  return base::Status::Ok();
}

// errors[0] of a status: its code, and "<title>: <error_data.details>" (either may be missing).
void FillStatusError(const Json& errors, v1::DeliveryStatus* ds) {
  if (!errors.is_array() || errors.empty() || !errors[0].is_object()) return;
  const Json& first = errors[0];
  ds->set_error_code(OptionalId(first, "code"));
  const std::string details = OptionalString(MemberOrEmpty(first, "error_data"), "details");
  std::string detail = OptionalString(first, "title");
  if (!details.empty()) detail += detail.empty() ? details : ": " + details;
  ds->set_detail(std::move(detail));
}

base::Status MapStatus(const MessagesValue& value, const Json& status, const std::string& path, MappedDelivery* out) {
  auto id = RequiredId(status, "id", path);
  if (!id.ok()) return id.status();
  auto state = RequiredName(status, "status", path);
  if (!state.ok()) return state.status();
  auto party = ResolveWhatsAppParty({status, path, "recipient_id", "recipient_user_id", kWhatsAppStatusLinkReason},
                                    value.contacts, value.entry.id, value.ctx);
  if (!party.ok()) return party.status();
  MappedEvent m = NewValueEvent(value, status, std::move(*party), v1::OUTBOUND);
  v1::Event& e = m.event;
  e.set_kind(v1::STATUS);
  e.set_refers_to_provider_message_id(*id);
  auto* ds = e.mutable_delivery_status();
  ds->set_state(base::LowerAscii(base::Trim(*state)));
  ds->set_stage(event::DeliveryStage(ds->state()));
  auto& fields = *e.mutable_provider_fields();
  if (const Json* errors = Find(status, "errors")) {
    FillStatusError(*errors, ds);
    fields["errors"] = Dump(*errors);
  }
  for (std::string_view key : {"conversation", "pricing", "biz_opaque_callback_data"}) {
    KeepMember(status, key, std::string(key), &e);
  }
  e.set_provider_message_id(*id + "/" + ds->state() + (ds->error_code().empty() ? "" : "/" + ds->error_code()));
  out->push_back(std::move(m));
  return base::Status::Ok();
}

using ElementMapper = base::Status (*)(const MessagesValue&, const Json&, const std::string&, MappedDelivery*);

base::Status MapEach(const MessagesValue& value, std::string_view key, ElementMapper map, MappedDelivery* out) {
  auto list = OptionalArray(value.json, key, value.path);
  if (!list.ok()) return list.status();
  if (*list == nullptr) return base::Status::Ok();
  const std::string list_path = JoinPath(value.path, key);
  for (size_t i = 0; i < (*list)->size(); ++i) {
    auto element = ObjectAt(**list, i, list_path);
    if (!element.ok()) return element.status();
    OMNIHUB_RETURN_IF_ERROR(map(value, **element, IndexPath(list_path, i), out));
  }
  return base::Status::Ok();
}

// An ACTIVITY of the business account itself (a change about the account, not a user).
base::Status AddBusinessActivity(const MetaEntry& entry, std::string account, const Json& change, std::string activity,
                                 const DeliveryContext& ctx, MappedDelivery* out) {
  auto party = CheckedBusinessParty(ctx, kWhatsAppPlatform, entry.id, JoinPath(entry.path, "id"));
  if (!party.ok()) return party.status();
  MappedEvent m = ChangeEvent(v1::WHATSAPP, std::move(account), entry, change, ctx);
  MakeActivity(std::move(activity), std::move(*party), /*business_party=*/true, &m);
  out->push_back(std::move(m));
  return base::Status::Ok();
}

base::Status MapMessagesChange(const MetaEntry& entry, const Json& change, const std::string& change_path,
                               const DeliveryContext& ctx, MappedDelivery* out) {
  auto json = RequiredObject(change, "value", change_path);
  if (!json.ok()) return json.status();
  const std::string path = JoinPath(change_path, "value");
  auto metadata = RequiredObject(**json, "metadata", path);
  if (!metadata.ok()) return metadata.status();
  const std::string metadata_path = JoinPath(path, "metadata");
  auto account = RequiredId(**metadata, "phone_number_id", metadata_path);
  if (!account.ok()) return account.status();
  auto number = RequiredId(**metadata, "display_phone_number", metadata_path);
  if (!number.ok()) return number.status();
  auto business = WhatsAppPhone(*number, JoinPath(metadata_path, "display_phone_number"), ctx);
  if (!business.ok()) return business.status();
  auto contacts = ReadWhatsAppContacts(**json, path);
  if (!contacts.ok()) return contacts.status();
  const MessagesValue value{entry, **json, path, *account, std::move(*business), std::move(*contacts), ctx};

  OMNIHUB_RETURN_IF_ERROR(MapEach(value, "messages", MapMessage, out));
  OMNIHUB_RETURN_IF_ERROR(MapEach(value, "statuses", MapStatus, out));
  if (Find(**json, "errors") == nullptr) return base::Status::Ok();
  OMNIHUB_RETURN_IF_ERROR(AddBusinessActivity(entry, *account, change, "errors", ctx, out));
  KeepMember(**json, "errors", "errors", &out->back().event);
  return base::Status::Ok();
}

}  // namespace

base::Status MapWhatsAppEntry(const MetaEntry& entry, const DeliveryContext& ctx, MappedDelivery* out) {
  return ForEachChange(entry, [&](const Json& change, const std::string& change_path, std::string field) {
    return field == "messages" ? MapMessagesChange(entry, change, change_path, ctx, out)
                               : AddBusinessActivity(entry, entry.id, change, std::move(field), ctx, out);
  });
}

}  // namespace omnihub::social
