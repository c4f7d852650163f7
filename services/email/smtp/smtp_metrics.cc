#include "services/email/smtp/smtp_metrics.h"

#include <string>

namespace omnihub::email {
namespace {

std::string ClassOf(int code) { return code >= 100 && code < 600 ? std::to_string(code / 100) + "xx" : "other"; }

}  // namespace

SmtpMetrics::SmtpMetrics(service::Registry& registry, base::Clock& clock)
    : clock_(clock),
      replies_(registry.AddCounterFamily("omnihub_smtp_replies_total",
                                         "SMTP/LMTP replies sent, by class and code (4xx: try again later, "
                                         "5xx: refused).",
                                         {"class", "code"})),
      delivery_seconds_(registry.AddHistogramFamily("omnihub_smtp_delivery_duration_seconds",
                                                    "From a message's final dot to its reply, by reply class.",
                                                    {"class"}, service::kLatencyBuckets)),
      timeouts_(registry.AddCounter("omnihub_smtp_idle_timeouts_total",
                                    "Sessions closed with 421 after the idle timeout.")),
      refused_(registry.AddCounter("omnihub_smtp_connections_refused_total",
                                   "Connections answered 421 because too many were open.")) {}

void SmtpMetrics::OnReply(int code) {
  if (code < 100 || code >= static_cast<int>(by_code_.size())) {
    replies_.With({"other", "other"}).Increment();
    return;
  }
  std::atomic<service::Counter*>& slot = by_code_[static_cast<size_t>(code)];
  service::Counter* counter = slot.load(std::memory_order_acquire);
  if (counter == nullptr) {
    counter = &replies_.With({ClassOf(code), std::to_string(code)});
    slot.store(counter, std::memory_order_release);
  }
  counter->Increment();
}

void SmtpMetrics::OnDeliveryReplied(int code, int64_t started_us) {
  delivery_seconds_.With({ClassOf(code)}).Observe(static_cast<double>(clock_.MonotonicMicros() - started_us) / 1e6);
}

}  // namespace omnihub::email
