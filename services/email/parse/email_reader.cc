#include "services/email/parse/email_reader.h"

namespace omnihub::email {

base::Result<EmailEvent> ReadEmail(std::string_view raw, const EmailSource& source, const event::IdentityNormalizer& normalizer,
                             base::UuidV7Generator& ids, base::Clock& clock, const MimeOptions& options) {
  auto parsed = ParseMimeMessage(raw, options);
  if (!parsed.ok()) return parsed.status();
  return BuildEmailEvent(*parsed, raw, source, normalizer, ids, clock);
}

void StoreEnvelope(const EmailSource& source, ContextMap* context) {
  if (!source.mail_from.empty()) (*context)[std::string(kContextMailFrom)] = source.mail_from;
  std::string rcpt;
  for (const auto& r : source.recipients) {
    if (!rcpt.empty()) rcpt += '\n';
    rcpt += r;
  }
  if (!rcpt.empty()) (*context)[std::string(kContextRcptTo)] = rcpt;
}

EmailSource LoadEnvelope(const ContextMap& context) {
  EmailSource source;
  if (auto it = context.find(std::string(kContextMailFrom)); it != context.end()) source.mail_from = it->second;
  if (auto it = context.find(std::string(kContextRcptTo)); it != context.end()) {
    std::string_view rest = it->second;
    while (!rest.empty()) {
      const size_t nl = rest.find('\n');
      const std::string_view line = rest.substr(0, nl);
      if (!line.empty()) source.recipients.emplace_back(line);
      if (nl == std::string_view::npos) break;
      rest.remove_prefix(nl + 1);
    }
  }
  return source;
}

}  // namespace omnihub::email
