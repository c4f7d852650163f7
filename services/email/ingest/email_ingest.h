// The durable hand-off of received email: parse the MIME message, build the event
// and its blobs, and append them to the adapter's outbox (synced, group-committed
// with the other sessions' messages). Only then does the SMTP session say 250. A
// message nothing usable can be read from is appended as a dead letter with its raw
// bytes instead, so it is still kept (and acknowledged) rather than bounced or lost.
//
// Thread-safety: Deliver() may be called from any thread; the work runs on a small
// pool of worker threads so that the event loop never waits for a disk sync.
#pragma once

#include <functional>
#include <vector>

#include "common/base/env.h"
#include "common/event/identity.h"
#include "common/bus/outbox.h"
#include "common/base/uuid.h"
#include "common/base/worker_pool.h"
#include "services/email/parse/email_event_builder.h"
#include "services/email/parse/email_reader.h"
#include "services/email/parse/mime_message.h"
#include "services/email/smtp/smtp_session.h"

namespace omnihub::email {

// Appends items durably; returns their sequences (ZmqPublisher::Publish in production).
using PublishFn = std::function<base::Result<std::vector<uint64_t>>(std::vector<bus::OutboxItem>)>;

class EmailIngest final : public MessageSink {
 public:
  // Deliveries waiting for the outbox sync at once: they share one group-committed sync,
  // so this bounds how many messages one sync can acknowledge (parsing is the only CPU).
  static constexpr size_t kDefaultWorkers = 32;

  // References must outlive the object.
  EmailIngest(PublishFn publish, const event::IdentityNormalizer& normalizer, base::UuidV7Generator& ids, base::Clock& clock,
              MimeOptions mime_options, size_t worker_threads = kDefaultWorkers);
  ~EmailIngest() override = default;  // the pool finishes queued deliveries, then joins

  // MessageSink: queues the message; `done` reports whether it is durable.
  void Deliver(SmtpEnvelope envelope, std::string message, std::function<void(base::Status)> done) override;

  // Synchronous: parse, build and append one message. OK once durable (as an event or,
  // if unreadable, as a dead letter). `origin` names the source in dead letters.
  base::Status Ingest(const EmailSource& source, std::string_view raw, std::string_view origin);

 private:
  PublishFn publish_;
  const event::IdentityNormalizer& normalizer_;
  base::UuidV7Generator& ids_;
  base::Clock& clock_;
  const MimeOptions mime_options_;
  base::WorkerPool workers_;  // last: destroyed (drained) before the members its jobs use
};

}  // namespace omnihub::email
