#include "services/unifier/search/indexed_message.h"

#include "services/unifier/query/amendment_view.h"
#include "services/unifier/store/store_layout.h"

namespace omnihub::unifier::search {

base::Result<std::optional<CurrentMessage>> ReadCurrentMessage(Store& store, AmendmentReader& amendments,
                                                               std::string_view event_id,
                                                               const rocksdb::Snapshot* snapshot) {
  auto location = store.GetRaw(store.events(), std::string(event_id), snapshot);
  if (!location.ok()) return location.status();
  if (!location->has_value()) return std::optional<CurrentMessage>();
  auto timeline_key = DecodeRawValue(**location, "events value");
  if (!timeline_key.ok()) return timeline_key.status();
  auto record = store.GetTimelineRecord(std::string(*timeline_key), snapshot);
  if (!record.ok()) return record.status();
  CurrentMessage out;
  out.record = std::move(*record);
  out.text = out.record.event().text();
  auto view = ReadMessageAmendments(amendments, out.record.event());
  if (!view.ok()) return view.status();
  if (view->has_value() && (*view)->edited()) out.text = (*view)->current().text();
  out.deleted = view->has_value() && (*view)->deleted();
  return std::optional<CurrentMessage>(std::move(out));
}

}  // namespace omnihub::unifier::search
