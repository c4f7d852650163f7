// Checks that an Event from any publisher (channel adapter, ingest, agent note) is complete and
// well-formed, and normalizes its identities in place, so the unifier matches on normalized
// identities only.
//
// Thread-safety: pure functions (the normalizer is thread-safe).
#pragma once

#include "common/event/identity.h"
#include "common/base/status.h"
#include "omnihub/v1/event.pb.h"

namespace omnihub::event {

// The customer side of an event: the sender for inbound, the first recipient for outbound;
// nullptr if absent (or direction unspecified). Points into `e`.
const v1::Identity* ExternalParty(const v1::Event& e);

// InvalidArgument naming the field ("field 'recipients[1]': invalid email address ...") when:
// event_id is not 16 bytes; channel, direction or kind is unspecified or unknown;
// occurred_at_us <= 0; account is empty; there is no external party; a party_links entry has no
// identity; an identity (sender, recipients, party_links) fails normalization; a text field (also a
// provider_fields key or value, or a party_links reason) is not valid UTF-8; an attachment's sha256
// is neither empty nor 32 bytes; a delivery_status is set on an event that is not a STATUS, or has
// an empty state or a negative stage or watermark_us, or a watermark_us on an event that names a
// message (refers_to_provider_message_id) or has no conversation; a reaction is set on an event
// that is not a REACTION, or an activity on one that is not an ACTIVITY; an EDIT, DELETE or
// REACTION has no refers_to_provider_message_id. On success every identity in `e` (also each
// party_links identity) is normalized (IdentityNormalizer::Normalize) and delivery_status.state is
// trimmed and ASCII lower-case. On failure `e` may be partly normalized. REQUIRES: e != nullptr.
base::Status ValidateAndNormalizeEvent(v1::Event* e, const IdentityNormalizer& n);

}  // namespace omnihub::event
