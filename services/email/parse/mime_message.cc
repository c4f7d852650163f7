#include "services/email/parse/mime_message.h"

#include <gmime/gmime.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <utility>

#include "common/base/sha256.h"
#include "common/base/text.h"
#include "services/email/parse/auto_reply.h"
#include "services/email/parse/html_to_text.h"
#include "services/email/parse/mime_headers.h"
#include "services/email/parse/quote_trimmer.h"
#include "services/email/parse/unicode_text.h"

namespace omnihub::email {
namespace {

// GMime limits its own nesting; this bounds our walk independently of that.
constexpr int kMaxDepth = 64;
constexpr std::string_view kForwardMarker = "---------- Forwarded message ----------";

struct GObjectUnref {
  void operator()(gpointer p) const { g_object_unref(p); }
};
template <typename T>
using GObjectPtr = std::unique_ptr<T, GObjectUnref>;
struct ParserOptionsFree {
  void operator()(GMimeParserOptions* p) const { g_mime_parser_options_free(p); }
};

// Parser diagnostics, collected through GMime's warning callback.
struct ParserIssues {
  std::vector<std::pair<GMimeParserWarning, std::string>> items;
};

void OnParserWarning(gint64 /*offset*/, GMimeParserWarning code, const gchar* item, gpointer user_data) {
  auto* issues = static_cast<ParserIssues*>(user_data);
  if (issues->items.size() < 100) issues->items.emplace_back(code, item == nullptr ? "" : item);
}

// The human-readable note for a parser warning, and whether it means content was lost. Warnings
// that GMime recovers from without loss (duplicated headers, 8-bit headers, which are checked
// separately) get no note.
std::pair<std::string, bool> DescribeIssue(GMimeParserWarning code, const std::string& item) {
  const std::string quoted = base::QuoteForMessage(item, 60);
  switch (code) {
    case GMIME_WARN_MALFORMED_MULTIPART:
      return {"malformed multipart structure", true};
    case GMIME_WARN_TRUNCATED_MESSAGE:
      return {"message truncated: a multipart boundary was never closed or the input ended early", true};
    case GMIME_WARN_MALFORMED_MESSAGE:
      return {"malformed message", true};
    case GMIME_CRIT_INVALID_HEADER_NAME:
      return {"invalid header line " + quoted + "; the header block ends there", true};
    case GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY:
      return {"multipart " + quoted + " without a boundary parameter: its parts could not be read", true};
    case GMIME_CRIT_NESTING_OVERFLOW:
      return {"MIME parts nested too deeply: the innermost were not read", true};
    case GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT:
      return {"a MIME part has neither headers nor content", true};
    case GMIME_WARN_INVALID_CONTENT_TYPE:
      return {"invalid Content-Type " + quoted + ", read as text/plain", false};
    case GMIME_WARN_INVALID_ADDRESS_LIST:
      return {"invalid address list " + quoted, false};
    default:
      return {"", false};
  }
}

// The decoded (transfer-encoding removed) bytes of a leaf part.
std::string PartBytes(GMimePart* part) {
  GMimeDataWrapper* content = g_mime_part_get_content(part);
  if (content == nullptr) return "";
  GObjectPtr<GMimeStream> stream(g_mime_stream_mem_new());
  g_mime_data_wrapper_write_to_stream(content, stream.get());
  GByteArray* array = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(stream.get()));
  return std::string(reinterpret_cast<const char*>(array->data), array->len);
}

// `s` without leading blank lines and trailing whitespace; the first line keeps its indentation.
std::string_view TrimBlankLines(std::string_view s) {
  size_t start = 0;
  for (size_t i = 0; i < s.size() && base::IsAsciiSpace(s[i]); ++i) {
    if (s[i] == '\n') start = i + 1;
  }
  s.remove_prefix(start);
  while (!s.empty() && base::IsAsciiSpace(s.back())) s.remove_suffix(1);
  return s;
}

std::string JoinNonEmpty(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (const std::string& part : parts) {
    const std::string_view trimmed = TrimBlankLines(part);
    if (trimmed.empty()) continue;
    if (!out.empty()) out.append(separator);
    out.append(trimmed);
  }
  return out;
}

// Walks one message's part tree, collecting its body text into `bodies` / `forwarded` and
// attachments, flags and warnings into the top-level ParsedEmail.
class PartWalker {
 public:
  // `text_charset`: the walked message's TextCharset, for its parts' raw 8-bit header bytes.
  PartWalker(const MimeOptions& options, ParsedEmail* email, bool top_level, std::string text_charset)
      : options_(options), email_(email), top_level_(top_level), text_charset_(std::move(text_charset)) {}

  // `want_text`: this subtree is the chosen body (false for non-chosen alternatives, whose HTML
  // is still kept and whose attachments are still collected).
  void Walk(GMimeObject* object, bool want_text, int depth) {
    if (object == nullptr) return;
    if (depth > kMaxDepth) {
      AddFlag(email_, kFlagPartialParse);
      AddWarning(email_, "MIME parts nested too deeply: the innermost were not read");
      return;
    }
    DecodeRawHeaders(object, text_charset_, email_);
    if (GMIME_IS_MESSAGE_PART(object)) {
      WalkForwarded(GMIME_MESSAGE_PART(object), want_text, depth);
    } else if (GMIME_IS_MULTIPART_ENCRYPTED(object)) {
      AddFlag(email_, kFlagEncrypted);
      AddWarning(email_, "encrypted content (multipart/encrypted) was not read");
    } else if (GMIME_IS_MULTIPART(object)) {
      WalkMultipart(GMIME_MULTIPART(object), want_text, depth);
    } else if (GMIME_IS_PART(object)) {
      WalkLeaf(GMIME_PART(object), want_text);
    }
  }

  // The message's own text: body parts in order (forwarded messages excluded).
  std::string OwnText() const { return JoinNonEmpty(bodies_, "\n"); }
  // Forwarded-message sections, each starting with kForwardMarker.
  std::string ForwardedText() const { return JoinNonEmpty(forwarded_, "\n\n"); }

 private:
  void WalkMultipart(GMimeMultipart* multipart, bool want_text, int depth) {
    const int count = g_mime_multipart_get_count(multipart);
    if (count == 0) {
      AddFlag(email_, kFlagPartialParse);
      AddWarning(email_, "multipart without parts");
      return;
    }
    GMimeContentType* type = g_mime_object_get_content_type(GMIME_OBJECT(multipart));
    const std::string subtype = LowerOrEmpty(g_mime_content_type_get_media_subtype(type));
    if (GMIME_IS_MULTIPART_SIGNED(multipart)) {
      Walk(g_mime_multipart_get_part(multipart, 0), want_text, depth + 1);  // the rest is the signature
      return;
    }
    int chosen = -1;
    if (subtype == "alternative" && want_text) chosen = ChooseAlternative(multipart);
    for (int i = 0; i < count; ++i) {
      Walk(g_mime_multipart_get_part(multipart, i), want_text && (chosen < 0 || chosen == i), depth + 1);
    }
  }

  // The alternative to read text from: the first non-blank text/plain, else the last one holding
  // HTML, else the last one.
  int ChooseAlternative(GMimeMultipart* multipart) {
    const int count = g_mime_multipart_get_count(multipart);
    int html = -1;
    for (int i = 0; i < count; ++i) {
      GMimeObject* part = g_mime_multipart_get_part(multipart, i);
      if (IsBodyPart(part, "plain") && !base::Trim(DecodePart(GMIME_PART(part), false, nullptr)).empty()) return i;
      if (ContainsHtml(part, 0)) html = i;
    }
    return html >= 0 ? html : count - 1;
  }

  static bool IsBodyPart(GMimeObject* object, const char* subtype) {
    if (!GMIME_IS_PART(object)) return false;
    GMimeContentType* type = g_mime_object_get_content_type(object);
    return g_mime_content_type_is_type(type, "text", subtype) &&
           LowerOrEmpty(g_mime_object_get_disposition(object)) != "attachment";
  }

  static bool ContainsHtml(GMimeObject* object, int depth) {
    if (IsBodyPart(object, "html")) return true;
    if (!GMIME_IS_MULTIPART(object) || depth > kMaxDepth) return false;
    auto* multipart = GMIME_MULTIPART(object);
    for (int i = 0; i < g_mime_multipart_get_count(multipart); ++i) {
      if (ContainsHtml(g_mime_multipart_get_part(multipart, i), depth + 1)) return true;
    }
    return false;
  }

  void WalkLeaf(GMimePart* part, bool want_text) {
    GMimeObject* object = GMIME_OBJECT(part);
    if (IsBodyPart(object, "plain")) {
      if (want_text) bodies_.push_back(CleanBodyText(DecodePart(part, false, email_)));
      return;
    }
    if (IsBodyPart(object, "html")) {
      std::string html = DecodePart(part, true, email_);
      if (want_text) {
        bool simplified = false;
        bodies_.push_back(CleanBodyText(HtmlToText(html, &simplified)));
        if (simplified) AddWarning(email_, "HTML too large or too deeply nested for a full parse; tags were stripped");
      }
      if (top_level_ && email_->html.empty()) email_->html = std::move(html);
      return;
    }
    AddAttachment(part);
  }

  // A text part's content as UTF-8 (not yet cleaned). Notes decoding problems on `email` if set.
  static std::string DecodePart(GMimePart* part, bool is_html, ParsedEmail* email) {
    GMimeObject* object = GMIME_OBJECT(part);
    const std::string bytes = PartBytes(part);
    const char* declared = g_mime_object_get_content_type_parameter(object, "charset");
    std::string charset = declared == nullptr ? "" : declared;
    if (charset.empty() && is_html) charset = SniffHtmlCharset(bytes);
    DecodedText decoded = DecodeToUtf8(bytes, charset);
    if (email != nullptr) {
      if (decoded.undeclared_fallback) {
        AddFlag(email, kFlagUndeclaredCharset);
        AddWarning(email, "text without a usable charset declaration was read as windows-1252");
      }
      if (decoded.unknown_charset) AddWarning(email, "unknown charset " + base::QuoteForMessage(charset, 40));
      if (decoded.replaced_invalid) {
        AddWarning(email, "bytes invalid in charset " + base::QuoteForMessage(charset, 40) + " were replaced by U+FFFD");
      }
    }
    if (!is_html && LowerOrEmpty(g_mime_object_get_content_type_parameter(object, "format")) == "flowed") {
      const bool delsp = LowerOrEmpty(g_mime_object_get_content_type_parameter(object, "delsp")) == "yes";
      return UnwrapFormatFlowed(CleanBodyText(decoded.utf8), delsp);
    }
    return std::move(decoded.utf8);
  }

  void AddAttachment(GMimePart* part) {
    GMimeObject* object = GMIME_OBJECT(part);
    EmailAttachment attachment;
    const char* filename = g_mime_part_get_filename(part);
    attachment.filename = filename == nullptr ? "" : CleanHeaderText(filename);
    // Only the last path component: "C:\fakepath\x.pdf" and "../../x" name files, not places.
    const size_t slash = attachment.filename.find_last_of("/\\");
    if (slash != std::string::npos) attachment.filename.erase(0, slash + 1);
    if (attachment.filename == "." || attachment.filename == "..") attachment.filename.clear();
    GMimeContentType* type = g_mime_object_get_content_type(object);
    gchar* mime_type = g_mime_content_type_get_mime_type(type);
    attachment.media_type = CleanHeaderText(LowerOrEmpty(mime_type));
    g_free(mime_type);
    attachment.content = PartBytes(part);
    attachment.size = attachment.content.size();
    attachment.sha256 = base::Sha256(attachment.content);
    if (attachment.size > options_.max_attachment_bytes) {
      attachment.content.clear();
      attachment.content.shrink_to_fit();
      AddFlag(email_, kFlagAttachmentTooLarge);
      AddWarning(email_, "attachment " + base::QuoteForMessage(attachment.filename, 60) + " (" +
                             std::to_string(attachment.size) + " bytes) exceeds the size limit; content dropped");
    }
    const char* content_id = g_mime_object_get_content_id(object);
    attachment.is_inline = LowerOrEmpty(g_mime_object_get_disposition(object)) != "attachment" && content_id != nullptr &&
                           *content_id != '\0';
    email_->attachments.push_back(std::move(attachment));
  }

  void WalkForwarded(GMimeMessagePart* part, bool want_text, int depth) {
    AddFlag(email_, kFlagForwarded);
    GMimeMessage* message = g_mime_message_part_get_message(part);
    if (message == nullptr) {
      AddFlag(email_, kFlagPartialParse);
      AddWarning(email_, "forwarded message part without a readable message");
      return;
    }
    std::string text_charset = TextCharset(message);
    DecodeRawHeaders(GMIME_OBJECT(message), text_charset, email_);
    PartWalker inner(options_, email_, /*top_level=*/false, std::move(text_charset));
    inner.Walk(message->mime_part, true, depth + 1);
    if (!want_text) return;
    std::string section(kForwardMarker);
    const std::string from = FirstMailbox(g_mime_message_get_from(message));
    const std::string date = HeaderText(GMIME_OBJECT(message), "Date");
    const char* subject = g_mime_message_get_subject(message);
    if (!from.empty()) section += "\nFrom: " + from;
    if (!date.empty()) section += "\nDate: " + date;
    if (subject != nullptr) section += "\nSubject: " + CleanHeaderText(subject);
    const std::string body = JoinNonEmpty({inner.OwnText(), inner.ForwardedText()}, "\n\n");
    if (!body.empty()) section += "\n\n" + body;
    forwarded_.push_back(std::move(section));
  }

  const MimeOptions& options_;
  ParsedEmail* email_;
  const bool top_level_;
  const std::string text_charset_;
  std::vector<std::string> bodies_;
  std::vector<std::string> forwarded_;
};

bool HasBlankLine(std::string_view raw) {
  return raw.find("\n\n") != std::string_view::npos || raw.find("\n\r\n") != std::string_view::npos;
}

}  // namespace

base::Result<ParsedEmail> ParseMimeMessage(std::string_view raw, const MimeOptions& options) {
  static std::once_flag init_once;
  std::call_once(init_once, [] { g_mime_init(); });

  // An mbox separator line ("From sender date") is not a header; Maildir imports may carry one.
  if (raw.starts_with("From ")) {
    const size_t eol = raw.find('\n');
    raw.remove_prefix(eol == std::string_view::npos ? raw.size() : eol + 1);
  }
  if (base::Trim(raw).empty()) return base::Status::InvalidArgument("empty message");

  // Declared first so it outlives every GMime object: header lists keep a pointer to it.
  ParserIssues issues;
  std::unique_ptr<GMimeParserOptions, ParserOptionsFree> parser_options(g_mime_parser_options_new());
  const char* fallback_charsets[] = {"UTF-8", "windows-1252", nullptr};
  g_mime_parser_options_set_fallback_charsets(parser_options.get(), fallback_charsets);
  g_mime_parser_options_set_warning_callback(parser_options.get(), OnParserWarning, &issues);

  GObjectPtr<GMimeStream> stream(
      g_mime_stream_mem_new_with_buffer(raw.data(), raw.size()));
  GObjectPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  GObjectPtr<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), parser_options.get()));
  if (message == nullptr) {
    for (const auto& [code, item] : issues.items) {
      const auto [note, lost] = DescribeIssue(code, item);
      if (!note.empty()) return base::Status::InvalidArgument("not a mail message: " + note);
    }
    return base::Status::InvalidArgument("not a mail message: no parsable header block");
  }

  ParsedEmail email;
  const std::string text_charset = TextCharset(message.get());
  ReadHeaders(message.get(), parser_options.get(), text_charset, &email);
  DetectAutomation(message.get(), &email);

  PartWalker walker(options, &email, /*top_level=*/true, text_charset);
  walker.Walk(message->mime_part, true, 0);
  const std::string own = walker.OwnText();
  const std::string forwarded = walker.ForwardedText();
  TrimmedText trimmed = TrimQuotedHistory(own);
  email.quoted_text_trimmed = trimmed.trimmed;
  email.text = JoinNonEmpty({trimmed.text, forwarded}, "\n\n");
  email.full_text = JoinNonEmpty({own, forwarded}, "\n\n");

  for (const auto& [code, item] : issues.items) {
    // A header block with no body after it is complete, not truncated.
    if (code == GMIME_WARN_TRUNCATED_MESSAGE && !HasBlankLine(raw)) continue;
    auto [note, lost] = DescribeIssue(code, item);
    if (lost) AddFlag(&email, kFlagPartialParse);
    if (!note.empty()) AddWarning(&email, std::move(note));
  }
  if (HeaderCount(GMIME_OBJECT(message.get())) + HeaderCount(message->mime_part) == 0) {
    if (!LooksLikeText(raw)) return base::Status::InvalidArgument("not a mail message: no header fields and binary content");
    AddFlag(&email, kFlagPartialParse);
    AddWarning(&email, "no header fields");
  }
  const bool usable = !email.from.empty() || !email.to.empty() || !email.cc.empty() || !email.subject.empty() ||
                      email.date_us != 0 || !email.message_id.empty() || !email.full_text.empty() ||
                      !email.attachments.empty();
  if (!usable) {
    return base::Status::InvalidArgument(
        "no usable content: no sender, recipients, subject, date, message id, body text or attachments");
  }
  return email;
}

}  // namespace omnihub::email
