// Duplicate suggestions at ingest (docs/suggestions.md): when a message's subject or text
// names an identity (mention_scanner.h) that belongs to another customer than the message's,
// the pair (mentioned identity, the message's party) is recorded in the suggestions column
// family with the message as evidence. Nothing is ever merged here: an agent decides, with
// `omnihubctl customer merge` or `omnihubctl suggestions dismiss`.
//
// Deterministic (../../../docs/suggestions.md): the id derives from the two identity keys, the
// times come from the event, and the same events in any batching give the same records.
//
// Thread-safety: single-threaded (the ingest thread).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

#include <rocksdb/write_batch.h>

#include "common/base/status.h"
#include "common/event/identity.h"
#include "omnihub/v1/bus.pb.h"
#include "omnihub/v1/event.pb.h"
#include "omnihub/v1/store.pb.h"
#include "services/unifier/identity/identity_resolver.h"
#include "services/unifier/store/store.h"

namespace omnihub::unifier {

// How many events a suggestion keeps as evidence: the first ones are enough to judge, and a
// record stays small however often the address is repeated.
inline constexpr int kMaxSuggestionEvidence = 5;

// This batch's suggestion records as they will be when it commits, by suggestion id (the
// store holds the committed ones). Start each batch with an empty one.
struct SuggestionStaging {
  std::unordered_map<std::string, v1::SuggestionRecord> records;
};

// The suggestion id of a pair: 32 lower-case hex digits, the first 16 bytes of
// SHA-256(tenant key prefix || IdentityKey(mentioned) || IdentityKey(author)); the prefix
// (identity/tenant_identity_keys.h) is empty for the default tenant. Identity keys are
// prefix-free, so the concatenation names the ordered pair within its tenant. REQUIRES:
// normalized identities.
std::string SuggestionId(const v1::Identity& mentioned, const v1::Identity& author, std::string_view tenant = {});

// For a MESSAGE event just stored on `author`'s timeline (other kinds record nothing): records
// or extends a suggestion for each identity written in its subject or text that is an
// identity, committed or staged in `identities`, of a customer other than the author's.
// Puts each changed record into `batch`; `add_change` numbers a SUGGESTION_ADDED for each new
// one. Reads `identities` without changing it. A failed read fails the batch.
base::Status RecordMentionSuggestions(Store& store, const event::IdentityNormalizer& normalizer,
                                      const v1::Event& event, const v1::IdentityRecord& author,
                                      const IdentityStaging& identities, SuggestionStaging& staged,
                                      rocksdb::WriteBatch& batch,
                                      const std::function<v1::ChangeNotification&(v1::ChangeKind)>& add_change);

}  // namespace omnihub::unifier
