#include "services/unifier/store/identity_timeline_scan.h"

#include "services/unifier/store/store_layout.h"

namespace omnihub::unifier {

IdentityTimelineScan::IdentityTimelineScan(Store& store, uint64_t identity_id, const rocksdb::Snapshot* snapshot)
    : lower_(TimelinePrefix(identity_id)),
      // Identity ids count up from 1 and never reach 2^64 - 1, so +1 cannot wrap.
      upper_(TimelinePrefix(identity_id + 1)),
      lower_slice_(lower_),
      upper_slice_(upper_) {
  options_.snapshot = snapshot;
  options_.iterate_lower_bound = &lower_slice_;
  options_.iterate_upper_bound = &upper_slice_;
  it_.reset(store.db()->NewIterator(options_, store.timeline()));
  it_->Seek(lower_);
}

}  // namespace omnihub::unifier
