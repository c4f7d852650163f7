// What the platform mappers of omnihub-social share: the context of one webhook delivery,
// the events a delivery maps to (before the hub stamps them), and the flags and limits every
// platform uses the same way (docs/social.md).
//
// A mapper is a pure function from a delivery's raw body to its events: it never touches a
// socket, a clock or the disk, so each platform is tested and fuzzed on its own. The HTTP
// side (social_webhooks.h) authenticates the request first, gives each event its id and
// received time, and appends the whole delivery in one synced write.
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/status.h"
#include "common/event/identity.h"
#include "omnihub/v1/event.pb.h"

namespace omnihub::social {

// What the HTTP side knows about a delivery besides its body.
struct DeliveryContext {
  // The hub's name of the account, from the webhook URL ("/meta/{account}"). Kept in
  // provider_fields under kAccountNameField.
  std::string account_name;
  // When the hub received the request, microseconds since the Unix epoch (UTC): the
  // occurred_at of an event whose platform time is missing (with kTimeMissingFlag).
  int64_t received_at_us = 0;
  // Reads phone numbers (WhatsApp wa_id, Telegram contacts) and platform ids. Never null.
  const event::IdentityNormalizer* normalizer = nullptr;
  // social.keep_deleted_text: when true, DELETE events carry kKeepDeletedTextFlag and the
  // unifier keeps the deleted message's text; by default it removes it.
  bool keep_deleted_text = false;
};

// One event of a delivery. The mapper fills everything except event_id and received_at_us,
// which the HTTP side sets when the delivery is accepted.
struct MappedEvent {
  v1::Event event;
  // The JSON text of the element the event came from (one `messaging` element, one WhatsApp
  // message, one Telegram update, ...). When not empty it is stored as the event's raw
  // payload (a blob, application/json). Always set for ACTIVITY events, so that an event
  // type the hub does not understand keeps everything the platform sent.
  std::string raw_json;
};

// A delivery's events, in the order of the payload. Empty when the delivery held nothing to
// keep (it is still answered 200).
using MappedDelivery = std::vector<MappedEvent>;

// provider_fields key of DeliveryContext::account_name (platform field names never contain '.').
inline constexpr char kAccountNameField[] = "omnihub.account_name";
// Flag of an event whose platform time was missing or unreadable (occurred_at = received_at);
// the same flag the email and SMS adapters use.
inline constexpr char kTimeMissingFlag[] = "date-missing-or-garbled";
// Flag of a DELETE event whose message's text the unifier keeps (social.keep_deleted_text).
inline constexpr char kKeepDeletedTextFlag[] = "keep-deleted-text";
// Flag of an event that echoes what the business itself sent (Messenger is_echo, X DMs and
// tweets of the subscribed account): always OUTBOUND.
inline constexpr char kEchoFlag[] = "echo";

// Flag of an event the platform delivered with no person in it to attribute it to (an unknown
// Meta change, a Telegram update without a user): its party is BusinessParty(...).
inline constexpr char kBusinessPartyFlag[] = "business-party";

// The party of such an event: the business account itself, as a PLATFORM identity with
// value = account ("messenger", page id, page id). Timelines of these identities hold what the
// platform said about the account rather than about a customer.
v1::Identity BusinessParty(std::string_view platform, std::string_view account);

// provider_fields key naming the provider message id the event replies to (Messenger
// reply_to.mid, WhatsApp context.id, Telegram reply_to_message, X in_reply_to_status_id_str),
// in the same form as that message's own provider_message_id.
inline constexpr char kReplyToField[] = "omnihub.reply_to";

// The JSON depth a delivery may have: Meta's deepest documented shape (entry, changes, value,
// messages, interactive, list_reply) is 10 levels; unknown types may nest further.
inline constexpr int kMaxJsonDepth = 32;

}  // namespace omnihub::social
