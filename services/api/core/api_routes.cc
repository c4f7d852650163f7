#include "services/api/core/api_routes.h"

#include <exception>
#include <memory>

#include <spdlog/spdlog.h>

#include "services/api/core/api_response.h"
#include "services/api/core/query_route_params.h"

namespace omnihub::api {
namespace {

bool HasHeader(const http::HttpResponse& r, std::string_view name) {
  return http::FindHttpHeader(r.headers, name).has_value();
}

http::HttpResponse Guarded(const std::function<http::HttpResponse()>& fn) {
  try {
    return fn();
  } catch (const std::exception& e) {
    spdlog::error("api handler failed: {}", e.what());
    return ApiError(500, "internal", "the request failed inside the API; the log has the details");
  }
}

}  // namespace

void AddSecurityHeaders(http::HttpResponse& response) {
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  response.headers.emplace_back("Referrer-Policy", "no-referrer");
  if (!HasHeader(response, "Content-Security-Policy")) {
    response.headers.emplace_back("Content-Security-Policy", kContentSecurityPolicy);
  }
}

base::Status ApiRoutes::Add(std::string_view method, std::string_view pattern, std::optional<auth::Scope> needed,
                            ApiHandler handler) {
  return router_.Add(method, pattern,
                     [this, needed, handler = std::move(handler)](http::HttpRequest request, http::HttpResponder respond) {
                       auto shared = std::make_shared<http::HttpRequest>(std::move(request));
                       workers_.Submit([this, needed, handler, shared, respond] {
                         auto who = auth_.Authorize(*shared, needed);
                         http::HttpResponse response;
                         if (auto* refused = std::get_if<http::HttpResponse>(&who)) {
                           response = std::move(*refused);
                         } else if (auto route = TakeQueryRoute(shared.get()); std::holds_alternative<http::HttpResponse>(route)) {
                           response = std::move(std::get<http::HttpResponse>(route));
                         } else {
                           // Every query the handler makes goes by this request's route (cluster mode).
                           const bus::ScopedQueryRoute scope(std::move(std::get<bus::QueryRoute>(route)));
                           const ApiCall call{*shared, std::get<auth::Principal>(who)};
                           response = Guarded([&] { return handler(call); });
                         }
                         AddSecurityHeaders(response);
                         respond(std::move(response));
                       });
                     });
}

base::Status ApiRoutes::AddStream(std::string_view method, std::string_view pattern,
                                  std::optional<auth::Scope> needed, ApiStreamHandler handler) {
  return router_.Add(method, pattern,
                     [this, needed, handler = std::move(handler)](http::HttpRequest request, http::HttpResponder respond) {
                       auto shared = std::make_shared<http::HttpRequest>(std::move(request));
                       workers_.Submit([this, needed, handler, shared, respond] {
                         auto who = auth_.Authorize(*shared, needed);
                         if (auto* refused = std::get_if<http::HttpResponse>(&who)) {
                           AddSecurityHeaders(*refused);
                           respond(std::move(*refused));
                           return;
                         }
                         auto route = TakeQueryRoute(shared.get());
                         if (std::holds_alternative<http::HttpResponse>(route)) {
                           AddSecurityHeaders(std::get<http::HttpResponse>(route));
                           respond(std::move(std::get<http::HttpResponse>(route)));
                           return;
                         }
                         const bus::ScopedQueryRoute scope(std::move(std::get<bus::QueryRoute>(route)));
                         const ApiCall call{*shared, std::get<auth::Principal>(who)};
                         try {
                           handler(call, respond);
                         } catch (const std::exception& e) {
                           spdlog::error("api stream handler failed: {}", e.what());
                           if (!respond.answered()) {
                             respond(ApiError(500, "internal", "the stream failed inside the API; the log has the details"));
                           }
                         }
                       });
                     });
}

base::Status ApiRoutes::AddPublic(std::string_view method, std::string_view pattern, PublicHandler handler) {
  return router_.Add(method, pattern,
                     [this, handler = std::move(handler)](http::HttpRequest request, http::HttpResponder respond) {
                       auto shared = std::make_shared<http::HttpRequest>(std::move(request));
                       workers_.Submit([handler, shared, respond] {
                         http::HttpResponse response = Guarded([&] { return handler(*shared); });
                         AddSecurityHeaders(response);
                         respond(std::move(response));
                       });
                     });
}

}  // namespace omnihub::api
