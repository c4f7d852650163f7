// The HTTP side of omnihub-sms: the webhook routes (a contract, docs/sms.md)
//   POST     /twilio/{account}/messages   inbound SMS, MMS and WhatsApp (TwiML reply)
//   POST     /twilio/{account}/status     status callbacks of outbound messages
//   GET|POST /vonage/{account}/inbound    inbound SMS (query, form or JSON), multi-part joined
//   GET|POST /vonage/{account}/dlr        delivery receipts
//   GET|POST /health                      200 without touching the disk (load balancers, benchmarks)
// Each webhook is checked in this order: known account (404), body parameters (400),
// signature (403), the provider's required parameters (400, naming the parameter); then it
// is made durable in the outbox and only then answered 200. Nothing is stored for
// a request that fails a check; a failed outbox write is 503 so the provider retries.
//
// Thread-safety: Twilio's handlers run on the server's event loop and are answered from the
// outbox's commit (common/service/webhook_reply.h); Vonage's run on the injected worker pool,
// because the multi-part store waits for its syncs. Handle may be called from any thread.
#pragma once

#include <string>

#include "common/base/env.h"
#include "common/bus/event_sink.h"
#include "common/http/router.h"
#include "common/http/types.h"
#include "common/service/webhook_reply.h"
#include "common/event/identity.h"
#include "common/base/uuid.h"
#include "common/base/worker_pool.h"
#include "services/sms/concat/concat_store.h"
#include "services/sms/sms_accounts.h"

namespace omnihub::sms {

struct SmsWebhookOptions {
  // What the providers call, without a trailing '/': Twilio signs this URL plus the request's
  // path and query, and the hub usually sits behind a proxy that rewrites the host.
  std::string public_base_url = "http://127.0.0.1:8081";
  int64_t signature_window_s = kVonageDefaultWindowSeconds;
};

enum class SmsRoute { kTwilioMessage, kTwilioStatus, kVonageInbound, kVonageReceipt };

class SmsWebhooks {
 public:
  // References must outlive the object; `sink` takes the events (the ZmqPublisher in
  // production), `workers` runs the durable part of each request. The pool must be drained
  // (destroyed) before this object is: its jobs use it.
  SmsWebhooks(SmsAccounts accounts, SmsWebhookOptions options, bus::EventSink& sink, ConcatStore& concat,
              const event::IdentityNormalizer& normalizer, base::UuidV7Generator& ids, base::Clock& clock,
              base::WorkerPool& workers);

  base::Status AddRoutes(http::HttpRouter& router);

  // Checks, maps and persists one request synchronously; returns the answer. For tests.
  http::HttpResponse Handle(SmsRoute route, const http::HttpRequest& request);

 private:
  // Checks and maps one request: the answer and the event it promises, not yet stored.
  service::WebhookReply Reply(SmsRoute route, const http::HttpRequest& request);
  service::WebhookReply HandleTwilio(SmsRoute route, const http::HttpRequest& request);
  service::WebhookReply HandleVonage(SmsRoute route, const http::HttpRequest& request);
  service::WebhookReply AnswerOnceStored(const v1::Event& event, http::HttpResponse ok);

  const SmsAccounts accounts_;
  const SmsWebhookOptions options_;
  bus::EventSink& sink_;
  ConcatStore& concat_;
  const event::IdentityNormalizer& normalizer_;
  base::UuidV7Generator& ids_;
  base::Clock& clock_;
  base::WorkerPool& workers_;
};

// Twilio's reply to a message webhook: the empty TwiML document, text/xml.
http::HttpResponse EmptyTwiml();

}  // namespace omnihub::sms
