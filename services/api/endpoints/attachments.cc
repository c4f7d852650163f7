// GET /api/v1/attachments/{sha256}?name=: the stored bytes of an attachment (or a raw
// message) by SHA-256, always as a download that the browser neither sniffs nor renders
// (core/download_headers.h); ?name= gives the download its file name (the attachment's name
// in the timeline), else it is the SHA-256.
#include "services/api/endpoints/endpoints.h"

#include "common/base/text.h"
#include "common/client/query_values.h"
#include "services/api/core/api_response.h"
#include "services/api/core/download_headers.h"
#include "services/api/core/hub_query.h"
#include "services/api/core/read_params.h"

namespace omnihub::api {
namespace {

http::HttpResponse Attachment(const ApiCall& call, ApiServices& services) {
  auto params = QueryParams(call.request);
  if (auto* refused = Failed(params)) return std::move(*refused);
  const auto& p = std::get<http::Params>(params);
  if (auto unknown = UnknownParam(p, {"name"})) return std::move(*unknown);
  const std::string_view hex = call.request.param("sha256");
  auto sha = client::ParseSha256Hex(hex);
  if (!sha.ok()) return ApiError(400, "bad_request", sha.status().message(), "sha256");

  v1::QueryRequest request;
  request.mutable_get_blob()->set_sha256(*sha);
  auto answer = AskHub(services.hub, request,
                       {.invalid_field = "sha256", .not_found_field = "sha256", .timeout = bus::kBulkQueryTimeout});
  if (auto* refused = Failed(answer)) return std::move(*refused);
  v1::GetBlobResponse& blob = *std::get<v1::QueryResponse>(answer).mutable_get_blob();
  http::HttpResponse response;
  response.status = 200;
  response.content_type = SafeDownloadMediaType(blob.media_type());
  response.body = std::move(*blob.mutable_data());
  AddDownloadHeaders(response, http::ParamOrEmpty(p, "name"), base::LowerAscii(hex));
  return response;
}

}  // namespace

base::Status AddAttachmentRoutes(ApiRoutes& routes, ApiServices& services) {
  return routes.Add("GET", "/api/v1/attachments/{sha256}", auth::Scope::kRead,
                    [&services](const ApiCall& call) { return Attachment(call, services); });
}

}  // namespace omnihub::api
