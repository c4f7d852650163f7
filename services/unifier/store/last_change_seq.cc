#include "services/unifier/store/last_change_seq.h"

#include "services/unifier/store/store_layout.h"

namespace omnihub::unifier {

uint64_t LastChangeSeqOrZero(Store& store) {
  auto raw = store.GetRaw(store.meta(), kMetaLastChangeSeq);
  if (!raw.ok() || !raw->has_value()) return 0;
  auto seq = DecodeCounterValue(**raw, "last change seq");
  return seq.ok() ? *seq : 0;
}

uint64_t ChangesAfter(Store& store, uint64_t applied) {
  const uint64_t last = LastChangeSeqOrZero(store);
  return last > applied ? last - applied : 0;
}

}  // namespace omnihub::unifier
