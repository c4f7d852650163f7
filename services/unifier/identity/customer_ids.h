// The ids of customers that first sight creates, derived instead of generated (docs/storage-format.md,
// "Deterministic apply"): every replica that applies the same log names a customer the same way.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "omnihub/v1/command.pb.h"
#include "omnihub/v1/event.pb.h"

namespace omnihub::unifier {

// The tenant whose name space the customer ids an event or a command derives are made in: its
// tenant_id, "default" when empty (common/event/tenant_id.h). The default tenant's ids are
// those of the store before tenants existed.
std::string_view TenantOfDerivedIds(const v1::Event& event);
std::string_view TenantOfDerivedIds(const v1::Command& command);
// The default tenant's name space, for derivations that have neither.
std::string_view TenantOfDerivedIds();

// The id of the customer created at the first sight of `identity_key` (event::IdentityKey) in
// `tenant`: UUIDv5 in omnihub's customer namespace of tenant, NUL, identity key, as canonical text.
// An identity that an erasure removed and that writes again starts a customer apart from the
// erased one: `first_event_id` (the raw id of the event that brought it back) is then appended,
// so the new id is still derived but never the erased customer's. Empty for every other case.
std::string DerivedCustomerId(std::string_view tenant, std::string_view identity_key,
                              std::string_view first_event_id = {});

}  // namespace omnihub::unifier
