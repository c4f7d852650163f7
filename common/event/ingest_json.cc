#include "common/event/ingest_json.h"

#include <climits>
#include <exception>
#include <nlohmann/json.hpp>
#include <string>

#include "common/base/coding.h"
#include "common/event/delivery_stage.h"
#include "common/event/enum_names.h"
#include "common/event/event_validation.h"
#include "common/event/json_reader.h"
#include "common/event/tenant_id.h"
#include "common/base/sha256.h"
#include "common/base/text.h"
#include "common/base/time_format.h"

namespace omnihub::event {
namespace {

using Json = nlohmann::json;

// The shared reader's hardening (common/event/json_reader.h). Our schema nests three levels
// deep (event > to > identity); the reader refuses more than eight while parsing, so that a
// hostile line cannot make it build a deep tree first. Duplicate names are refused: two
// different "from"s are ambiguous.
// The wording of syntax and UTF-8 errors is the one docs/ingest-format.md has always documented.
constexpr JsonReadOptions kLineOptions{.max_depth = 8,
                                       .allow_duplicate_keys = false,
                                       .subject = "line",
                                       .syntax_error_prefix = "not valid JSON: ",
                                       .syntax_error_byte = false,
                                       .utf8_hint = "; the ingest format is UTF-8 JSON"};
constexpr std::string_view kIdentityShape =
    "an identity object ({\"email\": ...}, {\"phone\": ...} or {\"platform\": ..., \"user_id\": ...})";

base::Status FieldError(std::string_view field, std::string_view what) {
  return base::Status::InvalidArgument("field '" + std::string(field) + "' " + std::string(what));
}

base::Status CheckKnownFields(const Json& obj, std::string_view field, std::initializer_list<std::string_view> known) {
  for (const auto& [key, value] : obj.items()) {
    bool found = false;
    for (std::string_view k : known) found |= key == k;
    if (found) continue;
    if (field.empty()) return base::Status::InvalidArgument("unknown field " + base::QuoteForMessage(key));
    return base::Status::InvalidArgument("field '" + std::string(field) + "': unknown field " + base::QuoteForMessage(key));
  }
  return base::Status::Ok();
}

// The member `key`, or nullptr when absent or null (null means "not given").
const Json* Member(const Json& obj, std::string_view key) {
  const auto it = obj.find(key);
  return it == obj.end() || it->is_null() ? nullptr : &*it;
}

// Reads an optional string member into `*out`; absent leaves `*out` unchanged.
base::Status ReadString(const Json& obj, std::string_view key, std::string_view field, std::string* out) {
  const Json* v = Member(obj, key);
  if (v == nullptr) return base::Status::Ok();
  if (!v->is_string()) return FieldError(field, "must be a string");
  *out = v->get<std::string>();
  return base::Status::Ok();
}

base::Status ReadRequiredString(const Json& obj, std::string_view key, std::string* out) {
  if (Member(obj, key) == nullptr) return base::Status::InvalidArgument("missing required field '" + std::string(key) + "'");
  return ReadString(obj, key, key, out);
}

base::Result<v1::Identity> ParseIdentity(const Json& j, const std::string& field, const std::string& event_account,
                                   const IdentityNormalizer& n) {
  if (!j.is_object()) return FieldError(field, "must be " + std::string(kIdentityShape));
  OMNIHUB_RETURN_IF_ERROR(CheckKnownFields(j, field, {"email", "phone", "platform", "user_id", "account", "handle", "name"}));
  const bool email = Member(j, "email") != nullptr, phone = Member(j, "phone") != nullptr,
             platform = Member(j, "platform") != nullptr;
  if (email + phone + platform != 1) {
    return FieldError(field, "must have exactly one of 'email', 'phone' or 'platform'");
  }
  if (!platform) {
    for (std::string_view only : {"user_id", "account", "handle"}) {
      if (Member(j, only) != nullptr) {
        return base::Status::InvalidArgument("field '" + field + "': '" + std::string(only) + "' is only for platform identities");
      }
    }
  }
  std::string value, account = event_account, user_id, handle, name;
  OMNIHUB_RETURN_IF_ERROR(ReadString(j, "name", field + ".name", &name));
  base::Result<v1::Identity> id = base::Status::InvalidArgument("unreachable");
  if (platform) {
    OMNIHUB_RETURN_IF_ERROR(ReadString(j, "platform", field + ".platform", &value));
    OMNIHUB_RETURN_IF_ERROR(ReadString(j, "account", field + ".account", &account));
    OMNIHUB_RETURN_IF_ERROR(ReadString(j, "handle", field + ".handle", &handle));
    const Json* uid = Member(j, "user_id");
    if (uid == nullptr) return base::Status::InvalidArgument("field '" + field + "': missing required field 'user_id'");
    if (uid->is_number_integer()) {
      user_id = uid->dump();  // numeric platform ids (Telegram) are accepted as written
    } else if (uid->is_string()) {
      user_id = uid->get<std::string>();
    } else {
      return FieldError(field + ".user_id", "must be a string or an integer");
    }
    id = n.Platform(value, account, user_id, handle, name);
  } else {
    OMNIHUB_RETURN_IF_ERROR(ReadString(j, email ? "email" : "phone", field + (email ? ".email" : ".phone"), &value));
    id = email ? n.Email(value) : n.Phone(value);
    // An explicit "name" wins over a display name inside the address ("Jane <jane@example.com>").
    if (id.ok() && !name.empty()) id->set_display_name(name);
  }
  if (!id.ok()) return base::Status::InvalidArgument("field '" + field + "': " + id.status().message());
  return id;
}

base::Status ParseAttachment(const Json& j, const std::string& field, v1::Attachment* a) {
  if (!j.is_object()) return FieldError(field, "must be an attachment object");
  OMNIHUB_RETURN_IF_ERROR(CheckKnownFields(j, field, {"name", "media_type", "size", "sha256", "url", "storage_ref"}));
  OMNIHUB_RETURN_IF_ERROR(ReadString(j, "name", field + ".name", a->mutable_name()));
  OMNIHUB_RETURN_IF_ERROR(ReadString(j, "media_type", field + ".media_type", a->mutable_media_type()));
  if (const Json* size = Member(j, "size"); size != nullptr) {
    if (!size->is_number_unsigned()) return FieldError(field + ".size", "must be a non-negative integer");
    a->set_size_bytes(size->get<uint64_t>());
  }
  std::string hex;
  OMNIHUB_RETURN_IF_ERROR(ReadString(j, "sha256", field + ".sha256", &hex));
  if (!hex.empty() && (hex.size() != 64 || !base::HexDecode(hex, a->mutable_sha256()))) {
    return FieldError(field + ".sha256", "must be 64 hex digits");
  }
  // "storage_ref" is what omnihubctl prints, accepted so that its output can be re-ingested.
  if (Member(j, "url") != nullptr && Member(j, "storage_ref") != nullptr) {
    return FieldError(field, "has both 'url' and 'storage_ref' (give one)");
  }
  OMNIHUB_RETURN_IF_ERROR(ReadString(j, "url", field + ".url", a->mutable_storage_ref()));
  return ReadString(j, "storage_ref", field + ".storage_ref", a->mutable_storage_ref());
}

base::Status ParseDeliveryStatus(const Json& j, v1::DeliveryStatus* ds) {
  if (!j.is_object()) return FieldError("delivery_status", "must be an object ({\"state\": \"delivered\", ...})");
  OMNIHUB_RETURN_IF_ERROR(CheckKnownFields(j, "delivery_status", {"state", "stage", "error_code", "detail"}));
  if (Member(j, "state") == nullptr) {
    return base::Status::InvalidArgument("field 'delivery_status': missing required field 'state'");
  }
  OMNIHUB_RETURN_IF_ERROR(ReadString(j, "state", "delivery_status.state", ds->mutable_state()));
  OMNIHUB_RETURN_IF_ERROR(ReadString(j, "error_code", "delivery_status.error_code", ds->mutable_error_code()));
  OMNIHUB_RETURN_IF_ERROR(ReadString(j, "detail", "delivery_status.detail", ds->mutable_detail()));
  if (const Json* stage = Member(j, "stage"); stage != nullptr) {
    if (!stage->is_number_unsigned() || stage->get<uint64_t>() > static_cast<uint64_t>(INT32_MAX)) {
      return FieldError("delivery_status.stage", "must be a non-negative integer (see docs/ingest-format.md)");
    }
    ds->set_stage(static_cast<int32_t>(stage->get<uint64_t>()));
    return base::Status::Ok();
  }
  // Without a stage, the providers' common words get the SMS adapter's (common/event/delivery_stage.h).
  if (const int stage = DeliveryStage(base::Trim(ds->state())); stage != kStageUnknown) {
    ds->set_stage(stage);
    return base::Status::Ok();
  }
  std::string known;
  for (std::string_view word : KnownDeliveryStates()) {
    known += known.empty() ? "" : ", ";
    known += word;
  }
  return FieldError("delivery_status.stage", "is required for state " + base::QuoteForMessage(ds->state()) +
                                                 " (it is known without one for " + known + ")");
}

base::Status ParseProviderFields(const Json& j, v1::Event* e) {
  if (!j.is_object()) return FieldError("provider_fields", "must be an object of strings");
  for (const auto& [key, value] : j.items()) {
    if (!value.is_string()) return FieldError("provider_fields." + key, "must be a string");
    (*e->mutable_provider_fields())[key] = value.get<std::string>();
  }
  return base::Status::Ok();
}

// The channel decides what kind of identity its customer has (docs/ingest-format.md).
base::Status CheckCustomerKind(const v1::Event& e, const v1::Identity& customer, std::string_view field) {
  const std::string channel(ChannelName(e.channel()));
  v1::Identity::Kind want = v1::Identity::KIND_UNSPECIFIED;
  switch (e.channel()) {
    case v1::EMAIL:
      want = v1::Identity::EMAIL;
      break;
    case v1::SMS:
    case v1::WHATSAPP:
      want = v1::Identity::PHONE;
      break;
    case v1::MESSENGER:
    case v1::INSTAGRAM:
    case v1::TELEGRAM:
    case v1::X:
      want = v1::Identity::PLATFORM;
      break;
    default:
      return base::Status::Ok();  // api and note: any kind
  }
  const std::string got(IdentityKindName(customer.kind()));
  if (customer.kind() != want) {
    return base::Status::InvalidArgument("field '" + std::string(field) + "': on channel '" + channel + "' the customer must be " +
                                   (want == v1::Identity::EMAIL ? "an email" : want == v1::Identity::PHONE ? "a phone" : "a platform") +
                                   " identity, got " + got);
  }
  if (want == v1::Identity::PLATFORM && customer.platform() != channel) {
    return base::Status::InvalidArgument("field '" + std::string(field) + "': on channel '" + channel +
                                   "' the customer must have platform '" + channel + "', got '" + customer.platform() + "'");
  }
  return base::Status::Ok();
}

base::Result<v1::Event> BuildEvent(std::string_view line, const Json& j, const IngestContext& ctx) {
  OMNIHUB_RETURN_IF_ERROR(CheckKnownFields(
      j, "", {"channel", "account", "provider_message_id", "direction", "kind", "occurred_at", "from", "to",
              "conversation", "subject", "text", "html", "refers_to", "attachments", "flags", "delivery_status",
              "provider_fields", "referred_by", "tenant"}));
  v1::Event e;
  std::string text;
  OMNIHUB_RETURN_IF_ERROR(ReadRequiredString(j, "channel", &text));
  base::Result<v1::Channel> channel = ParseChannel(text);
  if (!channel.ok()) return base::Status::InvalidArgument("field 'channel': " + channel.status().message());
  e.set_channel(*channel);

  OMNIHUB_RETURN_IF_ERROR(ReadRequiredString(j, "account", e.mutable_account()));

  // Optional: the default tenant otherwise, as on one host. On the wire in its canonical form.
  std::string tenant(kDefaultTenant);
  OMNIHUB_RETURN_IF_ERROR(ReadString(j, "tenant", "tenant", &tenant));
  if (base::Status s = CheckTenantId(tenant); !s.ok()) return base::Status::InvalidArgument("field 'tenant': " + s.message());
  e.set_tenant_id(WireTenant(tenant));

  OMNIHUB_RETURN_IF_ERROR(ReadRequiredString(j, "direction", &text));
  base::Result<v1::Direction> direction = ParseDirection(text);
  if (!direction.ok()) return base::Status::InvalidArgument("field 'direction': " + direction.status().message());
  e.set_direction(*direction);

  text = "message";
  OMNIHUB_RETURN_IF_ERROR(ReadString(j, "kind", "kind", &text));
  base::Result<v1::EventKind> kind = ParseEventKind(text);
  if (!kind.ok()) return base::Status::InvalidArgument("field 'kind': " + kind.status().message());
  e.set_kind(*kind);

  OMNIHUB_RETURN_IF_ERROR(ReadRequiredString(j, "occurred_at", &text));
  base::Result<int64_t> occurred = base::ParseRfc3339Micros(text);
  if (!occurred.ok()) return base::Status::InvalidArgument("field 'occurred_at': " + occurred.status().message());
  if (*occurred <= 0) return FieldError("occurred_at", "must be after 1970-01-01T00:00:00Z");
  e.set_occurred_at_us(*occurred);

  if (Member(j, "provider_message_id") != nullptr) {
    OMNIHUB_RETURN_IF_ERROR(ReadString(j, "provider_message_id", "provider_message_id", e.mutable_provider_message_id()));
    if (e.provider_message_id().empty()) return FieldError("provider_message_id", "must not be empty (omit it instead)");
  } else {
    e.set_provider_message_id("sha256:" + base::Sha256Hex(line));
  }

  const Json* from = Member(j, "from");
  if (from == nullptr) return base::Status::InvalidArgument("missing required field 'from'");
  base::Result<v1::Identity> sender = ParseIdentity(*from, "from", e.account(), ctx.normalizer);
  if (!sender.ok()) return sender.status();
  *e.mutable_sender() = std::move(*sender);

  if (const Json* to = Member(j, "to"); to != nullptr) {
    if (!to->is_array()) return FieldError("to", "must be a list of identity objects");
    for (size_t i = 0; i < to->size(); ++i) {
      base::Result<v1::Identity> r = ParseIdentity((*to)[i], "to[" + std::to_string(i) + "]", e.account(), ctx.normalizer);
      if (!r.ok()) return r.status();
      *e.add_recipients() = std::move(*r);
    }
  }
  if (e.direction() == v1::OUTBOUND && e.recipients_size() == 0) {
    return FieldError("to", "is required for an outbound event (its first entry is the customer)");
  }
  OMNIHUB_RETURN_IF_ERROR(CheckCustomerKind(e, *ExternalParty(e), e.direction() == v1::INBOUND ? "from" : "to[0]"));

  OMNIHUB_RETURN_IF_ERROR(ReadString(j, "conversation", "conversation", e.mutable_conversation()));
  OMNIHUB_RETURN_IF_ERROR(ReadString(j, "subject", "subject", e.mutable_subject()));
  OMNIHUB_RETURN_IF_ERROR(ReadString(j, "text", "text", e.mutable_text()));
  OMNIHUB_RETURN_IF_ERROR(ReadString(j, "html", "html", e.mutable_html()));
  OMNIHUB_RETURN_IF_ERROR(ReadString(j, "refers_to", "refers_to", e.mutable_refers_to_provider_message_id()));

  if (const Json* list = Member(j, "attachments"); list != nullptr) {
    if (!list->is_array()) return FieldError("attachments", "must be a list of attachment objects");
    for (size_t i = 0; i < list->size(); ++i) {
      OMNIHUB_RETURN_IF_ERROR(ParseAttachment((*list)[i], "attachments[" + std::to_string(i) + "]", e.add_attachments()));
    }
  }
  if (const Json* list = Member(j, "flags"); list != nullptr) {
    if (!list->is_array()) return FieldError("flags", "must be a list of strings");
    for (const Json& flag : *list) {
      if (!flag.is_string()) return FieldError("flags", "must be a list of strings");
      e.add_flags(flag.get<std::string>());
    }
  }
  if (const Json* status = Member(j, "delivery_status"); status != nullptr) {
    OMNIHUB_RETURN_IF_ERROR(ParseDeliveryStatus(*status, e.mutable_delivery_status()));
  }
  if (const Json* fields = Member(j, "provider_fields"); fields != nullptr) {
    OMNIHUB_RETURN_IF_ERROR(ParseProviderFields(*fields, &e));
  }
  // An integrator's referral (who sent this customer: a partner, a campaign), kept where the
  // channels keep theirs, in provider_fields, so that metrics read one place (docs/metrics.md).
  if (Member(j, "referred_by") != nullptr) {
    std::string referred_by;
    OMNIHUB_RETURN_IF_ERROR(ReadString(j, "referred_by", "referred_by", &referred_by));
    if (referred_by.empty()) return FieldError("referred_by", "must not be empty (omit it instead)");
    const auto& fields = e.provider_fields();
    if (auto it = fields.find("referred_by"); it != fields.end() && it->second != referred_by) {
      return FieldError("referred_by", "differs from provider_fields.referred_by (give it once)");
    }
    (*e.mutable_provider_fields())["referred_by"] = std::move(referred_by);
  }

  e.set_event_id(ctx.ids.Next());
  e.set_received_at_us(ctx.clock.NowMicros());
  OMNIHUB_RETURN_IF_ERROR(ValidateAndNormalizeEvent(&e, ctx.normalizer));
  return e;
}

}  // namespace

base::Result<v1::Event> ParseIngestLine(std::string_view line, const IngestContext& ctx) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  try {
    base::Result<Json> j = ReadJsonObject(line, kLineOptions);
    if (!j.ok()) return j.status();
    return BuildEvent(line, *j, ctx);
  } catch (const std::exception& e) {
    // Every type is checked before it is read, so this is a bug of ours, not bad input.
    return base::Status::Internal(std::string("ingest parser failed: ") + e.what());
  }
}

}  // namespace omnihub::event
