// How an endpoint joins the API: ApiRoutes::Add routes (method, pattern) on the shared HTTP
// router to a handler that runs on the API's worker pool (so it may block on a query or a
// disk sync) once the Authenticator has let the request through with the scope it needs.
// The handler returns the response; an exception escaping it becomes 500 internal.
// Streaming endpoints (server-sent events) use AddStream and answer through the responder.
// Public routes (the console's files, the OpenAPI document, the login link) use AddPublic.
//
// Every route also gets the security headers of docs/api.md "Security": X-Content-Type-Options
// nosniff, Referrer-Policy no-referrer, and (unless the handler set its own) the strict
// Content-Security-Policy of kContentSecurityPolicy.
//
// Thread-safety: Add* before the server starts; handlers run on any worker thread at once.
#pragma once

#include <functional>
#include <optional>
#include <string_view>

#include "common/base/worker_pool.h"
#include "common/http/router.h"
#include "common/http/types.h"
#include "services/api/auth/authenticator.h"
#include "services/api/auth/principal.h"

namespace omnihub::api {

// No inline script or style, nothing from another origin, no framing.
inline constexpr char kContentSecurityPolicy[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

// One request as an endpoint sees it: the HTTP request and who sent it.
struct ApiCall {
  const http::HttpRequest& request;
  const auth::Principal& who;
};

using ApiHandler = std::function<http::HttpResponse(const ApiCall& call)>;
using ApiStreamHandler = std::function<void(const ApiCall& call, http::HttpResponder respond)>;
using PublicHandler = std::function<http::HttpResponse(const http::HttpRequest& request)>;

class ApiRoutes {
 public:
  // Every reference must outlive the routes and the server they are served by.
  ApiRoutes(http::HttpRouter& router, const auth::Authenticator& auth, base::WorkerPool& workers)
      : router_(router), auth_(auth), workers_(workers) {}

  // `needed` nullopt = any valid token. InvalidArgument as HttpRouter::Add.
  base::Status Add(std::string_view method, std::string_view pattern, std::optional<auth::Scope> needed,
                   ApiHandler handler);
  base::Status AddStream(std::string_view method, std::string_view pattern, std::optional<auth::Scope> needed,
                         ApiStreamHandler handler);
  base::Status AddPublic(std::string_view method, std::string_view pattern, PublicHandler handler);

 private:
  http::HttpRouter& router_;
  const auth::Authenticator& auth_;
  base::WorkerPool& workers_;
};

// Adds the security headers above to `response` (keeping a Content-Security-Policy it has).
void AddSecurityHeaders(http::HttpResponse& response);

}  // namespace omnihub::api
