#include "services/api/endpoints/endpoints.h"

namespace omnihub::api {

base::Status AddAllRoutes(ApiRoutes& routes, ApiServices& services) {
  for (auto* add : {AddCustomerRoutes, AddRecentCustomerRoutes, AddTimelineRoutes, AddConversationRoutes, AddAttachmentRoutes, AddSearchRoutes,
                    AddMetricsRoutes,
                    AddGraphRoutes, AddSuggestionRoutes, AddNoteRoutes, AddIngestRoutes, AddStreamRoutes,
                    AddExportErasureRoutes, AddTokenRoutes, AddSessionRoutes, AddOpenApiRoutes, AddConsoleRoutes}) {
    OMNIHUB_RETURN_IF_ERROR(add(routes, services));
  }
  return base::Status::Ok();
}

}  // namespace omnihub::api
