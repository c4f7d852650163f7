#include "services/social/meta/meta_event.h"

#include <limits>

#include "common/base/sha256.h"
#include "common/base/text.h"

namespace omnihub::social {
namespace {

std::optional<int64_t> ScaleToMicros(std::optional<int64_t> value, int64_t factor) {
  if (!value || *value <= 0 || *value > std::numeric_limits<int64_t>::max() / factor) return std::nullopt;
  return *value * factor;
}

}  // namespace

MappedEvent NewMetaEvent(v1::Channel channel, std::string account, const Json& element, const DeliveryContext& ctx) {
  MappedEvent m;
  m.event.set_channel(channel);
  m.event.set_account(std::move(account));
  (*m.event.mutable_provider_fields())[kAccountNameField] = ctx.account_name;
  m.raw_json = Dump(element);
  return m;
}

void SetOccurredAt(std::optional<int64_t> us, const DeliveryContext& ctx, v1::Event* e) {
  if (us) {
    e->set_occurred_at_us(*us);
    return;
  }
  e->set_occurred_at_us(ctx.received_at_us);
  e->add_flags(kTimeMissingFlag);
}

std::optional<int64_t> MillisToMicros(std::optional<int64_t> ms) { return ScaleToMicros(ms, 1000); }

std::optional<int64_t> SecondsToMicros(std::optional<int64_t> seconds) { return ScaleToMicros(seconds, 1'000'000); }

std::optional<int64_t> EntryTimeMicros(const Json& entry) {
  const std::optional<int64_t> time = OptionalInt(entry, "time");
  if (time && *time < kEntryTimeMillisFloor) return SecondsToMicros(time);
  return MillisToMicros(time);
}

base::Result<std::string> RequiredName(const Json& obj, std::string_view key, std::string_view path) {
  auto name = RequiredString(obj, key, path);
  if (name.ok() && base::Trim(*name).empty()) return FieldError(JoinPath(path, key), "is empty");
  return name;
}

base::Result<const Json*> OptionalArray(const Json& obj, std::string_view key, std::string_view path) {
  const Json* v = Find(obj, key);
  if (v == nullptr) return static_cast<const Json*>(nullptr);
  if (!v->is_array()) return FieldError(JoinPath(path, key), "must be a JSON array");
  return v;
}

base::Result<const Json*> ObjectAt(const Json& array, size_t index, std::string_view path) {
  const Json& v = array[index];
  if (!v.is_object()) return FieldError(IndexPath(path, index), "must be a JSON object");
  return &v;
}

base::Status ForEachChange(const MetaEntry& entry, const ChangeVisitor& visit) {
  auto changes = OptionalArray(entry.json, "changes", entry.path);
  if (!changes.ok()) return changes.status();
  if (*changes == nullptr) return base::Status::Ok();
  const std::string path = JoinPath(entry.path, "changes");
  for (size_t i = 0; i < (*changes)->size(); ++i) {
    auto change = ObjectAt(**changes, i, path);
    if (!change.ok()) return change.status();
    const std::string change_path = IndexPath(path, i);
    auto field = RequiredName(**change, "field", change_path);
    if (!field.ok()) return field.status();
    OMNIHUB_RETURN_IF_ERROR(visit(**change, change_path, std::move(*field)));
  }
  return base::Status::Ok();
}

const Json& MemberOrEmpty(const Json& obj, std::string_view key) {
  static const Json* const kEmpty = new Json(Json::object());
  const Json* member = Find(obj, key);
  return member != nullptr ? *member : *kEmpty;
}

std::string FieldText(const Json& value) { return value.is_string() ? value.get<std::string>() : Dump(value); }

void KeepMember(const Json& obj, std::string_view key, const std::string& field, v1::Event* e) {
  if (const Json* v = Find(obj, key)) (*e->mutable_provider_fields())[field] = FieldText(*v);
}

std::string ConversationKey(std::string_view prefix, std::string_view a, std::string_view b) {
  return std::string(prefix) + ":" + base::EscapeColons(a) + ":" + base::EscapeColons(b);
}

base::Result<v1::Identity> PlatformUser(const DeliveryContext& ctx, std::string_view platform, std::string_view account,
                                        std::string_view user_id, std::string_view path, std::string_view handle,
                                        std::string_view display_name) {
  auto id = ctx.normalizer->Platform(platform, account, user_id, handle, display_name);
  if (!id.ok()) return FieldError(path, "is invalid: " + id.status().message());
  return id;
}

base::Result<v1::Identity> CheckedBusinessParty(const DeliveryContext& ctx, std::string_view platform,
                                                std::string_view account, std::string_view path) {
  auto checked = PlatformUser(ctx, platform, account, account, path);
  if (!checked.ok()) return checked.status();
  return BusinessParty(platform, account);
}

void MakeActivity(std::string activity, v1::Identity party, bool business_party, MappedEvent* m) {
  v1::Event& e = m->event;
  e.set_kind(v1::ACTIVITY);
  e.set_direction(v1::INBOUND);
  if (e.provider_message_id().empty()) {
    // Two change fields may carry equal values: the activity is part of what is hashed.
    e.set_provider_message_id("activity:" + base::Sha256Hex(activity + "\n" + m->raw_json));
  }
  e.set_activity(std::move(activity));
  *e.mutable_sender() = std::move(party);
  if (business_party) e.add_flags(kBusinessPartyFlag);
}

MappedEvent ChangeEvent(v1::Channel channel, std::string account, const MetaEntry& entry, const Json& change,
                        const DeliveryContext& ctx) {
  const Json* value = Find(change, "value");
  MappedEvent m = NewMetaEvent(channel, std::move(account), value != nullptr ? *value : change, ctx);
  SetOccurredAt(EntryTimeMicros(entry.json), ctx, &m.event);
  return m;
}

}  // namespace omnihub::social
