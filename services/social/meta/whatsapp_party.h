// Who a WhatsApp message or status is about. A user is reached by phone number (`from`,
// `recipient_id`, `wa_id`: digits without '+') and, since WhatsApp usernames, by a
// business-scoped user id (BSUID: `from_user_id`, `recipient_user_id`, `contacts[].user_id`);
// either may be missing (channel-formats section 5.5). The number is the PHONE identity in
// E.164, the same customer as SMS and Twilio WhatsApp of that number; the BSUID is
// PLATFORM{"whatsapp", account = the WABA id, value = user id}. When one notification carries
// both, the number is the party and the BSUID an IdentityLink beside it.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "services/social/meta/meta_event.h"

namespace omnihub::social {

// The platform name of BSUID identities and of WhatsApp business-party events.
inline constexpr char kWhatsAppPlatform[] = "whatsapp";

// One value.contacts[] element: the profile WhatsApp sends beside the messages.
struct WhatsAppContact {
  std::string wa_id;     // number, digits without '+'
  std::string user_id;   // BSUID
  std::string name;      // profile.name
  std::string username;  // profile.username ("@name")
  std::string path;      // "entry[0].changes[0].value.contacts[1]"
};

// value.contacts (optional); FieldError when it or an element is not what it must be.
base::Result<std::vector<WhatsAppContact>> ReadWhatsAppContacts(const Json& value, std::string_view value_path);

// The number, BSUID and paths one notification gives for its user.
struct WhatsAppUserRef {
  const Json& json;              // the message or status
  std::string path;              // its path
  std::string_view phone_key;    // "from" / "recipient_id"; the path named when the user is missing
  std::string_view user_id_key;  // "from_user_id" / "recipient_user_id"
  std::string_view link_reason;  // IdentityLink.reason when both are present
};

struct WhatsAppParty {
  v1::Identity identity;                 // PHONE when there is a number, else the BSUID
  std::optional<v1::IdentityLink> link;  // the BSUID beside a number
};

// The user's party: the number and the BSUID (its own field, else that of the contact with
// the same wa_id), each with the contact's profile name (and the username on the BSUID).
// FieldError naming the phone key "is missing" when there is neither, or naming the field
// whose value the normalizer refuses.
base::Result<WhatsAppParty> ResolveWhatsAppParty(const WhatsAppUserRef& ref,
                                                 const std::vector<WhatsAppContact>& contacts, std::string_view waba_id,
                                                 const DeliveryContext& ctx);

// A WhatsApp number (digits without '+', or with it) as a PHONE identity; FieldError naming
// `path` when it is no usable number.
base::Result<v1::Identity> WhatsAppPhone(std::string_view number, std::string_view path, const DeliveryContext& ctx,
                                         std::string_view display_name = {});

}  // namespace omnihub::social
