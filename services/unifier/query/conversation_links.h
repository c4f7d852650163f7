// Which conversation keys name one conversation. An email adapter keys a message's
// conversation by its thread root (the first References id), but a reply that names only its
// parent (In-Reply-To, no References, as some clients send) is keyed by the parent's id. Once
// the parent is stored, its own conversation key links the two: the parent's id is a key, and
// the parent is a message of the root's conversation. The links are followed when a
// conversation is read, so the order in which the messages arrived does not matter.
//
// Thread-safety: free functions reading one snapshot; safe to call from any thread.
#pragma once

#include <string>
#include <vector>

#include "common/base/status.h"
#include "services/unifier/store/store.h"

namespace rocksdb {
class Snapshot;
}

namespace omnihub::unifier {

// A conversation joins at most this many keys; a longer chain is cut there (in practice a
// chain is as long as the replies sent without References in a row).
inline constexpr size_t kMaxLinkedConversationKeys = 32;

// `key` and the keys linked to it, directly or through others: the key of the message whose
// provider id is `key`, and every key that is the provider id of a message in `key`. `key`
// first; the rest in the order found. At most kMaxLinkedConversationKeys.
base::Result<std::vector<std::string>> LinkedConversationKeys(Store& store, const rocksdb::Snapshot* snapshot,
                                                        const std::string& key);

}  // namespace omnihub::unifier
