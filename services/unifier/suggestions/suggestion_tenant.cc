#include "services/unifier/suggestions/suggestion_tenant.h"

#include "common/event/tenant_id.h"

namespace omnihub::unifier {

base::Result<std::optional<std::string>> SuggestionTenant(Store& store, const v1::SuggestionRecord& record,
                                                          const rocksdb::Snapshot* snapshot) {
  for (const auto& evidence : record.evidence()) {
    auto stored = store.GetEventById(evidence.event_id(), snapshot);
    if (!stored.ok()) return stored.status();
    if (stored->has_value()) {
      return std::optional<std::string>(std::string(event::TenantOrDefault((*stored)->record.event().tenant_id())));
    }
  }
  return std::optional<std::string>();
}

}  // namespace omnihub::unifier
