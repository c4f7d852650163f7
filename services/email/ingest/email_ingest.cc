#include "services/email/ingest/email_ingest.h"

#include <spdlog/spdlog.h>

namespace omnihub::email {

EmailIngest::EmailIngest(bus::EventSink& sink, const event::IdentityNormalizer& normalizer, base::UuidV7Generator& ids,
                         base::Clock& clock, MimeOptions mime_options, base::WorkerPool& workers,
                         const RecipientPolicy* tenants)
    : sink_(sink),
      normalizer_(normalizer),
      ids_(ids),
      clock_(clock),
      mime_options_(mime_options),
      workers_(workers),
      tenants_(tenants) {}

void EmailIngest::Deliver(SmtpEnvelope envelope, std::string message, std::function<void(base::Status)> done) {
  workers_.Submit([this, envelope = std::move(envelope), message = std::move(message), done = std::move(done)] {
    EmailSource source{envelope.mail_from, envelope.recipients};
    const std::string origin = "smtp:" + envelope.remote_address;
    done(Ingest(source, message, origin));
  });
}

base::Status EmailIngest::Ingest(const EmailSource& source, std::string_view raw, std::string_view origin) {
  bus::OutboxItem item;
  auto read = ReadEmail(raw, source, normalizer_, ids_, clock_, mime_options_);
  if (read.ok()) {
    if (tenants_ != nullptr) read->event.set_tenant_id(tenants_->TenantOf(read->event.account()));
    item.event_bytes = read->event.SerializeAsString();
    item.blobs = std::move(read->blobs);
  } else {
    spdlog::warn("email from {} kept as a dead letter: {}", origin, read.status().message());
    v1::Rejected rejected;
    rejected.set_reason("email: " + read.status().message());
    rejected.set_raw(std::string(raw));
    rejected.set_source(std::string(kEmailDeadLetterSourcePrefix) + std::string(origin));
    StoreEnvelope(source, rejected.mutable_context());
    item.rejected = std::move(rejected);
  }
  std::vector<bus::OutboxItem> items;
  items.push_back(std::move(item));
  auto seqs = sink_.Append(std::move(items), {}, {});
  if (!seqs.ok()) return base::Status::Unavailable("cannot persist the message: " + seqs.status().message());
  return base::Status::Ok();
}

}  // namespace omnihub::email
