// What every X event shares (docs/social.md, "X"): the delivery's subscribed account
// (for_user_id) as the event's account, users as global identities with their handle and name
// from the delivery's `users` map, conversation keys, the time, and who is the customer.
//
// X user ids are global, so every user, the subscribed account included, is
// PLATFORM{x, account "", id}. The subscribed account is the business side of each event.
//
// Thread-safety: pure functions over a delivery that outlives them.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "common/base/status.h"
#include "omnihub/v1/event.pb.h"
#include "services/social/json_fields.h"
#include "services/social/social_event.h"

namespace omnihub::social {

inline constexpr char kXPlatform[] = "x";

// One Account Activity delivery, as each kind of activity reads it.
struct XDelivery {
  const DeliveryContext* ctx = nullptr;
  std::string for_user_id;      // the subscribed account: Event.account
  const Json* users = nullptr;  // the top-level `users` map (id -> {id, name, screen_name}), or null
  v1::Identity account;         // the subscribed account as a user, named from `users` when it is there
};

// An event of `kind` on channel X for the subscribed account, with the hub's account name in
// provider_fields[kAccountNameField].
v1::Event NewXEvent(const XDelivery& d, v1::EventKind kind);

// "x:<space>:<for_user_id>:<customer id>" (space "dm" or "tweets"), ids with ':' escaped.
std::string XConversation(const XDelivery& d, std::string_view space, std::string_view customer_id);

// occurred_at from Unix milliseconds (created_timestamp, timestamp_ms); the receive time and
// kTimeMissingFlag when absent, not positive or beyond what microseconds can hold.
void SetOccurredFromMillis(std::optional<int64_t> millis, const DeliveryContext& ctx, v1::Event* e);

// The user `id` (read at `path`, for errors) with "@screen_name" and name from `user` (a tweet's
// `user`, a follow's `source`) when given, else from the `users` map.
base::Result<v1::Identity> XUser(const XDelivery& d, std::string_view id, std::string_view path,
                                 const Json* user = nullptr);

// One side of an activity: a user id and, when the payload has it, the user object.
struct XSide {
  std::string id;
  std::string path;  // where the id was read ("direct_message_events[0].message_create.sender_id")
  const Json* user = nullptr;
};

// Direction and parties of what `actor` did towards `other`: the subscribed account acting is
// OUTBOUND to `other` (the customer), anybody else INBOUND to the subscribed account. Returns
// the customer's id, for the conversation.
base::Result<std::string> SetXParties(const XDelivery& d, const XSide& actor, const XSide& other, v1::Event* e);

// The subscribed account as the party of an event that concerns nobody else (its own tweet
// that answers nobody, the deletion of one): OUTBOUND from it (named by `account_user`, its
// tweet's `user`, when given) to BusinessParty("x", for_user_id), flag kBusinessPartyFlag.
base::Status SetOwnAccountParty(const XDelivery& d, const Json* account_user, v1::Event* e);

// The party of an activity that names no user (an unknown activity, a revoke): X telling the
// account about itself, INBOUND from BusinessParty("x", for_user_id), flag kBusinessPartyFlag.
void SetPlatformNoticeParty(const XDelivery& d, v1::Event* e);

// A provider id that a retried delivery repeats: "<activity>:<id>" with the element's id_str or
// id, else "<activity>:" + the first 32 hex digits of the SHA-256 of its JSON (typing, read and
// follow events carry no id).
std::string XElementId(std::string_view activity, const Json& element);

// One element of an activity array -> its event; `path` is "<key>[i]", for errors.
using XElementMapper = std::function<base::Result<MappedEvent>(const XDelivery& d, const Json& element,
                                                               const std::string& path)>;
// Appends map(element) for each element of the array `elements` (found under `key`) to `out`;
// stops at the first error.
base::Status MapXElements(const XDelivery& d, std::string_view key, const Json& elements, const XElementMapper& map,
                          MappedDelivery* out);

}  // namespace omnihub::social
