#include "services/unifier/search/change_indexer.h"

#include <charconv>
#include <memory>

#include "common/base/coding.h"
#include "services/unifier/search/index_terms.h"
#include "services/unifier/search/indexed_message.h"
#include "services/unifier/store/change_log_follower.h"
#include "services/unifier/store/store_layout.h"

namespace omnihub::unifier::search {

base::Result<uint64_t> ReadIndexedSeq(const Xapian::Database& db) {
  const std::string text = db.get_metadata(kIndexedSeqKey);
  if (text.empty()) return uint64_t{0};
  uint64_t seq = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seq);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return base::Status::Corruption("search index metadata " + std::string(kIndexedSeqKey) + " is not a number");
  }
  return seq;
}

base::Status CheckIndexFormat(Xapian::WritableDatabase& db) {
  const std::string format = db.get_metadata(kIndexFormatKey);
  if (format == kIndexFormat) return base::Status::Ok();
  auto seq = ReadIndexedSeq(db);
  if (!seq.ok()) return seq.status();
  if (format.empty() && *seq == 0 && db.get_doccount() == 0) {
    db.set_metadata(kIndexFormatKey, kIndexFormat);
    db.commit();
    return base::Status::Ok();
  }
  return base::Status::Corruption("the index is of format " + (format.empty() ? std::string("1") : format) +
                                  ", this build reads format " + kIndexFormat + " (documents with their tenant)");
}

base::Result<uint64_t> ChangeIndexer::ApplyNext(Xapian::WritableDatabase& db, size_t max_changes) {
  try {
    auto indexed = ReadIndexedSeq(db);
    if (!indexed.ok()) return indexed.status();
    auto seq = ForEachChangeAfter(store_, *indexed, max_changes,
                                  [&](const v1::ChangeNotification& change) { return Apply(db, change); });
    if (!seq.ok() || *seq == *indexed) return seq;
    db.set_metadata(kIndexedSeqKey, std::to_string(*seq));
    db.commit();
    return seq;
  } catch (const Xapian::Error& e) {
    return base::Status::IoError("search index: " + e.get_description());
  }
}

base::Status ChangeIndexer::Apply(Xapian::WritableDatabase& db, const v1::ChangeNotification& change) {
  switch (change.kind()) {
    case v1::EVENT_ADDED:
      return IndexMessage(db, change.message_event_id().empty() ? change.event_id() : change.message_event_id());
    case v1::CUSTOMER_ERASED:
      for (uint64_t identity_id : change.erased_identity_ids()) db.delete_document(IdentityTerm(identity_id));
      return base::Status::Ok();
    default:
      return base::Status::Ok();
  }
}

base::Status ChangeIndexer::IndexMessage(Xapian::WritableDatabase& db, const std::string& event_id) {
  // The latest committed state: an entry is indexed as it is now, whatever it was when the
  // change was logged (a later change re-indexes it again if it changes once more).
  AmendmentReader amendments(store_, nullptr);
  auto message = ReadCurrentMessage(store_, amendments, event_id, nullptr);
  if (!message.ok()) return message.status().WithContext("indexing event " + base::HexEncode(event_id));
  const std::string unique = EventIdTerm(event_id);
  if (!message->has_value()) {
    db.delete_document(unique);  // erased since: nothing of it may stay
    return base::Status::Ok();
  }
  const v1::TimelineRecord& record = (*message)->record;
  const v1::Event& e = record.event();
  IndexedMessage indexed{e.event_id(),       record.identity_id(), e.channel(),      e.direction(),
                         e.occurred_at_us(), e.subject(),          (*message)->text, e.tenant_id()};
  MessageDocument doc = BuildMessageDocument(indexed, analyzer_, normalizer_);
  if (doc.words == 0) {
    db.delete_document(unique);
  } else {
    db.replace_document(unique, doc.document);
  }
  return base::Status::Ok();
}

}  // namespace omnihub::unifier::search
