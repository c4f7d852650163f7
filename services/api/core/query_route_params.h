// The query route of an API request (cluster mode, docs/api.md "Tenants and read-your-writes"):
// the `tenant` parameter (default "default", checked by event::CheckTenantId) and the
// read-your-writes position, from the `Omni-Min-Position: P:N` header or the `min_position`
// parameter (the parameter wins). Both parameters are taken out of the request's query string,
// so the endpoints' own parameter checks (UnknownParam) never see them. ApiRoutes applies the
// route to every request (a bus::ScopedQueryRoute around the handler); on one host it is
// checked and otherwise unused.
//
// Thread-safety: pure function on the request it is given.
#pragma once

#include "common/bus/routing/query_route.h"
#include "common/http/types.h"
#include "services/api/core/request_params.h"

namespace omnihub::api {

inline constexpr char kMinPositionHeader[] = "Omni-Min-Position";

// The route, with `tenant` and `min_position` removed from request->query (and ->target);
// 400 naming the parameter when one is bad.
Parsed<bus::QueryRoute> TakeQueryRoute(http::HttpRequest* request);

}  // namespace omnihub::api
