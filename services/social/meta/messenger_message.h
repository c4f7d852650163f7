// The Messenger/Instagram elements that are about one message: `message` (a customer's
// message, the page's own as an echo, or an Instagram unsend), `postback`, `reaction` and
// `message_edit`. Each appends one event to `out` (docs/social.md, "Meta", has the table; the
// derived provider ids are listed there).
//
// Thread-safety: pure functions.
#pragma once

#include "services/social/meta/messenger_element.h"

namespace omnihub::social {

// MESSAGE with id `mid` (required): text, attachments, quick reply payload, reply_to. With
// is_echo it is OUTBOUND from the page (kEchoFlag, app_id and metadata kept); with is_deleted
// a DELETE of `mid` (id "delete:<mid>").
base::Status MapMessengerMessage(const MessengerElement& el, const Json& message, MappedDelivery* out);

// MESSAGE (kPostbackFlag): the button's title as text, its payload in provider_fields; id
// postback.mid, or "postback:<user id>:<timestamp>" without one.
base::Status MapMessengerPostback(const MessengerElement& el, const Json& postback, MappedDelivery* out);

// REACTION on reaction.mid (required); "unreact" takes it back. Id
// "reaction:<mid>:<user id>:<action>:<timestamp>".
base::Status MapMessengerReaction(const MessengerElement& el, const Json& reaction, MappedDelivery* out);

// EDIT of message_edit.mid (required) with the new text. Id "edit:<mid>:<num_edit>".
base::Status MapMessengerEdit(const MessengerElement& el, const Json& edit, MappedDelivery* out);

}  // namespace omnihub::social
