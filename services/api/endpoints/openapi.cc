// GET /api/openapi.json (public): the OpenAPI 3.1 document of this binary's API, merged from
// the compiled-in parts of services/api/openapi/ (core/openapi_document.h) once, when the
// routes are added, so a broken part stops omnihub-api at startup instead of being served.
// The document holds no data, so it needs no token; e2e clients validate against it.
//
// Thread-safety: the handler only copies the prepared response.
#include "services/api/core/api_response.h"
#include "services/api/core/embedded_files.h"
#include "services/api/core/openapi_document.h"
#include "services/api/endpoints/endpoints.h"

namespace omnihub::api {

base::Status AddOpenApiRoutes(ApiRoutes& routes, ApiServices& /*services*/) {
  auto document = MergeOpenApiParts(OpenApiParts());
  if (!document.ok()) return document.status().WithContext("the OpenAPI document (GET /api/openapi.json)");
  http::HttpResponse served = JsonResponse(200, *document);
  // It changes only with the binary; revalidating is cheap and never serves a stale contract.
  for (auto& [name, value] : served.headers) {
    if (name == "Cache-Control") value = "no-cache";
  }
  return routes.AddPublic("GET", "/api/openapi.json",
                          [served = std::move(served)](const http::HttpRequest& /*request*/) { return served; });
}

}  // namespace omnihub::api
