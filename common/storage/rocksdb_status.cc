#include "common/storage/rocksdb_status.h"

#include <string>

namespace omnihub::storage {

base::Status FromRocksDb(const rocksdb::Status& s, std::string_view what) {
  if (s.ok()) return base::Status::Ok();
  std::string msg(what);
  msg += ": ";
  msg += s.ToString();
  if (s.IsCorruption()) return base::Status::Corruption(msg);
  if (s.IsNotFound()) return base::Status::NotFound(msg);
  if (s.IsBusy() || s.IsTimedOut() || s.IsTryAgain()) return base::Status::Unavailable(msg);
  return base::Status::IoError(msg);
}

}  // namespace omnihub::storage
