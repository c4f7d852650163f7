// The shared HTTP server's series (docs/operations.md): every answered request counted by status
// code, and its duration from the first byte of the request to the last byte of the answer.
// A process that serves HTTP traffic makes one from its registry and passes it in
// HttpServerOptions::metrics; the admin listener passes none, so scrapes do not count.
//
// Thread-safety: Record from any thread (the server's loop threads).
#pragma once

#include <array>
#include <atomic>

#include "common/service/metrics.h"

namespace omnihub::http {

class HttpServerMetrics {
 public:
  explicit HttpServerMetrics(service::Registry& registry);

  // One answered request: `status` 100..599 (anything else is counted as "other").
  void Record(int status, double seconds);

  service::CounterFamily& requests;  // omnihub_http_requests_total{code}
  service::Histogram& duration;      // omnihub_http_request_duration_seconds

 private:
  // The series of each status code, looked up once: Record is then one atomic load.
  std::array<std::atomic<service::Counter*>, 600> by_code_{};
};

}  // namespace omnihub::http
