#include "common/service/admin_server.h"

#include <string>
#include <utility>

#include <spdlog/spdlog.h>

namespace omnihub::service {

AdminServer::AdminServer(std::string listen, const Registry& metrics, const Readiness& readiness)
    : listen_(std::move(listen)), metrics_(metrics), readiness_(readiness) {}

AdminServer::~AdminServer() { Stop(); }

base::Status AdminServer::AddRoutes(http::HttpRouter& router, const Registry& metrics, const Readiness& readiness) {
  OMNIHUB_RETURN_IF_ERROR(router.Add("GET", "/metrics", [&metrics](http::HttpRequest, http::HttpResponder respond) {
    respond(http::HttpResponse{.status = 200, .content_type = kMetricsContentType, .body = metrics.Render(), .headers = {}});
  }));
  OMNIHUB_RETURN_IF_ERROR(router.Add("GET", "/healthz", [](http::HttpRequest, http::HttpResponder respond) {
    respond(http::HttpResponse{.status = 200, .content_type = "application/json", .body = "{\"alive\":true}", .headers = {}});
  }));
  return router.Add("GET", "/readyz", [&readiness](http::HttpRequest, http::HttpResponder respond) {
    ReadinessReport report = readiness.Evaluate();
    respond(http::HttpResponse{.status = report.ready ? 200 : 503,
                         .content_type = "application/json",
                         .body = std::move(report.json),
                         .headers = {{"Cache-Control", "no-store"}}});
  });
}

base::Status AdminServer::Start() {
  if (server_) return base::Status::InvalidArgument("admin listener " + listen_ + ": already started");
  http::HttpRouter router;
  OMNIHUB_RETURN_IF_ERROR(AddRoutes(router, metrics_, readiness_));
  for (auto& route : extra_routes_) OMNIHUB_RETURN_IF_ERROR(router.Add(route.method, route.path, route.handler));
  http::HttpServerOptions options;
  options.listen = listen_;
  options.threads = 1;
  options.max_connections = 64;  // scrapers and probes, not traffic
  options.max_body_bytes = 64 * 1024;
  options.access_log = false;  // a scrape every few seconds would drown the service's own lines
  server_ = std::make_unique<http::HttpServer>(std::move(options), router.AsHandler());
  return server_->Start();
}

void AdminServer::AddRoute(std::string method, std::string path, http::HttpHandler handler) {
  extra_routes_.push_back({std::move(method), std::move(path), std::move(handler)});
}

base::Status AdminServer::StartIfListening(std::string_view config_key) {
  if (listen_.empty()) return base::Status::Ok();
  if (auto s = Start(); !s.ok()) return s.WithContext(std::string(config_key));
  spdlog::info("admin listener (/metrics, /healthz, /readyz) on {}", listen_);
  return base::Status::Ok();
}

void AdminServer::Stop() {
  if (server_) server_->Stop();
}

uint16_t AdminServer::bound_port() const { return server_ ? server_->bound_port() : 0; }

}  // namespace omnihub::service
