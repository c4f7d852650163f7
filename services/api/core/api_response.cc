#include "services/api/core/api_response.h"

#include <utility>

namespace omnihub::api {

http::HttpResponse JsonResponse(int status, const nlohmann::json& body) {
  return JsonTextResponse(status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

http::HttpResponse JsonTextResponse(int status, std::string body) {
  http::HttpResponse r;
  r.status = status;
  r.content_type = "application/json";
  r.body = std::move(body);
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

http::HttpResponse ApiError(int status, std::string_view code, std::string_view message, std::string_view field) {
  nlohmann::json error = {{"code", code}, {"message", message}};
  if (!field.empty()) error["field"] = field;
  return JsonResponse(status, {{"error", std::move(error)}});
}

http::HttpResponse StatusResponse(const base::Status& status, std::string_view field) {
  switch (status.code()) {
    case base::StatusCode::kInvalidArgument:
      return ApiError(400, "bad_request", status.message(), field);
    case base::StatusCode::kNotFound:
      return ApiError(404, "not_found", status.message(), field);
    case base::StatusCode::kAlreadyExists:
    case base::StatusCode::kFailedPrecondition:
      return ApiError(409, "conflict", status.message(), field);
    case base::StatusCode::kUnavailable:
      return ApiError(503, "unavailable", status.message());
    default:
      return ApiError(500, "internal", status.ToString());
  }
}

}  // namespace omnihub::api
