#include "services/social/meta/meta_mapper.h"

#include "services/social/meta/messenger_mapper.h"
#include "services/social/meta/meta_event.h"
#include "services/social/meta/whatsapp_mapper.h"

namespace omnihub::social {
namespace {

base::Status MapUnknownObjectEntry(const std::string& object, const MetaEntry& entry, const DeliveryContext& ctx,
                                   MappedDelivery* out) {
  auto party = CheckedBusinessParty(ctx, kMetaPlatform, entry.id, JoinPath(entry.path, "id"));
  if (!party.ok()) return party.status();
  MappedEvent m = NewMetaEvent(v1::MESSENGER, entry.id, entry.json, ctx);
  SetOccurredAt(EntryTimeMicros(entry.json), ctx, &m.event);
  MakeActivity("unknown:" + object, std::move(*party), /*business_party=*/true, &m);
  out->push_back(std::move(m));
  return base::Status::Ok();
}

base::Status MapEntry(const std::string& object, const MetaEntry& entry, const DeliveryContext& ctx,
                      MappedDelivery* out) {
  if (object == "page") return MapMessengerEntry(kMessengerPlatform, entry, ctx, out);
  if (object == "instagram") return MapMessengerEntry(kInstagramPlatform, entry, ctx, out);
  if (object == "whatsapp_business_account") return MapWhatsAppEntry(entry, ctx, out);
  return MapUnknownObjectEntry(object, entry, ctx, out);
}

}  // namespace

base::Result<MappedDelivery> MapMetaDelivery(std::string_view body, const DeliveryContext& ctx) {
  auto json = ParseBody(body);
  if (!json.ok()) return json.status();
  auto object = RequiredName(*json, "object", "");
  if (!object.ok()) return object.status();
  auto entries = RequiredArray(*json, "entry", "");
  if (!entries.ok()) return entries.status();
  MappedDelivery out;
  for (size_t i = 0; i < (*entries)->size(); ++i) {
    auto item = ObjectAt(**entries, i, "entry");
    if (!item.ok()) return item.status();
    const std::string path = IndexPath("entry", i);
    auto id = RequiredId(**item, "id", path);
    if (!id.ok()) return id.status();
    OMNIHUB_RETURN_IF_ERROR(MapEntry(*object, MetaEntry{**item, path, std::move(*id)}, ctx, &out));
  }
  return out;
}

}  // namespace omnihub::social
