// A message as search sees it: the timeline record an event id points at, with its text as
// the timeline shows it now (the latest edit's text; none after a deletion that removed it).
// The indexer indexes this; a search hit's subject and snippet are read the same way, and the
// relationship metrics' consumer reads what it counts through it too.
//
// Thread-safety: reads through the thread-safe Store; the AmendmentReader belongs to the caller.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <rocksdb/db.h>

#include "common/base/status.h"
#include "omnihub/v1/store.pb.h"
#include "services/unifier/store/message_amendments.h"
#include "services/unifier/store/store.h"

namespace omnihub::unifier::search {

struct CurrentMessage {
  v1::TimelineRecord record;
  std::string text;  // current text
  bool deleted = false;  // a DELETE names it (the relationship metrics stop counting it)
};

// nullopt when the store has no event `event_id` (never stored, or erased).
base::Result<std::optional<CurrentMessage>> ReadCurrentMessage(Store& store, AmendmentReader& amendments,
                                                               std::string_view event_id,
                                                               const rocksdb::Snapshot* snapshot);

// The same for a reader that knows the timeline key already (an EVENT_ADDED's identity_id,
// occurred_at_us and event_id): one read less. nullopt when no record is there (erased).
base::Result<std::optional<CurrentMessage>> ReadCurrentMessageAt(Store& store, AmendmentReader& amendments,
                                                                 const std::string& timeline_key,
                                                                 const rocksdb::Snapshot* snapshot);

}  // namespace omnihub::unifier::search
