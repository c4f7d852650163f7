// STUB: replaced by the erasure implementation.
#include "services/unifier/erasure/purge.h"
namespace omnihub::unifier {
base::Status Purge(Store&, SearchBackend&, const v1::PurgeRequest&, v1::PurgeResponse*) {
  return base::Status::FailedPrecondition("purge: not built yet");
}
}  // namespace omnihub::unifier
