#include "common/event/event_json.h"

#include <string>

#include "common/base/coding.h"
#include "common/event/enum_names.h"
#include "common/base/text.h"
#include "common/base/time_format.h"
#include "common/base/uuid.h"

namespace omnihub::event {
namespace {

using Json = nlohmann::json;

// nlohmann's dump() throws on invalid UTF-8; replace each bad byte with U+FFFD instead.
std::string Utf8(std::string_view s) {
  if (base::IsValidUtf8(s)) return std::string(s);
  std::string out;
  while (!s.empty()) {
    size_t bad = 0;
    if (base::IsValidUtf8(s, &bad)) {
      out.append(s);
      break;
    }
    out.append(s.substr(0, bad));
    out += "\xEF\xBF\xBD";
    s.remove_prefix(bad + 1);
  }
  return out;
}

Json DeliveryStatusToJson(const v1::DeliveryStatus& ds) {
  Json j = {{"state", Utf8(ds.state())},
            {"stage", ds.stage()},
            {"error_code", Utf8(ds.error_code())},
            {"detail", Utf8(ds.detail())}};
  if (ds.watermark_us() != 0) j["watermark"] = base::FormatRfc3339Micros(ds.watermark_us());
  return j;
}

}  // namespace

Json IdentityToJson(const v1::Identity& id) {
  Json j = Json::object();
  switch (id.kind()) {
    case v1::Identity::EMAIL:
      j["email"] = Utf8(id.value());
      break;
    case v1::Identity::PHONE:
      j["phone"] = Utf8(id.value());
      break;
    case v1::Identity::PLATFORM:
      j["platform"] = Utf8(id.platform());
      j["account"] = Utf8(id.account());
      j["user_id"] = Utf8(id.value());
      if (!id.handle().empty()) j["handle"] = Utf8(id.handle());
      break;
    default:
      j["kind"] = std::string(IdentityKindName(id.kind()));
      j["value"] = Utf8(id.value());
      break;
  }
  if (!id.display_name().empty()) j["name"] = Utf8(id.display_name());
  return j;
}

Json EventToJson(const v1::Event& e, std::string_view customer_id) {
  Json j = Json::object();
  j["event_id"] = e.event_id().size() == base::kUuidBytes ? base::UuidToString(e.event_id()) : base::HexEncode(e.event_id());
  j["customer_id"] = Utf8(customer_id);
  j["channel"] = std::string(ChannelName(e.channel()));
  j["account"] = Utf8(e.account());
  j["provider_message_id"] = Utf8(e.provider_message_id());
  j["direction"] = std::string(DirectionName(e.direction()));
  j["kind"] = std::string(EventKindName(e.kind()));
  j["occurred_at"] = base::FormatRfc3339Micros(e.occurred_at_us());
  j["received_at"] = base::FormatRfc3339Micros(e.received_at_us());
  j["from"] = e.has_sender() ? IdentityToJson(e.sender()) : Json(nullptr);
  Json to = Json::array();
  for (const v1::Identity& r : e.recipients()) to.push_back(IdentityToJson(r));
  j["to"] = std::move(to);
  j["conversation"] = Utf8(e.conversation());
  j["subject"] = Utf8(e.subject());
  j["text"] = Utf8(e.text());

  if (!e.html().empty()) j["html"] = Utf8(e.html());
  if (e.quoted_text_trimmed()) j["quoted_text_trimmed"] = true;
  if (!e.full_text().empty()) j["full_text"] = Utf8(e.full_text());
  if (e.attachments_size() > 0) {
    Json list = Json::array();
    for (const v1::Attachment& a : e.attachments()) {
      Json item = {{"name", Utf8(a.name())}, {"media_type", Utf8(a.media_type())}, {"size", a.size_bytes()}};
      if (!a.sha256().empty()) item["sha256"] = base::HexEncode(a.sha256());
      if (!a.storage_ref().empty()) item["storage_ref"] = Utf8(a.storage_ref());
      list.push_back(std::move(item));
    }
    j["attachments"] = std::move(list);
  }
  if (e.has_raw()) {
    const v1::PayloadRef& r = e.raw();
    j["raw"] = {{"store", Utf8(r.store())},
                {"key", Utf8(r.key())},
                {"size", r.size_bytes()},
                {"media_type", Utf8(r.media_type())},
                {"compression", Utf8(r.compression())}};
  }
  if (!e.refers_to_provider_message_id().empty()) j["refers_to"] = Utf8(e.refers_to_provider_message_id());
  if (e.flags_size() > 0) {
    Json flags = Json::array();
    for (const std::string& f : e.flags()) flags.push_back(Utf8(f));
    j["flags"] = std::move(flags);
  }
  if (e.has_delivery_status()) j["delivery_status"] = DeliveryStatusToJson(e.delivery_status());
  if (e.has_reaction()) {
    j["reaction"] = {{"emoji", Utf8(e.reaction().emoji())}, {"name", Utf8(e.reaction().name())}};
    if (e.reaction().removed()) j["reaction"]["removed"] = true;
  }
  if (!e.activity().empty()) j["activity"] = Utf8(e.activity());
  if (e.party_links_size() > 0) {
    Json links = Json::array();
    for (const v1::IdentityLink& link : e.party_links()) {
      links.push_back({{"identity", IdentityToJson(link.identity())}, {"reason", Utf8(link.reason())}});
    }
    j["party_links"] = std::move(links);
  }
  if (!e.provider_fields().empty()) {
    Json fields = Json::object();
    for (const auto& [key, value] : e.provider_fields()) fields[Utf8(key)] = Utf8(value);
    j["provider_fields"] = std::move(fields);
  }
  return j;
}

void AddDeliveryStatusesToJson(const google::protobuf::RepeatedPtrField<v1::Event>& statuses, Json* message) {
  if (statuses.empty()) return;
  Json list = Json::array();
  for (const v1::Event& status : statuses) {
    Json item = DeliveryStatusToJson(status.delivery_status());
    item["at"] = base::FormatRfc3339Micros(status.occurred_at_us());
    list.push_back(std::move(item));
  }
  (*message)["status"] = list.back()["state"];
  (*message)["statuses"] = std::move(list);
}

}  // namespace omnihub::event
