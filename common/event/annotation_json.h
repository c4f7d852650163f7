// The members a message's annotations (event_json.h MessageAnnotations) add to its JSON object,
// each written at its place in the object's key order by WriteEventJson.
//
// Thread-safety: pure functions.
#pragma once

#include <google/protobuf/repeated_ptr_field.h>

#include "common/base/json_writer.h"
#include "omnihub/v1/event.pb.h"
#include "omnihub/v1/query.pb.h"

namespace omnihub::event {

// {detail, error_code, stage, state, watermark?} plus "at" when `at_us` is given: a delivery
// status as the event carries it, or as an item of a message's "statuses".
void WriteDeliveryStatusJson(base::JsonWriter& w, const v1::DeliveryStatus& ds, const int64_t* at_us = nullptr);
// "status" (the last state) and "statuses" (every status, in the order given).
void WriteStatusMembers(base::JsonWriter& w, const google::protobuf::RepeatedPtrField<v1::Event>& statuses);
// "history": [{at, text}], the earlier texts of an edited message.
void WriteHistoryMember(base::JsonWriter& w, const v1::MessageAmendments& amendments);
// "reactions": one item per emoji (and name), in the order first given.
void WriteReactionsMember(base::JsonWriter& w, const v1::MessageAmendments& amendments);

}  // namespace omnihub::event
