#include "services/social/meta/whatsapp_party.h"

namespace omnihub::social {
namespace {

const WhatsAppContact* FindContact(const std::vector<WhatsAppContact>& contacts, const std::string& phone,
                                   const std::string& user_id) {
  for (const auto& c : contacts) {
    if ((!phone.empty() && c.wa_id == phone) || (!user_id.empty() && c.user_id == user_id)) return &c;
  }
  return nullptr;
}

}  // namespace

base::Result<std::vector<WhatsAppContact>> ReadWhatsAppContacts(const Json& value, std::string_view value_path) {
  std::vector<WhatsAppContact> contacts;
  auto list = OptionalArray(value, "contacts", value_path);
  if (!list.ok()) return list.status();
  if (*list == nullptr) return contacts;
  const std::string list_path = JoinPath(value_path, "contacts");
  for (size_t i = 0; i < (*list)->size(); ++i) {
    auto item = ObjectAt(**list, i, list_path);
    if (!item.ok()) return item.status();
    const Json& p = MemberOrEmpty(**item, "profile");
    contacts.push_back({OptionalId(**item, "wa_id"), OptionalId(**item, "user_id"), OptionalString(p, "name"),
                        OptionalString(p, "username"), IndexPath(list_path, i)});
  }
  return contacts;
}

base::Result<v1::Identity> WhatsAppPhone(std::string_view number, std::string_view path, const DeliveryContext& ctx,
                                         std::string_view display_name) {
  v1::Identity raw;
  raw.set_kind(v1::Identity::PHONE);
  raw.set_value(number.substr(0, 1) == "+" ? std::string(number) : "+" + std::string(number));
  raw.set_display_name(std::string(display_name));
  auto id = ctx.normalizer->Normalize(raw);
  if (!id.ok()) return FieldError(path, "is invalid: " + id.status().message());
  return id;
}

base::Result<WhatsAppParty> ResolveWhatsAppParty(const WhatsAppUserRef& ref,
                                                 const std::vector<WhatsAppContact>& contacts, std::string_view waba_id,
                                                 const DeliveryContext& ctx) {
  const std::string phone = OptionalId(ref.json, ref.phone_key);
  std::string user_id = OptionalId(ref.json, ref.user_id_key);
  std::string user_id_path = JoinPath(ref.path, ref.user_id_key);
  const WhatsAppContact* contact = FindContact(contacts, phone, user_id);
  if (user_id.empty() && contact != nullptr && !contact->user_id.empty()) {
    user_id = contact->user_id;
    user_id_path = JoinPath(contact->path, "user_id");
  }
  if (phone.empty() && user_id.empty()) return FieldError(JoinPath(ref.path, ref.phone_key), "is missing");
  const std::string name = contact != nullptr ? contact->name : std::string();
  const std::string username = contact != nullptr ? contact->username : std::string();

  std::optional<v1::Identity> bsuid;
  if (!user_id.empty()) {
    auto id = PlatformUser(ctx, kWhatsAppPlatform, waba_id, user_id, user_id_path, username, name);
    if (!id.ok()) return id.status();
    bsuid = std::move(*id);
  }
  WhatsAppParty party;
  if (phone.empty()) {
    party.identity = std::move(*bsuid);
    return party;
  }
  auto number = WhatsAppPhone(phone, JoinPath(ref.path, ref.phone_key), ctx, name);
  if (!number.ok()) return number.status();
  party.identity = std::move(*number);
  if (bsuid) {
    party.link.emplace();
    *party.link->mutable_identity() = std::move(*bsuid);
    party.link->set_reason(std::string(ref.link_reason));
  }
  return party;
}

}  // namespace omnihub::social
