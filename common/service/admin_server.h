// The admin listener every long-running process starts (config: <service>.admin_listen):
//   GET /metrics  the process's Registry, text exposition format 0.0.4
//   GET /healthz  200 {"alive":true} while the process answers at all
//   GET /readyz   200 {"ready":true,"checks":{...}} when every readiness check passes,
//                 else 503 with the same shape naming the failing checks and their reasons
//   and the service's own routes (AddRoute), e.g. an adapter's POST /purge (adapter_purge.h)
// It runs on the shared HTTP server (common/http/server.h) with its own single loop thread and
// no access log, so scrapes neither compete with the service's traffic nor fill its log.
// docs/operations.md describes the endpoints and every series.
//
// Thread-safety: as HttpServer: Start, Stop and the destructor from one controlling thread.
// The Registry and Readiness must outlive the server (its handlers read them until Stop).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/http/router.h"
#include "common/http/server.h"
#include "common/service/metrics.h"
#include "common/service/readiness.h"
#include "common/base/status.h"

namespace omnihub::service {

inline constexpr char kMetricsContentType[] = "text/plain; version=0.0.4; charset=utf-8";

class AdminServer {
 public:
  // `listen` is "HOST:PORT" as for HttpServerOptions (port 0 = ephemeral, see bound_port()).
  AdminServer(std::string listen, const Registry& metrics, const Readiness& readiness);
  ~AdminServer();  // calls Stop()
  AdminServer(const AdminServer&) = delete;
  AdminServer& operator=(const AdminServer&) = delete;

  // Binds and starts serving. InvalidArgument for a malformed address, IoError naming the
  // address when it cannot be bound.
  base::Status Start();
  // Adds a route of the service's own (POST /purge of an adapter, adapter_purge.h) to those
  // the listener serves. Before Start only.
  void AddRoute(std::string method, std::string path, http::HttpHandler handler);
  // What a service's main does: Start unless the listen address is empty (the listener is
  // switched off in the config), logging where it serves. Errors name `config_key`
  // ("email.admin_listen").
  base::Status StartIfListening(std::string_view config_key);
  void Stop();
  uint16_t bound_port() const;

  // Adds the three routes to `router` (tests dispatch to them without a socket).
  static base::Status AddRoutes(http::HttpRouter& router, const Registry& metrics, const Readiness& readiness);

 private:
  std::string listen_;
  const Registry& metrics_;
  const Readiness& readiness_;
  std::unique_ptr<http::HttpServer> server_;
  struct ExtraRoute {
    std::string method;
    std::string path;
    http::HttpHandler handler;
  };
  std::vector<ExtraRoute> extra_routes_;
};

}  // namespace omnihub::service
