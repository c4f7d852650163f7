// The durable hand-off of received email: parse the MIME message, build the event
// and its blobs, and append them to the adapter's outbox (synced, group-committed
// with the other sessions' messages). Only then does the SMTP session say 250. A
// message nothing usable can be read from is appended as a dead letter with its raw
// bytes instead, so it is still kept (and acknowledged) rather than bounced or lost.
//
// Thread-safety: Deliver() may be called from any thread; the work runs on the injected
// worker pool so that the event loop never waits for a disk sync (the pattern every
// adapter follows: common/bus/event_sink.h). Ingest() may be called from any thread too.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "common/base/env.h"
#include "common/event/identity.h"
#include "common/bus/event_sink.h"
#include "common/base/uuid.h"
#include "common/base/worker_pool.h"
#include "services/email/parse/email_event_builder.h"
#include "services/email/parse/email_reader.h"
#include "services/email/parse/mime_message.h"
#include "services/email/smtp/recipient_policy.h"
#include "services/email/smtp/smtp_session.h"

namespace omnihub::email {

class EmailIngest final : public MessageSink {
 public:
  // References must outlive the object; `sink` takes the events (the ZmqPublisher in
  // production), `workers` runs each delivery. The pool must be drained (destroyed) before
  // this object is: its jobs use it.
  // `tenants`, when given, sets each event's tenant_id from its account (the first business
  // recipient); without it every event belongs to the default tenant.
  EmailIngest(bus::EventSink& sink, const event::IdentityNormalizer& normalizer, base::UuidV7Generator& ids,
              base::Clock& clock, MimeOptions mime_options, base::WorkerPool& workers,
              const RecipientPolicy* tenants = nullptr);

  // MessageSink: queues the message; `done` reports whether it is durable.
  void Deliver(SmtpEnvelope envelope, std::string message, std::function<void(base::Status)> done) override;

  // Synchronous: parse, build and append one message. OK once durable (as an event or,
  // if unreadable, as a dead letter). `origin` names the source in dead letters.
  base::Status Ingest(const EmailSource& source, std::string_view raw, std::string_view origin);

 private:
  bus::EventSink& sink_;
  const event::IdentityNormalizer& normalizer_;
  base::UuidV7Generator& ids_;
  base::Clock& clock_;
  const MimeOptions mime_options_;
  base::WorkerPool& workers_;
  const RecipientPolicy* tenants_;
};

}  // namespace omnihub::email
