#include "services/email/parse/mime_headers.h"

#include <algorithm>
#include <optional>

#include "common/base/text.h"
#include "services/email/parse/auto_reply.h"
#include "services/email/parse/unicode_text.h"

namespace omnihub::email {
namespace {

// Enough to explain a damaged message without letting a hostile one grow the event.
constexpr size_t kMaxWarnings = 20;
constexpr size_t kMaxIdBytes = 998;  // RFC 5322 line limit; longer "ids" are garbage
// The part walk in mime_message.cc stops at the same depth.
constexpr int kMaxCharsetSearchDepth = 64;

std::string CleanId(const char* id) {
  if (id == nullptr) return "";
  std::string out = CleanHeaderText(id);
  std::erase(out, ' ');
  if (out.starts_with('<') && out.ends_with('>') && out.size() >= 2) out = out.substr(1, out.size() - 2);
  return out.size() > kMaxIdBytes ? "" : out;
}

std::vector<std::string> ParseIds(GMimeParserOptions* options, const char* value) {
  std::vector<std::string> ids;
  if (value == nullptr) return ids;
  GMimeReferences* refs = g_mime_references_parse(options, value);
  if (refs == nullptr) return ids;
  for (int i = 0; i < g_mime_references_length(refs); ++i) {
    std::string id = CleanId(g_mime_references_get_message_id(refs, i));
    if (!id.empty()) ids.push_back(std::move(id));
  }
  g_mime_references_free(refs);
  return ids;
}

// "Name <addr>", the name quoted when it holds specials, or "addr" alone.
std::string FormatMailbox(const std::string& name, const std::string& addr) {
  if (name.empty() || name == addr) return addr;
  std::string out;
  if (name.find_first_of("()<>[]:;@\\,.\"") == std::string::npos) {
    out = name;
  } else {
    out = "\"";
    for (char c : name) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + " <" + addr + ">";
}

void CollectMailboxes(InternetAddressList* list, int depth, std::vector<std::string>* out) {
  if (list == nullptr || depth > 2) return;
  for (int i = 0; i < internet_address_list_length(list); ++i) {
    InternetAddress* address = internet_address_list_get_address(list, i);
    if (INTERNET_ADDRESS_IS_GROUP(address)) {
      CollectMailboxes(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(address)), depth + 1, out);
      continue;
    }
    if (!INTERNET_ADDRESS_IS_MAILBOX(address)) continue;
    const char* raw_addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(address));
    std::string addr = raw_addr == nullptr ? "" : CleanHeaderText(raw_addr);
    std::erase(addr, ' ');
    if (addr.empty()) continue;
    const char* name = internet_address_get_name(address);
    out->push_back(FormatMailbox(name == nullptr ? "" : CleanHeaderText(name), addr));
  }
}

// The first charset parameter of a text/plain or text/html body part under `object` that raw
// header bytes can be read in, not descending into forwarded messages (they declare their own).
std::string BodyCharset(GMimeObject* object, int depth) {
  if (object == nullptr || depth > kMaxCharsetSearchDepth) return "";
  if (GMIME_IS_MULTIPART(object)) {
    auto* multipart = GMIME_MULTIPART(object);
    for (int i = 0; i < g_mime_multipart_get_count(multipart); ++i) {
      std::string charset = BodyCharset(g_mime_multipart_get_part(multipart, i), depth + 1);
      if (!charset.empty()) return charset;
    }
    return "";
  }
  if (!GMIME_IS_PART(object) || LowerOrEmpty(g_mime_object_get_disposition(object)) == "attachment") return "";
  GMimeContentType* type = g_mime_object_get_content_type(object);
  if (!g_mime_content_type_is_type(type, "text", "plain") && !g_mime_content_type_is_type(type, "text", "html")) {
    return "";
  }
  const char* charset = g_mime_content_type_get_parameter(type, "charset");
  return charset != nullptr && CanReadRawHeaderBytesIn(charset) ? std::string(base::Trim(charset)) : "";
}

}  // namespace

std::string TextCharset(GMimeMessage* message) {
  const std::string body_charset = BodyCharset(message->mime_part, 0);
  if (!body_charset.empty() || message->mime_part == nullptr) return body_charset;
  const char* top = g_mime_object_get_content_type_parameter(message->mime_part, "charset");
  return top != nullptr && CanReadRawHeaderBytesIn(top) ? std::string(base::Trim(top)) : "";
}

void DecodeRawHeaders(GMimeObject* object, std::string_view text_charset, ParsedEmail* email) {
  std::optional<bool> use_text_charset;  // decided at the first 8-bit value: most mail has none
  GMimeHeaderList* headers = g_mime_object_get_header_list(object);
  for (int i = 0; i < g_mime_header_list_get_count(headers); ++i) {
    GMimeHeader* header = g_mime_header_list_get_header_at(headers, i);
    const char* raw = g_mime_header_get_raw_value(header);
    if (raw == nullptr || base::IsValidUtf8(raw)) continue;
    const std::string name = base::QuoteForMessage(LowerOrEmpty(g_mime_header_get_name(header)), 40);
    if (!use_text_charset.has_value()) use_text_charset = CanReadRawHeaderBytesIn(text_charset);
    if (!*use_text_charset) {
      AddFlag(email, kFlagUndeclaredCharset);
      AddWarning(email, "header " + name + " has 8-bit bytes in no declared charset; read as windows-1252");
      continue;
    }
    // The whole raw value is converted: structure and encoded words are ASCII and pass through
    // unchanged, and GMime's parse of the UTF-8 result cannot mistake a trail byte for a special
    // ('@' and the backslash are Shift_JIS and GBK trail bytes). Setting it makes GMime decode the
    // header again: the message's subject and addresses, a part's parameters.
    bool replaced = false;
    const std::optional<std::string> utf8 = ConvertToUtf8(raw, text_charset, &replaced);
    if (!utf8.has_value()) continue;  // CanReadRawHeaderBytesIn checked the converter exists
    g_mime_header_set_raw_value(header, utf8->c_str());
    if (replaced) {
      AddWarning(email, "header " + name + " has bytes invalid in charset " + base::QuoteForMessage(text_charset, 40) +
                            "; they were replaced by U+FFFD");
    }
  }
}

std::string FirstMailbox(InternetAddressList* list) {
  std::vector<std::string> all;
  CollectMailboxes(list, 0, &all);
  return all.empty() ? "" : all.front();
}

void AddFlag(ParsedEmail* email, std::string_view flag) {
  if (std::find(email->flags.begin(), email->flags.end(), flag) == email->flags.end()) {
    email->flags.emplace_back(flag);
  }
}

void AddWarning(ParsedEmail* email, std::string warning) {
  if (email->warnings.size() < kMaxWarnings &&
      std::find(email->warnings.begin(), email->warnings.end(), warning) == email->warnings.end()) {
    email->warnings.push_back(std::move(warning));
  }
}

std::string LowerOrEmpty(const char* s) { return s == nullptr ? "" : base::LowerAscii(s); }

std::string HeaderText(GMimeObject* object, const char* name) {
  const char* value = g_mime_object_get_header(object, name);
  return value == nullptr ? "" : CleanHeaderText(value);
}

void ReadHeaders(GMimeMessage* message, GMimeParserOptions* parser_options, std::string_view text_charset,
                 ParsedEmail* email) {
  GMimeObject* object = GMIME_OBJECT(message);
  DecodeRawHeaders(object, text_charset, email);
  email->message_id = CleanId(g_mime_message_get_message_id(message));
  email->in_reply_to = ParseIds(parser_options, g_mime_object_get_header(object, "In-Reply-To"));
  email->references = ParseIds(parser_options, g_mime_object_get_header(object, "References"));
  const char* subject = g_mime_message_get_subject(message);
  if (subject != nullptr) email->subject = CleanHeaderText(subject);
  email->from = FirstMailbox(g_mime_message_get_from(message));
  CollectMailboxes(g_mime_message_get_to(message), 0, &email->to);
  CollectMailboxes(g_mime_message_get_cc(message), 0, &email->cc);

  const std::string raw_date = HeaderText(object, "Date");
  if (GDateTime* date = g_mime_message_get_date(message)) {  // owned by the message
    email->date_us = g_date_time_to_unix(date) * 1000000 + g_date_time_get_microsecond(date);
  }
  if (email->date_us <= 0) {
    email->date_us = 0;
    AddWarning(email, raw_date.empty() ? "no Date header"
                                       : "unparsable Date header " + base::QuoteForMessage(raw_date, 60));
  }
}

void DetectAutomation(GMimeMessage* message, ParsedEmail* email) {
  AutomationSignals signals;
  GMimeHeaderList* headers = g_mime_object_get_header_list(GMIME_OBJECT(message));
  for (int i = 0; i < g_mime_header_list_get_count(headers); ++i) {
    GMimeHeader* header = g_mime_header_list_get_header_at(headers, i);
    const char* value = g_mime_header_get_value(header);
    signals.headers.emplace_back(LowerOrEmpty(g_mime_header_get_name(header)), value == nullptr ? "" : value);
  }
  if (message->mime_part != nullptr) {
    GMimeContentType* type = g_mime_object_get_content_type(message->mime_part);
    gchar* mime_type = g_mime_content_type_get_mime_type(type);
    signals.media_type = LowerOrEmpty(mime_type);
    g_free(mime_type);
    signals.report_type = LowerOrEmpty(g_mime_content_type_get_parameter(type, "report-type"));
  }
  InternetAddressList* list = g_mime_message_get_from(message);
  if (internet_address_list_length(list) > 0 &&
      INTERNET_ADDRESS_IS_MAILBOX(internet_address_list_get_address(list, 0))) {
    const char* addr =
        internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(internet_address_list_get_address(list, 0)));
    signals.from_addr = addr == nullptr ? "" : addr;
  }
  for (const std::string& flag : DetectAutomatedMail(signals)) AddFlag(email, flag);
}

int HeaderCount(GMimeObject* object) {
  return object == nullptr ? 0 : g_mime_header_list_get_count(g_mime_object_get_header_list(object));
}

}  // namespace omnihub::email
