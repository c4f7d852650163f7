// What several endpoints read from a request the same way, each failure an HTTP 400 whose
// JSON error names the parameter (docs/api.md "Errors"):
//   the query string (ParseFormParams rules), a customer in a path ({id}: a customer id or an
//   identity argument such as email:ana@example.com, URL-encoded), limit, RFC 3339 times,
//   channel lists, and JSON bodies.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/http/form_params.h"
#include "common/http/types.h"
#include "omnihub/v1/event.pb.h"
#include "omnihub/v1/identity.pb.h"

namespace omnihub::api {

// Either the parsed value or the 400 response to send instead.
template <typename T>
using Parsed = std::variant<T, http::HttpResponse>;

// The request's query parameters.
Parsed<http::Params> QueryParams(const http::HttpRequest& request);
// A customer id or identity argument (path parameter or query value) named `field`.
Parsed<v1::CustomerSelector> CustomerArgument(std::string_view value, std::string_view field,
                                              const std::string& default_region);
// `limit`: absent -> `fallback`; else 1..`max`.
Parsed<uint32_t> LimitParam(const http::Params& params, uint32_t fallback, uint32_t max);
// An RFC 3339 time or a plain date (midnight UTC) in parameter `field`; absent -> 0.
Parsed<int64_t> TimeParam(const http::Params& params, std::string_view field);
// `channel`, repeated or comma-separated ("sms,whatsapp"); absent -> empty.
Parsed<std::vector<v1::Channel>> ChannelsParam(const http::Params& params, std::string_view field = "channel");
// The body as a JSON object (400 naming "body" when it is not one).
Parsed<nlohmann::json> JsonBody(const http::HttpRequest& request);
// A required non-empty string member of a JSON body.
Parsed<std::string> RequiredString(const nlohmann::json& body, std::string_view field);
// The tenant a request acts on: the query parameter `tenant`, else the JSON body's member
// `tenant`, else "default"; 400 naming "tenant" when it is not a tenant id
// (common/event/tenant_id.h). Returned in its wire form ("" for the default tenant).
Parsed<std::string> TenantParam(const http::HttpRequest& request);

}  // namespace omnihub::api
