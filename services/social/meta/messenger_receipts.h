// Messenger and Instagram receipts: `delivery`, `read` and Instagram's `messaging_seen`. The
// customer's app reports that the page's messages arrived or were read, so each receipt is a
// STATUS of the business's outbound messages (sender = business, recipients = [customer]).
//
// Messenger states it with a watermark: every message of the conversation sent at or before
// it (DeliveryStatus.watermark_us, refers_to empty, id "<state>:<user id>:<watermark ms>").
// A delivery may also list the `mids`, and an Instagram read may name one `mid`: each is a
// STATUS of that message as well (id "<mid>/<state>"). A receipt with neither a watermark nor
// a message id is FieldError "<path>.watermark is missing".
//
// Thread-safety: pure functions.
#pragma once

#include <string_view>

#include "services/social/meta/messenger_element.h"

namespace omnihub::social {

// `key` is the element's member that holds `receipt`: "delivery" (state "delivered"),
// "read" or "messaging_seen" (state "read").
base::Status MapMessengerReceipt(const MessengerElement& el, std::string_view key, const Json& receipt,
                                 MappedDelivery* out);

}  // namespace omnihub::social
