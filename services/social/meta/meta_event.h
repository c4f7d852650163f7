// What the Messenger/Instagram and the WhatsApp mappers of a Meta delivery share: the entry
// being read, a new event with the fields every Meta event carries, platform times, optional
// arrays that must still be arrays, identities whose errors name their JSON path, and ACTIVITY
// events for what the hub keeps without understanding it (docs/social.md, "Meta").
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "common/base/status.h"
#include "services/social/json_fields.h"
#include "services/social/social_event.h"

namespace omnihub::social {

// One `entry[i]` of a delivery whose `id` has been read.
struct MetaEntry {
  const Json& json;
  std::string path;  // "entry[2]"
  std::string id;    // page id, Instagram account id or WABA id
};

// A new event of `channel` for `account`: provider_fields[kAccountNameField] and raw_json =
// the element's compact JSON (every Meta event keeps the element it came from).
MappedEvent NewMetaEvent(v1::Channel channel, std::string account, const Json& element, const DeliveryContext& ctx);

// occurred_at = `us`, or, when the platform time was missing or unusable (nullopt),
// ctx.received_at_us with kTimeMissingFlag.
void SetOccurredAt(std::optional<int64_t> us, const DeliveryContext& ctx, v1::Event* e);

// A platform time in microseconds: nullopt when absent, not positive or beyond the int64 range.
std::optional<int64_t> MillisToMicros(std::optional<int64_t> ms);
std::optional<int64_t> SecondsToMicros(std::optional<int64_t> seconds);
// entry.time, which Meta sends in milliseconds for messaging and in seconds for changes:
// values below kEntryTimeMillisFloor (March 1973 read as milliseconds, the year 5138 read as
// seconds) are seconds.
std::optional<int64_t> EntryTimeMicros(const Json& entry);
inline constexpr int64_t kEntryTimeMillisFloor = 100'000'000'000;

// RequiredString that must hold more than whitespace: FieldError "<path>.<key> is empty" (an object,
// change field, message type or status the hub would have to name with nothing).
base::Result<std::string> RequiredName(const Json& obj, std::string_view key, std::string_view path);

// The member `key` of `obj` when it is an array, nullptr when absent or null; FieldError
// "<path>.<key> must be a JSON array" otherwise (a container of events is never skipped).
base::Result<const Json*> OptionalArray(const Json& obj, std::string_view key, std::string_view path);
// array[index], which must be an object: FieldError "<path>[<index>] must be a JSON object".
base::Result<const Json*> ObjectAt(const Json& array, size_t index, std::string_view path);

// Calls `visit` for each element of entry.changes (absent: none), in order, with the element
// (which must be an object), its JSON path and its `field` (RequiredName); the first error, the
// entry's own or one `visit` returns, stops the walk. Messenger, Instagram and WhatsApp entries
// all carry their non-messaging notifications this way.
using ChangeVisitor =
    std::function<base::Status(const Json& change, const std::string& change_path, std::string field)>;
base::Status ForEachChange(const MetaEntry& entry, const ChangeVisitor& visit);

// The member `key` of `obj`, or an empty object when absent (or `obj` is no object): for
// reading the optional members of an optional object in one step.
const Json& MemberOrEmpty(const Json& obj, std::string_view key);

// A value for provider_fields: a string as it is, anything else as compact JSON.
std::string FieldText(const Json& value);
// The member `key` of `obj`, when present, into provider_fields[field] (as FieldText).
void KeepMember(const Json& obj, std::string_view key, const std::string& field, v1::Event* e);

// "<prefix>:<a>:<b>" with '%' and ':' inside a and b escaped (base::EscapeColons), so the key
// splits back: Messenger "messenger:<page id>:<psid>", WhatsApp "whatsapp:<business>:<customer>"
// (the form services/sms uses for Twilio WhatsApp).
std::string ConversationKey(std::string_view prefix, std::string_view a, std::string_view b);

// ctx.normalizer->Platform(...), its error as FieldError naming `path` ("<path> is invalid: "
// + the normalizer's message).
base::Result<v1::Identity> PlatformUser(const DeliveryContext& ctx, std::string_view platform, std::string_view account,
                                        std::string_view user_id, std::string_view path, std::string_view handle = {},
                                        std::string_view display_name = {});

// BusinessParty(platform, account) once the normalizer accepts the account as a user id, so
// that every identity a mapper emits is normalized; FieldError naming `path` otherwise.
base::Result<v1::Identity> CheckedBusinessParty(const DeliveryContext& ctx, std::string_view platform,
                                                std::string_view account, std::string_view path);

// Makes `m` an INBOUND ACTIVITY: `activity`, sender = `party` (with kBusinessPartyFlag when
// `business_party`), and, when it has none yet, provider_message_id = "activity:" + hex
// SHA-256 of (activity + "\n" + raw_json), so a platform retry of the same element is the same
// event.
void MakeActivity(std::string activity, v1::Identity party, bool business_party, MappedEvent* m);

// The event of one `changes[]` element of `entry` (a comment, a template status, ...), for
// MakeActivity: raw_json = the change's `value` (the change itself when it has none), occurred
// at entry.time.
MappedEvent ChangeEvent(v1::Channel channel, std::string account, const MetaEntry& entry, const Json& change,
                        const DeliveryContext& ctx);

}  // namespace omnihub::social
