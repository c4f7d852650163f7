#include "services/email/parse/email_event_builder.h"

#include "common/base/coding.h"
#include "common/base/sha256.h"
#include "common/event/raw_payload.h"

namespace omnihub::email {
namespace {

// The first id that names the thread root; empty when the message has no ids at all.
std::string ConversationKey(const ParsedEmail& mail, const std::string& own_id) {
  if (!mail.references.empty()) return mail.references.front();
  if (!mail.in_reply_to.empty()) return mail.in_reply_to.front();
  return own_id;
}

}  // namespace

base::Result<EmailEvent> BuildEmailEvent(const ParsedEmail& mail, std::string_view raw, const EmailSource& source,
                                   const event::IdentityNormalizer& normalizer, base::UuidV7Generator& ids, base::Clock& clock) {
  EmailEvent out;
  v1::Event& e = out.event;
  e.set_event_id(ids.Next());
  e.set_channel(v1::EMAIL);
  e.set_kind(v1::MESSAGE);
  e.set_direction(v1::INBOUND);
  e.set_received_at_us(clock.NowMicros());
  e.set_occurred_at_us(mail.date_us > 0 ? mail.date_us : e.received_at_us());
  if (mail.date_us <= 0) e.add_flags("date-missing-or-garbled");

  // The sender: the From header, else the envelope sender.
  base::Result<v1::Identity> sender = base::Status::InvalidArgument("message has no From header and no envelope sender");
  if (!mail.from.empty()) sender = normalizer.Email(mail.from);
  if (!sender.ok() && !source.mail_from.empty()) sender = normalizer.Email(source.mail_from);
  if (!sender.ok()) return base::Status::InvalidArgument("no usable sender address: " + sender.status().message());
  *e.mutable_sender() = std::move(*sender);

  // SMTP/LMTP name the recipients in the envelope; a Maildir file has none, so its
  // To and Cc headers stand in.
  std::vector<std::string> recipients = source.recipients;
  if (recipients.empty()) {
    recipients = mail.to;
    recipients.insert(recipients.end(), mail.cc.begin(), mail.cc.end());
  }
  for (const auto& rcpt : recipients) {
    auto id = normalizer.Email(rcpt);
    if (id.ok()) *e.add_recipients() = std::move(*id);
  }
  e.set_account(e.recipients_size() > 0 ? e.recipients(0).value() : "");
  if (e.account().empty()) return base::Status::InvalidArgument("message reached no business mailbox");

  const std::string raw_sha = base::Sha256(raw);
  e.set_provider_message_id(!mail.message_id.empty() ? mail.message_id : "sha256:" + base::HexEncode(raw_sha));
  e.set_conversation(ConversationKey(mail, e.provider_message_id()));
  e.set_subject(mail.subject);
  e.set_text(mail.text);
  e.set_quoted_text_trimmed(mail.quoted_text_trimmed);
  if (mail.quoted_text_trimmed) e.set_full_text(mail.full_text);
  e.set_html(mail.html);
  for (const auto& flag : mail.flags) e.add_flags(flag);

  for (const auto& a : mail.attachments) {
    auto* meta = e.add_attachments();
    meta->set_name(a.filename);
    meta->set_media_type(a.media_type);
    meta->set_size_bytes(a.size);
    meta->set_sha256(a.sha256);
    // Bytes over the size limit were dropped by the parser: metadata only.
    if (a.content.empty() && a.size > 0) continue;
    meta->set_storage_ref(event::BlobRef(a.sha256));
    v1::Blob& blob = out.blobs.emplace_back();
    blob.set_sha256(a.sha256);
    blob.set_data(a.content);
    blob.set_size_bytes(a.content.size());
    blob.set_media_type(a.media_type);
  }

  out.blobs.push_back(event::AttachRawPayload(raw, "message/rfc822", event::RawCompression::kZstd, &e));
  return out;
}

}  // namespace omnihub::email
