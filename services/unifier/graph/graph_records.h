// The record edits every identity-graph operation is made of (docs/identities.md), on
// records already read: an identity moving between customers with its old reason kept in
// its history, the parallel identity lists of a customer, a merge of one customer into
// another, and the ids the graph derives. Shared by the command handlers (graph_commands.cc)
// and the platform-link merge of identity resolution (identity_resolver.cc), so a merge is
// one piece of code whoever causes it, and every merge leaves a MergeRecord a split can undo.
//
// Thread-safety: pure functions on the records given.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "common/base/status.h"
#include "omnihub/v1/store.pb.h"

namespace omnihub::unifier {

// A name-based UUID: the first 16 bytes of SHA-256(material) with the version nibble set
// to 8 (RFC 9562 "custom") and the RFC variant bits, as canonical text. Deterministic, so
// replicas that apply the same log make the same ids (an unlink's new customer, a
// platform merge's id).
std::string DerivedUuid(std::string_view material);

// Appends `identity` to the customer's identity lists (identity_ids and identities, which
// stay parallel).
void AddIdentity(v1::CustomerRecord& customer, const v1::IdentityRecord& identity);
// Removes the identity with `identity_id` from both lists; false when it is not listed.
bool RemoveIdentity(v1::CustomerRecord& customer, uint64_t identity_id);

// Gives the identity a new reason; the one it had goes to the end of its history, so the
// graph only grows.
void ReplaceReason(v1::IdentityRecord& identity, v1::LinkReason reason);

// What a merge records besides the two customers.
struct MergeSpec {
  std::string merge_id;
  // The moved identities' new reason (rule MERGE); merge_id and merged_from are filled in.
  v1::LinkReason reason;
  // The template of both customers' history entries (actor, reason, at_us, command_id or
  // event_id); kind, merge_id and other_customer_id are filled in.
  v1::GraphHistoryEntry entry;
  int64_t merged_at_us = 0;
};

// The record under an identity key, as the caller stages it (nullptr when there is none),
// and the note that it changed (the caller writes it).
using FindIdentityFn = std::function<base::Result<v1::IdentityRecord*>(const std::string& identity_key)>;
using MarkChangedFn = std::function<void(const std::string& identity_key)>;

// Merges `other` into `survivor` (both live, different): every identity of `other` moves to
// `survivor` with the spec's reason, `other` keeps its record with merged_into, merged_at_us
// and merge_id set and its lists and event count moved over, and both gain a history entry.
// Returns the MergeRecord to store (merges CF) under spec.merge_id, with other's record as it
// was before (other_before). Corruption when a listed identity is not the customer's.
base::Result<v1::MergeRecord> MergeCustomerRecords(v1::CustomerRecord& survivor, v1::CustomerRecord& other,
                                                   const MergeSpec& spec, const FindIdentityFn& find,
                                                   const MarkChangedFn& changed);

}  // namespace omnihub::unifier
