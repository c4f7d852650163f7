#include "common/identity.h"

#include <idn2.h>
#include <phonenumbers/logger.h>
#include <phonenumbers/phonenumberutil.h>

#include <cstdlib>
#include <memory>
#include <set>
#include <utility>

#include "common/coding.h"

namespace omnihub {
namespace {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

constexpr size_t kMaxLocalPartBytes = 64;   // RFC 5321 4.5.3.1.1
constexpr size_t kMaxDomainBytes = 253;     // RFC 1035, without the trailing dot
constexpr size_t kMaxLabelBytes = 63;       // RFC 1035
constexpr size_t kMaxPlatformBytes = 32;
constexpr size_t kMaxUserIdBytes = 256;
constexpr size_t kMaxAccountBytes = 256;
constexpr std::string_view kArgumentForms = "use email:ADDR, phone:NUMBER, whatsapp:NUMBER or PLATFORM:ACCOUNT:USER_ID";

bool IsAsciiSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool IsControl(char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }
bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
char ToLowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsAsciiSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsAsciiSpace(s.back())) s.remove_suffix(1);
  return s;
}

std::string LowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ToLowerAscii(c);
  return out;
}

std::string UpperAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
  return out;
}

bool HasControl(std::string_view s) {
  for (char c : s) {
    if (IsControl(c)) return true;
  }
  return false;
}

// Strips `prefix` (ASCII case-insensitive) from the front of `*s`; true if it was there.
bool ConsumePrefix(std::string_view* s, std::string_view prefix) {
  if (s->size() < prefix.size() || LowerAscii(s->substr(0, prefix.size())) != prefix) return false;
  s->remove_prefix(prefix.size());
  return true;
}

// Display names and handles are for people, not matching: trimmed, control characters
// (a newline in a profile name) turned into spaces.
Result<std::string> CleanDisplayText(std::string_view s, std::string_view what) {
  if (!IsValidUtf8(s)) return Status::InvalidArgument(std::string(what) + " " + QuoteForMessage(s) + " is not valid UTF-8");
  std::string out(Trim(s));
  for (char& c : out) {
    if (IsControl(c)) c = ' ';
  }
  return out;
}

// atext of RFC 5322 3.2.3; bytes >= 0x80 are UTF-8 (RFC 6531) and checked as a whole.
bool IsAtext(char c) {
  if (IsAsciiAlpha(c) || IsAsciiDigit(c) || static_cast<unsigned char>(c) >= 0x80) return true;
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
    if (IsAsciiSpace(c)) {
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
    if (closed_angle && !IsAsciiSpace(c) && c != '(') return "unexpected text after '>'";
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
    parts->addr_spec = std::string(Trim(inside));
  } else {
    parts->addr_spec = std::string(Trim(outside));
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
  std::string ascii = LowerAscii(domain);
  bool needs_idna = false;
  for (char c : domain) needs_idna |= static_cast<unsigned char>(c) >= 0x80;
  needs_idna |= ascii.starts_with("xn--") || ascii.find(".xn--") != std::string::npos;
  if (needs_idna) {
    char* converted = nullptr;
    const int rc = idn2_to_ascii_8z(ascii.c_str(), &converted, IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
    std::unique_ptr<char, decltype(&std::free)> owner(converted, &std::free);
    if (rc != IDN2_OK) return std::string("domain is not a valid internationalized domain name: ") + idn2_strerror(rc);
    ascii = LowerAscii(converted);
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
      if (!IsAsciiDigit(c) && !(c >= 'a' && c <= 'z') && c != '-') {
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

// RFC 3986 percent-decoding; false on a malformed escape.
bool PercentDecode(std::string_view in, std::string* out) {
  out->clear();
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      *out += in[i];
      continue;
    }
    std::string byte;
    if (i + 2 >= in.size()) return false;
    if (!HexDecode(in.substr(i + 1, 2), &byte)) return false;
    *out += byte;
    i += 2;
  }
  return true;
}

std::string PercentEncodeAccount(std::string_view account) {
  std::string out;
  for (char c : account) {
    if (c == '%') {
      out += "%25";
    } else if (c == ':') {
      out += "%3A";
    } else {
      out += c;
    }
  }
  return out;
}

bool IsPlatformName(std::string_view name) {
  if (name.empty() || name.size() > kMaxPlatformBytes) return false;
  for (char c : name) {
    if (!IsAsciiDigit(c) && !(c >= 'a' && c <= 'z') && c != '_' && c != '-') return false;
  }
  return true;
}

bool IsReservedPlatformName(std::string_view name) {
  return name == "email" || name == "phone" || name == "sms" || name == "tel" || name == "mailto";
}

std::string_view ParseErrorText(PhoneNumberUtil::ErrorType e) {
  switch (e) {
    case PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR:
      return "unknown country code";
    case PhoneNumberUtil::NOT_A_NUMBER:
      return "not a phone number";
    case PhoneNumberUtil::TOO_SHORT_AFTER_IDD:
      return "too short after the international prefix";
    case PhoneNumberUtil::TOO_SHORT_NSN:
      return "too short";
    case PhoneNumberUtil::TOO_LONG_NSN:
      return "too long";
    default:
      return "cannot be parsed";
  }
}

std::string_view PossibilityText(PhoneNumberUtil::ValidationResult r) {
  switch (r) {
    case PhoneNumberUtil::IS_POSSIBLE_LOCAL_ONLY:
      return "only dialable locally (add the area code)";
    case PhoneNumberUtil::INVALID_COUNTRY_CODE:
      return "unknown country code";
    case PhoneNumberUtil::TOO_SHORT:
      return "too short";
    case PhoneNumberUtil::TOO_LONG:
      return "too long";
    default:
      return "wrong length for its country";
  }
}

// Parses `s` in `region` and returns IS_POSSIBLE or the reason it is not a usable number
// (INVALID_LENGTH, with `*error` set, when it does not even parse).
PhoneNumberUtil::ValidationResult ParsePossible(const PhoneNumberUtil& util, const std::string& s,
                                                const std::string& region, PhoneNumber* pn,
                                                PhoneNumberUtil::ErrorType* error) {
  *error = util.Parse(s, region, pn);
  if (*error != PhoneNumberUtil::NO_PARSING_ERROR) return PhoneNumberUtil::INVALID_LENGTH;
  return util.IsPossibleNumberWithReason(*pn);
}

}  // namespace

bool IsValidUtf8(std::string_view s, size_t* bad_offset) {
  size_t i = 0;
  while (i < s.size()) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    size_t n = 0;
    uint32_t cp = 0;
    if (b0 < 0x80) {
      ++i;
      continue;
    } else if (b0 >= 0xC2 && b0 <= 0xDF) {
      n = 1, cp = b0 & 0x1F;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
      n = 2, cp = b0 & 0x0F;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      n = 3, cp = b0 & 0x07;
    } else {
      if (bad_offset != nullptr) *bad_offset = i;
      return false;
    }
    if (i + n >= s.size()) {
      if (bad_offset != nullptr) *bad_offset = i;
      return false;
    }
    for (size_t k = 1; k <= n; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      if ((b & 0xC0) != 0x80) {
        if (bad_offset != nullptr) *bad_offset = i;
        return false;
      }
      cp = (cp << 6) | (b & 0x3F);
    }
    const bool overlong = (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000);
    if (overlong || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
      if (bad_offset != nullptr) *bad_offset = i;
      return false;
    }
    i += n + 1;
  }
  return true;
}

std::string QuoteForMessage(std::string_view s, size_t max_bytes) {
  std::string out = "'";
  size_t i = 0;
  while (i < s.size()) {
    if (out.size() > max_bytes) {
      out += "...";
      break;
    }
    const auto c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (c >= 0x80 && (i + len > s.size() || !IsValidUtf8(s.substr(i, len)))) len = 0;
    if (len == 0 || IsControl(static_cast<char>(c))) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
      ++i;
      continue;
    }
    out.append(s.substr(i, len));
    i += len;
  }
  out += "'";
  return out;
}

IdentityNormalizer::IdentityNormalizer(std::string default_region)
    : default_region_(UpperAscii(Trim(default_region))) {
  // libphonenumber's default logger writes to stdout, which would corrupt omnihubctl's JSON
  // output; it logs only problems we report through Status anyway. Done once per process.
  static const bool muted = [] {
    PhoneNumberUtil::GetInstance()->SetLogger(new i18n::phonenumbers::NullLogger());
    return true;
  }();
  (void)muted;
}

bool IdentityNormalizer::IsSupportedRegion(std::string_view region) {
  std::set<std::string> regions;
  PhoneNumberUtil::GetInstance()->GetSupportedRegions(&regions);
  return regions.count(UpperAscii(region)) > 0;
}

Result<v1::Identity> IdentityNormalizer::Email(std::string_view raw) const {
  auto fail = [&](std::string_view defect) {
    return Status::InvalidArgument("invalid email address " + QuoteForMessage(raw) + ": " + std::string(defect));
  };
  if (!IsValidUtf8(raw)) return fail("not valid UTF-8");
  std::string_view s = Trim(raw);
  std::string decoded;
  if (ConsumePrefix(&s, "mailto:")) {
    s = s.substr(0, s.find('?'));  // RFC 6068 header fields (?subject=...) are not part of the address
    if (!PercentDecode(s, &decoded)) return fail("malformed %-escape in the mailto: URI");
    if (!IsValidUtf8(decoded)) return fail("the mailto: URI decodes to invalid UTF-8");
    s = Trim(decoded);
  }
  if (s.empty()) return fail("empty");
  if (HasControl(s)) return fail("contains a control character");

  EmailParts parts;
  if (std::string defect = SplitMailbox(s, &parts); !defect.empty()) return fail(defect);
  std::string_view addr = parts.addr_spec;
  if (addr.empty()) return fail("empty address");
  for (char c : addr) {
    if (IsAsciiSpace(c)) return fail("contains whitespace");
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

  v1::Identity id;
  id.set_kind(v1::Identity::EMAIL);
  // ASCII case-folding of the local part: see docs/identities.md ("Email").
  id.set_value(LowerAscii(local) + "@" + ascii_domain);
  id.set_display_name(DecodeDisplayName(parts.display));
  return id;
}

Result<v1::Identity> IdentityNormalizer::Phone(std::string_view raw) const {
  auto fail = [&](std::string_view defect) {
    return Status::InvalidArgument("invalid phone number " + QuoteForMessage(raw) + " (default region " +
                                   default_region_ + "): " + std::string(defect));
  };
  if (!IsValidUtf8(raw)) return fail("not valid UTF-8");
  std::string_view s = Trim(raw);
  if (ConsumePrefix(&s, "whatsapp:") || ConsumePrefix(&s, "tel:") || ConsumePrefix(&s, "sms:")) s = Trim(s);
  if (s.empty()) return fail("empty");
  if (HasControl(s)) return fail("contains a control character");
  for (char c : s) {
    // libphonenumber would read letters as a vanity number ("1-800-FLOWERS") or skip them; an
    // alphanumeric sender id ("ACME2024") must never become somebody's phone number.
    if (IsAsciiAlpha(c)) return fail("contains letters (alphanumeric sender ids and extensions are not phone numbers)");
  }
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  const std::string text(s);
  PhoneNumber pn;
  PhoneNumberUtil::ErrorType error = PhoneNumberUtil::NO_PARSING_ERROR;
  PhoneNumberUtil::ValidationResult possible = ParsePossible(util, text, default_region_, &pn, &error);
  if (possible != PhoneNumberUtil::IS_POSSIBLE && text.starts_with("00")) {
    // "00" is the international prefix of most of the world; in a region whose prefix differs
    // (US: 011) read "00 41 ..." as "+41 ..." when the national reading is impossible.
    PhoneNumber alt;
    PhoneNumberUtil::ErrorType alt_error = PhoneNumberUtil::NO_PARSING_ERROR;
    if (ParsePossible(util, "+" + text.substr(2), default_region_, &alt, &alt_error) == PhoneNumberUtil::IS_POSSIBLE) {
      pn = alt;
      error = alt_error;
      possible = PhoneNumberUtil::IS_POSSIBLE;
    }
  }
  if (error != PhoneNumberUtil::NO_PARSING_ERROR) {
    if (error == PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR && !text.starts_with("+") && !IsSupportedRegion(default_region_)) {
      return fail("no country code, and the default region is not a known region");
    }
    return fail(ParseErrorText(error));
  }
  // IS_POSSIBLE_LOCAL_ONLY is rejected too: its E.164 form would not be the customer's number.
  if (possible != PhoneNumberUtil::IS_POSSIBLE) return fail(PossibilityText(possible));
  v1::Identity id;
  id.set_kind(v1::Identity::PHONE);
  std::string e164;
  util.Format(pn, PhoneNumberUtil::E164, &e164);
  id.set_value(std::move(e164));
  return id;
}

Result<v1::Identity> IdentityNormalizer::Platform(std::string_view platform, std::string_view account,
                                                  std::string_view user_id, std::string_view handle,
                                                  std::string_view display_name) const {
  const std::string name = LowerAscii(Trim(platform));
  if (name.empty()) return Status::InvalidArgument("platform name is empty");
  if (!IsPlatformName(name)) {
    return Status::InvalidArgument("invalid platform name " + QuoteForMessage(platform) +
                                   ": use 1-32 characters of a-z, 0-9, '_' and '-'");
  }
  if (IsReservedPlatformName(name)) {
    return Status::InvalidArgument("platform name '" + name + "' is reserved (use an " +
                                   (name == "email" || name == "mailto" ? "email" : "phone") + " identity)");
  }
  const std::string where = " of platform '" + name + "'";
  if (user_id.empty()) return Status::InvalidArgument("user id" + where + " is empty");
  if (user_id.size() > kMaxUserIdBytes) return Status::InvalidArgument("user id" + where + " is longer than 256 bytes");
  if (!IsValidUtf8(user_id) || HasControl(user_id)) {
    return Status::InvalidArgument("user id " + QuoteForMessage(user_id) + where +
                                   " contains control characters or invalid UTF-8");
  }
  if (account.size() > kMaxAccountBytes) return Status::InvalidArgument("account" + where + " is longer than 256 bytes");
  if (!IsValidUtf8(account) || HasControl(account)) {
    return Status::InvalidArgument("account " + QuoteForMessage(account) + where +
                                   " contains control characters or invalid UTF-8");
  }
  auto clean_handle = CleanDisplayText(handle, "handle");
  if (!clean_handle.ok()) return clean_handle.status();
  auto clean_name = CleanDisplayText(display_name, "display name");
  if (!clean_name.ok()) return clean_name.status();
  v1::Identity id;
  id.set_kind(v1::Identity::PLATFORM);
  id.set_platform(name);
  id.set_account(std::string(account));
  id.set_value(std::string(user_id));
  id.set_handle(std::move(*clean_handle));
  id.set_display_name(std::move(*clean_name));
  return id;
}

Result<v1::Identity> IdentityNormalizer::Normalize(const v1::Identity& raw) const {
  switch (raw.kind()) {
    case v1::Identity::EMAIL:
    case v1::Identity::PHONE: {
      Result<v1::Identity> id = raw.kind() == v1::Identity::EMAIL ? Email(raw.value()) : Phone(raw.value());
      if (!id.ok() || !id->display_name().empty()) return id;
      auto name = CleanDisplayText(raw.display_name(), "display name");
      if (!name.ok()) return name.status();
      id->set_display_name(std::move(*name));
      return id;
    }
    case v1::Identity::PLATFORM:
      return Platform(raw.platform(), raw.account(), raw.value(), raw.handle(), raw.display_name());
    case v1::Identity::KIND_UNSPECIFIED:
      return Status::InvalidArgument("identity kind is unspecified (set email, phone or platform)");
    default:
      return Status::InvalidArgument("unknown identity kind " + std::to_string(static_cast<int>(raw.kind())));
  }
}

Result<v1::Identity> IdentityNormalizer::ParseArgument(std::string_view arg) const {
  const std::string_view s = Trim(arg);
  if (s.empty()) return Status::InvalidArgument("empty identity (" + std::string(kArgumentForms) + ")");
  const size_t colon = s.find(':');
  if (colon == std::string_view::npos) {
    std::string hint;
    if (s.find('@') != std::string_view::npos) {
      hint = "; did you mean email:" + std::string(s) + "?";
    } else if (s.front() == '+' || s.front() == '(' || IsAsciiDigit(s.front())) {
      hint = "; did you mean phone:" + std::string(s) + "?";
    }
    return Status::InvalidArgument("identity " + QuoteForMessage(s) + " has no kind (" + std::string(kArgumentForms) +
                                   ")" + hint);
  }
  const std::string kind = LowerAscii(s.substr(0, colon));
  const std::string_view rest = s.substr(colon + 1);
  if (kind == "email") return Email(rest);
  if (kind == "mailto") return Email(s);
  if (kind == "phone" || kind == "tel" || kind == "sms") return Phone(rest);
  // A phone number never contains ':', so "whatsapp:ACCOUNT:USER_ID" is a WhatsApp platform id.
  if (kind == "whatsapp" && rest.find(':') == std::string_view::npos) return Phone(rest);
  const size_t second = rest.find(':');
  if (second == std::string_view::npos) {
    static const std::set<std::string, std::less<>> kKnownPlatforms = {"messenger", "instagram", "telegram", "x"};
    if (kKnownPlatforms.count(kind) > 0) {
      return Status::InvalidArgument("identity " + QuoteForMessage(s) + " needs an account and a user id (use " + kind +
                                     ":ACCOUNT:USER_ID; the account may be empty: " + kind + "::USER_ID)");
    }
    return Status::InvalidArgument("unknown identity kind " + QuoteForMessage(s.substr(0, colon)) + " (" +
                                   std::string(kArgumentForms) + ")");
  }
  if (!IsPlatformName(kind)) {
    return Status::InvalidArgument("unknown identity kind " + QuoteForMessage(s.substr(0, colon)) + " (" +
                                   std::string(kArgumentForms) + ")");
  }
  std::string account;
  if (!PercentDecode(rest.substr(0, second), &account)) {
    return Status::InvalidArgument("identity " + QuoteForMessage(s) +
                                   ": malformed %-escape in the account (write '%' as %25 and ':' as %3A)");
  }
  return Platform(kind, account, rest.substr(second + 1));
}

std::string IdentityKey(const v1::Identity& id) {
  std::string key;
  // The kind number is stored on disk; Identity.Kind is never renumbered.
  key.push_back(static_cast<char>(id.kind()));
  if (id.kind() == v1::Identity::PLATFORM) {
    PutLengthPrefixed(&key, id.platform());
    PutLengthPrefixed(&key, id.account());
  }
  PutLengthPrefixed(&key, id.value());
  return key;
}

Result<v1::Identity> IdentityFromKey(std::string_view key) {
  auto bad = [&] { return Status::InvalidArgument("malformed identity key " + QuoteForMessage(key)); };
  if (key.empty()) return bad();
  v1::Identity id;
  const auto kind = static_cast<unsigned char>(key.front());
  key.remove_prefix(1);
  if (kind != v1::Identity::EMAIL && kind != v1::Identity::PHONE && kind != v1::Identity::PLATFORM) return bad();
  id.set_kind(static_cast<v1::Identity::Kind>(kind));
  std::string_view part;
  if (kind == v1::Identity::PLATFORM) {
    if (!GetLengthPrefixed(&key, &part)) return bad();
    id.set_platform(std::string(part));
    if (!GetLengthPrefixed(&key, &part)) return bad();
    id.set_account(std::string(part));
  }
  if (!GetLengthPrefixed(&key, &part) || !key.empty()) return bad();
  id.set_value(std::string(part));
  return id;
}

std::string IdentityToArgument(const v1::Identity& id) {
  switch (id.kind()) {
    case v1::Identity::EMAIL:
      return "email:" + id.value();
    case v1::Identity::PHONE:
      return "phone:" + id.value();
    case v1::Identity::PLATFORM:
      return id.platform() + ":" + PercentEncodeAccount(id.account()) + ":" + id.value();
    default:
      return "unspecified:" + id.value();
  }
}

}  // namespace omnihub
