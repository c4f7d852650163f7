#include "services/unifier/erasure/purge.h"

#include "common/storage/physical_purge.h"

namespace omnihub::unifier {
namespace {

constexpr std::chrono::milliseconds kDefaultWait{60'000};

}  // namespace

base::Status Purge(Store& store, SearchBackend* search, const v1::PurgeRequest& request, v1::PurgeResponse* out) {
  if (search != nullptr) {
    const auto wait = request.timeout_ms() == 0 ? kDefaultWait : std::chrono::milliseconds(request.timeout_ms());
    if (!search->WaitIndexed(request.after_change_seq(), wait)) {
      return base::Status::Unavailable("the search index has not applied change " +
                                       std::to_string(request.after_change_seq()) + " after " +
                                       std::to_string(wait.count()) + " ms; nothing was compacted, retry the purge");
    }
  }
  // The default column family holds nothing of the store's, so it takes the manifest padding.
  OMNIHUB_RETURN_IF_ERROR(storage::PurgeDeletedData(store.db(), store.all_column_families(),
                                                    store.db()->DefaultColumnFamily(), kMaxManifestBytes));
  out->add_directories(store.db()->GetName());
  if (search != nullptr) {
    auto dir = search->Compact();
    if (!dir.ok()) return dir.status().WithContext("compact the search index");
    out->add_directories(*dir);
    out->set_indexed_change_seq(search->indexed_change_seq());
  }
  return base::Status::Ok();
}

}  // namespace omnihub::unifier
