#include "services/unifier/suggestions/mention_scanner.h"

#include <phonenumbers/phonenumbermatch.h>
#include <phonenumbers/phonenumbermatcher.h>
#include <phonenumbers/phonenumberutil.h>

#include <cstring>
#include <unordered_set>

namespace omnihub::unifier {
namespace {

using i18n::phonenumbers::PhoneNumberMatch;
using i18n::phonenumbers::PhoneNumberMatcher;
using i18n::phonenumbers::PhoneNumberUtil;

// How many candidate numbers the matcher may try in one text: bounds the work a long text
// full of digits can cause in the ingest thread.
constexpr int kMaxPhoneTries = 200;

bool IsAsciiAlnum(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// RFC 5322 atext plus '.', the characters of an unquoted local part. ':' and '<' are not, so
// "mailto:jane@x.org" and "<jane@x.org>" give the address alone.
bool IsLocalChar(unsigned char c) {
  return IsAsciiAlnum(c) || (c != 0 && std::strchr(".!#$%&'*+/=?^_`{|}~-", c) != nullptr);
}

// The length of the domain character at `s[i]`: an ASCII letter, digit, '.' or '-', or a
// letter of the Latin, Greek or Cyrillic blocks (an internationalized domain written in
// Unicode, "bücher.de"); 0 for anything else. Without ICU the letter test is by block:
// every such letter is a 2-byte UTF-8 sequence, and scripts written without spaces (CJK)
// or punctuation after an address end it, which is what matters here.
size_t DomainCharLength(std::string_view s, size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (IsAsciiAlnum(c) || c == '.' || c == '-') return 1;
  if (c < 0xC2 || c > 0xDF || i + 1 >= s.size()) return 0;
  const auto c1 = static_cast<unsigned char>(s[i + 1]);
  if ((c1 & 0xC0) != 0x80) return 0;
  const uint32_t cp = ((c & 0x1Fu) << 6) | (c1 & 0x3Fu);
  const bool latin = cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7;
  const bool greek_or_cyrillic = cp >= 0x370 && cp <= 0x4FF;
  return latin || greek_or_cyrillic ? 2 : 0;
}

struct Span {
  size_t begin;
  size_t end;
};

// The email candidate around the '@' at `at`, trimmed of the punctuation that ends a
// sentence ("write to jane@x.org."); an empty span when there is no local part or the
// domain has no dot.
Span EmailAround(std::string_view text, size_t at) {
  size_t begin = at;
  while (begin > 0 && IsLocalChar(static_cast<unsigned char>(text[begin - 1]))) --begin;
  while (begin < at && text[begin] == '.') ++begin;  // "...jane@x.org": dots before are not the address
  size_t end = at + 1;
  while (end < text.size()) {
    const size_t n = DomainCharLength(text, end);
    if (n == 0) break;
    end += n;
  }
  while (end > at + 1 && (text[end - 1] == '.' || text[end - 1] == '-')) --end;
  const std::string_view domain = text.substr(at + 1, end - at - 1);
  if (begin == at || domain.find('.') == std::string_view::npos || domain.front() == '.') return {at, at};
  return {begin, end};
}

// False when `text` cannot hold a phone number: fewer than kMinPhoneDigits ASCII digits and
// nothing but ASCII (other scripts have digits of their own, which the matcher reads). Most
// messages ("thanks!", "ok, see you") end here, so the matcher's cost is paid only by texts
// that may hold a number.
constexpr int kMinPhoneDigits = 5;
bool MayHoldPhoneNumber(std::string_view text) {
  int digits = 0;
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return true;
    if (c >= '0' && c <= '9' && ++digits >= kMinPhoneDigits) return true;
  }
  return false;
}

class MentionList {
 public:
  void Add(v1::Identity identity, std::string_view text) {
    if (!keys_.insert(event::IdentityKey(identity)).second) return;
    mentions_.push_back({std::move(identity), std::string(text)});
  }
  std::vector<Mention> Take() { return std::move(mentions_); }

 private:
  std::unordered_set<std::string> keys_;
  std::vector<Mention> mentions_;
};

}  // namespace

std::vector<Mention> FindMentions(std::string_view text, const event::IdentityNormalizer& normalizer) {
  MentionList found;
  // The text with every email candidate blanked out, for the phone matcher: digits of an
  // address ("4155550100@example.com") are not a phone number written in the text.
  std::string rest(text);
  for (size_t at = text.find('@'); at != std::string_view::npos; at = text.find('@', at + 1)) {
    const Span span = EmailAround(text, at);
    if (span.begin == span.end) continue;
    const std::string_view written = text.substr(span.begin, span.end - span.begin);
    if (auto email = normalizer.Email(written); email.ok()) {
      email->clear_display_name();
      found.Add(std::move(*email), written);
    }
    std::memset(rest.data() + span.begin, ' ', span.end - span.begin);
    at = span.end - 1;
  }

  if (!MayHoldPhoneNumber(rest)) return found.Take();
  // POSSIBLE, not VALID: the normalizer accepts any possible number as an identity, so a
  // stricter matcher would miss identities that exist; a false match costs one lookup and is
  // dropped when no identity has that number.
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  PhoneNumberMatcher matcher(util, rest, normalizer.default_region(), PhoneNumberMatcher::POSSIBLE, kMaxPhoneTries);
  PhoneNumberMatch match;
  while (matcher.HasNext() && matcher.Next(&match)) {
    std::string e164;
    util.Format(match.number(), PhoneNumberUtil::E164, &e164);
    if (auto phone = normalizer.Phone(e164); phone.ok()) found.Add(std::move(*phone), match.raw_string());
  }
  return found.Take();
}

}  // namespace omnihub::unifier
