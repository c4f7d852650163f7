#include "services/email/smtp/smtp_command.h"

#include <array>
#include <utility>

#include "common/base/text.h"

namespace omnihub::email {
namespace {

struct VerbName {
  std::string_view name;
  SmtpVerb verb;
};

constexpr std::array<VerbName, 13> kVerbs{{
    {"HELO", SmtpVerb::kHelo},
    {"EHLO", SmtpVerb::kEhlo},
    {"LHLO", SmtpVerb::kLhlo},
    {"MAIL", SmtpVerb::kMail},
    {"RCPT", SmtpVerb::kRcpt},
    {"DATA", SmtpVerb::kData},
    {"RSET", SmtpVerb::kRset},
    {"NOOP", SmtpVerb::kNoop},
    {"QUIT", SmtpVerb::kQuit},
    {"VRFY", SmtpVerb::kVrfy},
    {"EXPN", SmtpVerb::kExpn},
    {"HELP", SmtpVerb::kHelp},
    {"STARTTLS", SmtpVerb::kStartTls},
}};

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

std::string_view SkipBlanks(std::string_view s) {
  while (!s.empty() && IsBlank(s.front())) s.remove_prefix(1);
  return s;
}

// Characters that cannot appear unquoted in a mailbox; everything else (atext, '.', '@', '[',
// ']', UTF-8) is left for ParseEmailAddress to judge, so address rules live in one parser.
bool IsForbiddenInPath(char c) {
  return base::IsControl(c) || c == ' ' || c == '<' || c == '>' || c == '(' || c == ')' || c == ',' || c == ';' ||
         c == ':' || c == '\\';
}

// Returns the defect of `mailbox` (quotes still in), or "".
std::string CheckMailbox(std::string_view mailbox) {
  bool in_quote = false;
  for (size_t i = 0; i < mailbox.size(); ++i) {
    const char c = mailbox[i];
    if (in_quote) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_quote = false;
      } else if (c == '\r' || c == '\n') {
        return "line break inside a quoted local part";
      }
      continue;
    }
    if (c == '"') {
      in_quote = true;
    } else if (IsForbiddenInPath(c)) {
      return std::string("invalid character ") + base::QuoteForMessage(std::string_view(&c, 1)) + " in the path";
    }
  }
  if (in_quote) return "unbalanced quotes in the path";
  return "";
}

bool IsKeywordChar(char c) { return base::IsAsciiAlpha(c) || base::IsAsciiDigit(c) || c == '-'; }

// esmtp-value: any printable ASCII except '=' (RFC 5321), or UTF-8 (RFC 6531 §3.3).
bool IsValueChar(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (u >= 33 && u <= 126 && c != '=') || u >= 0x80;
}

base::Status ParseParameters(std::string_view rest, std::vector<EsmtpParameter>* out) {
  while (true) {
    rest = SkipBlanks(rest);
    if (rest.empty()) return base::Status::Ok();
    size_t end = 0;
    while (end < rest.size() && !IsBlank(rest[end])) ++end;
    const std::string_view token = rest.substr(0, end);
    rest.remove_prefix(end);
    const size_t eq = token.find('=');
    EsmtpParameter param;
    const std::string_view keyword = token.substr(0, eq);
    if (keyword.empty() || keyword.front() == '-') {
      return base::Status::InvalidArgument("malformed parameter " + base::QuoteForMessage(token));
    }
    for (char c : keyword) {
      if (!IsKeywordChar(c)) return base::Status::InvalidArgument("malformed parameter " + base::QuoteForMessage(token));
    }
    param.keyword = base::UpperAscii(keyword);
    if (eq != std::string_view::npos) {
      const std::string_view value = token.substr(eq + 1);
      if (value.empty()) return base::Status::InvalidArgument("empty value of parameter " + param.keyword);
      for (char c : value) {
        if (!IsValueChar(c)) return base::Status::InvalidArgument("malformed value of parameter " + param.keyword);
      }
      param.value = std::string(value);
      param.has_value = true;
    }
    out->push_back(std::move(param));
  }
}

}  // namespace

SmtpCommandLine SplitCommandLine(std::string_view line) {
  SmtpCommandLine cmd;
  size_t end = 0;
  while (end < line.size() && !IsBlank(line[end])) ++end;
  cmd.verb_text = line.substr(0, end);
  cmd.argument = base::Trim(line.substr(end));
  for (const VerbName& v : kVerbs) {
    if (base::EqualsIgnoreAsciiCase(cmd.verb_text, v.name)) {
      cmd.verb = v.verb;
      break;
    }
  }
  return cmd;
}

base::Result<SmtpPath> ParseSmtpPath(std::string_view argument, std::string_view keyword) {
  std::string_view s = base::Trim(argument);
  if (s.size() < keyword.size() || !base::EqualsIgnoreAsciiCase(s.substr(0, keyword.size()), keyword)) {
    return base::Status::InvalidArgument("expected " + std::string(keyword) + ":<address>");
  }
  s = SkipBlanks(s.substr(keyword.size()));
  if (s.empty() || s.front() != ':') return base::Status::InvalidArgument("expected ':' after " + std::string(keyword));
  s = SkipBlanks(s.substr(1));
  if (s.empty()) return base::Status::InvalidArgument("missing path");

  SmtpPath path;
  std::string_view mailbox;
  std::string_view rest;
  if (s.front() == '<') {
    // Find the closing '>' outside quotes: a quoted local part may contain one.
    size_t i = 1;
    bool in_quote = false;
    for (; i < s.size(); ++i) {
      if (in_quote && s[i] == '\\') {
        ++i;
      } else if (s[i] == '"') {
        in_quote = !in_quote;
      } else if (!in_quote && s[i] == '>') {
        break;
      }
    }
    if (i >= s.size()) return base::Status::InvalidArgument("unbalanced angle brackets in the path");
    mailbox = s.substr(1, i - 1);
    rest = s.substr(i + 1);
    if (mailbox.empty()) {
      path.null_path = true;
    }
  } else {
    size_t end = 0;
    while (end < s.size() && !IsBlank(s[end])) ++end;
    mailbox = s.substr(0, end);
    rest = s.substr(end);
  }
  if (!rest.empty() && !IsBlank(rest.front())) return base::Status::InvalidArgument("unexpected text after the path");

  if (!path.null_path) {
    if (mailbox.front() == '@') {
      // A source route "@relay1,@relay2:user@domain" (RFC 5321 §4.1.1.3): MUST be accepted, SHOULD
      // be ignored.
      const size_t colon = mailbox.find(':');
      if (colon == std::string_view::npos) return base::Status::InvalidArgument("malformed source route in the path");
      mailbox.remove_prefix(colon + 1);
      if (mailbox.empty()) return base::Status::InvalidArgument("empty mailbox after the source route");
    }
    if (std::string defect = CheckMailbox(mailbox); !defect.empty()) return base::Status::InvalidArgument(defect);
    path.mailbox = std::string(mailbox);
  }
  OMNIHUB_RETURN_IF_ERROR(ParseParameters(rest, &path.parameters));
  return path;
}

}  // namespace omnihub::email
