#include "services/unifier/query/command_results.h"

#include <memory>

#include "common/base/uuid.h"
#include "services/unifier/store/store_layout.h"

namespace omnihub::unifier {

base::Status GetCommandResult(Store& store, const v1::CommandResultRequest& request, const rocksdb::Snapshot* snapshot,
                              v1::CommandResultResponse* out) {
  if (request.command_id().size() != base::kUuidBytes) {
    return base::Status::InvalidArgument("command_id must be 16 bytes");
  }
  auto value = store.GetRaw(store.command_results(), request.command_id(), snapshot);
  if (!value.ok()) return value.status();
  if (!value->has_value()) {
    return base::Status::NotFound("command " + base::UuidToString(request.command_id()) + " is not committed");
  }
  return DecodeValue(**value, out->mutable_result());
}

base::Status ListErasures(Store& store, const rocksdb::Snapshot* snapshot, v1::ErasureListResponse* out) {
  rocksdb::ReadOptions ro;
  ro.snapshot = snapshot;
  std::unique_ptr<rocksdb::Iterator> it(store.db()->NewIterator(ro, store.erasures()));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    OMNIHUB_RETURN_IF_ERROR(DecodeValue(it->value().ToStringView(), out->add_receipts()));
  }
  if (!it->status().ok()) return base::Status::IoError("erasures: " + it->status().ToString());
  return base::Status::Ok();
}

}  // namespace omnihub::unifier
