// A Meta webhook delivery (one POST to /meta/{account}) -> its events. Messenger, Instagram
// messaging and WhatsApp Cloud share the envelope {"object": ..., "entry": [{"id": ...}, ...]}
// (channel-formats section 5.2); `object` picks the mapper of every entry:
//   "page"                       Messenger  (messenger_mapper.h, channel MESSENGER)
//   "instagram"                  Instagram  (messenger_mapper.h, channel INSTAGRAM)
//   "whatsapp_business_account"  WhatsApp   (whatsapp_mapper.h, channel WHATSAPP)
// An entry of any other object is kept as one ACTIVITY "unknown:<object>" of the account
// (channel MESSENGER, party BusinessParty("meta", entry.id), raw_json = the entry), so that a
// subscription the hub does not understand loses nothing.
//
// The body must be authenticated first (meta_signature.h). Errors are InvalidArgument naming
// the JSON path ("entry[0].id is missing"): the caller answers 400 and stores nothing.
//
// Thread-safety: pure function.
#pragma once

#include <string_view>

#include "common/base/status.h"
#include "services/social/social_event.h"

namespace omnihub::social {

// The platform name of the business party of an entry whose `object` the hub does not know.
inline constexpr char kMetaPlatform[] = "meta";

base::Result<MappedDelivery> MapMetaDelivery(std::string_view body, const DeliveryContext& ctx);

}  // namespace omnihub::social
