// One element of a Messenger or Instagram entry's `messaging` (or `standby`) array, and what
// every event made from it shares: its two sides, the customer (PSID / IGSID) and the business
// (page / Instagram account), both PLATFORM identities scoped by entry.id; its conversation
// "<platform>:<entry id>:<user id>"; its time (`timestamp`, milliseconds). docs/social.md, "Meta".
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "services/social/meta/meta_event.h"

namespace omnihub::social {

// The two messaging platforms that share this shape.
struct MessengerPlatform {
  v1::Channel channel;
  std::string_view name;  // Identity.platform and the conversation prefix
};
inline constexpr MessengerPlatform kMessengerPlatform{v1::MESSENGER, "messenger"};
inline constexpr MessengerPlatform kInstagramPlatform{v1::INSTAGRAM, "instagram"};

// Flag of an event that arrived under `standby` (another app of the page had the thread,
// handover protocol).
inline constexpr char kStandbyFlag[] = "standby";
// Flag of a Messenger/Instagram postback (a button the customer tapped) mapped to a MESSAGE.
inline constexpr char kPostbackFlag[] = "postback";

// One messaging element being mapped. References must outlive it.
struct MessengerElement {
  const MessengerPlatform& platform;
  const MetaEntry& entry;
  const Json& json;
  std::string path;  // "entry[0].messaging[1]"
  bool standby = false;
  const DeliveryContext& ctx;
};

// The customer and the business of an element.
struct MessengerSides {
  std::string user_id;  // the customer's PSID / IGSID as sent
  v1::Identity customer;
  v1::Identity business;
};

// Reads sender.id and recipient.id (both required, FieldError naming the missing one). The
// sender is the customer, unless `from_business` (an echo: the page sent it).
base::Result<MessengerSides> ReadSides(const MessengerElement& el, bool from_business);

// A new event between `sides` in `direction`: INBOUND from the customer to [business],
// OUTBOUND from the business to [customer]; account = entry.id, the conversation, occurred_at
// from the element's timestamp, kStandbyFlag for standby elements, raw_json = the element.
MappedEvent NewElementEvent(const MessengerElement& el, const MessengerSides& sides, v1::Direction direction);

// The element's timestamp as decimal text ("" when absent), for derived provider ids.
std::string TimestampText(const MessengerElement& el);

}  // namespace omnihub::social
