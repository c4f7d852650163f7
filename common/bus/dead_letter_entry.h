// The query protocol's view of a dead letter (query.proto DeadLetterEntry), kept apart
// from the stored record (store.proto DeadLetter) so that storage and API can change
// independently. This is the one place that maps the one onto the other.
//
// Thread-safety: free functions without state.
#pragma once

#include <vector>

#include "omnihub/v1/query.pb.h"
#include "omnihub/v1/store.pb.h"

namespace omnihub::bus {

// The API form of a stored dead letter: every field, copied.
v1::DeadLetterEntry ToDeadLetterEntry(const v1::DeadLetter& stored);

// The dead letters of one list page. Reads `entries`; a server from before `entries`
// existed fills only the deprecated `dead_letters`, which is converted instead.
std::vector<v1::DeadLetterEntry> DeadLetterEntries(v1::DeadLetterListResponse page);

}  // namespace omnihub::bus
