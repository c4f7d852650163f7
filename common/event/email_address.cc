#include "common/event/email_address.h"

#include <idn2.h>

#include <cstdlib>
#include <memory>
#include <utility>

#include "common/base/text.h"

namespace omnihub::event {
namespace {

constexpr size_t kMaxLocalPartBytes = 64;   // RFC 5321 4.5.3.1.1
constexpr size_t kMaxDomainBytes = 253;     // RFC 1035, without the trailing dot
constexpr size_t kMaxLabelBytes = 63;       // RFC 1035

// atext of RFC 5322 3.2.3; bytes >= 0x80 are UTF-8 (RFC 6531) and checked as a whole.
bool IsAtext(char c) {
  if (base::IsAsciiAlpha(c) || base::IsAsciiDigit(c) || static_cast<unsigned char>(c) >= 0x80) return true;
  return std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
}

// Display name part before '<': quotes removed, escapes resolved, whitespace runs collapsed.
std::string DecodeDisplayName(std::string_view raw) {
  std::string out;
  bool in_quote = false;
  bool pending_space = false;
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '"') {
      in_quote = !in_quote;
      continue;
    }
    if (in_quote && c == '\\' && i + 1 < raw.size()) c = raw[++i];
    if (base::IsAsciiSpace(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += c;
  }
  return out;
}

struct EmailParts {
  std::string display;   // raw text before '<' (quotes still in), comments removed
  std::string addr_spec; // the address with comments removed
};

// Splits "Display <addr>" / "addr" into its parts, dropping RFC 5322 comments and checking that
// quotes, parentheses and angle brackets balance. Returns an empty string or the defect.
std::string SplitMailbox(std::string_view s, EmailParts* parts) {
  std::string outside;
  std::string inside;
  bool in_quote = false, in_angle = false, seen_angle = false, closed_angle = false;
  int comment_depth = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    std::string& target = in_angle ? inside : outside;
    if (comment_depth > 0) {
      if (c == '\\') {
        ++i;
      } else if (c == '(') {
        ++comment_depth;
      } else if (c == ')') {
        --comment_depth;
      }
      continue;
    }
    if (in_quote) {
      target += c;
      if (c == '\\') {
        if (i + 1 == s.size()) return "unbalanced quotes";
        target += s[++i];
      } else if (c == '"') {
        in_quote = false;
      }
      continue;
    }
    if (closed_angle && !base::IsAsciiSpace(c) && c != '(') return "unexpected text after '>'";
    switch (c) {
      case '(':
        comment_depth = 1;
        break;
      case ')':
        return "unbalanced parentheses";
      case '"':
        in_quote = true;
        target += c;
        break;
      case '<':
        if (in_angle || seen_angle) return "unbalanced angle brackets";
        in_angle = seen_angle = true;
        break;
      case '>':
        if (!in_angle) return "unbalanced angle brackets";
        in_angle = false;
        closed_angle = true;
        break;
      default:
        target += c;
    }
  }
  if (in_quote) return "unbalanced quotes";
  if (comment_depth > 0) return "unbalanced parentheses";
  if (in_angle) return "unbalanced angle brackets";
  if (seen_angle) {
    parts->display = std::move(outside);
    parts->addr_spec = std::string(base::Trim(inside));
  } else {
    parts->addr_spec = std::string(base::Trim(outside));
  }
  return "";
}

// Checks a dot-atom local part; returns the defect or "".
std::string CheckLocalPart(std::string_view local) {
  if (local.empty()) return "empty local part";
  if (local.size() > kMaxLocalPartBytes) return "local part longer than 64 octets";
  if (local.front() == '.' || local.back() == '.') return "local part starts or ends with a dot";
  if (local.find("..") != std::string_view::npos) return "consecutive dots in the local part";
  for (char c : local) {
    if (c != '.' && !IsAtext(c)) return std::string("invalid character '") + c + "' in the local part";
  }
  return "";
}

// Domain to lower-case IDNA ASCII; returns the defect or "".
std::string NormalizeDomain(std::string_view domain, std::string* out) {
  if (!domain.empty() && domain.back() == '.') domain.remove_suffix(1);
  if (domain.empty()) return "empty domain";
  if (domain.front() == '[') return "address literals ([...]) are not supported";
  if (domain.front() == '.') return "domain starts with a dot";
  if (domain.find("..") != std::string_view::npos) return "consecutive dots in the domain";
  std::string ascii = base::LowerAscii(domain);
  bool needs_idna = false;
  for (char c : domain) needs_idna |= static_cast<unsigned char>(c) >= 0x80;
  needs_idna |= ascii.starts_with("xn--") || ascii.find(".xn--") != std::string::npos;
  if (needs_idna) {
    char* converted = nullptr;
    const int rc = idn2_to_ascii_8z(ascii.c_str(), &converted, IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
    std::unique_ptr<char, decltype(&std::free)> owner(converted, &std::free);
    if (rc != IDN2_OK) return std::string("domain is not a valid internationalized domain name: ") + idn2_strerror(rc);
    ascii = base::LowerAscii(converted);
  }
  if (ascii.size() > kMaxDomainBytes) return "domain longer than 253 octets";
  size_t start = 0;
  while (true) {
    const size_t dot = ascii.find('.', start);
    const std::string_view label = std::string_view(ascii).substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (label.empty()) return "consecutive dots in the domain";
    if (label.size() > kMaxLabelBytes) return "domain label longer than 63 octets";
    if (label.front() == '-' || label.back() == '-') return "domain label starts or ends with '-'";
    for (char c : label) {
      if (!base::IsAsciiDigit(c) && !(c >= 'a' && c <= 'z') && c != '-') {
        return std::string("invalid character '") + c + "' in the domain";
      }
    }
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  if (ascii.find('.') == std::string::npos) return "domain has no dot (a fully qualified domain is required)";
  *out = std::move(ascii);
  return "";
}

}  // namespace

std::string EmailAddress::Normalized() const { return base::LowerAscii(local) + "@" + domain; }

base::Result<EmailAddress> ParseEmailAddress(std::string_view raw) {
  auto fail = [&](std::string_view defect) {
    return base::Status::InvalidArgument("invalid email address " + base::QuoteForMessage(raw) + ": " + std::string(defect));
  };
  if (!base::IsValidUtf8(raw)) return fail("not valid UTF-8");
  std::string_view s = base::Trim(raw);
  std::string decoded;
  if (base::ConsumePrefix(&s, "mailto:")) {
    s = s.substr(0, s.find('?'));  // RFC 6068 header fields (?subject=...) are not part of the address
    if (!base::PercentDecode(s, &decoded)) return fail("malformed %-escape in the mailto: URI");
    if (!base::IsValidUtf8(decoded)) return fail("the mailto: URI decodes to invalid UTF-8");
    s = base::Trim(decoded);
  }
  if (s.empty()) return fail("empty");
  if (base::HasControl(s)) return fail("contains a control character");

  EmailParts parts;
  if (std::string defect = SplitMailbox(s, &parts); !defect.empty()) return fail(defect);
  std::string_view addr = parts.addr_spec;
  if (addr.empty()) return fail("empty address");
  for (char c : addr) {
    if (base::IsAsciiSpace(c)) return fail("contains whitespace");
  }

  std::string local;
  std::string_view domain;
  if (addr.front() == '"') {
    // Quoted local part: accepted when unquoting it leaves a plain dot-atom ("jane"@x = jane@x).
    size_t i = 1;
    for (; i < addr.size() && addr[i] != '"'; ++i) {
      if (addr[i] == '\\' && i + 1 < addr.size()) ++i;
      local += addr[i];
    }
    if (i + 1 >= addr.size() || addr[i + 1] != '@') return fail("no '@' after the quoted local part");
    domain = addr.substr(i + 2);
    if (!CheckLocalPart(local).empty()) return fail("quoted local parts with special characters are not supported");
  } else {
    const size_t at = addr.rfind('@');
    if (at == std::string_view::npos) return fail("no '@'");
    if (addr.find('@') != at) return fail("more than one '@'");
    local = std::string(addr.substr(0, at));
    domain = addr.substr(at + 1);
  }
  if (std::string defect = CheckLocalPart(local); !defect.empty()) return fail(defect);
  std::string ascii_domain;
  if (std::string defect = NormalizeDomain(domain, &ascii_domain); !defect.empty()) return fail(defect);

  EmailAddress address;
  address.local = std::move(local);
  address.domain = std::move(ascii_domain);
  address.display_name = DecodeDisplayName(parts.display);
  return address;
}

}  // namespace omnihub::event
