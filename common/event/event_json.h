// Events as JSON, as omnihubctl and the HTTP API print them. The identity objects have the
// shape of the ingest format (docs/ingest-format.md), so printed events can be re-ingested.
//
// Thread-safety: pure functions.
#pragma once

#include <google/protobuf/repeated_ptr_field.h>
#include <nlohmann/json.hpp>
#include <string_view>

#include "omnihub/v1/event.pb.h"
#include "omnihub/v1/identity.pb.h"

namespace omnihub::event {

// {"email": V}, {"phone": V} or {"platform": P, "account": A, "user_id": V}, plus "handle"
// (platform only) and "name" (the display name) when set.
nlohmann::json IdentityToJson(const v1::Identity& id);

// Keys always present: event_id (canonical UUID text), customer_id, channel, account,
// provider_message_id, direction, kind, occurred_at, received_at (RFC 3339, microseconds, UTC),
// from (null without a sender), to (list), conversation, subject, text.
// Present only when set: html, quoted_text_trimmed (true), full_text, attachments
// [{name, media_type, size, sha256 (hex), storage_ref}], raw {store, key, size, media_type,
// compression}, refers_to, flags, delivery_status {state, stage, error_code, detail},
// provider_fields {name: value}.
// Bytes that are not UTF-8 (never in a validated event) are replaced by U+FFFD, so that dumping
// the result cannot throw.
nlohmann::json EventToJson(const v1::Event& e, std::string_view customer_id);

// Adds a message's delivery statuses to its EventToJson object: "statuses", a list of
// {state, stage, error_code, detail, at (the status's occurred_at)} in the order given, and
// "status", the state of the last one (the current status). `statuses` must be in life order,
// as the hub returns them (query.proto MessageStatuses). Adds nothing when `statuses` is empty.
void AddDeliveryStatusesToJson(const google::protobuf::RepeatedPtrField<v1::Event>& statuses,
                               nlohmann::json* message);

}  // namespace omnihub::event
