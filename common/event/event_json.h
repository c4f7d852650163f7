// Events as JSON, as omnihubctl and the HTTP API print them. The identity objects have the
// shape of the ingest format (docs/ingest-format.md), so printed events can be re-ingested.
//
// One writer (WriteEventJson, on base::JsonWriter) makes the text; the nlohmann::json forms
// below parse what it wrote, so a timeline page answered by the API (written straight into its
// body) and a line printed by omnihubctl have the same members. Members are written in byte
// order of their keys, as nlohmann's dump() sorts them, so both print the same text.
// Bytes that are not UTF-8 (never in a validated event) are replaced by U+FFFD.
//
// Thread-safety: pure functions.
#pragma once

#include <google/protobuf/repeated_ptr_field.h>
#include <nlohmann/json.hpp>
#include <string_view>

#include "common/base/json_writer.h"
#include "omnihub/v1/event.pb.h"
#include "omnihub/v1/identity.pb.h"
#include "omnihub/v1/query.pb.h"

namespace omnihub::event {

// {"email": V}, {"phone": V} or {"platform": P, "account": A, "user_id": V}, plus "handle"
// (platform only) and "name" (the display name) when set.
void WriteIdentityJson(base::JsonWriter& w, const v1::Identity& id);
nlohmann::json IdentityToJson(const v1::Identity& id);

// What the hub joins to a message when it reads it (query.proto): its delivery statuses, in
// life order as the hub returns them, and its edits, deletion and reactions. Null: none.
struct MessageAnnotations {
  const google::protobuf::RepeatedPtrField<v1::Event>* statuses = nullptr;
  const v1::MessageAmendments* amendments = nullptr;
};

// Keys always present: event_id (canonical UUID text), customer_id, channel, account,
// provider_message_id, direction, kind, occurred_at, received_at (RFC 3339, microseconds, UTC),
// from (null without a sender), to (list), conversation, subject, text.
// Present only when set: html, quoted_text_trimmed (true), full_text, attachments
// [{name, media_type, size, sha256 (hex), storage_ref}], raw {store, key, size, media_type,
// compression}, refers_to, flags, delivery_status {state, stage, error_code, detail, watermark},
// reaction {emoji, name, removed}, activity, party_links [{identity, reason}],
// provider_fields {name: value}.
// From the annotations, only for messages that have them:
//   statuses: "statuses", a list of {state, stage, error_code, detail, watermark?, at (the
//     status's occurred_at)}, and "status", the state of the last one (the current status);
//   edited: "text" becomes the current text, plus "edited": true, "edited_at" (the latest edit's
//     time) and "history": [{text, at}] (the earlier texts, oldest first, the original first);
//   deleted: "deleted": true and "deleted_at" (the text is already gone when the hub removed it);
//   reactions: "reactions": [{emoji, name (when set), count, by: [identity arguments]}], one
//     item per emoji in the order the emojis were first given, reactors in that order too.
void WriteEventJson(base::JsonWriter& w, const v1::Event& e, std::string_view customer_id,
                    const MessageAnnotations& annotations = {});
nlohmann::json EventToJson(const v1::Event& e, std::string_view customer_id,
                           const MessageAnnotations& annotations = {});

}  // namespace omnihub::event
