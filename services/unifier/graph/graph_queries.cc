// STUB: replaced by the identity graph implementation.
#include "services/unifier/graph/graph_queries.h"
namespace omnihub::unifier {
base::Status Explain(Store&, const event::IdentityNormalizer&, const v1::ExplainRequest&, const rocksdb::Snapshot*,
                     v1::ExplainResponse*) { return base::Status::FailedPrecondition("explain: not built yet"); }
base::Status PreviewMerge(Store&, const event::IdentityNormalizer&, const v1::MergePreviewRequest&,
                          const rocksdb::Snapshot*, v1::MergePreviewResponse*) {
  return base::Status::FailedPrecondition("merge preview: not built yet");
}
}  // namespace omnihub::unifier
