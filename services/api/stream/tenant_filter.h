// The tenant a live stream is for (GET /api/v1/stream?tenant=T and a customer's stream): a
// partition's change log holds the changes of every tenant assigned to it, and one host's of
// every tenant, so a stream keeps those naming its tenant (ChangeNotification.tenant_id, ""
// for the default tenant) before any other filter sees them.
//
// Thread-safety: the filter is called on the change hub's thread only.
#pragma once

#include <string_view>

#include "services/api/stream/change_hub.h"

namespace omnihub::api::stream {

// The changes of `tenant` ("default" or "" for the default tenant) that `inner` accepts (all of
// them when `inner` is empty). `inner` sees no other tenant's change, so a stateful one (the
// customer filter following merges) is fed only its tenant's.
ChangeFilter TenantChangeFilter(std::string_view tenant, ChangeFilter inner);

}  // namespace omnihub::api::stream
