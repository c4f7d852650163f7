// The API's endpoints, one file per area, each adding its routes under /api/v1/ (docs/api.md
// lists them with a request and response each; openapi/*.json describes them). Every
// function returns the first routing error (a pattern routed twice).
#pragma once

#include "common/base/status.h"
#include "services/api/core/api_routes.h"
#include "services/api/core/api_services.h"

namespace omnihub::api {

// GET /customers?identity=ARG, GET /customers/{id}
base::Status AddCustomerRoutes(ApiRoutes& routes, ApiServices& services);       // customers.cc
// GET /customers/recent: customers by newest activity (the console's opening list)
base::Status AddRecentCustomerRoutes(ApiRoutes& routes, ApiServices& services);  // recent_customers.cc
// GET /customers/{id}/timeline
base::Status AddTimelineRoutes(ApiRoutes& routes, ApiServices& services);       // timeline.cc
// GET /conversations/{id}
base::Status AddConversationRoutes(ApiRoutes& routes, ApiServices& services);   // conversations.cc
// GET /attachments/{sha256}
base::Status AddAttachmentRoutes(ApiRoutes& routes, ApiServices& services);     // attachments.cc
// GET /search?q=
base::Status AddSearchRoutes(ApiRoutes& routes, ApiServices& services);         // search.cc
// GET /metrics: the relationship metrics report
base::Status AddMetricsRoutes(ApiRoutes& routes, ApiServices& services);        // metrics.cc
// POST /customers/{id}/identities, DELETE /identities/{identity}, POST /merges,
// POST /merges/{merge_id}/split, GET /customers/{id}/explain
base::Status AddGraphRoutes(ApiRoutes& routes, ApiServices& services);          // graph.cc
// GET /suggestions, POST /suggestions/{id}/dismiss
base::Status AddSuggestionRoutes(ApiRoutes& routes, ApiServices& services);     // suggestions.cc
// POST /customers/{id}/notes, POST /conversations/{id}/notes
base::Status AddNoteRoutes(ApiRoutes& routes, ApiServices& services);           // notes.cc
// POST /events
base::Status AddIngestRoutes(ApiRoutes& routes, ApiServices& services);         // ingest.cc
// GET /stream, GET /customers/{id}/stream
base::Status AddStreamRoutes(ApiRoutes& routes, ApiServices& services);         // streams.cc
// GET /customers/{id}/export, POST /customers/{id}/erase
base::Status AddExportErasureRoutes(ApiRoutes& routes, ApiServices& services);  // export_erasure.cc
// GET|POST /tokens, DELETE /tokens/{id}; GET|POST|DELETE /session, GET /login (public)
base::Status AddTokenRoutes(ApiRoutes& routes, ApiServices& services);          // tokens.cc
base::Status AddSessionRoutes(ApiRoutes& routes, ApiServices& services);        // sessions.cc
// GET /api/openapi.json, and the console's files: GET /, /console/*, (public)
base::Status AddOpenApiRoutes(ApiRoutes& routes, ApiServices& services);        // openapi.cc
base::Status AddConsoleRoutes(ApiRoutes& routes, ApiServices& services);        // console.cc

// Every area above, in that order.
base::Status AddAllRoutes(ApiRoutes& routes, ApiServices& services);

}  // namespace omnihub::api
