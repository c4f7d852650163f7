// What the SMTP/LMTP dialogue counts: every reply by class and code, how long each message took
// from its final dot to the reply (the outbox sync, mostly), idle timeouts and connections
// refused for being too many. One SmtpMetrics serves every session of a process; the session
// and the server call it (smtp_session.h, smtp_server.h), email_metrics.h registers it.
//
// Thread-safety: thread-safe (metric handles and a thread-safe Clock).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>

#include "common/base/env.h"
#include "common/service/metrics.h"

namespace omnihub::email {

class SmtpMetrics {
 public:
  // `clock` times deliveries; it must outlive this object.
  SmtpMetrics(service::Registry& registry, base::Clock& clock);

  // One reply line sent (a multi-line reply counts once).
  void OnReply(int code);
  // A message's final dot was read: returns the start time for OnDeliveryReplied.
  int64_t OnDeliveryStarted() { return clock_.MonotonicMicros(); }
  // The reply to that message was sent with `code`.
  void OnDeliveryReplied(int code, int64_t started_us);
  void OnIdleTimeout() { timeouts_.Increment(); }
  void OnConnectionRefused() { refused_.Increment(); }

 private:
  base::Clock& clock_;
  service::CounterFamily& replies_;              // omnihub_smtp_replies_total{class,code}
  service::HistogramFamily& delivery_seconds_;   // omnihub_smtp_delivery_duration_seconds{class}
  service::Counter& timeouts_;
  service::Counter& refused_;
  std::array<std::atomic<service::Counter*>, 600> by_code_{};  // each code's series, looked up once
};

}  // namespace omnihub::email
