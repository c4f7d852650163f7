#include "common/event/event_json.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "common/base/coding.h"
#include "common/base/time_format.h"
#include "common/base/uuid.h"
#include "common/event/annotation_json.h"
#include "common/event/enum_names.h"

namespace omnihub::event {
namespace {

void WriteAttachments(base::JsonWriter& w, const v1::Event& e) {
  w.Key("attachments");
  w.BeginArray();
  for (const v1::Attachment& a : e.attachments()) {
    w.BeginObject();
    w.Member("media_type", a.media_type());
    w.Member("name", a.name());
    if (!a.sha256().empty()) w.Member("sha256", base::HexEncode(a.sha256()));
    w.MemberUInt("size", a.size_bytes());
    if (!a.storage_ref().empty()) w.Member("storage_ref", a.storage_ref());
    w.EndObject();
  }
  w.EndArray();
}

void WritePartyLinks(base::JsonWriter& w, const v1::Event& e) {
  w.Key("party_links");
  w.BeginArray();
  for (const v1::IdentityLink& link : e.party_links()) {
    w.BeginObject();
    w.Key("identity");
    WriteIdentityJson(w, link.identity());
    w.Member("reason", link.reason());
    w.EndObject();
  }
  w.EndArray();
}

// A protobuf map iterates in no set order: its keys are written sorted.
void WriteProviderFields(base::JsonWriter& w, const v1::Event& e) {
  std::vector<std::pair<std::string_view, std::string_view>> fields(e.provider_fields().begin(),
                                                                    e.provider_fields().end());
  std::sort(fields.begin(), fields.end());
  w.Key("provider_fields");
  w.BeginObject();
  for (const auto& [key, value] : fields) w.Member(key, value);
  w.EndObject();
}

void WriteRaw(base::JsonWriter& w, const v1::PayloadRef& r) {
  w.Key("raw");
  w.BeginObject();
  w.Member("compression", r.compression());
  w.Member("key", r.key());
  w.Member("media_type", r.media_type());
  w.MemberUInt("size", r.size_bytes());
  w.Member("store", r.store());
  w.EndObject();
}

void WriteReaction(base::JsonWriter& w, const v1::Reaction& r) {
  w.Key("reaction");
  w.BeginObject();
  w.Member("emoji", r.emoji());
  w.Member("name", r.name());
  if (r.removed()) w.MemberBool("removed", true);
  w.EndObject();
}

}  // namespace

void WriteIdentityJson(base::JsonWriter& w, const v1::Identity& id) {
  w.BeginObject();
  switch (id.kind()) {
    case v1::Identity::EMAIL:
      w.Member("email", id.value());
      if (!id.display_name().empty()) w.Member("name", id.display_name());
      break;
    case v1::Identity::PHONE:
      if (!id.display_name().empty()) w.Member("name", id.display_name());
      w.Member("phone", id.value());
      break;
    case v1::Identity::PLATFORM:
      w.Member("account", id.account());
      if (!id.handle().empty()) w.Member("handle", id.handle());
      if (!id.display_name().empty()) w.Member("name", id.display_name());
      w.Member("platform", id.platform());
      w.Member("user_id", id.value());
      break;
    default:
      w.Member("kind", IdentityKindName(id.kind()));
      if (!id.display_name().empty()) w.Member("name", id.display_name());
      w.Member("value", id.value());
      break;
  }
  w.EndObject();
}

nlohmann::json IdentityToJson(const v1::Identity& id) {
  base::JsonWriter w;
  WriteIdentityJson(w, id);
  return nlohmann::json::parse(w.text());
}

// Members in byte order of their keys (see the header).
void WriteEventJson(base::JsonWriter& w, const v1::Event& e, std::string_view customer_id,
                    const MessageAnnotations& annotations) {
  const v1::MessageAmendments* amended = annotations.amendments;
  const bool edited = amended != nullptr && amended->edited();
  const bool deleted = amended != nullptr && amended->deleted();
  w.BeginObject();
  w.Member("account", e.account());
  if (!e.activity().empty()) w.Member("activity", e.activity());
  if (e.attachments_size() > 0) WriteAttachments(w, e);
  w.Member("channel", ChannelName(e.channel()));
  w.Member("conversation", e.conversation());
  w.Member("customer_id", customer_id);
  if (deleted) {
    w.MemberBool("deleted", true);
    w.Member("deleted_at", base::FormatRfc3339Micros(amended->deleted_at_us()));
  }
  if (e.has_delivery_status()) {
    w.Key("delivery_status");
    WriteDeliveryStatusJson(w, e.delivery_status());
  }
  w.Member("direction", DirectionName(e.direction()));
  if (edited) {
    w.MemberBool("edited", true);
    w.Member("edited_at", base::FormatRfc3339Micros(amended->current().at_us()));
  }
  w.Member("event_id", e.event_id().size() == base::kUuidBytes ? base::UuidToString(e.event_id())
                                                               : base::HexEncode(e.event_id()));
  if (e.flags_size() > 0) {
    w.Key("flags");
    w.BeginArray();
    for (const std::string& f : e.flags()) w.String(f);
    w.EndArray();
  }
  w.Key("from");
  if (e.has_sender()) {
    WriteIdentityJson(w, e.sender());
  } else {
    w.Null();
  }
  if (!e.full_text().empty()) w.Member("full_text", e.full_text());
  if (edited) WriteHistoryMember(w, *amended);
  if (!e.html().empty()) w.Member("html", e.html());
  w.Member("kind", EventKindName(e.kind()));
  w.Member("occurred_at", base::FormatRfc3339Micros(e.occurred_at_us()));
  if (e.party_links_size() > 0) WritePartyLinks(w, e);
  if (!e.provider_fields().empty()) WriteProviderFields(w, e);
  w.Member("provider_message_id", e.provider_message_id());
  if (e.quoted_text_trimmed()) w.MemberBool("quoted_text_trimmed", true);
  if (e.has_raw()) WriteRaw(w, e.raw());
  if (e.has_reaction()) WriteReaction(w, e.reaction());
  if (amended != nullptr) WriteReactionsMember(w, *amended);
  w.Member("received_at", base::FormatRfc3339Micros(e.received_at_us()));
  if (!e.refers_to_provider_message_id().empty()) w.Member("refers_to", e.refers_to_provider_message_id());
  if (annotations.statuses != nullptr) WriteStatusMembers(w, *annotations.statuses);
  w.Member("subject", e.subject());
  w.Member("text", edited ? amended->current().text() : e.text());
  w.Key("to");
  w.BeginArray();
  for (const v1::Identity& r : e.recipients()) WriteIdentityJson(w, r);
  w.EndArray();
  w.EndObject();
}

nlohmann::json EventToJson(const v1::Event& e, std::string_view customer_id, const MessageAnnotations& annotations) {
  base::JsonWriter w;
  WriteEventJson(w, e, customer_id, annotations);
  return nlohmann::json::parse(w.text());
}

}  // namespace omnihub::event
