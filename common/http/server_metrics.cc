#include "common/http/server_metrics.h"

#include <string>

namespace omnihub::http {

HttpServerMetrics::HttpServerMetrics(service::Registry& registry)
    : requests(registry.AddCounterFamily("omnihub_http_requests_total",
                                         "HTTP requests answered, by status code (4xx and 5xx are the degraded "
                                         "paths: rejected, timed out, unavailable).",
                                         {"code"})),
      duration(registry.AddHistogram("omnihub_http_request_duration_seconds",
                                     "From a request's first byte to the last byte of its answer.",
                                     service::kLatencyBuckets)) {}

void HttpServerMetrics::Record(int status, double seconds) {
  duration.Observe(seconds);
  if (status < 100 || status >= static_cast<int>(by_code_.size())) {
    requests.With({"other"}).Increment();
    return;
  }
  std::atomic<service::Counter*>& slot = by_code_[static_cast<size_t>(status)];
  service::Counter* counter = slot.load(std::memory_order_acquire);
  if (counter == nullptr) {
    counter = &requests.With({std::to_string(status)});
    slot.store(counter, std::memory_order_release);
  }
  counter->Increment();
}

}  // namespace omnihub::http
