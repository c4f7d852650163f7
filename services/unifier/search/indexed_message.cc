#include "services/unifier/search/indexed_message.h"

#include "services/unifier/query/amendment_view.h"
#include "services/unifier/store/store_layout.h"

namespace omnihub::unifier::search {

namespace {

// The record with its text as the timeline shows it now.
base::Result<std::optional<CurrentMessage>> WithAmendments(AmendmentReader& amendments, v1::TimelineRecord record) {
  CurrentMessage out;
  out.record = std::move(record);
  out.text = out.record.event().text();
  auto view = ReadMessageAmendments(amendments, out.record.event());
  if (!view.ok()) return view.status();
  if (view->has_value() && (*view)->edited()) out.text = (*view)->current().text();
  out.deleted = view->has_value() && (*view)->deleted();
  return std::optional<CurrentMessage>(std::move(out));
}

}  // namespace

base::Result<std::optional<CurrentMessage>> ReadCurrentMessage(Store& store, AmendmentReader& amendments,
                                                               std::string_view event_id,
                                                               const rocksdb::Snapshot* snapshot) {
  auto stored = store.GetEventById(std::string(event_id), snapshot);
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) return std::optional<CurrentMessage>();
  return WithAmendments(amendments, std::move((*stored)->record));
}

base::Result<std::optional<CurrentMessage>> ReadCurrentMessageAt(Store& store, AmendmentReader& amendments,
                                                                 const std::string& timeline_key,
                                                                 const rocksdb::Snapshot* snapshot) {
  auto raw = store.GetRaw(store.timeline(), timeline_key, snapshot);
  if (!raw.ok()) return raw.status();
  if (!raw->has_value()) return std::optional<CurrentMessage>();
  v1::TimelineRecord record;
  OMNIHUB_RETURN_IF_ERROR(DecodeValue(**raw, &record).WithContext("timeline record"));
  return WithAmendments(amendments, std::move(record));
}

}  // namespace omnihub::unifier::search
