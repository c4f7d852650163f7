// Applies the store's change log to the search index (docs/search.md#the-indexer), one
// stretch of changes at a time, with the last applied sequence committed in the index's own
// metadata together with the documents, so that a restart resumes where the index stopped.
//  - EVENT_ADDED of a timeline entry: (re)indexes it with its current subject and text;
//  - EVENT_ADDED of an amendment (message_event_id set: an edit, deletion or reaction):
//    re-indexes the message it names, so an edit's words replace the old ones and a deletion's
//    removed text leaves the index;
//  - CUSTOMER_ERASED: removes every document of the erased identities;
//  - tombstones (erased entries) and every other kind: nothing to do.
//
// Thread-safety: a ChangeIndexer belongs to the thread that owns its WritableDatabase.
#pragma once

#include <cstdint>
#include <string>

#include <xapian.h>

#include "common/base/status.h"
#include "common/event/identity.h"
#include "omnihub/v1/bus.pb.h"
#include "services/unifier/search/text_analyzer.h"
#include "services/unifier/store/store.h"

namespace omnihub::unifier::search {

// The index metadata key of the last change_seq the index reflects (decimal text).
inline constexpr char kIndexedSeqKey[] = "omnihub.indexed_change_seq";

// The sequence recorded in `db`; 0 for a new index. Corruption when it is not a number.
base::Result<uint64_t> ReadIndexedSeq(const Xapian::Database& db);

// The index metadata key of the document format (decimal text). 2: every document has its
// tenant's term (TenantTerm). An index without it (format 1) is rebuilt from the change log.
inline constexpr char kIndexFormatKey[] = "omnihub.index_format";
inline constexpr char kIndexFormat[] = "2";

// OK for an index of kIndexFormat, and for a new (empty) one, which it marks so; Corruption
// naming the format for another (SearchIndex::Open rebuilds it).
base::Status CheckIndexFormat(Xapian::WritableDatabase& db);

class ChangeIndexer {
 public:
  ChangeIndexer(Store& store, const event::IdentityNormalizer& normalizer) : store_(store), normalizer_(normalizer) {}

  // Applies up to `max_changes` changes after `db`'s recorded sequence and commits them with
  // the new sequence. Returns the sequence the index now reflects (unchanged when the log has
  // nothing newer). Xapian errors come back as IoError.
  base::Result<uint64_t> ApplyNext(Xapian::WritableDatabase& db, size_t max_changes);

 private:
  base::Status Apply(Xapian::WritableDatabase& db, const v1::ChangeNotification& change);
  base::Status IndexMessage(Xapian::WritableDatabase& db, const std::string& event_id);

  Store& store_;
  const event::IdentityNormalizer& normalizer_;
  TextAnalyzer analyzer_;
};

}  // namespace omnihub::unifier::search
