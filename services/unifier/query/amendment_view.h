// What a message's amendments (store/message_amendments.h) add up to when it is read: its
// current text and earlier ones, whether and when it was deleted, and the reactions that stand
// on it now, per reactor (query.proto MessageAmendments; docs/formats/amendments.md#reading).
//
// Thread-safety: pure functions (AmendmentReader belongs to the caller's thread).
#pragma once

#include <optional>

#include <google/protobuf/repeated_ptr_field.h>

#include "common/base/status.h"
#include "omnihub/v1/event.pb.h"
#include "omnihub/v1/query.pb.h"
#include "services/unifier/store/message_amendments.h"

namespace omnihub::unifier {

// True on the channels where a person has at most one reaction on a message (WhatsApp,
// Messenger, Instagram): a newer reaction of theirs replaces the earlier one there, while on
// Telegram and X each emoji stands until it is taken back.
bool OneReactionPerReactor(v1::Channel channel);

// The view of `message` after `amendments` (its EDIT, DELETE and REACTION events, in
// AmendmentOrderLess order); event_id is the message's. Reactions: per reactor (the sender,
// else the external party) and emoji (else the reaction's name), the latest REACTION wins; a
// removed one takes that emoji away, or all of the reactor's when it names none.
v1::MessageAmendments SummarizeAmendments(const v1::Event& message,
                                          const google::protobuf::RepeatedPtrField<v1::Event>& amendments);

// Reads the amendments of `message` and summarizes them; nullopt when nothing amends it.
base::Result<std::optional<v1::MessageAmendments>> ReadMessageAmendments(AmendmentReader& reader,
                                                                         const v1::Event& message);

}  // namespace omnihub::unifier
