// libFuzzer target for ParseMimeMessage: every byte string must either parse or fail with a
// Status, without crashing, leaking, or breaking the result's invariants (all text valid UTF-8,
// as the protobuf Event requires; digests 32 bytes). Built against omnihub_email_parse
// (tests/CMakeLists.txt); docs/testing.md ("Fuzzing") shows how to run it.
//
// Thread-safety: libFuzzer calls it from one thread.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/base/text.h"
#include "services/email/parse/mime_message.h"

namespace {

void Check(bool invariant) {
  if (!invariant) __builtin_trap();
}

void CheckUtf8(std::string_view s) { Check(omnihub::base::IsValidUtf8(s)); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  omnihub::email::MimeOptions options;
  options.max_attachment_bytes = 512;  // also exercise the metadata-only path
  omnihub::base::Result<omnihub::email::ParsedEmail> parsed = omnihub::email::ParseMimeMessage(raw, options);
  if (!parsed.ok()) {
    Check(!parsed.status().message().empty());
    return 0;
  }
  const omnihub::email::ParsedEmail& mail = *parsed;
  for (std::string_view s : {std::string_view(mail.message_id), std::string_view(mail.subject),
                             std::string_view(mail.from), std::string_view(mail.text),
                             std::string_view(mail.full_text), std::string_view(mail.html)}) {
    CheckUtf8(s);
  }
  for (const auto& list : {mail.in_reply_to, mail.references, mail.to, mail.cc, mail.flags, mail.warnings}) {
    for (const std::string& s : list) CheckUtf8(s);
  }
  Check(mail.quoted_text_trimmed || mail.text == mail.full_text);
  for (const omnihub::email::EmailAttachment& a : mail.attachments) {
    CheckUtf8(a.filename);
    CheckUtf8(a.media_type);
    Check(a.sha256.size() == 32);
    Check(a.content.empty() ? (a.size == 0 || a.size > options.max_attachment_bytes) : a.size == a.content.size());
  }
  return 0;
}
