// STUB: replaced by the suggestions implementation.
#include "services/unifier/suggestions/suggestion_queries.h"
namespace omnihub::unifier {
base::Status ListSuggestions(Store&, const event::IdentityNormalizer&, const v1::SuggestionListRequest&, uint32_t,
                             const rocksdb::Snapshot*, v1::SuggestionListResponse*) {
  return base::Status::FailedPrecondition("suggestions: not built yet");
}
}  // namespace omnihub::unifier
