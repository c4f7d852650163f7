// The API's answers: JSON bodies and the one error shape (docs/api.md "Errors"):
//   {"error": {"code": "<code>", "message": "<what is wrong, what to do>", "field": "<name>"}}
// "field" names the query parameter, path parameter or body field at fault, when there is one.
// Codes: bad_request (400), invalid_cursor (400), unauthorized (401), forbidden (403),
// csrf_failed (403), not_found (404), conflict (409), idempotency_key_reused (422),
// rate_limited (429), unavailable (503), internal (500).
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/base/status.h"
#include "common/http/types.h"

namespace omnihub::api {

// `body` as application/json (invalid UTF-8 replaced), with the given status.
http::HttpResponse JsonResponse(int status, const nlohmann::json& body);
// `body`, JSON text already written (base::JsonWriter), as application/json.
http::HttpResponse JsonTextResponse(int status, std::string body);
// The error shape above; `field` "" = no field member.
http::HttpResponse ApiError(int status, std::string_view code, std::string_view message, std::string_view field = "");
// A failed status as the matching error: InvalidArgument 400 bad_request, NotFound 404,
// AlreadyExists and FailedPrecondition 409 conflict, Unavailable 503, anything else 500.
http::HttpResponse StatusResponse(const base::Status& status, std::string_view field = "");

}  // namespace omnihub::api
